"""Opens the latest release in DuckDB through its views.sql: each table a view by its name.

A release is read only after it passed its own records (SHA256SUMS, datapackage.json) and, once
catalog.json lists it, its pins: a damaged publication is an IntegrityError (exit 4), never a
wrong answer.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.core.errors import IntegrityError, NothingPublished
from pipeline.core.sql import sql_literal
from pipeline.release.records import read_catalog, read_descriptor, versions
from pipeline.release.verify import entries_by_version, version_problems
from pipeline.render.views import views_sql


def latest_folder(dataset_root: Path) -> Path:
    """The intact release `latest` points to; NothingPublished when there is none, and
    IntegrityError when catalog.json, the link or the release is damaged."""
    entries = entries_by_version(read_catalog(dataset_root))
    known = versions(dataset_root)
    if not known:
        raise NothingPublished(
            f"nothing published yet under {dataset_root.name}/ (run `werkdata publish` first)"
        )
    link = dataset_root / "latest"
    target = link.resolve()
    if not link.is_symlink() or target.parent != dataset_root.resolve() or target.name not in known:
        raise IntegrityError(
            [
                f"{dataset_root.name}/latest: does not point to a version folder "
                "(`werkdata publish` rewrites it)"
            ]
        )
    problems = version_problems(dataset_root, target.name, entries.get(target.name))
    if problems:
        raise IntegrityError(problems)
    return target


def release_views(folder: Path) -> str:
    """The release's views.sql; for a release made before it existed, the same text made from
    its datapackage.json."""
    path = folder / "views.sql"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return views_sql(read_descriptor(folder))


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
