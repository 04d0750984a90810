"""Releases of the same edition protected together (D11, "differencing"): what earlier releases
published of a cell, how much the cell changed since, and which cells are still known.

Every release stays public, so anyone can subtract an earlier release's cell from the new one.
A cell whose respondents changed by 1 to `threshold - 1` since ANY earlier release that published
it (for a sensitive item: whose counted or not-counted answers changed by 1 to
`sensitive_threshold - 1`) would show how few people were added, removed or corrected: it is
suppressed (the primary rule D11 of `pipeline.disclose.suppress`).

An earlier published cell that did not change is known to everyone, whether or not the new
release shows it: the audit takes it as a constant, and a suppressed known cell protects
nothing (the secondary rule does not count it as a partner). Pure functions over counts, as the
rest of the stage (docs/disclosure.md, "Revisions").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from pipeline.disclose.config import DisclosureConfig
from pipeline.disclose.model import Earlier, Key, Table


def class_change(true: int, reading: int | None, earlier: int) -> int:
    """How much one answer count changed since an earlier release read it as `earlier`: 0 when
    the true count equals that reading, or when the new release's own reading (`reading`, the
    same rounding of the same kind of number) does, as it does for an edition republished
    unchanged under any weights; else the distance of the true count from the earlier reading."""
    if true == earlier or reading == earlier:
        return 0
    return abs(true - earlier)


def changes(table: Table, key: Key, earlier: Earlier) -> tuple[int, int, int]:
    """(respondents, counted, not counted): how much the cell `key` changed since `earlier`;
    the two answer counts are 0 for an indicator that is not of a sensitive item."""
    n = table.n[key]
    if earlier.respondents is None:
        raise ValueError(f"{'/'.join(key)}: release {earlier.version} did not publish it")
    moved = abs(n - earlier.respondents)
    if earlier.counted is None or table.items[key[3]] not in table.sensitive:
        return moved, 0, 0
    yes = table.yes.get(key, 0)
    reading = table.reading.get(key)
    counted = class_change(yes, reading, earlier.counted)
    others = class_change(
        n - yes,
        None if reading is None else n - reading,
        earlier.respondents - earlier.counted,
    )
    return moved, counted, others


def differenced(table: Table, config: DisclosureConfig) -> set[Key]:
    """The cells D11 suppresses: changed since an earlier release that published them by 1 to
    threshold - 1 respondents, or (a sensitive item) by 1 to sensitive_threshold - 1 counted or
    not-counted answers."""
    out = set()
    for key, releases in table.earlier.items():
        if key not in table.n:
            continue  # a cell of the structure no longer: nothing to compare it with
        for earlier in (e for e in releases if e.published):
            moved, counted, others = changes(table, key, earlier)
            small = 0 < moved < config.threshold
            small = small or 0 < counted < config.sensitive_threshold
            if small or 0 < others < config.sensitive_threshold:
                out.add(key)
                break
    return out


def known_cells(table: Table) -> frozenset[Key]:
    """The cells an earlier release published that have not changed since (respondents, and
    for a sensitive item every indicator's counted and not-counted answers): the attacker knows
    their counts. Per item: a cell known for one indicator of an item is known for all of them
    (they share the respondents and the answer classes)."""
    unchanged: set[tuple[str, str, str, str]] = set()
    changed: set[tuple[str, str, str, str]] = set()
    for key, releases in table.earlier.items():
        if key not in table.n:
            continue
        shown = [earlier for earlier in releases if earlier.published]
        if not shown:
            continue
        cell_item = (*key[:3], table.items[key[3]])
        if any(changes(table, key, earlier) == (0, 0, 0) for earlier in shown):
            unchanged.add(cell_item)
        else:
            changed.add(cell_item)
    by_item = table.item_indicators()
    sensitive = table.sensitive
    # A sensitive item's cell is known only when none of its indicators changed: one that
    # changed makes its answer classes differ from what was published.
    known = {c for c in unchanged if c[3] not in sensitive or c not in changed}
    return frozenset((pop, b, v, ind) for pop, b, v, item in known for ind in by_item[item])


def with_earlier(
    table: Table,
    earlier: Mapping[Key, tuple[Earlier, ...]],
    reading: Mapping[Key, int] | None = None,
) -> Table:
    """`table` with what earlier releases published of its cells, the new release's own
    reading of each sensitive indicator's counted answers (round(published value x n / 100)),
    and the cells still known (`known_cells`)."""
    table = replace(table, earlier=dict(earlier), reading=dict(reading or {}))
    return replace(table, known=known_cells(table))
