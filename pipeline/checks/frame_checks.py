"""The second layer of validation: the rules of rules.py, named Pandera checks over the typed
findings frame, for what a Table Schema cannot say (rules across columns, files and editions).

Types, constraints and keys are the first layer's (frictionless, pipeline/checks/table_checks.py)
and are not checked again here. It runs on every row the file checks could read, also when they
found problems elsewhere, so one run reports everything: each rule sees the rows whose cells it
reads were accepted (a refused cell was reported once already).
"""

from __future__ import annotations

import pandas as pd

from pipeline.checks import rules
from pipeline.core.paths import Project
from pipeline.core.report import Problem, problem_order
from pipeline.ingest.inputs import RawInputs


def frame_problems(project: Project, inputs: RawInputs) -> list[Problem]:
    """Every rule of rules.py on the findings rows whose cells it reads were accepted."""
    del project  # the rules take nothing from schemas/: every column fact there is frictionless'
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
    for rule in rules.FINDINGS_RULES:
        readable = [i for i, cells in enumerate(refused) if not cells.intersection(rule.reads)]
        for idx in rules.broken_rows(rule, subset(frame, readable)):
            file, row = places[idx]
            value = frame.at[idx, rule.column]
            message = rule.message(frame.loc[idx])
            problems.append(Problem(file, row, rule.column, cell_text(value), rule.name, message))
    return sorted(set(problems), key=problem_order)


def subset(frame: pd.DataFrame, rows: list[int]) -> pd.DataFrame:
    """The rows of `frame` with these index labels (the frame itself when that is all)."""
    return frame if len(rows) == len(frame) else frame.loc[rows]


def cell_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
