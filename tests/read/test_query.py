"""run_query against the latest release, without one, and refusing a damaged one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.core.errors import IntegrityError, NothingPublished
from pipeline.core.paths import Project
from pipeline.core.schemas import TABLES
from pipeline.read.query import latest_folder, release_views, run_query


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


@pytest.fixture
def published(release: Project, tmp_path: Path) -> Path:
    """A writable copy of the session release's published/werkonderzoek (1.0.0)."""
    shutil.copytree(release.published, tmp_path / "published", symlinks=True)
    return tmp_path / "published" / "werkonderzoek"


def refusal(root: Path) -> list[str]:
    with pytest.raises(IntegrityError) as caught:
        run_query(root, "SELECT count(*) FROM findings")
    assert caught.value.exit_code == 4
    return caught.value.problems


def test_a_damaged_release_is_never_queried(published: Path):
    path = published / "1.0.0" / "data" / "findings.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))

    assert refusal(published) == [
        "1.0.0/data/findings.parquet: sha256 differs from SHA256SUMS",
        "1.0.0/data/findings.parquet: sha256 differs from datapackage.json",
    ]


def test_a_release_that_differs_from_its_pins_is_never_queried(published: Path):
    path = published / "catalog.json"
    catalog = json.loads(path.read_text(encoding="utf-8"))
    catalog["versions"][0]["file_bytes"]["views.sql"] = 1
    path.write_text(json.dumps(catalog), encoding="utf-8")
    size = (published / "1.0.0" / "views.sql").stat().st_size

    assert refusal(published) == [f"1.0.0/views.sql: {size} bytes, catalog.json says 1"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[]", "the document is a list, expected an object"),
        ('{"versions": 3}', "the document has no name"),
    ],
)
def test_a_catalog_of_the_wrong_shape_is_named(published: Path, text: str, problem: str):
    (published / "catalog.json").write_text(text, encoding="utf-8")

    assert refusal(published)[0] == f"werkonderzoek/catalog.json: {problem}"


def test_malformed_checksums_are_named(published: Path):
    sums = published / "1.0.0" / "SHA256SUMS"
    size = sums.stat().st_size
    sums.write_text("nonsense\n", encoding="utf-8")

    assert refusal(published) == [
        "1.0.0/SHA256SUMS: line 1 is not '<sha256>  <path>'",
        "1.0.0/SHA256SUMS: sha256 differs from catalog.json",
        f"1.0.0/SHA256SUMS: 9 bytes, catalog.json says {size}",
    ]


@pytest.mark.parametrize("target", [None, "0.9.0", "../elsewhere"], ids=["gone", "dangling", "out"])
def test_latest_that_is_not_a_version_folder(published: Path, tmp_path: Path, target):
    (published / "latest").unlink()
    if target is not None:
        (tmp_path / "elsewhere").mkdir()
        (published / "latest").symlink_to(target)

    assert refusal(published) == [
        "werkonderzoek/latest: does not point to a version folder (`werkdata publish` rewrites it)"
    ]


def test_release_views_of_a_release_without_views_sql_read_its_descriptor(
    published: Path,
):
    folder = published / "1.0.0"
    (folder / "views.sql").unlink()
    (folder / "datapackage.json").write_text('{"resources": []}', encoding="utf-8")

    with pytest.raises(IntegrityError) as caught:
        release_views(folder)
    assert caught.value.problems == [
        "1.0.0/datapackage.json: the document has no title",
        "1.0.0/datapackage.json: the document has no version",
        "1.0.0/datapackage.json: the document has no created",
    ]
