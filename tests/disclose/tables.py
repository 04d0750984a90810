"""Consistent count tables for the disclosure tests: leaf counts in, nodes and totaal summed."""

from __future__ import annotations

from pipeline.core.breakdowns import TOTAL
from pipeline.disclose import Table


def build(
    parents: dict[str, str | None],
    breakdowns: dict[str, tuple[str, ...]],
    leaf: dict[tuple[str, str, str, str], int],
    items: dict[str, str],
    **extra,
) -> Table:
    """A Table whose parents and totaal cells are the sums of the leaf breakdown cells given.

    Every breakdown of a leaf must sum to the same total (checked here)."""
    kids = {p for p in parents.values() if p is not None}
    leaves = [p for p in parents if p not in kids]
    n: dict[tuple[str, str, str, str], int] = {}
    for lf in leaves:
        for ind in items:
            totals = {sum(leaf[(lf, b, v, ind)] for v in vs) for b, vs in breakdowns.items()}
            assert len(totals) == 1, f"breakdowns of {lf} disagree: {totals}"
            n[(lf, TOTAL, TOTAL, ind)] = totals.pop()
            for b, vs in breakdowns.items():
                for v in vs:
                    n[(lf, b, v, ind)] = leaf[(lf, b, v, ind)]

    def ancestors(node):
        while parents[node] is not None:
            node = parents[node]
            yield node

    for (lf, b, v, ind), count in list(n.items()):
        for anc in ancestors(lf):
            n[(anc, b, v, ind)] = n.get((anc, b, v, ind), 0) + count
    return Table(parents=parents, breakdowns=breakdowns, items=items, n=n, **extra)


def build_classes(
    parents: dict[str, str | None],
    breakdowns: dict[str, tuple[str, ...]],
    leaf: dict[tuple[str, str, str, str], tuple[int, ...]],
    indicators: dict[str, tuple[str, tuple[int, ...]]],
    sensitive: frozenset[str] = frozenset(),
    **extra,
) -> Table:
    """A Table from the answer-class counts of the leaf breakdown cells, keyed (leaf, breakdown,
    value, item): parents and totaal summed class by class, each indicator's n the sum of its
    item's classes, yes the classes it counts (indicators: id -> (item, counted class indexes)),
    no the rest. Every breakdown of a leaf must sum to the same classes (checked here)."""
    kids = {p for p in parents.values() if p is not None}
    leaves = [p for p in parents if p not in kids]
    items = sorted({item for item, _ in indicators.values()})
    classes: dict[tuple[str, str, str, str], tuple[int, ...]] = {}
    for lf in leaves:
        for item in items:
            totals = {
                tuple(map(sum, zip(*(leaf[(lf, b, v, item)] for v in vs), strict=True)))
                for b, vs in breakdowns.items()
            }
            assert len(totals) == 1, f"breakdowns of {lf} disagree: {totals}"
            classes[(lf, TOTAL, TOTAL, item)] = totals.pop()
            for b, vs in breakdowns.items():
                for v in vs:
                    classes[(lf, b, v, item)] = leaf[(lf, b, v, item)]

    def ancestors(node):
        while parents[node] is not None:
            node = parents[node]
            yield node

    for (lf, b, v, item), counts in list(classes.items()):
        for anc in ancestors(lf):
            old = classes.get((anc, b, v, item), (0,) * len(counts))
            classes[(anc, b, v, item)] = tuple(a + c for a, c in zip(old, counts, strict=True))
    n, yes, no = {}, {}, {}
    for (pop, b, v, item), counts in classes.items():
        for ind, (of, counted) in indicators.items():
            if of == item:
                key = (pop, b, v, ind)
                n[key] = sum(counts)
                yes[key] = sum(counts[k] for k in counted)
                no[key] = n[key] - yes[key]
    return Table(
        parents=parents,
        breakdowns=breakdowns,
        items={ind: item for ind, (item, _) in indicators.items()},
        n=n,
        sensitive=sensitive,
        yes=yes,
        no=no,
        classes=classes,
        **extra,
    )
