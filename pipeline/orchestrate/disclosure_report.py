"""The steward's local report of why each cell was suppressed (D9): one row per suppressed cell
of every edition estimated in a run, with the rule that suppressed it (D1, D2, D7, D11 primary,
D3 the secondary rule, D8 added because the audit failed), in `.werkdata/disclosure-report.csv`;
and the audit's full record (`.werkdata/disclosure-audit.json`), of which `validation.json`
publishes only `published_record`'s part.

Only its owner can read the file (0600), and it never goes to `published/`, to a command's
output or to Prefect: publishing the reason tells an attacker that a cell is small or that a
sensitive rule fired, so every published suppressed cell carries the one flag C. A publish that
estimates replaces the file as a whole; the terminal is told only where it is.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path

from pipeline.core.private_files import local_state, write_private
from pipeline.disclose import Key

REPORT = "disclosure-report.csv"
AUDIT = "disclosure-audit.json"
# What of an edition's audit record validation.json publishes. The solver's counts and times stay
# local: how many solves a proof took depends on where the true table's own counts lie among the
# feasible ones, so even an edition's total of them is a number that depends on hidden counts.
PUBLISHED_AUDIT = (
    "rule",
    "method",
    "threshold",
    "sensitive_threshold",
    "tables",
    "cells",
    "class_cells",
    "suppressed",
    "passed",
    "failures",
)
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


def published_record(record: Mapping[str, object]) -> dict[str, object]:
    """The part of one edition's audit record that validation.json publishes (PUBLISHED_AUDIT)."""
    return {key: record[key] for key in PUBLISHED_AUDIT if key in record}


def write_audit(root: Path, records: Mapping[str, object]) -> Path:
    """Replace `.werkdata/disclosure-audit.json` under `root` with the full audit records of the
    editions estimated in this run (solves, components, seconds; mode 0600); its path."""
    return write_private(local_state(root) / AUDIT, json.dumps(records, indent=2, sort_keys=True))
