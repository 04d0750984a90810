"""The attacker of tests/disclose/attacker.py on releases small enough to work out by hand: it
must find what arithmetic finds (a cell its published neighbours fix), no more (a cell they
leave open keeps its whole range), and read a rounded value as no more than its interval."""

from __future__ import annotations

from tests.disclose.attacker import (
    FLAGS,
    Release,
    counted_bounds,
    flag_violations,
    range_violations,
    ranges,
)

PARENTS = {"root": None, "a": "root", "b": "root"}


def row(population: str, conf_status: str, respondents=None, value=None) -> dict:
    return {
        "population_id": population,
        "breakdown_id": "totaal",
        "breakdown_value": "totaal",
        "indicator_id": "ja",
        "respondents": respondents,
        "value": value,
        "conf_status": conf_status,
    }


def release(*rows: dict) -> Release:
    return Release(
        rows=list(rows),
        parents=PARENTS,
        indicators={"ja": ("vraag", frozenset({4, 5}), frozenset({9}))},
        sensitive=frozenset({"vraag"}),
        threshold=10,
        sensitive_threshold=5,
        decimals=None,
        conf_statuses=FLAGS,
    )


def found(of: Release) -> dict[tuple[str, str], tuple[float, float]]:
    return {(r.cell[0], r.what): (r.low, r.high) for r in ranges(of)}


def test_two_hidden_children_of_a_published_parent_keep_its_whole_range():
    """root: 20 respondents, 50% yes; a and b hidden: each holds 0 to 20, 0 to 10 of each."""
    hidden = release(row("root", "F", 20, 50.0), row("a", "C"), row("b", "C"))
    assert found(hidden) == {
        (node, what): bounds
        for node in ("a", "b")
        for what, bounds in (("n", (0, 20)), ("counted", (0, 10)), ("not counted", (0, 10)))
    }
    assert range_violations(hidden) == []


def test_a_hidden_child_beside_a_published_sibling_is_found_exactly():
    """b published (12, 25% yes): a is 20 - 12 = 8 respondents, 10 - 3 = 7 of them yes."""
    leaked = release(row("root", "F", 20, 50.0), row("a", "C"), row("b", "F", 12, 25.0))
    assert found(leaked) == {
        ("a", "n"): (8, 8),
        ("a", "counted"): (7, 7),
        ("a", "not counted"): (1, 1),
    }
    assert len(range_violations(leaked)) == 3


def test_a_cell_published_by_an_earlier_release_stays_known():
    """b hidden now, but published (12, 25% yes) by the release before: a is found exactly."""
    now = [row("root", "F", 20, 50.0), row("a", "C"), row("b", "C")]
    before = [{**r, "decimals": None} for r in (row("b", "F", 12, 25.0), row("a", "C"))]
    assert range_violations(release(*now)) == []
    together = found(release(*now, *before))
    assert together[("a", "n")] == (8, 8) and together[("a", "counted")] == (7, 7)


def test_a_rounded_value_gives_every_count_its_interval_allows():
    assert counted_bounds(12.3, 2000, None) == (246, 246)
    assert counted_bounds(12.3, 2000, 1) == (245, 247)  # 12.25% to 12.35%
    assert counted_bounds(0.0, 30, 1) == (0, 0)
    assert counted_bounds(None, 30, 1) == (0, 30)


def test_a_flag_that_says_why_is_a_violation():
    flagged = release(row("root", "F", 20, 50.0), row("a", "A"), row("b", "D"))
    assert flag_violations(flagged) == [
        "None a/totaal/totaal/ja: conf_status A",
        "None b/totaal/totaal/ja: conf_status D",
    ]
