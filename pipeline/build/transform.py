"""Builds every output table from the validated raw inputs with DuckDB; writes nothing."""

from __future__ import annotations

import pyarrow as pa

from pipeline.build.db import arrow_schema, connect, run_sql, to_arrow
from pipeline.core.errors import BuildFailed
from pipeline.core.schemas import OPTIONAL_CODELISTS, TABLES, raw_file_schema, table_schema
from pipeline.ingest.inputs import RawInputs

# Digits kept in change_pp: the inputs have at most one decimal.
CHANGE_DIGITS = 4
# The columns of the engine's cells that estimates.sql reads, besides `share` (its value).
ESTIMATE_COLUMNS = (
    "edition",
    "population_id",
    "breakdown_id",
    "breakdown_value",
    "indicator_id",
    "respondents",
    "ci_low",
    "ci_high",
    "se",
    "df",
    "status",
    "conf_status",
)


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
    for table in ("conclusions", "findings", *OPTIONAL_CODELISTS):
        if table not in tables:
            tables[table] = to_arrow([], table_schema(schemas_dir, table))
    return tables


def estimate_cells(schemas_dir, cells: pa.Table | None, decimals: int = 1) -> pa.Table:
    """The engine's cells (with an `edition` column) as estimates.sql reads them, their share,
    interval bounds and SE rounded to `decimals`; none: empty."""
    fields = {f["name"]: f for f in table_schema(schemas_dir, "estimates")["fields"]}
    schema = {"fields": [fields[name] for name in ESTIMATE_COLUMNS]}
    schema["fields"].append({"name": "share", "type": "number"})
    empty = to_arrow([], schema)
    if cells is None:
        return empty
    return rounded(cells.select(empty.schema.names).cast(empty.schema), decimals)


# The published numbers of an estimate that are rounded; `respondents` and `df` are integers.
ROUNDED = ("share", "ci_low", "ci_high", "se")


def rounded(cells: pa.Table, decimals: int) -> pa.Table:
    """`cells` with ROUNDED rounded by Python's round(x, decimals) on the double, the one place
    the published estimates are rounded (D10: presentation, never protection; everything that
    compares the engine with a reference reads the engine's unrounded cells)."""
    for name in ROUNDED:
        index = cells.schema.get_field_index(name)
        values = [None if x is None else round(x, decimals) for x in cells[name].to_pylist()]
        cells = cells.set_column(index, cells.field(index), pa.array(values, pa.float64()))
    return cells


def build_tables(
    schemas_dir, inputs: RawInputs, estimates: pa.Table | None = None, decimals: int = 1
):
    """Every output table, in TABLES order, cast to its published schema (with field metadata).
    `estimates` holds the engine's cells of every edition with microdata (None: no cells),
    published rounded to `decimals` (findings never: they are the sources' own figures)."""
    sources = raw_tables(schemas_dir, inputs)
    sources["estimates"] = estimate_cells(schemas_dir, estimates, decimals)
    con = connect(sources)
    params_of = {
        "findings": {"change_digits": CHANGE_DIGITS},
    }
    try:
        out: dict[str, pa.Table] = {}
        for table in TABLES:
            result = run_sql(con, table, params_of.get(table))
            target = arrow_schema(table_schema(schemas_dir, table), with_metadata=True)
            missing = [name for name in target.names if name not in result.schema.names]
            if missing:
                raise BuildFailed(
                    f"{table}.sql returns no column {', '.join(missing)}, which "
                    f"schemas/{table}.schema.json declares"
                )
            # The schema decides what is published, in its order: a column the SQL computes
            # but the schema leaves out is dropped.
            out[table] = result.select(target.names).cast(target)
        return out
    finally:
        con.close()
