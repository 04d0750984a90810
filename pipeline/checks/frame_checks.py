"""The second layer of validation: Pandera checks the typed frames against the same Table
Schemas, then the rules of rules.py, which span columns, files and editions.

It runs on every row the file checks could read, also when they found problems elsewhere, so one
run reports everything: Pandera sees the rows the first layer accepted whole, each rule the rows
whose cells it reads were accepted (a refused cell was reported once already).
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.errors

from pipeline.checks import rules
from pipeline.core.paths import Project
from pipeline.core.report import Problem, problem_order
from pipeline.core.schemas import pandera_schema, raw_file_schema, table_schema
from pipeline.ingest.inputs import RawInputs

PER_EDITION = ("findings", "conclusions")


def frame_problems(project: Project, inputs: RawInputs) -> list[Problem]:
    """Pandera checks from the Table Schemas, then the cross-column and cross-edition rules."""
    problems = []
    for table, rows in inputs.tables.items():
        if not rows:
            continue
        accepted = [i for i, cells in enumerate(inputs.refused_in(table)) if not cells]
        frame = subset(pd.DataFrame(rows), accepted)
        if not frame.empty:
            schema = checked_schema(project, table)
            problems.extend(pandera_problems(frame, schema, inputs.places[table]))
    problems.extend(rule_problems(inputs))
    return sorted(set(problems), key=problem_order)


def checked_schema(project: Project, table: str) -> dict:
    """The schema a table's frame is checked against: a per-edition table's raw file schema
    with the edition (from the folder name) in front, else the published table's schema."""
    if table not in PER_EDITION:
        return table_schema(project.schemas, table)
    schema = raw_file_schema(project.schemas, f"{table}.csv")
    return {
        **schema,
        "fields": [edition_field(project), *schema["fields"]],
        "primaryKey": ["edition", *schema.get("primaryKey", [])],
    }


def rule_problems(inputs: RawInputs) -> list[Problem]:
    """Every rule of rules.py on the findings rows whose cells it reads were accepted."""
    findings = inputs.tables.get("findings")
    if not findings:
        return []
    units = {
        row["indicator_id"]: row["unit"]
        for row, refused in zip(
            inputs.tables.get("indicators", []), inputs.refused_in("indicators"), strict=True
        )
        if "unit" not in refused
    }
    frame = pd.DataFrame(findings)
    frame["unit"] = frame["indicator_id"].map(units)
    places = inputs.places["findings"]
    refused = inputs.refused_in("findings")
    problems = []
    for name, rule in rules.FINDINGS_RULES.items():
        readable = [i for i, cells in enumerate(refused) if not cells.intersection(rule.reads)]
        for idx, column, message in rule.check(subset(frame, readable)):
            file, row = places[idx]
            value = frame.at[idx, column]
            problems.append(Problem(file, row, column, cell_text(value), name, message))
    return problems


def subset(frame: pd.DataFrame, rows: list[int]) -> pd.DataFrame:
    """The rows of `frame` with these index labels (the frame itself when that is all)."""
    return frame if len(rows) == len(frame) else frame.loc[rows]


def edition_field(project: Project) -> dict:
    return next(
        f for f in table_schema(project.schemas, "findings")["fields"] if f["name"] == "edition"
    )


def pandera_problems(frame: pd.DataFrame, schema: dict, places: list) -> list[Problem]:
    """Run the derived Pandera schema lazily and turn its failure cases into problems."""
    frame = frame[[f["name"] for f in schema["fields"]]]
    try:
        pandera_schema(schema).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        return [failure_problem(case, places) for case in exc.failure_cases.to_dict("records")]
    return []


def failure_problem(case: dict, places: list) -> Problem:
    index = case.get("index")
    file, row = places[int(index)] if pd.notna(index) else (places[0][0], None)
    check = str(case.get("check"))
    rule = "pandera:" + re.sub(r"\(.*", "", check)
    column = case.get("column") if isinstance(case.get("column"), str) else None
    return Problem(
        file,
        row,
        column,
        cell_text(case.get("failure_case")),
        rule,
        f"fails the schema check {check}",
    )


def cell_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
