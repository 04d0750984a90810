"""The cross-column and cross-edition rules of pipeline/checks/rules.py, each on small
hand-made frames."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.checks import rules

NAN = float("nan")


def frame(*rows: tuple, index: list[int] | None = None) -> pd.DataFrame:
    """Findings rows as (edition, population_id, indicator_id, value, status, confidence, unit),
    built the way validate.frame_problems builds them (None for an empty cell)."""
    columns = ["edition", "population_id", "indicator_id", "value", "status", "confidence", "unit"]
    return pd.DataFrame([dict(zip(columns, row, strict=True)) for row in rows], index=index)


GOOD = [
    (2022, "gemeenten", "tevreden_baan", 85.0, "A", "C", "percent"),
    (2022, "gemeenten", "veel_werk", 45.0, "E", "C*", "percent"),
    (2024, "openbaar_bestuur", "prestaties_gemonitord", None, "M", None, "percent"),
    (2024, "gemeenten", "tevreden_baan", 0.0, "A", "C", "percent"),
    (2024, "gemeenten", "tevreden_team", 100.0, "A", "C", "percent"),
]


def test_the_rule_table():
    table = rules.FINDINGS_RULES
    assert table == {
        "value-empty-exactly-when-missing": rules.value_empty_exactly_when_missing,
        "confidence-empty-exactly-when-no-value": rules.confidence_empty_exactly_when_no_value,
        "percentage-within-0-100": rules.percentages_within_0_100,
        "percentage-not-fraction": rules.percentages_not_fractions,
        "one-row-per-edition-population-indicator": (
            rules.one_row_per_edition_population_indicator
        ),
    }


@pytest.mark.parametrize("rule", rules.FINDINGS_RULES.values(), ids=list(rules.FINDINGS_RULES))
def test_good_rows_break_no_rule(rule):
    assert rule(frame(*GOOD)) == []


@pytest.mark.parametrize("rule", rules.FINDINGS_RULES.values(), ids=list(rules.FINDINGS_RULES))
def test_empty_frame_breaks_no_rule(rule):
    assert rule(frame(*GOOD).iloc[0:0]) == []


@pytest.mark.parametrize("rule", rules.FINDINGS_RULES.values(), ids=list(rules.FINDINGS_RULES))
def test_all_values_missing_breaks_no_rule(rule):
    """A frame whose value column holds only None (object dtype) still works."""
    rows = [
        (2024, "openbaar_bestuur", "prestaties_gemonitord", None, "M", None, "percent"),
        (2024, "openbaar_bestuur", "talent_behouden_voldoende", None, "M", None, "percent"),
    ]
    assert rule(frame(*rows)) == []


def test_value_empty_exactly_when_missing():
    broken = frame(
        *GOOD,
        (2024, "gemeenten", "a", 50.0, "M", "C", "percent"),
        (2024, "gemeenten", "b", None, "A", None, "percent"),
        (2024, "gemeenten", "c", NAN, "E", None, "percent"),
        (2024, "gemeenten", "d", 0.0, "M", "C", "percent"),
    )
    assert rules.value_empty_exactly_when_missing(broken) == [
        (5, "value", "status is M (missing) but a value is given"),
        (6, "value", "status is A but the value is empty (use status M)"),
        (7, "value", "status is E but the value is empty (use status M)"),
        (8, "value", "status is M (missing) but a value is given"),
    ]


def test_confidence_empty_exactly_when_no_value():
    broken = frame(
        *GOOD,
        (2024, "gemeenten", "a", 50.0, "A", None, "percent"),
        (2024, "gemeenten", "b", None, "M", "C*", "percent"),
        (2024, "gemeenten", "c", NAN, "M", "C", "percent"),
        (2024, "gemeenten", "d", 0.0, "A", NAN, "percent"),
    )
    assert rules.confidence_empty_exactly_when_no_value(broken) == [
        (5, "confidence", "a value needs a confidence (C or C*)"),
        (6, "confidence", "confidence given for an empty value (leave it empty)"),
        (7, "confidence", "confidence given for an empty value (leave it empty)"),
        (8, "confidence", "a value needs a confidence (C or C*)"),
    ]


def test_percentages_within_0_100():
    broken = frame(
        *GOOD,
        (2024, "gemeenten", "a", 168.0, "A", "C", "percent"),
        (2024, "gemeenten", "b", -0.5, "A", "C", "percent"),
        (2024, "gemeenten", "c", 100.1, "A", "C", "percent"),
        (2024, "gemeenten", "d", 250.0, "A", "C", "persons"),  # not a percentage: not checked
        (2024, "gemeenten", "e", None, "M", None, "percent"),
    )
    assert rules.percentages_within_0_100(broken) == [
        (5, "value", "168 is not a percentage within 0..100"),
        (6, "value", "-0.5 is not a percentage within 0..100"),
        (7, "value", "100.1 is not a percentage within 0..100"),
    ]


def test_one_row_per_edition_population_indicator():
    broken = frame(
        *GOOD,
        (2022, "gemeenten", "tevreden_baan", 80.0, "A", "C", "percent"),  # repeats row 0
        (2023, "gemeenten", "tevreden_baan", 80.0, "A", "C", "percent"),  # other edition: fine
        (2024, "openbaar_bestuur", "prestaties_gemonitord", None, "M", None, "percent"),
        (2022, "gemeenten", "tevreden_baan", 81.0, "A", "C", "percent"),  # a third time
    )
    assert rules.one_row_per_edition_population_indicator(broken) == [
        (
            5,
            "indicator_id",
            "a second row for edition 2022, population gemeenten, indicator tevreden_baan",
        ),
        (
            7,
            "indicator_id",
            "a second row for edition 2024, population openbaar_bestuur, "
            "indicator prestaties_gemonitord",
        ),
        (
            8,
            "indicator_id",
            "a second row for edition 2022, population gemeenten, indicator tevreden_baan",
        ),
    ]


def test_rules_return_index_labels_not_positions():
    """validate.frame_problems looks the place of a row up by its index label."""
    broken = frame(
        (2024, "gemeenten", "a", 50.0, "M", "C", "percent"),
        (2024, "gemeenten", "b", 168.0, "A", None, "percent"),
        index=[10, 20],
    )
    assert rules.value_empty_exactly_when_missing(broken) == [
        (10, "value", "status is M (missing) but a value is given")
    ]
    assert rules.confidence_empty_exactly_when_no_value(broken) == [
        (20, "confidence", "a value needs a confidence (C or C*)")
    ]
    assert rules.percentages_within_0_100(broken) == [
        (20, "value", "168 is not a percentage within 0..100")
    ]


def test_percentages_not_fractions():
    frame = pd.DataFrame(
        {"value": [68.0, 0.68, 0.0, 1.0, None], "unit": ["percent"] * 5, "status": list("AAAAM")}
    )
    assert rules.percentages_not_fractions(frame) == [
        (1, "value", "0.68 looks like a fraction; give percentages (0..100)")
    ]
