"""DuckDB: one in-memory connection with the raw tables loaded under explicit types, and the
named SELECTs of pipeline/build/sql/ run against them with bound parameters."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from pipeline.core.schemas import ARROW_TYPES
from pipeline.core.sql import sql_text


def arrow_schema(schema: dict, with_metadata: bool = False) -> pa.Schema:
    """The Arrow schema of a Table Schema: one typed field per column, nullable unless required.

    With metadata, each field carries its title, description and unit (for Parquet readers).
    """
    fields = []
    for f in schema["fields"]:
        metadata = None
        if with_metadata:
            metadata = {k: str(f[k]) for k in ("title", "description", "unit") if k in f}
        required = f.get("constraints", {}).get("required", False)
        fields.append(
            pa.field(f["name"], ARROW_TYPES[f["type"]], nullable=not required, metadata=metadata)
        )
    return pa.schema(fields)


def to_arrow(rows: list[dict], schema: dict) -> pa.Table:
    """Rows (dicts) as an Arrow table typed by a Table Schema."""
    typed = arrow_schema(schema)
    columns = {name: [row.get(name) for row in rows] for name in typed.names}
    return pa.table(columns, schema=typed)


def connect(tables: dict[str, pa.Table]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with each Arrow table registered as raw_<name>."""
    con = duckdb.connect(":memory:")
    for name, table in tables.items():
        con.register(f"raw_{name}", table)
    return con


def run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pa.Table:
    """Run the named SELECT with bound parameters and return its result as an Arrow table."""
    return con.sql(sql_text("pipeline.build", name), params=params or None).to_arrow_table()
