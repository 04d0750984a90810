"""The rules a Table Schema cannot say, as small named functions over a findings frame.

Each takes the combined raw findings frame (one row per edition x population x indicator, with
`edition` and the indicator's `unit`) and returns (index label, column, message) for every row
that breaks it. Each rule names the columns it reads: validation gives it only the rows whose
cells in those columns the file checks accepted, so no problem is reported twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pandas as pd

Check = Callable[[pd.DataFrame], list[tuple[int, str, str]]]


class Rule(NamedTuple):
    check: Check
    reads: tuple[str, ...]


def value_empty_exactly_when_missing(frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """status M means no value; any other status needs one."""
    missing = frame["status"] == "M"
    empty = frame["value"].isna()
    broken = frame[(missing & ~empty) | (~missing & empty)]
    return [
        (
            idx,
            "value",
            "status is M (missing) but a value is given"
            if row["status"] == "M"
            else f"status is {row['status']} but the value is empty (use status M)",
        )
        for idx, row in broken.iterrows()
    ]


def confidence_empty_exactly_when_no_value(frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """A confidence (C or C*) belongs to a number: empty when there is no value."""
    has_value = frame["value"].notna()
    has_confidence = frame["confidence"].notna()
    broken = frame[has_value != has_confidence]
    return [
        (
            idx,
            "confidence",
            "a value needs a confidence (C or C*)"
            if pd.notna(row["value"])
            else "confidence given for an empty value (leave it empty)",
        )
        for idx, row in broken.iterrows()
    ]


def percentages_within_0_100(frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """A value whose indicator's unit is percent lies within 0..100."""
    percent = frame["unit"] == "percent"
    outside = percent & frame["value"].notna() & ~frame["value"].between(0, 100)
    return [
        (idx, "value", f"{row['value']:g} is not a percentage within 0..100")
        for idx, row in frame[outside].iterrows()
    ]


def percentages_not_fractions(frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """A percentage strictly between 0 and 1 is taken for a fraction (0.68 for 68%): refused.

    Shares of employees below 1% do not occur in these findings; a file on the wrong scale does.
    """
    percent = frame["unit"] == "percent"
    fraction = percent & frame["value"].notna() & (frame["value"] > 0) & (frame["value"] < 1)
    return [
        (idx, "value", f"{row['value']:g} looks like a fraction; give percentages (0..100)")
        for idx, row in frame[fraction].iterrows()
    ]


# One row per edition, population and indicator is the primary key of raw-inputs.json (one
# findings file per edition), which the file checks hold; it needs no rule here.
FINDINGS_RULES: dict[str, Rule] = {
    "value-empty-exactly-when-missing": Rule(value_empty_exactly_when_missing, ("value", "status")),
    "confidence-empty-exactly-when-no-value": Rule(
        confidence_empty_exactly_when_no_value, ("value", "confidence")
    ),
    "percentage-within-0-100": Rule(percentages_within_0_100, ("value", "unit")),
    "percentage-not-fraction": Rule(percentages_not_fractions, ("value", "unit")),
}
