"""The answer classes of an item: the atoms of its indicators' count-code sets.

The engine counts, per cell and indicator, `n` (answered the item, excluded codes left out) and
`counted` (answered one of the indicator's count codes). Nothing published tells finer than the
indicators, so the classes the audit protects are the atoms of the count-code sets: one
indicator gives (counted, n - counted); several whose sets are pairwise disjoint or nested give
each set minus the sets inside it, and the answers in no set (e.g. {4, 5} and {1, 2}: counted1,
counted2, n - counted1 - counted2). Every indicator's count, and its complement, is a union of
atoms, and so is every scale code's count bounded from below by its atom's range: the guarantee
on the atoms covers them while only indicators are published (docs/disclosure.md, "The audit").
Sets that cross (neither disjoint nor nested) have no atoms the counts can give: refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemClasses:
    """How to get one item's class counts from its indicators' counts in a cell.

    terms: per class, (the indicator whose count it starts from, or None for n; the indicators
    whose counts it subtracts). The last class is the answers outside every count-code set."""

    item_id: str
    terms: tuple[tuple[str | None, tuple[str, ...]], ...]

    def counts(self, n: int, counted: Mapping[str, int]) -> tuple[int, ...]:
        """The class counts of one cell; a negative one means the counts contradict the sets."""
        out = []
        for start, minus in self.terms:
            count = (n if start is None else counted[start]) - sum(counted[m] for m in minus)
            if count < 0:
                raise ValueError(
                    f"the counts of item {self.item_id} contradict its indicators' count codes "
                    f"(a class of {start or 'n'} minus {', '.join(minus)} is negative)"
                )
            out.append(count)
        return tuple(out)


def item_classes(
    item_id: str,
    count_codes: Mapping[str, Sequence[int]],
    exclude_codes: Mapping[str, Sequence[int]],
) -> ItemClasses:
    """The classes of one item from its indicators' count codes (indicator_id -> codes).

    ValueError naming the item and indicators when two sets cross, or when the indicators
    exclude different codes (their `n` would differ, so no classes sum to it)."""
    if len({frozenset(codes) for codes in exclude_codes.values()}) > 1:
        raise ValueError(
            f"item {item_id}: indicators {', '.join(sorted(exclude_codes))} exclude different "
            "codes, so their numbers of respondents differ; disclosure control needs one"
        )
    sets: dict[frozenset[int], str] = {}
    for ind in sorted(count_codes):  # indicators with the same codes are one class
        sets.setdefault(frozenset(count_codes[ind]), ind)
    ordered = sorted(sets, key=lambda s: (-len(s), sorted(s)))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if a & b and not b <= a:
                raise ValueError(
                    f"item {item_id}: the count codes of indicators {sets[a]} and {sets[b]} "
                    "overlap without one holding the other; disclosure control needs them "
                    "disjoint or nested (or counts per answer code)"
                )

    def inside(outer: frozenset[int] | None) -> list[frozenset[int]]:
        """The largest sets within `outer` (None: the whole scale)."""
        within = [s for s in ordered if outer is None or (s < outer)]
        return [s for s in within if not any(s < t for t in within)]

    terms = []
    for s in ordered:
        kids = inside(s)
        if frozenset().union(*kids) != s:  # codes of s in no smaller set: an atom of its own
            terms.append((sets[s], tuple(sets[k] for k in kids)))
    terms.append((None, tuple(sets[k] for k in inside(None))))
    return ItemClasses(item_id=item_id, terms=tuple(terms))


def cell_classes(
    classes: Sequence[ItemClasses],
    indicators: Mapping[str, str],
    n: Mapping[tuple[str, str, str, str], int],
    counted: Mapping[tuple[str, str, str, str], int],
) -> dict[tuple[str, str, str, str], tuple[int, ...]]:
    """`Table.classes`: (population, breakdown, value, item) -> the item's class counts there.

    indicators: indicator_id -> item_id; n and counted are keyed by (population, breakdown,
    value, indicator), a missing count taken as 0 (nobody answered)."""
    by_item: dict[str, list[str]] = {}
    for ind, item in sorted(indicators.items()):
        by_item.setdefault(item, []).append(ind)
    cells = sorted({key[:3] for key in n})
    out: dict[tuple[str, str, str, str], tuple[int, ...]] = {}
    for plan in classes:
        inds = by_item[plan.item_id]
        for cell in cells:
            size = n.get((*cell, inds[0]), 0)
            out[(*cell, plan.item_id)] = plan.counts(
                size, {ind: counted.get((*cell, ind), 0) for ind in inds}
            )
    return out
