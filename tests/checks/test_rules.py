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


CHECKS = [rule.check for rule in rules.FINDINGS_RULES.values()]
NAMES = list(rules.FINDINGS_RULES)
BROKEN = [
    (2024, "gemeenten", "a", 50.0, "M", None, "percent"),  # a value with status M, no confidence
    (2024, "gemeenten", "b", None, "A", "C", "percent"),  # no value with status A, a confidence
    (2024, "gemeenten", "c", 168.0, "A", "C", "percent"),  # above 100
    (2024, "gemeenten", "d", 0.68, "A", "C", "percent"),  # a fraction
]


@pytest.mark.parametrize("rule", rules.FINDINGS_RULES.values(), ids=NAMES)
def test_a_rule_reads_exactly_the_columns_it_names(rule):
    """Validation hands a rule only the rows whose cells in `reads` were accepted: a rule that
    read another column would see refused cells, so `reads` must be complete. Each frame below
    has only those columns; without any one of them the rule cannot run."""
    full = frame(*GOOD, *BROKEN)
    found = rule.check(full)
    assert found  # BROKEN breaks every rule
    assert rule.check(full[list(rule.reads)]) == found
    for column in rule.reads:
        with pytest.raises(KeyError):
            rule.check(full[[c for c in rule.reads if c != column]])


def test_every_rule_has_a_name_and_is_applied_under_it():
    """The names are the rule ids of the report; each rule finds its own broken row of BROKEN."""
    broken = frame(*BROKEN)
    assert {
        name: [i for i, _, _ in rule.check(broken)] for name, rule in rules.FINDINGS_RULES.items()
    } == {
        "value-empty-exactly-when-missing": [0, 1],
        "confidence-empty-exactly-when-no-value": [0, 1],
        "percentage-within-0-100": [2],
        "percentage-not-fraction": [3],
    }


@pytest.mark.parametrize("rule", CHECKS, ids=NAMES)
def test_good_rows_break_no_rule(rule):
    assert rule(frame(*GOOD)) == []


@pytest.mark.parametrize("rule", CHECKS, ids=NAMES)
def test_empty_frame_breaks_no_rule(rule):
    assert rule(frame(*GOOD).iloc[0:0]) == []


@pytest.mark.parametrize("rule", CHECKS, ids=NAMES)
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
