"""protect(): suppress, audit, widen to a fixpoint; on a table where the group rule alone fails."""

from __future__ import annotations

import json

import pytest

from pipeline.disclose import DisclosureConfig, DisclosureError, audit, protect, suppress
from tests.disclose.tables import build

CFG = DisclosureConfig()
TREE = {
    "all": None,
    "s0": "all",
    "s0l0": "s0",
    "s1": "all",
    "s1l0": "s1",
    "s2": "all",
    "s2l0": "s2",
}
AGE = {"age": ("v0", "v1", "v2", "onbekend")}


def pinned_zeros():
    """Found by hypothesis (tests/disclose/test_properties.py, shrunk): every group holds two or
    more suppressed cells reaching the threshold, yet the rows of s2 and of `all` both leave
    exactly 10 for v1+v2+onbekend, and s2 takes all 10: the zeros of s0 and s1 are pinned."""
    rows = {"s0l0": (10, 0, 0, 0), "s1l0": (0, 0, 0, 0), "s2l0": (10, 0, 0, 10)}
    leaf = {
        (lf, "age", v, "i1"): c
        for lf, cs in rows.items()
        for v, c in zip(AGE["age"], cs, strict=True)
    }
    return build(TREE, AGE, leaf, {"i1": "q1"})


def keys(failures):
    return {
        (f["population_id"], f["breakdown_id"], f["breakdown_value"], f["indicator_id"])
        for f in failures
    }


def test_the_group_rule_alone_fails_the_audit_on_the_fixture():
    t = pinned_zeros()
    result = audit(t, suppress(t, CFG), CFG.threshold)
    assert ("s0l0", "age", "v1", "i1") in keys(result.failures)
    failure = next(f for f in result.failures if f["population_id"] == "s0l0")
    assert (failure["min"], failure["max"]) == (0.0, 0.0)


def test_protect_widens_the_pattern_until_the_audit_passes():
    t = pinned_zeros()
    first = suppress(t, CFG)
    protected = protect(t, CFG)
    fresh = audit(t, protected.pattern, CFG.threshold)
    assert fresh.passed
    assert (fresh.components, fresh.solves) == (
        protected.record["components"],
        protected.record["lp_solves"],
    ), "the record combines the last audit of each indicator: the same as a fresh audit"
    assert set(first) < set(protected.pattern)
    primary = {k: s for k, s in first.items() if s in ("D1", "D2", "D7")}
    assert {k: s for k, s in protected.pattern.items() if s in ("D1", "D2", "D7")} == primary
    added = {k for k, s in protected.pattern.items() if s == "D8"}
    assert added and added.isdisjoint(first), "cells added for the audit carry D8"
    record = protected.record
    assert record["passed"] is True and record["failures"] == []
    assert record["cells"] == len(t.n)
    assert record["suppressed"] == len(protected.pattern)
    assert record["class_cells"] == len(protected.pattern)  # one class per item: n
    assert json.loads(json.dumps(record)) == record


def test_protect_keeps_a_pattern_that_passes_first_time():
    leaf = {
        (lf, "age", v, "i1"): c
        for lf, cs in {
            "s0l0": (20, 3, 15, 30),
            "s1l0": (20, 30, 30, 30),
            "s2l0": (9, 30, 30, 30),
        }.items()
        for v, c in zip(AGE["age"], cs, strict=True)
    }
    t = build(TREE, AGE, leaf, {"i1": "q1"})
    protected = protect(t, CFG)
    assert protected.pattern == suppress(t, CFG)
    assert "D8" not in protected.pattern.values()


def test_protect_names_the_cells_when_it_cannot_converge():
    with pytest.raises(DisclosureError, match=r"s0l0/age/v1/i1") as error:
        protect(pinned_zeros(), CFG, max_rounds=0)
    assert "threshold 10" in str(error.value)


def test_audit_solves_an_item_once_and_items_with_the_same_counts_once():
    one = pinned_zeros()
    leaf = {
        (*k[:3], ind): c
        for k, c in one.n.items()
        if k[0].endswith("l0") and k[1] != "totaal"
        for ind in ("i1", "i2")
    }
    a = audit(one, suppress(one, CFG), CFG.threshold)
    for items in ({"i1": "q1", "i2": "q1"}, {"i1": "q1", "i2": "q2"}):
        two = build(TREE, AGE, leaf, items)
        b = audit(two, suppress(two, CFG), CFG.threshold)
        assert b.solves == a.solves and b.cells_audited == 2 * a.cells_audited
        assert len(b.failures) == 2 * len(a.failures)
        assert b.tables == len(set(items.values()))


def test_audit_can_be_limited_to_some_items():
    t = pinned_zeros()
    pattern = suppress(t, CFG)
    assert audit(t, pattern, CFG.threshold, items=[]).cells_audited == 0
    assert not audit(t, pattern, CFG.threshold, items=["q1"]).passed


def test_audit_refuses_suppressed_counts_that_do_not_add_up():
    t = pinned_zeros()
    pattern = suppress(t, CFG)
    broken = dict(t.n)
    broken[("s0l0", "age", "v1", "i1")] += 1  # suppressed, so it never meets a published sum alone
    bad = type(t)(parents=t.parents, breakdowns=t.breakdowns, items=t.items, n=broken)
    with pytest.raises(ValueError, match="item q1 do not add up"):
        audit(bad, pattern, CFG.threshold)
