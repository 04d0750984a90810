"""The steward's local report of why each cell was suppressed (D9): one row per suppressed cell
of every edition estimated in a run, with the rule that suppressed it (D1, D2, D7 primary, D3 the
secondary rule, D8 added because the audit failed), in `.werkdata/disclosure-report.csv`.

Only its owner can read the file (0600), and it never goes to `published/`, to a command's
output or to Prefect: publishing the reason tells an attacker that a cell is small or that a
sensitive rule fired, so every published suppressed cell carries the one flag C. A publish that
estimates replaces the file as a whole; the terminal is told only where it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

from pipeline.core.private_files import local_state, write_private
from pipeline.disclose import Key

REPORT = "disclosure-report.csv"
COLUMNS = (
    "edition",
    "table",
    "population_id",
    "breakdown_id",
    "breakdown_value",
    "indicator_id",
    "rule",
)
# The published table whose cells the patterns cover.
TABLE = "estimates"


def report_path(root: Path) -> Path:
    """Where the report of the project at `root` is: `.werkdata/disclosure-report.csv`."""
    return local_state(root) / REPORT


def report_rows(patterns: Mapping[int, Mapping[Key, str]]) -> list[tuple]:
    """One row per suppressed cell of each edition's pattern ({edition: {cell: rule}}), sorted
    by edition, table and cell."""
    return sorted(
        (edition, TABLE, *key, rule)
        for edition, pattern in patterns.items()
        for key, rule in pattern.items()
    )


def write_report(root: Path, patterns: Mapping[int, Mapping[Key, str]]) -> Path:
    """Replace the report under `root` with the rows of `patterns` (mode 0600); its path."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(report_rows(patterns))
    return write_private(report_path(root), text.getvalue())
