"""The output marks (D5, D9): a suppressed cell keeps its row with nulls and one flag, whatever
rule suppressed it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pipeline.disclose.model import Key

HIDDEN = ("value", "ci_low", "ci_high", "respondents")
SUPPRESSED_STATUS = "Q"
FREE = "F"
# SDMX CONF_STATUS C (confidential) for every suppressed cell: publishing why a cell was
# suppressed (the rule, primary or secondary) tells an attacker that the cell is small or that
# a sensitive rule fired (D9). The reason goes to the steward's local report only.
CONFIDENTIAL = "C"


def mark_rows(
    rows: Iterable[Mapping[str, Any]], pattern: Mapping[Key, str]
) -> list[dict[str, Any]]:
    """Rows of estimates with the pattern applied: value, ci_low, ci_high and respondents null,
    status Q and conf_status C for every cell in `pattern` (whatever rule its value names);
    conf_status F for every other row. Never a symbol in a number column."""
    out = []
    for row in rows:
        new = dict(row)
        key = (
            row["population_id"],
            row["breakdown_id"],
            row["breakdown_value"],
            row["indicator_id"],
        )
        if key in pattern:
            for column in HIDDEN:
                new[column] = None
            new["status"] = SUPPRESSED_STATUS
            new["conf_status"] = CONFIDENTIAL
        else:
            new["conf_status"] = FREE
        out.append(new)
    return out
