"""Property test: on random trees and answer-class counts (a sensitive item or not), the pattern of
`protect` (suppress, then widen until the audit passes) always passes an independent audit of
respondents and classes, keeps every primary cell with its rule, and publishes no cell under the
threshold (`suppress` alone does not always pass: tests/disclose/test_protect.py).
The profiles are tests/conftest.py's (8 derandomized examples by default, 300 random ones with
HYPOTHESIS_PROFILE=stress), with a deadline of 20 s."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.disclose import DisclosureConfig, audit, protect, suppress
from tests.disclose.tables import build_classes

# The deadline this module has always had: twice the profiles' 10 s.
LONGER_DEADLINE = settings(deadline=timedelta(seconds=20))


@st.composite
def tables(draw):
    sectors = draw(st.integers(1, 3))
    parents: dict[str, str | None] = {"all": None}
    for s in range(sectors):
        parents[f"s{s}"] = "all"
        for leaf in range(draw(st.integers(1, 3))):
            parents[f"s{s}l{leaf}"] = f"s{s}"
    values = (*tuple(f"v{i}" for i in range(draw(st.integers(1, 3)))), "onbekend")
    breakdowns = {"age": values}
    # q1: two disjoint indicators, so three classes; q2: one indicator, two classes
    indicators = {"i1": ("q1", (0,)), "i2": ("q1", (1,)), "i3": ("q2", (0,))}
    width = {"q1": 3, "q2": 2}
    leaves = [p for p in parents if p.count("l")]
    leaf = {
        (lf, "age", v, item): tuple(draw(st.integers(0, 15)) for _ in range(k))
        for lf in leaves
        for v in values
        for item, k in width.items()
    }
    sensitive = frozenset({"q2"}) if draw(st.booleans()) else frozenset()
    return build_classes(parents, breakdowns, leaf, indicators, sensitive)


@LONGER_DEADLINE
@given(tables())
def test_the_protected_pattern_always_passes_the_audit(table):
    config = DisclosureConfig()
    protected = protect(table, config)
    pattern = protected.pattern
    result = audit(table, pattern, config.threshold, config.sensitive_threshold)
    assert result.passed, result.failures
    assert protected.record["passed"] is True
    assert result.cells_audited == len(pattern) == protected.record["suppressed"]
    assert set(pattern.values()) <= {"D1", "D2", "D3", "D7", "D8"}
    first = suppress(table, config)
    primary = {k: s for k, s in first.items() if s != "D3"}
    assert primary == {k: s for k, s in pattern.items() if s in ("D1", "D2", "D7")}
    assert set(first) <= set(pattern), "the loop only ever adds cells"
    small = {key for key, n in table.n.items() if n < config.threshold}
    assert small <= set(pattern), "a cell under the threshold was published"


@st.composite
def crossed_tables(draw):
    """Up to three breakdowns, linked through each node's shared totaal cell."""
    parents: dict[str, str | None] = {"all": None}
    for s in range(draw(st.integers(1, 3))):
        parents[f"s{s}"] = "all"
        for leaf in range(draw(st.integers(1, 3))):
            parents[f"s{s}l{leaf}"] = f"s{s}"
    breakdowns = {
        f"b{k}": (*tuple(f"v{i}" for i in range(draw(st.integers(1, 3)))), "onbekend")
        for k in range(draw(st.integers(1, 3)))
    }
    leaf = {}
    for lf in (p for p in parents if "l" in p):
        totals = [draw(st.integers(0, 30)) for _ in range(2)]  # yes, no
        for b, values in breakdowns.items():
            split = []
            for total in totals:
                cuts = sorted(draw(st.integers(0, total)) for _ in values[:-1])
                split.append([hi - lo for lo, hi in zip([0, *cuts], [*cuts, total], strict=True)])
            leaf.update(
                {(lf, b, v, "q1"): c for v, c in zip(values, zip(*split, strict=True), strict=True)}
            )
    sensitive = frozenset({"q1"}) if draw(st.booleans()) else frozenset()
    indicators = {"i1": ("q1", (0,)), "i2": ("q1", (1,))}
    return build_classes(parents, breakdowns, leaf, indicators, sensitive)


@LONGER_DEADLINE
@given(crossed_tables())
def test_the_protected_pattern_passes_the_audit_across_breakdowns(table):
    config = DisclosureConfig()
    protected = protect(table, config)
    assert audit(table, protected.pattern, config.threshold, config.sensitive_threshold).passed
    small = {key for key, n in table.n.items() if n < config.threshold}
    assert small <= set(protected.pattern), "a cell under the threshold was published"
