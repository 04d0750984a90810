"""Runs SQL against the latest release: each table is a DuckDB view over its Parquet file."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.errors import NothingPublished
from pipeline.schemas import TABLES


def latest_folder(dataset_root: Path) -> Path:
    link = dataset_root / "latest"
    if not link.exists():
        raise NothingPublished(
            f"nothing published yet under {dataset_root.name}/ (run `werkdata publish` first)"
        )
    return link.resolve()


def connect_release(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per table of the release in `folder`."""
    con = duckdb.connect(":memory:")
    for table in TABLES:
        path = folder / "data" / f"{table}.parquet"
        if path.is_file():
            con.read_parquet(str(path)).create_view(table)
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
