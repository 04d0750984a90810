"""Property test: on random trees and counts, the pattern of `protect` (suppress, then widen until
the audit passes) always passes an independent audit, keeps every primary cell, and publishes no
cell under the threshold (`suppress` alone does not always pass: tests/disclose/test_protect.py).
The profiles are tests/conftest.py's (8 derandomized examples by default, 300 random ones with
HYPOTHESIS_PROFILE=stress), with a deadline of 20 s."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.disclose import DisclosureConfig, audit, protect, suppress
from tests.disclose.tables import build

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
    items = {"i1": "q1", "i2": "q1", "i3": "q2"}
    leaves = [p for p in parents if p.count("l")]
    leaf = {
        (lf, "age", v, ind): draw(st.integers(0, 40))
        for lf in leaves
        for v in values
        for ind in items
    }
    return build(parents, breakdowns, leaf, items)


@LONGER_DEADLINE
@given(tables())
def test_the_protected_pattern_always_passes_the_audit(table):
    config = DisclosureConfig()
    protected = protect(table, config)
    pattern = protected.pattern
    result = audit(table, pattern, config.threshold)
    assert result.passed, result.failures
    assert protected.record["passed"] is True
    assert result.cells_audited == len(pattern)
    first = suppress(table, config)
    assert {k for k, s in first.items() if s == "A"} == {k for k, s in pattern.items() if s == "A"}
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
    items = {"i1": "q1", "i2": "q1"}
    leaf = {}
    for lf in (p for p in parents if "l" in p):
        for ind in items:
            total = draw(st.integers(0, 60))
            for b, values in breakdowns.items():
                cuts = sorted(draw(st.integers(0, total)) for _ in values[:-1])
                sizes = [hi - lo for lo, hi in zip([0, *cuts], [*cuts, total], strict=True)]
                leaf.update({(lf, b, v, ind): c for v, c in zip(values, sizes, strict=True)})
    return build(parents, breakdowns, leaf, items)


@LONGER_DEADLINE
@given(crossed_tables())
def test_the_protected_pattern_passes_the_audit_across_breakdowns(table):
    config = DisclosureConfig()
    protected = protect(table, config)
    assert audit(table, protected.pattern, config.threshold).passed
    small = {key for key, n in table.n.items() if n < config.threshold}
    assert small <= set(protected.pattern), "a cell under the threshold was published"
