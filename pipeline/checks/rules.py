"""The rules a Table Schema cannot say, each a named Pandera check over the findings frame.

The frame is the combined raw findings (one row per edition x population x indicator, with
`edition` and the indicator's `unit`). Each rule's check returns, per row, whether the row keeps
the rule; the rule names the column a broken row is reported on, the message for it, and the
columns it reads: validation gives it only the rows whose cells in those columns the file checks
accepted, so no problem is reported twice.

What a Table Schema can say (types, required, enum, minimum/maximum, pattern, unique, keys) is
not here: frictionless checks it on the files (pipeline/checks/table_checks.py), and the output
contract checks it again on the built tables (pipeline/checks/output_contract.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pandas as pd
import pandera.errors
import pandera.pandas as pa


class Rule(NamedTuple):
    """A named check: `keeps(frame)` is True for each row that keeps the rule."""

    name: str
    keeps: Callable[[pd.DataFrame], pd.Series]
    column: str
    message: Callable[[pd.Series], str]
    reads: tuple[str, ...]

    def check(self) -> pa.Check:
        """The rule as a Pandera check of the whole frame, under the rule's name."""
        return pa.Check(self.keeps, name=self.name, error=self.name)


def value_empty_exactly_when_missing(frame: pd.DataFrame) -> pd.Series:
    """status M means no value; any other status needs one."""
    return (frame["status"] == "M") == frame["value"].isna()


def missing_value_message(row: pd.Series) -> str:
    if row["status"] == "M":
        return "status is M (missing) but a value is given"
    return f"status is {row['status']} but the value is empty (use status M)"


def confidence_only_with_value(frame: pd.DataFrame) -> pd.Series:
    """A confidence (C or C*) belongs to a number: empty when there is no value."""
    return frame["value"].notna() == frame["confidence"].notna()


def confidence_message(row: pd.Series) -> str:
    if pd.notna(row["value"]):
        return "a value needs a confidence (C or C*)"
    return "confidence given for an empty value (leave it empty)"


def percentages_not_fractions(frame: pd.DataFrame) -> pd.Series:
    """A percentage strictly between 0 and 1 is taken for a fraction (0.68 for 68%): refused.

    Shares of employees below 1% do not occur in these findings; a file on the wrong scale does.
    """
    percent = frame["unit"] == "percent"
    fraction = percent & frame["value"].notna() & (frame["value"] > 0) & (frame["value"] < 1)
    return ~fraction


def fraction_message(row: pd.Series) -> str:
    return f"{row['value']:g} looks like a fraction; give percentages (0..100)"


# The schema's minimum/maximum (0..100) and the primary key (one row per edition, population
# and indicator: one findings file per edition, keyed by population and indicator) are checked
# by frictionless on the files; they are no rules here.
FINDINGS_RULES: tuple[Rule, ...] = (
    Rule(
        "value-empty-exactly-when-missing",
        value_empty_exactly_when_missing,
        "value",
        missing_value_message,
        ("value", "status"),
    ),
    Rule(
        "confidence-empty-exactly-when-no-value",
        confidence_only_with_value,
        "confidence",
        confidence_message,
        ("value", "confidence"),
    ),
    Rule(
        "percentage-not-fraction",
        percentages_not_fractions,
        "value",
        fraction_message,
        ("value", "unit"),
    ),
)


def broken_rows(rule: Rule, frame: pd.DataFrame) -> list:
    """The index labels of the rows of `frame` that break `rule`, found by Pandera."""
    if frame.empty:
        return []
    schema = pa.DataFrameSchema(checks=[rule.check()])
    try:
        schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        return sorted(set(cases.loc[cases["check"] == rule.name, "index"].dropna()))
    return []
