"""Each rule of rules.py fires on a raw file that frictionless accepts: the rules check only
what a Table Schema cannot say, so a file that breaks one passes the first layer whole and is
refused by the named Pandera check alone, through validate_local as a user's run does."""

from __future__ import annotations

import csv

import pytest

from pipeline.checks import rules
from pipeline.checks.table_checks import frictionless_problems
from pipeline.checks.validate import csv_resources, discover
from pipeline.core.report import Report
from pipeline.orchestrate.runner import validate_local

FILE = "raw/2024/findings.csv"
ROW = 2  # openbaar_bestuur, tevreden_organisatie: 68, status A, confidence C

# One edit of row 2 per rule: the cells it sets, the problem it must give.
EDITS = {
    "value-empty-exactly-when-missing": (
        {"status": "M"},
        ("value", "68", "status is M (missing) but a value is given"),
    ),
    "confidence-empty-exactly-when-no-value": (
        {"confidence": ""},
        ("confidence", None, "a value needs a confidence (C or C*)"),
    ),
    "percentage-not-fraction": (
        {"value": "0.68"},
        ("value", "0.68", "0.68 looks like a fraction; give percentages (0..100)"),
    ),
}


def test_every_rule_has_an_edit():
    assert sorted(EDITS) == sorted(rule.name for rule in rules.FINDINGS_RULES)


def edit(project, cells: dict[str, str]) -> None:
    path = project.root / FILE
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    assert rows[ROW - 1][:3] == ["openbaar_bestuur", "tevreden_organisatie", "68"]
    for name, value in cells.items():
        rows[ROW - 1][header.index(name)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize("name", list(EDITS))
def test_a_rule_fires_on_a_file_frictionless_accepts(project, name):
    cells, (column, value, message) = EDITS[name]
    edit(project, cells)
    report = Report()
    resources = csv_resources(project, discover(project, report), report)
    assert report.valid
    assert frictionless_problems(resources) == []  # the first layer accepts the file whole
    report, inputs = validate_local(project)
    assert inputs is None
    assert [(p.file, p.row, p.column, p.value, p.rule, p.message) for p in report.sorted()] == [
        (FILE, ROW, column, value, name, message)
    ]
