"""The rules of pipeline/checks/rules.py, each a named Pandera check, on small hand-made
frames."""

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


NAMES = [rule.name for rule in rules.FINDINGS_RULES]
BY_NAME = {rule.name: rule for rule in rules.FINDINGS_RULES}
BROKEN = [
    (2024, "gemeenten", "a", 50.0, "M", None, "percent"),  # a value with status M, no confidence
    (2024, "gemeenten", "b", None, "A", "C", "percent"),  # no value with status A, a confidence
    (2024, "gemeenten", "d", 0.68, "A", "C", "percent"),  # a fraction
]


def found(rule: rules.Rule, frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """(index label, column, message) for each row Pandera finds breaking `rule`."""
    return [
        (idx, rule.column, rule.message(frame.loc[idx])) for idx in rules.broken_rows(rule, frame)
    ]


@pytest.mark.parametrize("rule", rules.FINDINGS_RULES, ids=NAMES)
def test_a_rule_reads_exactly_the_columns_it_names(rule):
    """Validation hands a rule only the rows whose cells in `reads` were accepted: a rule that
    read another column would see refused cells, so `reads` must be complete. Each frame below
    has only those columns; without any one of them the rule cannot run."""
    full = frame(*GOOD, *BROKEN)
    rows = rules.broken_rows(rule, full)
    assert rows  # BROKEN breaks every rule
    assert rules.broken_rows(rule, full[list(rule.reads)]) == rows
    for column in rule.reads:
        with pytest.raises(KeyError):
            rule.keeps(full[[c for c in rule.reads if c != column]])


def test_every_rule_is_a_named_pandera_check_applied_under_its_name():
    """The names are the rule ids of the report; each rule finds its own broken row of BROKEN."""
    assert [rule.check().name for rule in rules.FINDINGS_RULES] == NAMES
    broken = frame(*BROKEN)
    assert {rule.name: rules.broken_rows(rule, broken) for rule in rules.FINDINGS_RULES} == {
        "value-empty-exactly-when-missing": [0, 1],
        "confidence-empty-exactly-when-no-value": [0, 1],
        "percentage-not-fraction": [2],
    }


def test_no_rule_repeats_a_table_schema_constraint():
    """The schema's 0..100 and the primary key are frictionless' to check: no rule for them."""
    assert "percentage-within-0-100" not in NAMES
    assert (
        found(
            BY_NAME["percentage-not-fraction"], frame((2024, "g", "a", 168.0, "A", "C", "percent"))
        )
        == []
    )


@pytest.mark.parametrize("rule", rules.FINDINGS_RULES, ids=NAMES)
def test_good_rows_break_no_rule(rule):
    assert found(rule, frame(*GOOD)) == []


@pytest.mark.parametrize("rule", rules.FINDINGS_RULES, ids=NAMES)
def test_empty_frame_breaks_no_rule(rule):
    assert found(rule, frame(*GOOD).iloc[0:0]) == []


@pytest.mark.parametrize("rule", rules.FINDINGS_RULES, ids=NAMES)
def test_all_values_missing_breaks_no_rule(rule):
    """A frame whose value column holds only None (object dtype) still works."""
    rows = [
        (2024, "openbaar_bestuur", "prestaties_gemonitord", None, "M", None, "percent"),
        (2024, "openbaar_bestuur", "talent_behouden_voldoende", None, "M", None, "percent"),
    ]
    assert found(rule, frame(*rows)) == []


def test_value_empty_exactly_when_missing():
    broken = frame(
        *GOOD,
        (2024, "gemeenten", "a", 50.0, "M", "C", "percent"),
        (2024, "gemeenten", "b", None, "A", None, "percent"),
        (2024, "gemeenten", "c", NAN, "E", None, "percent"),
        (2024, "gemeenten", "d", 0.0, "M", "C", "percent"),
    )
    assert found(BY_NAME["value-empty-exactly-when-missing"], broken) == [
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
    assert found(BY_NAME["confidence-empty-exactly-when-no-value"], broken) == [
        (5, "confidence", "a value needs a confidence (C or C*)"),
        (6, "confidence", "confidence given for an empty value (leave it empty)"),
        (7, "confidence", "confidence given for an empty value (leave it empty)"),
        (8, "confidence", "a value needs a confidence (C or C*)"),
    ]


def test_rules_return_index_labels_not_positions():
    """validate.frame_problems looks the place of a row up by its index label."""
    broken = frame(
        (2024, "gemeenten", "a", 50.0, "M", "C", "percent"),
        (2024, "gemeenten", "b", 0.5, "A", None, "percent"),
        index=[10, 20],
    )
    assert found(BY_NAME["value-empty-exactly-when-missing"], broken) == [
        (10, "value", "status is M (missing) but a value is given")
    ]
    assert found(BY_NAME["confidence-empty-exactly-when-no-value"], broken) == [
        (20, "confidence", "a value needs a confidence (C or C*)")
    ]
    assert found(BY_NAME["percentage-not-fraction"], broken) == [
        (20, "value", "0.5 looks like a fraction; give percentages (0..100)")
    ]


def test_percentages_not_fractions():
    frame = pd.DataFrame(
        {"value": [68.0, 0.68, 0.0, 1.0, None], "unit": ["percent"] * 5, "status": list("AAAAM")}
    )
    assert found(BY_NAME["percentage-not-fraction"], frame) == [
        (1, "value", "0.68 looks like a fraction; give percentages (0..100)")
    ]
