"""The output contract: every built table, as the build step made it in DuckDB and before
anything is written, checked with Pandera against its published Table Schema
(schemas/<table>.schema.json): types, required, unique, enum, minimum/maximum, pattern and the
primary key, all derived by pipeline/core/schemas.py.

The raw files were checked by frictionless; this catches what the SQL of the build could still
get wrong (a join that repeats rows, a computed column out of its range, a label left empty).
A table that breaks it is refused: BuiltTableInvalid, with every problem, and nothing published.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.errors
import pyarrow as pa

from pipeline.core.errors import BuiltTableInvalid
from pipeline.core.report import Problem, Report, problem_order
from pipeline.core.schemas import pandera_schema, table_schema

RULE_PREFIX = "output-contract:"
# What Pandera calls the check of a DataFrameSchema's `unique` (our primary key).
KEY_CHECK = "multiple_fields_uniqueness"


def check_built_tables(schemas_dir: Path, tables: dict[str, pa.Table]) -> None:
    """Raise BuiltTableInvalid, naming every problem, when a built table breaks its schema."""
    problems = contract_problems(schemas_dir, tables)
    if problems:
        report = Report(problems=problems, checked=[shown(table) for table in tables])
        raise BuiltTableInvalid(report)


def contract_problems(schemas_dir: Path, tables: dict[str, pa.Table]) -> list[Problem]:
    """Every place where a built table breaks its published Table Schema."""
    problems = []
    for table, data in tables.items():
        descriptor = table_schema(schemas_dir, table)
        frame = data.to_pandas()
        try:
            pandera_schema(descriptor).validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as exc:
            cases = exc.failure_cases.to_dict("records")
            key = [c for c in cases if c.get("check") == KEY_CHECK]
            problems.extend(failure_problem(table, c) for c in cases if c not in key)
            rows = sorted({int(c["index"]) for c in key})
            problems.extend(key_problem(table, descriptor["primaryKey"], frame, i) for i in rows)
    return sorted(set(problems), key=problem_order)


def key_problem(table: str, key: list[str], frame: pd.DataFrame, index: int) -> Problem:
    """One problem for a row whose primary key another row repeats (Pandera names each of the
    key's cells on its own)."""
    value = ", ".join(str(frame.at[index, name]) for name in key)
    message = f"duplicate key ({', '.join(key)}) in the built table"
    return Problem(
        shown(table), index + 2, ", ".join(key), value, RULE_PREFIX + "primary-key", message
    )


def shown(table: str) -> str:
    """How a built table is named in the report (the file it would be published as)."""
    return f"built table {table} (data/{table}.csv)"


def failure_problem(table: str, case: dict) -> Problem:
    """One Pandera failure case as a problem: the row as it would be in the published CSV."""
    index = case.get("index")
    row = int(index) + 2 if pd.notna(index) else None  # the header is row 1
    check = str(case.get("check"))
    column = case.get("column") if isinstance(case.get("column"), str) else None
    value = case.get("failure_case")
    text = None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    rule = RULE_PREFIX + re.sub(r"\(.*", "", check)
    message = f"the built table breaks schemas/{table}.schema.json: {check}"
    return Problem(shown(table), row, column, text, rule, message)
