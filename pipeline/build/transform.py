"""Builds every output table from the validated raw inputs with DuckDB; writes nothing."""

from __future__ import annotations

import pyarrow as pa

from pipeline.build.db import arrow_schema, connect, run_sql, to_arrow
from pipeline.core.errors import PublishConflict
from pipeline.core.schemas import TABLES, raw_file_schema, table_schema
from pipeline.ingest.inputs import RawInputs

# Digits kept in change_pp: the inputs have at most one decimal.
CHANGE_DIGITS = 4


def raw_tables(schemas_dir, inputs: RawInputs) -> dict[str, pa.Table]:
    """The raw inputs as Arrow tables typed by their Table Schemas."""
    tables = {}
    for table, rows in inputs.tables.items():
        if table in ("findings", "conclusions"):
            schema = raw_file_schema(schemas_dir, f"{table}.csv")
            edition = next(
                f for f in table_schema(schemas_dir, table)["fields"] if f["name"] == "edition"
            )
            schema = {"fields": [edition, *schema["fields"]]}
        else:
            schema = table_schema(schemas_dir, table)
        tables[table] = to_arrow(rows, schema)
    if "conclusions" not in tables:
        tables["conclusions"] = to_arrow([], table_schema(schemas_dir, "conclusions"))
    return tables


def build_tables(schemas_dir, inputs: RawInputs) -> dict[str, pa.Table]:
    """Every output table, in TABLES order, cast to its published schema (with field metadata)."""
    con = connect(raw_tables(schemas_dir, inputs))
    try:
        out = {}
        for table in TABLES:
            params = {"change_digits": CHANGE_DIGITS} if table == "findings" else None
            result = run_sql(con, table, params)
            target = arrow_schema(table_schema(schemas_dir, table), with_metadata=True)
            missing = [name for name in target.names if name not in result.schema.names]
            if missing:
                raise PublishConflict(
                    f"{table}.sql returns no column {', '.join(missing)}, which "
                    f"schemas/{table}.schema.json declares"
                )
            # The schema decides what is published, in its order: a column the SQL computes
            # but the schema leaves out is dropped.
            out[table] = result.select(target.names).cast(target)
        return out
    finally:
        con.close()
