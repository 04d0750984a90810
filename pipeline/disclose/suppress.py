"""Choose the suppression pattern: primary (D1, D2, D7), then secondary (D3) to a fixpoint.

Secondary suppression works on additive groups: the children of a parent at one breakdown cell
(the parent is their sum), and the values of one breakdown within a node (totaal is their sum).
In a group where a cell is suppressed, at least two members must be suppressed and together hold
at least the threshold; further members are chosen smallest first (ties by key). The total of a
group (a parent, a totaal cell) is suppressed only when no member is left to choose, which is
the case of a child without a sibling. The order is fixed, so the pattern is deterministic.
A cell an earlier release published unchanged (`Table.known`) is public whatever the new pattern
says: it is never chosen as a partner, and a suppressed one protects nothing (D11).
"""

from __future__ import annotations

from pipeline.core.breakdowns import TOTAL
from pipeline.disclose.config import DisclosureConfig
from pipeline.disclose.differencing import differenced
from pipeline.disclose.model import Group, Key, Table

# The rules a cell is suppressed by (the pattern's values; they go to the steward's local
# report only, never to published/): primary D1 (a cell under the threshold), D2 (a group under
# it), D7 (a sensitive item with few answering yes or no), D11 (changed by a few respondents
# or answers since an earlier release published it); D3 the secondary rule; D8 added because
# the audit failed.
D1, D2, D3, D7, D8, D11 = "D1", "D2", "D3", "D7", "D8", "D11"
RULES = (D1, D2, D3, D7, D8, D11)


def _groups(table: Table) -> list[tuple[Group, list[Group]]]:
    """Every additive group as (total, members), in a fixed order."""
    out: list[tuple[Group, list[Group]]] = []
    columns = table.columns()
    for node in table.populations():
        for b in sorted(table.breakdowns):
            out.append(((node, TOTAL, TOTAL), [(node, b, v) for v in table.breakdowns[b]]))
    for parent, kids in table.children().items():
        for b, v in columns:
            out.append(((parent, b, v), [(kid, b, v) for kid in kids]))
    return out


def primary(table: Table, config: DisclosureConfig) -> dict[Key, str]:
    """Cells suppressed by D1 (cell), D2 (group), D7 (sensitive item) and D11 (a small change
    since an earlier release), each with the first rule that applies in that order; a cell is
    suppressed for every indicator of its item, by the first rule that applies to any of them."""
    out: dict[Key, str] = {}
    small_groups = {g for g, count in table.group_n.items() if count < config.threshold}
    changed = differenced(table, config)
    by_item = table.item_indicators()
    for key, count in table.n.items():
        pop, b, v, ind = key
        rule = None
        if count < config.threshold:
            rule = D1
        elif (pop, b, v) in small_groups:
            rule = D2
        elif table.items[ind] in table.sensitive:
            yes, no = table.yes.get(key, 0), table.no.get(key, 0)
            if yes < config.sensitive_threshold or no < config.sensitive_threshold:
                rule = D7
        if rule is None and key in changed:
            rule = D11
        if rule is None:
            continue
        for other in by_item[table.items[ind]]:
            cell = (pop, b, v, other)
            if cell not in out or RULES.index(rule) < RULES.index(out[cell]):
                out[cell] = rule
    return out


def item_consistent(table: Table, cells: set[Key]) -> set[Key]:
    """A cell suppressed for one indicator of an item is suppressed for all of them."""
    by_item: dict[str, list[str]] = {}
    for ind, item in table.items.items():
        by_item.setdefault(item, []).append(ind)
    return {(pop, b, v, other) for pop, b, v, ind in cells for other in by_item[table.items[ind]]}


def _protect(
    total: Key,
    members: list[Key],
    n: dict[Key, int],
    hidden: set[Key],
    threshold: int,
    known: frozenset[Key] = frozenset(),
) -> list[Key]:
    """The cells to add so that this group is protected (empty when it already is). A known
    cell (published unchanged before) protects nothing, suppressed or not."""
    chosen = [m for m in members if m in hidden and m not in known]
    if not chosen and (total not in hidden or total in known):
        return []
    if len(chosen) >= 2 and sum(n[m] for m in chosen) >= threshold:
        return []
    free = sorted(
        (m for m in members if m not in hidden and m not in known), key=lambda m: (n[m], m)
    )
    add: list[Key] = []
    for m in free:
        if len(chosen) + len(add) >= 2 and sum(n[c] for c in chosen + add) >= threshold:
            break
        add.append(m)
    short = len(chosen) + len(add) < 2 or sum(n[c] for c in chosen + add) < threshold
    if short and total not in hidden and total not in known:
        # Every member is hidden and still not enough: only the total can protect them.
        add.append(total)
    return add


def secondary(table: Table, config: DisclosureConfig, hidden: set[Key]) -> set[Key]:
    """`hidden` grown by D3 until every group is protected (a fixpoint; `hidden` is not changed)."""
    hidden = set(hidden)
    n = {key: int(count) for key, count in table.n.items()}
    groups = _groups(table)
    indicators = table.indicators()
    changed = True
    while changed:
        changed = False
        for ind in indicators:
            for (tp, tb, tv), members in groups:
                total = (tp, tb, tv, ind)
                keys = [(p, b, v, ind) for p, b, v in members]
                if total not in n or any(k not in n for k in keys):
                    continue
                add = _protect(total, keys, n, hidden, config.threshold, table.known)
                if add:
                    hidden.update(item_consistent(table, set(add)))
                    changed = True
    return hidden


def suppress(table: Table, config: DisclosureConfig) -> dict[Key, str]:
    """The pattern of the rules alone: cell -> the rule that suppressed it ("D1", "D2", "D7"
    primary, "D3" secondary); absent cells are free."""
    first = primary(table, config)
    hidden = secondary(table, config, set(first))
    return {key: first.get(key, D3) for key in sorted(hidden)}


def widen(table: Table, hidden: set[Key], failing: list[Key]) -> set[Key]:
    """More cells for cells that failed the audit: in every group that holds a failing cell as a
    member, its smallest published sibling, and in every group it is the total of, the smallest
    published member; only where there is none of these, the published total of a group it is
    in (a parent or totaal is suppressed only when no sibling can protect). A failing cell with
    nothing left around it passes the search on to the suppressed cells of its groups. A known
    cell is never added (it is public whatever the pattern).
    Returns the cells to add (item-consistent); empty when nothing is left to add."""
    n, known = table.n, table.known
    member_of: dict[Group, list[tuple[Group, list[Group]]]] = {}
    total_of: dict[Group, list[list[Group]]] = {}
    for total, members in _groups(table):
        total_of.setdefault(total, []).append(members)
        for m in members:
            member_of.setdefault(m, []).append((total, members))

    def free(cells: list[Group], ind: str) -> list[Key]:
        keys = [(*c, ind) for c in cells if (*c, ind) in n and (*c, ind) not in hidden]
        keys = [k for k in keys if k not in known]
        return sorted(keys, key=lambda k: (n[k], k))

    def around(cell: Group, ind: str) -> list[Key]:
        picks = [free(members, ind)[:1] for _, members in member_of.get(cell, [])]
        picks += [free(members, ind)[:1] for members in total_of.get(cell, [])]
        found = [k for pick in picks for k in pick]
        if not found:
            found = [k for total, _ in member_of.get(cell, []) for k in free([total], ind)]
        return found

    add: set[Key] = set()
    for pop, b, v, ind in failing:
        frontier, seen = [(pop, b, v)], {(pop, b, v)}
        while frontier:
            found = [k for cell in frontier for k in around(cell, ind)]
            if found:
                add.update(found)
                break
            nxt = []
            for cell in frontier:
                linked = [m for _, members in member_of.get(cell, []) for m in members]
                linked += [t for t, _ in member_of.get(cell, [])]
                linked += [m for members in total_of.get(cell, []) for m in members]
                secret = [c for c in linked if (*c, ind) in hidden and (*c, ind) not in known]
                nxt += [c for c in secret if c not in seen]
                seen.update(nxt)
            frontier = sorted(set(nxt))
    return item_consistent(table, add)
