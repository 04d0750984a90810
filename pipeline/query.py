"""Opens the latest release in DuckDB through its views.sql: each table a view by its name."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from pipeline.errors import NothingPublished
from pipeline.views import sql_literal, views_sql


def latest_folder(dataset_root: Path) -> Path:
    """The folder `latest` points to, or NothingPublished."""
    link = dataset_root / "latest"
    if not link.exists():
        raise NothingPublished(
            f"nothing published yet under {dataset_root.name}/ (run `werkdata publish` first)"
        )
    return link.resolve()


def release_views(folder: Path) -> str:
    """The release's views.sql; for a release made before it existed, the same text made from
    its datapackage.json."""
    path = folder / "views.sql"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    return views_sql(descriptor)


def connect_release(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the release's views; relative paths resolve in `folder`."""
    con = duckdb.connect(":memory:")
    # A SET cannot take a bound parameter; the folder is ours and quoted as a literal.
    con.execute(f"SET file_search_path = {sql_literal(str(folder))}")
    con.execute(release_views(folder))
    return con


def run_query(dataset_root: Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows of `sql` run against the latest release."""
    con = connect_release(latest_folder(dataset_root))
    try:
        result = con.execute(sql)
        columns = [d[0] for d in result.description or []]
        return columns, result.fetchall()
    finally:
        con.close()
