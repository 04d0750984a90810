"""One test per disclosure rule (D1-D5, D7, D8), on small hand-made count tables."""

from __future__ import annotations

import pytest

from pipeline.disclose import DisclosureConfig, audit, mark_rows, suppress
from tests.disclose.tables import build

CFG = DisclosureConfig()
AGE = {"age": ("young", "old", "onbekend")}
TREE = {"all": None, "a": "all", "b": "all", "c": "all"}


def leaf_counts(values: dict[str, tuple[int, ...]], ind: str = "i1", bd=AGE) -> dict:
    ((b, vs),) = bd.items()
    return {(lf, b, v, ind): c for lf, cs in values.items() for v, c in zip(vs, cs, strict=True)}


def table(values, items=None, tree=TREE, **extra):
    items = items or {"i1": "q1"}
    leaf = {}
    for ind in items:
        leaf.update(leaf_counts(values, ind))
    return build(tree, AGE, leaf, items, **extra)


def test_d1_a_cell_of_9_is_suppressed_and_10_is_published():
    t = table({"a": (20, 9, 30), "b": (20, 10, 30), "c": (20, 30, 30)})
    pattern = suppress(t, CFG)
    assert pattern[("a", "age", "old", "i1")] == "D1"
    assert ("b", "age", "old", "i1") not in pattern or pattern[("b", "age", "old", "i1")] == "D3"
    assert audit(t, pattern, 10).passed


def test_d1_threshold_comes_from_the_configuration():
    t = table({"a": (20, 12, 30), "b": (20, 30, 30), "c": (20, 30, 30)})
    assert ("a", "age", "old", "i1") not in suppress(t, CFG)
    assert suppress(t, DisclosureConfig(threshold=15))[("a", "age", "old", "i1")] == "D1"


def test_d2_a_small_group_suppresses_every_indicator():
    items = {"i1": "q1", "i2": "q2"}
    t = table(
        {"a": (20, 12, 30), "b": (20, 30, 30), "c": (20, 30, 30)},
        items,
        group_n={("a", "age", "old"): 8},
    )
    pattern = suppress(t, CFG)
    assert pattern[("a", "age", "old", "i1")] == "D2"
    assert pattern[("a", "age", "old", "i2")] == "D2"
    assert audit(t, pattern, 10).passed


def test_d3_breakdown_direction_suppresses_the_smallest_sibling_not_the_total():
    t = table({"a": (20, 3, 15), "b": (20, 30, 30), "c": (20, 30, 30)})
    pattern = suppress(t, CFG)
    assert pattern[("a", "age", "old", "i1")] == "D1"
    assert pattern[("a", "age", "onbekend", "i1")] == "D3"  # 15 < 20: smallest sibling
    assert ("a", "age", "young", "i1") not in pattern
    assert ("a", "totaal", "totaal", "i1") not in pattern
    assert audit(t, pattern, 10).passed


def test_d3_tree_direction_suppresses_a_sibling_never_the_parent():
    t = table({"a": (20, 3, 15), "b": (20, 11, 30), "c": (20, 40, 30)})
    pattern = suppress(t, CFG)
    assert pattern[("b", "age", "old", "i1")] == "D3"  # smallest sibling of a/old in the tree
    assert not any(k[0] == "all" for k in pattern), "a parent was suppressed though siblings could"
    assert audit(t, pattern, 10).passed


def test_d3_a_child_without_sibling_suppresses_its_parent():
    tree = {"all": None, "sector": "all", "other": "all", "only": "sector"}
    t = table({"only": (20, 3, 15), "other": (20, 30, 30)}, tree=tree)
    pattern = suppress(t, CFG)
    assert pattern[("only", "age", "old", "i1")] == "D1"
    assert pattern[("only", "age", "onbekend", "i1")] == "D3"  # its breakdown sibling
    # sector equals its only child: the child's secondary cell is protected by the parent only.
    assert pattern[("sector", "age", "onbekend", "i1")] == "D3"
    assert audit(t, pattern, 10).passed


def test_d3_keeps_the_indicators_of_one_item_together():
    items = {"i1": "q1", "i2": "q1", "i3": "q3"}
    leaf = leaf_counts({"a": (20, 3, 15), "b": (20, 30, 30), "c": (20, 30, 30)}, "i1")
    leaf |= leaf_counts({"a": (20, 12, 15), "b": (20, 30, 30), "c": (20, 30, 30)}, "i2")
    leaf |= leaf_counts({"a": (20, 12, 15), "b": (20, 30, 30), "c": (20, 30, 30)}, "i3")
    t = build(TREE, AGE, leaf, items)
    pattern = suppress(t, CFG)
    for cell in (("a", "age", "old"), ("a", "age", "onbekend")):
        assert (*cell, "i1") in pattern and (*cell, "i2") in pattern
        assert (*cell, "i3") not in pattern
    assert pattern[("a", "age", "old", "i2")] == "D1", "the rule of the indicator that fired"
    # Real indicators of one item share n; the audit refuses a table where they do not.
    with pytest.raises(ValueError, match="item q1 do not add up to its respondents"):
        audit(t, pattern, 10)


def test_d4_weights_never_lift_a_cell_of_9():
    # The model holds counts only; a cell of 9 respondents with any weights is suppressed.
    t = table({"a": (20, 9, 30), "b": (20, 30, 30), "c": (20, 30, 30)})
    weighted_total = 9 * 5_000.0  # what the weights would say: irrelevant to the rule
    assert weighted_total > 10
    assert suppress(t, CFG)[("a", "age", "old", "i1")] == "D1"


def test_d5_marks_null_every_number_and_set_status_codes():
    pattern = {("a", "age", "old", "i1"): "D1", ("a", "age", "onbekend", "i1"): "D3"}
    rows = [
        {
            "population_id": "a",
            "breakdown_id": "age",
            "breakdown_value": v,
            "indicator_id": "i1",
            "value": 50.0,
            "ci_low": 40.0,
            "ci_high": 60.0,
            "respondents": 30,
            "status": "A",
        }
        for v in ("young", "old", "onbekend")
    ]
    young, old, unknown = mark_rows(rows, pattern)
    assert (young["value"], young["status"], young["conf_status"]) == (50.0, "A", "F")
    for row in (old, unknown):  # one flag whatever the rule (D9): the rule is never published
        assert [row[c] for c in ("value", "ci_low", "ci_high", "respondents")] == [None] * 4
        assert (row["status"], row["conf_status"]) == ("Q", "C")


def test_d7_sensitive_item_with_few_yes_or_no_suppresses_all_its_indicators():
    items = {"i1": "q1", "i2": "q1"}
    t = table({"a": (20, 30, 30), "b": (20, 30, 30), "c": (20, 30, 30)}, items)
    yes = {key: count // 2 for key, count in t.n.items()}  # a missing count counts as 0
    yes[("a", "age", "old", "i1")] = 30  # everyone in a/old said yes: 0 answering no
    yes[("b", "age", "old", "i1")] = 25  # 5 answering no: at the threshold, published
    no = {key: t.n[key] - y for key, y in yes.items()}
    t = build(TREE, AGE, dict(t.n), items, sensitive=frozenset({"q1"}), yes=yes, no=no)
    pattern = suppress(t, CFG)
    assert pattern[("a", "age", "old", "i1")] == "D7"
    assert pattern[("a", "age", "old", "i2")] == "D7"  # the other indicator of the item
    assert pattern.get(("b", "age", "old", "i1")) in (None, "D3")
    assert audit(t, pattern, 10).passed


def test_d7_ignores_items_that_are_not_sensitive():
    t = table(
        {"a": (20, 30, 30), "b": (20, 30, 30), "c": (20, 30, 30)},
        yes={("a", "age", "old", "i1"): 30},
        no={("a", "age", "old", "i1"): 0},
    )
    assert suppress(t, CFG) == {}


def test_d8_audit_fails_one_suppressed_child_with_a_published_parent_and_names_it():
    t = table({"a": (20, 3, 15), "b": (20, 30, 30), "c": (20, 30, 30)})
    result = audit(t, {("a", "age", "old", "i1"): "D1"}, 10)
    assert not result.passed
    (failure,) = result.failures
    assert failure == {
        "population_id": "a",
        "breakdown_id": "age",
        "breakdown_value": "old",
        "indicator_id": "i1",
        "item_id": "q1",
        "count": "respondents",
        "min": 3.0,
        "max": 3.0,
    }
    assert result.to_json()["passed"] is False


def test_d8_audit_fails_a_pair_that_is_too_narrow():
    # Two suppressed siblings of 3 and 4: the range of each is only 7 wide.
    t = table({"a": (20, 3, 4), "b": (20, 30, 30), "c": (20, 30, 30)})
    hidden = {
        ("a", "age", "old", "i1"),
        ("a", "age", "onbekend", "i1"),
        ("b", "age", "old", "i1"),
        ("b", "age", "onbekend", "i1"),
    }
    result = audit(t, hidden, 10)
    assert ("a", "age", "old", "i1") in {
        (f["population_id"], f["breakdown_id"], f["breakdown_value"], f["indicator_id"])
        for f in result.failures
    }


def test_d8_audit_refuses_counts_that_do_not_add_up():
    t = table({"a": (20, 3, 15), "b": (20, 30, 30), "c": (20, 30, 30)})
    broken = dict(t.n)
    broken[("all", "totaal", "totaal", "i1")] += 1
    bad = type(t)(parents=t.parents, breakdowns=t.breakdowns, items=t.items, n=broken)
    with pytest.raises(ValueError, match="do not add up"):
        audit(bad, {("a", "age", "old", "i1"): "D1"}, 10)


def test_config_json_round_trip_and_refuses_nonsense():
    cfg = DisclosureConfig(threshold=12)
    assert DisclosureConfig.from_json(cfg.to_json()) == cfg
    with pytest.raises(ValueError, match="threshold"):
        DisclosureConfig(threshold=0)
