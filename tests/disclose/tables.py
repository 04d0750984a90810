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
