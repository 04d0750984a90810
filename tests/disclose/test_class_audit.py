"""The audit over answer classes (D8): an attacker who takes a published share times its
respondents as a count learns answers, not only respondents, unless each class is protected."""

from __future__ import annotations

from dataclasses import replace

from pipeline.disclose import DisclosureConfig, audit, protect
from tests.disclose import exact
from tests.disclose.tables import build_classes

CFG = DisclosureConfig()
TREE = {"all": None, "a": "all", "b": "all", "c": "all"}
SEX = {"geslacht": ("man", "vrouw", "onbekend")}
WOMEN_A = ("a", "geslacht", "vrouw")


def unit_a_with_no_yes_among_women():
    """The example of docs/disclosure.md: unit a has 40 men (20 yes), 8 women (0 yes) and 2 of
    unknown sex (1 yes); a sensitive item, one indicator counting yes (class 1; class 2 no)."""
    classes = {
        "a": ((20, 20), (0, 8), (1, 1)),
        "b": ((30, 30), (25, 25), (3, 2)),
        "c": ((40, 35), (30, 30), (2, 3)),
    }
    leaf = {
        (unit, "geslacht", v, "q1"): c
        for unit, cs in classes.items()
        for v, c in zip(SEX["geslacht"], cs, strict=True)
    }
    return build_classes(TREE, SEX, leaf, {"i1": ("q1", (0,))}, frozenset({"q1"}))


def test_the_audit_of_respondents_alone_passes_a_pattern_that_shows_the_answers():
    table = unit_a_with_no_yes_among_women()
    respondents_only = replace(table, classes={})  # the audit before answer classes
    pattern = protect(respondents_only, CFG).pattern
    assert pattern[(*WOMEN_A, "i1")] == "D1"  # D7 applies too: the first rule is recorded
    assert audit(respondents_only, pattern, CFG.threshold, CFG.sensitive_threshold).passed
    result = audit(table, pattern, CFG.threshold, CFG.sensitive_threshold)
    yes = [
        f
        for f in result.failures
        if (f["population_id"], f["breakdown_id"], f["breakdown_value"]) == WOMEN_A
        and f["count"] == "class 1"
    ]
    assert yes, result.failures
    assert yes[0]["max"] - yes[0]["min"] < CFG.sensitive_threshold
    hidden = {key[:3] for key in pattern}
    low, high = exact.ranges(table, hidden, "q1")[(WOMEN_A, 0)]
    assert (yes[0]["min"], yes[0]["max"]) == (low, high), "the audit's range is the exact one"


def test_protect_grows_the_pattern_until_every_class_range_holds():
    table = unit_a_with_no_yes_among_women()
    protected = protect(table, CFG)
    pattern = protected.pattern
    assert "D8" in pattern.values(), "cells were added because the class audit failed"
    assert audit(table, pattern, CFG.threshold, CFG.sensitive_threshold).passed
    record = protected.record
    assert record["class_cells"] == 2 * len(pattern) and record["passed"] is True
    hidden = {key[:3] for key in pattern}
    found = exact.ranges(table, hidden, "q1")
    for (cell, k), (low, high) in found.items():
        need = CFG.threshold if k is None else CFG.sensitive_threshold
        assert high - low >= need, (cell, k, low, high)
    # The respondents' range is the sum of the class ranges: the classes are independent.
    for cell in hidden:
        widths = [found[(cell, k)][1] - found[(cell, k)][0] for k in (0, 1)]
        assert found[(cell, None)][1] - found[(cell, None)][0] == sum(widths)
