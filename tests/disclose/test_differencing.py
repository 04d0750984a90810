"""Releases of one edition protected together (D11, docs/disclosure.md "Revisions"), on small
hand-made count tables: which cells a change since an earlier release suppresses, which earlier
cells stay known, and how the secondary rule and the audit treat a known cell."""

from __future__ import annotations

from dataclasses import replace

from pipeline.disclose import DisclosureConfig, Earlier, audit, differenced, protect, suppress
from pipeline.disclose.differencing import class_change, known_cells, with_earlier
from pipeline.disclose.suppress import secondary, widen
from tests.disclose.tables import build

CFG = DisclosureConfig()
AGE = {"age": ("young", "old")}
TREE = {"all": None, "a": "all", "b": "all"}


def table(counts: dict[str, tuple[int, int]], items=None, **extra):
    """Leaves a and b with (young, old) respondents for every indicator of `items`."""
    items = items or {"i1": "q1"}
    leaf = {
        (node, "age", v, ind): c
        for ind in items
        for node, cs in counts.items()
        for v, c in zip(AGE["age"], cs, strict=True)
    }
    return build(TREE, AGE, leaf, items, **extra)


def published_as(t, version="1.0.0", **changed) -> dict:
    """What a release published of every cell of `t`: its respondents, some of them changed
    ({"<population>_<value>": respondents})."""
    out = {}
    for key, n in t.n.items():
        name = f"{key[0]}_{key[2]}"
        out[key] = (Earlier(version, changed.get(name, n)),)
    return out


def test_d11_suppresses_a_change_of_1_to_9_respondents_and_not_0_or_10():
    now = table({"a": (30, 40), "b": (50, 60)})
    for moved, suppressed in ((1, True), (9, True), (10, False), (0, False), (-3, True)):
        t = with_earlier(now, published_as(now, a_old=40 + moved))
        assert (("a", "age", "old", "i1") in differenced(t, CFG)) is suppressed, moved
    t = with_earlier(now, published_as(now, a_old=43, a_totaal=73, all_old=103, all_totaal=183))
    pattern = suppress(t, CFG)
    assert pattern[("a", "age", "old", "i1")] == "D11"
    assert pattern[("all", "totaal", "totaal", "i1")] == "D11"
    assert t.known == {
        (p, b, v, "i1") for p, b, v, _ in now.n if (p, v) not in {("a", "old"), ("all", "old")}
    } - {("a", "totaal", "totaal", "i1"), ("all", "totaal", "totaal", "i1")}


def test_any_earlier_release_counts():
    now = table({"a": (30, 40), "b": (50, 60)})
    both = {
        key: (*published_as(now)[key], *published_as(now, "1.0.1", a_old=35)[key]) for key in now.n
    }
    t = with_earlier(now, both)
    assert ("a", "age", "old", "i1") in differenced(t, CFG)  # 5 fewer than 1.0.1 said
    assert ("a", "age", "old", "i1") in t.known  # and as 1.0.0 published it: known


def test_an_answer_class_of_a_sensitive_item_changed_by_1_to_4_is_differenced():
    now = table(
        {"a": (30, 40), "b": (50, 60)},
        sensitive=frozenset({"q1"}),
    )
    yes = {key: n // 2 for key, n in now.n.items()}
    now = replace(now, yes=yes, no={key: n - yes[key] for key, n in now.n.items()})
    cell = ("b", "age", "young", "i1")

    def earlier(counted: int) -> dict:
        return {cell: (Earlier("1.0.0", 50, counted),)}

    assert cell in differenced(with_earlier(now, earlier(22)), CFG)  # 25 yes now, 22 before
    assert cell not in differenced(with_earlier(now, earlier(20)), CFG)  # 5 apart
    assert cell in with_earlier(now, earlier(25)).known
    # the new release reads 22 as well: the same rounding of an unchanged share, not a change
    t = with_earlier(now, earlier(22), reading={cell: 22})
    assert cell not in differenced(t, CFG) and cell in t.known


def test_class_change_is_zero_when_the_count_or_the_new_reading_equals_the_earlier_reading():
    assert class_change(25, None, 25) == 0
    assert class_change(25, 23, 23) == 0
    assert class_change(25, 24, 23) == 2
    assert class_change(20, None, 23) == 3


def test_a_cell_known_for_one_indicator_is_known_for_every_indicator_of_its_item():
    now = table({"a": (30, 40), "b": (50, 60)}, items={"i1": "q1", "i2": "q1", "i3": "q3"})
    cell = ("a", "age", "old")
    t = replace(now, earlier={(*cell, "i1"): (Earlier("1.0.0", 40),)})
    assert known_cells(t) == {(*cell, "i1"), (*cell, "i2")}


def test_the_audit_takes_a_suppressed_known_cell_as_a_constant():
    """A rectangle of four suppressed cells ranges 30 wide; with one of them known from an
    earlier release, the opposite corner's siblings fix the others exactly."""
    t = table({"a": (15, 15), "b": (15, 15)})
    rectangle = {(p, "age", v, "i1") for p in ("a", "b") for v in ("young", "old")}
    assert audit(t, rectangle, 10).passed
    known = replace(t, known=frozenset({("b", "age", "old", "i1")}))
    failing = audit(known, rectangle, 10).failing_keys()
    assert set(failing) == rectangle - known.known  # the known cell itself is not judged


def test_the_secondary_rule_never_takes_a_known_cell_as_a_partner():
    """a/old is too small; its smallest sibling a/young would do, but an earlier release
    published it unchanged, so it protects nothing and a's totaal stays the only partner left
    in the row: the column (b/old) protects it instead."""
    t = table({"a": (12, 5), "b": (50, 60)})
    plain = suppress(t, CFG)
    assert plain[("a", "age", "young", "i1")] == "D3"
    young = ("a", "age", "young", "i1")
    known = replace(t, known=frozenset({young}))
    pattern = protect(known, CFG).pattern
    assert young not in pattern
    assert pattern[("b", "age", "old", "i1")] in ("D3", "D8")
    assert audit(known, pattern, 10).passed


def test_a_cell_an_earlier_release_hid_under_a_lower_threshold_is_held_to_that_one():
    """The four corners of a rectangle move together by -4..3: 7 wide. Today's threshold 10
    fails them; a release that hid them under threshold 7 left them that wide in public, and a
    later release cannot hide them wider, so the audit holds them to 7 (and not to 8)."""
    t = table({"a": (4, 5), "b": (3, 30)})
    rectangle = {(p, "age", v, "i1") for p in ("a", "b") for v in ("young", "old")}
    assert not audit(t, rectangle, 10).passed

    def hidden_under(threshold: int):
        shown = (Earlier("1.0.0", None, threshold=threshold),)
        return replace(t, earlier=dict.fromkeys(rectangle, shown))

    assert audit(hidden_under(7), rectangle, 10).passed
    assert not audit(hidden_under(8), rectangle, 10).passed
    assert differenced(hidden_under(7), CFG) == set()  # nothing published: nothing to compare


def test_a_suppressed_known_cell_does_not_count_as_a_suppressed_partner():
    """a/old (5) is suppressed with its one sibling a/young (12) already suppressed: enough,
    unless a/young is known, when a's totaal must go too (no other member is left)."""
    t = table({"a": (12, 5), "b": (50, 60)})
    cells = {("a", "age", "old", "i1"), ("a", "age", "young", "i1")}
    assert ("a", "totaal", "totaal", "i1") not in secondary(t, CFG, cells)
    known = replace(t, known=frozenset({("a", "age", "young", "i1")}))
    assert ("a", "totaal", "totaal", "i1") in secondary(known, CFG, cells)


def test_widen_never_adds_a_known_cell():
    """For a failing b/old, the smallest published sibling is b/young, the smallest other cell of
    its column a/old: when both are known, widen goes to the totals instead."""
    t = table({"a": (30, 20), "b": (25, 60)})
    failing = [("b", "age", "old", "i1")]
    assert widen(t, set(failing), failing) == {
        ("b", "age", "young", "i1"),
        ("a", "age", "old", "i1"),
    }
    known = frozenset({("b", "age", "young", "i1"), ("a", "age", "old", "i1")})
    added = widen(replace(t, known=known), set(failing), failing)
    assert added and not added & known


def test_a_known_total_is_not_suppressed_as_the_last_partner():
    """Both of a's cells are suppressed and hold 7 together: a's totaal is the rule's last
    resort, but when it is known, hiding it protects nothing (the audit and widen take over)."""
    t = table({"a": (3, 4), "b": (50, 60)})
    cells = {("a", "age", "old", "i1"), ("a", "age", "young", "i1")}
    total = ("a", "totaal", "totaal", "i1")
    assert total in secondary(t, CFG, cells)
    assert total not in secondary(replace(t, known=frozenset({total})), CFG, cells)
