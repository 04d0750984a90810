"""run_query against the latest release, and without one."""

from __future__ import annotations

import duckdb
import pytest

from pipeline.errors import NothingPublished
from pipeline.paths import Project
from pipeline.query import latest_folder, run_query
from pipeline.schemas import TABLES


def test_counts_by_edition(release: Project):
    assert run_query(
        release.dataset_dir(),
        "SELECT edition, count(*) AS n, count(value) AS with_value "
        "FROM findings GROUP BY edition ORDER BY edition",
    ) == (["edition", "n", "with_value"], [(2019, 1, 1), (2022, 11, 11), (2024, 16, 8)])


def test_join_of_two_views(release: Project):
    assert run_query(
        release.dataset_dir(),
        "SELECT f.population_id, f.value, s.label_en FROM findings f "
        "JOIN statuses s USING (status) "
        "WHERE f.indicator_id = 'tevreden_organisatie' ORDER BY f.edition, f.population_id",
    ) == (
        ["population_id", "value", "label_en"],
        [
            ("gemeenten", 65.0, "Normal value"),
            ("openbaar_bestuur", 68.0, "Normal value"),
            ("gemeenten", 67.0, "Normal value"),
            ("openbaar_bestuur", 68.0, "Normal value"),
        ],
    )


def test_every_table_is_a_view(release: Project):
    columns, rows = run_query(
        release.dataset_dir(),
        "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY view_name",
    )
    assert (columns, rows) == (["view_name"], [(t,) for t in sorted(TABLES)])


def test_latest_folder_is_the_resolved_version(release: Project):
    assert latest_folder(release.dataset_dir()) == release.version_dir("1.0.0")


def test_bad_sql_raises_duckdb_error(release: Project):
    with pytest.raises(duckdb.Error):
        run_query(release.dataset_dir(), "SELECT nope FROM findings")


def test_nothing_published(project: Project):
    with pytest.raises(NothingPublished) as caught:
        run_query(project.dataset_dir(), "SELECT 1")
    assert str(caught.value) == (
        "nothing published yet under werkonderzoek/ (run `werkdata publish` first)"
    )
    assert caught.value.exit_code == 2
