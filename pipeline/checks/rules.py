"""The rules a Table Schema cannot say, as small named functions over a findings frame.

Each takes the combined raw findings frame (one row per edition x population x indicator, with
`edition`, `_file` and `_row` columns) and returns the rows that break it with a message.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

Rule = Callable[[pd.DataFrame], list[tuple[int, str, str]]]


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


def one_row_per_edition_population_indicator(frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """(edition, population_id, indicator_id) is unique over all editions."""
    key = ["edition", "population_id", "indicator_id"]
    dup = frame[frame.duplicated(key, keep="first")]
    return [
        (
            idx,
            "indicator_id",
            f"a second row for edition {row['edition']}, population {row['population_id']}, "
            f"indicator {row['indicator_id']}",
        )
        for idx, row in dup.iterrows()
    ]


FINDINGS_RULES: dict[str, Rule] = {
    "value-empty-exactly-when-missing": value_empty_exactly_when_missing,
    "confidence-empty-exactly-when-no-value": confidence_empty_exactly_when_no_value,
    "percentage-within-0-100": percentages_within_0_100,
    "percentage-not-fraction": percentages_not_fractions,
    "one-row-per-edition-population-indicator": one_row_per_edition_population_indicator,
}
