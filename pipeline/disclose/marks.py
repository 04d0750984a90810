"""The output marks (D5): a suppressed cell keeps its row with nulls and status codes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pipeline.disclose.model import Key

HIDDEN = ("value", "ci_low", "ci_high", "respondents")
SUPPRESSED_STATUS = "Q"
FREE = "F"


def mark_rows(
    rows: Iterable[Mapping[str, Any]], pattern: Mapping[Key, str]
) -> list[dict[str, Any]]:
    """Rows of estimates with the pattern applied: value, ci_low, ci_high and respondents null,
    status Q and conf_status A or D for a suppressed cell; conf_status F for every other row.
    Never a symbol in a number column."""
    out = []
    for row in rows:
        new = dict(row)
        key = (
            row["population_id"],
            row["breakdown_id"],
            row["breakdown_value"],
            row["indicator_id"],
        )
        conf = pattern.get(key)
        if conf is None:
            new["conf_status"] = FREE
        else:
            for column in HIDDEN:
                new[column] = None
            new["status"] = SUPPRESSED_STATUS
            new["conf_status"] = conf
        out.append(new)
    return out
