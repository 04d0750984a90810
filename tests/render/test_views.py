"""views.sql makes a ready DuckDB session inside a release; `werkdata shell` opens it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.core.schemas import TABLES, table_schema
from pipeline.read.query import release_views
from tests.helpers import REAL_ROWS

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def folder(release) -> Path:
    return (release.published / "werkonderzoek" / "latest").resolve()


def rows_per_view(views: str, folder: Path, monkeypatch) -> dict[str, int]:
    """The rows of every table's view, with `views` run in `folder` (paths are relative)."""
    monkeypatch.chdir(folder)
    con = duckdb.connect()
    con.execute(views)
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}


def test_views_sql_in_the_release_folder_gives_every_table(folder, monkeypatch):
    views = (folder / "views.sql").read_text(encoding="utf-8")
    assert rows_per_view(views, folder, monkeypatch) == REAL_ROWS


def test_views_carry_the_schema_descriptions_as_comments(folder, release, monkeypatch):
    monkeypatch.chdir(folder)
    con = duckdb.connect()
    con.execute((folder / "views.sql").read_text(encoding="utf-8"))
    comments = dict(
        con.sql(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'findings'"
        ).fetchall()
    )
    fields = table_schema(release.schemas, "findings")["fields"]
    assert list(comments) == [f["name"] for f in fields]
    value = next(f for f in fields if f["name"] == "value")
    assert comments["value"] == f"{value['title']}: {value['description']} [percent]"


def test_release_views_of_an_older_release_come_from_its_descriptor(folder, tmp_path, monkeypatch):
    """A release made before views.sql existed gets the same views, and they work in it."""
    old = tmp_path / "old"
    old.mkdir()
    (old / "datapackage.json").write_bytes((folder / "datapackage.json").read_bytes())
    shutil.copytree(folder / "data", old / "data")
    views = release_views(old)
    assert not (old / "views.sql").exists()
    assert views == (folder / "views.sql").read_text(encoding="utf-8")
    assert rows_per_view(views, old, monkeypatch) == REAL_ROWS


def test_duckdb_cli_with_init_views(folder):
    result = subprocess.run(
        [str(BIN / "duckdb"), "-init", "views.sql", "-csv"],
        input="SELECT count(*) AS n FROM findings WHERE status = 'M';\n",
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (0, "n\n8\n")


def test_werkdata_shell_from_anywhere(release, tmp_path):
    result = subprocess.run(
        [str(BIN / "werkdata"), "--root", str(release.root), "shell"],
        input=".mode csv\nSELECT value FROM findings WHERE edition = 2022 "
        "AND population_id = 'openbaar_bestuur' AND indicator_id = 'tevreden_baan';\n",
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (0, "value\n87.0\n")
