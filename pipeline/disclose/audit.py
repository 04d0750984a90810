"""The independent audit (D8): the integer range of every suppressed count, per item and answer
class, by linear and mixed-integer programming.

Written apart from the suppressor (it derives the table's equations itself and shares none of
its code): the additive structure is a parent = the sum of its children at each breakdown cell,
and the values of a breakdown (onbekend included) = the node's totaal. These equations hold for
each answer class of an item separately (`Table.classes`; one class equal to n when it is empty).
The attacker's best case: a published cell's class counts are known constants (the true counts),
and so are those of a cell an earlier release of the edition published unchanged
(`Table.known`), even when this pattern suppresses it (it is public already, so it is not judged
either); every other suppressed cell's are the unknowns (integers >= 0). A cell an earlier release
suppressed under lower thresholds is held to those (`Table.earlier`). The indicators of an
item share n, its classes and its pattern, so each item is audited once; the equations never
link two items.

The class systems of one item share no unknown and no equation (n = the sum of the classes holds
cell by cell, and n's own equations are the sums of the classes'), so the feasible tables are
every combination of one feasible table per class: the range of a suppressed cell's n is the SUM
of its class ranges (each maximum and minimum is reached independently). A suppressed cell passes
when that sum reaches `threshold` and, for a sensitive item, when EACH class range reaches
`sensitive_threshold` (an indicator's count and its complement are unions of classes, so they are
then as wide). With one class equal to n this is the audit of n alone.

Within a class, a published count is a constant, so only the suppressed cells that share an
equation (a connected component) form one system. A lone suppressed cell in an equation is fixed
by it (range 0, no solve). `audit_lp.System` proves each range by integer feasible points and
computes exact integer optima only where the points do not reach the width; for n of an item,
the cheap proofs of all classes are summed first. A cell suppressed for some but not all of an
item's indicators has its n published: it fails, range 0. Systems with the same cells and the
same constants are solved once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pipeline.core.breakdowns import TOTAL
from pipeline.disclose.config import DisclosureConfig
from pipeline.disclose.model import Key, Table

RULE = (
    "D8 the integer range of every suppressed cell's respondents >= threshold and, for a "
    "sensitive item, of each of its answer classes >= sensitive_threshold"
)
METHOD = (
    "per item and answer class, one system per connected component of suppressed cells; ranges "
    "proved by two integer feasible tables, exact optima by linear programming (HiGHS, highspy) "
    "and by mixed-integer programming (HiGHS) where the LP optimum is fractional"
)
RESPONDENTS = "respondents"

Cell = tuple[str, str, str]


@dataclass
class AuditResult:
    """What the audit found: cells audited, and every failing cell with its integer range."""

    threshold: int
    sensitive_threshold: int = DisclosureConfig.sensitive_threshold
    cells_audited: int = 0
    class_cells: int = 0
    tables: int = 0
    components: int = 0
    solves: int = 0
    milp_solves: int = 0
    seconds: float = 0.0
    failures: list[dict[str, Any]] = field(default_factory=list)
    # The result of each item audited (they are independent), to combine rounds of a loop.
    parts: dict[str, AuditResult] = field(default_factory=dict, repr=False)

    @classmethod
    def combine(
        cls, threshold: int, sensitive_threshold: int, parts: Mapping[str, AuditResult]
    ) -> AuditResult:
        """One result from per-item results (each audited alone), in item order."""
        total = cls(threshold=threshold, sensitive_threshold=sensitive_threshold)
        for item in sorted(parts):
            part = parts[item]
            total.tables += part.tables
            total.cells_audited += part.cells_audited
            total.class_cells += part.class_cells
            total.components += part.components
            total.solves += part.solves
            total.milp_solves += part.milp_solves
            total.seconds += part.seconds
            total.failures.extend(part.failures)
            total.parts[item] = part
        return total

    @property
    def passed(self) -> bool:
        return not self.failures

    def failing_keys(self) -> list[Key]:
        """The keys of the failing cells, each once, in the order found."""
        keys = [
            (f["population_id"], f["breakdown_id"], f["breakdown_value"], f["indicator_id"])
            for f in self.failures
        ]
        return list(dict.fromkeys(keys))

    def to_json(self) -> dict[str, Any]:
        """The record for validation.json (counts and cell keys only; no respondent data)."""
        return {
            "rule": RULE,
            "method": METHOD,
            "threshold": self.threshold,
            "sensitive_threshold": self.sensitive_threshold,
            "tables": self.tables,
            "suppressed": self.cells_audited,
            "class_cells": self.class_cells,
            "components": self.components,
            "lp_solves": self.solves,
            "milp_solves": self.milp_solves,
            "seconds": round(self.seconds, 3),
            "passed": self.passed,
            "failures": self.failures,
        }


def _equations(table: Table) -> list[list[tuple[Cell, float]]]:
    """Every additive equation as [(cell, coefficient)], summing to zero."""
    eqs = []
    for node in sorted(table.parents):
        for b in sorted(table.breakdowns):
            eq = [((node, TOTAL, TOTAL), -1.0)] + [((node, b, v), 1.0) for v in table.breakdowns[b]]
            eqs.append(eq)
    kids: dict[str, list[str]] = {}
    for node, parent in sorted(table.parents.items()):
        if parent is not None:
            kids.setdefault(parent, []).append(node)
    cols = [(TOTAL, TOTAL)] + [
        (b, v) for b in sorted(table.breakdowns) for v in table.breakdowns[b]
    ]
    for parent, children in sorted(kids.items()):
        for b, v in cols:
            eqs.append([((parent, b, v), -1.0)] + [((c, b, v), 1.0) for c in children])
    return eqs


def _components(hidden: list[Cell], eqs: list[list[Cell]]) -> list[list[Cell]]:
    """The suppressed cells grouped by the equations that link them (union-find)."""
    root = {cell: cell for cell in hidden}

    def find(c: Cell) -> Cell:
        while root[c] != c:
            root[c] = root[root[c]]
            c = root[c]
        return c

    for cells in eqs:
        first = find(cells[0])
        for other in cells[1:]:
            r = find(other)
            if r != first:
                root[r] = first
    groups: dict[Cell, list[Cell]] = {}
    for cell in hidden:
        groups.setdefault(find(cell), []).append(cell)
    return sorted(groups.values())


def _failure(cell: Cell, ind: str, item: str, count: str, low: float, high: float) -> dict:
    return {
        "population_id": cell[0],
        "breakdown_id": cell[1],
        "breakdown_value": cell[2],
        "indicator_id": ind,
        "item_id": item,
        "count": count,
        "min": round(float(low), 6) + 0.0,  # + 0.0: no "-0.0" in the record
        "max": round(float(high), 6) + 0.0,
    }


@dataclass(frozen=True)
class _Structure:
    """The table's equations once per audit, as flat arrays over its cells (the same for every
    item and class): entry j of the equations is coefficient `coef[j]` of cell `cell[j]` in
    equation `row[j]`."""

    cells: list[Cell]
    index: dict[Cell, int]
    row: np.ndarray
    cell: np.ndarray
    coef: np.ndarray
    first: list[Cell]  # each equation's first cell, to name it

    @classmethod
    def of(cls, table: Table) -> _Structure:
        cells = sorted({key[:3] for key in table.n})
        index = {c: i for i, c in enumerate(cells)}
        eqs = _equations(table)
        return cls(
            cells,
            index,
            np.repeat(np.arange(len(eqs)), [len(eq) for eq in eqs]),
            np.array([index[c] for eq in eqs for c, _ in eq], dtype=np.int64),
            np.array([coef for eq in eqs for _, coef in eq]),
            [eq[0][0] for eq in eqs],
        )


def _class_counts(table: Table, item: str, inds: list[str], cells: list[Cell]) -> np.ndarray:
    """Every cell's class counts of the item (cells x classes), checked to sum to each
    indicator's n."""
    if table.classes:
        found = [table.classes.get((*cell, item)) for cell in cells]
        missing = next((c for c, f in zip(cells, found, strict=True) if f is None), None)
        if missing is not None:
            raise ValueError(f"item {item} has no answer classes in {'/'.join(missing)}")
        counts = np.array(found, dtype=np.int64).reshape(len(cells), -1)
    else:
        counts = np.array([[table.n[(*cell, inds[0])]] for cell in cells], dtype=np.int64)
    sums = counts.sum(axis=1)
    for ind in inds:
        n = np.array([table.n[(*cell, ind)] for cell in cells], dtype=np.int64)
        if (n != sums).any():
            cell = cells[int(np.flatnonzero(n != sums)[0])]
            raise ValueError(
                f"the answer classes of item {item} do not add up to its respondents in "
                f"{'/'.join(cell)}"
            )
    return counts


def _n_passes(systems: list, i: int, threshold: int) -> bool:
    """Whether the sum of the class ranges of unknown i reaches the threshold: the widths the
    points prove first, then exact class ranges one by one until the sum is proved (or all are
    exact and it is not)."""
    if sum(s.width(i) for s in systems) >= threshold:
        return True
    for k, s in enumerate(systems):
        others = sum(t.width(i) for j, t in enumerate(systems) if j != k)
        if s.reaches(i, threshold - others):
            return True
    return sum(s.width(i) for s in systems) >= threshold


def _audit_item(
    table: Table,
    item: str,
    inds: list[str],
    hidden: dict[str, set[Cell]],
    structure: _Structure,
    cache: dict,
    result: AuditResult,
) -> None:
    # HiGHS (~15 ms to import) loads when an audit runs, not with the package
    from pipeline.disclose.audit_lp import System

    counts = _class_counts(table, item, inds, structure.cells)
    width = counts.shape[1]
    sensitive = item in table.sensitive
    every = set.intersection(*(hidden.get(i, set()) for i in inds))
    for ind in inds:  # suppressed for this indicator, published for another: n is public
        for cell in sorted(hidden.get(ind, set()) - every):
            result.cells_audited += 1
            n = table.n[(*cell, ind)]
            result.failures.append(_failure(cell, ind, item, RESPONDENTS, n, n))

    # Published before and unchanged: a constant the attacker holds, whatever the pattern says.
    public = {cell for cell in every if any((*cell, i) in table.known for i in inds)}
    result.cells_audited += len(public) * len(inds)
    every -= public

    # Published counts move to the right-hand side, class by class, for every equation at once.
    unknown = np.zeros(len(structure.cells), dtype=bool)
    unknown[[structure.index[cell] for cell in every]] = True
    entry_unknown = unknown[structure.cell]
    known = np.where(entry_unknown, 0.0, structure.coef)
    rows = len(structure.first)
    rhs = np.column_stack(
        [-np.bincount(structure.row, known * counts[structure.cell, k], rows) for k in range(width)]
    )
    has_unknown = np.bincount(structure.row, entry_unknown, rows) > 0
    broken = np.flatnonzero(~has_unknown & (rhs != 0).any(axis=1))
    if len(broken):
        raise ValueError(
            f"counts of item {item} do not add up at {'/'.join(structure.first[broken[0]])}"
        )
    linked: list[list[tuple[Cell, float]]] = [[] for _ in range(rows)]
    for j in np.flatnonzero(entry_unknown):
        linked[structure.row[j]].append((structure.cells[structure.cell[j]], structure.coef[j]))
    kept = np.flatnonzero(has_unknown)
    consts = [rhs[r] for r in kept]
    linked = [linked[r] for r in kept]
    comps = _components(sorted(every), [[c for c, _ in eq] for eq in linked])
    which = {cell: k for k, comp in enumerate(comps) for cell in comp}
    rows_of: list[list[int]] = [[] for _ in comps]
    for r, eq in enumerate(linked):
        rows_of[which[eq[0][0]]].append(r)

    def fail(cell: Cell, count: str, low: float, high: float) -> None:
        result.failures.extend(_failure(cell, ind, item, count, low, high) for ind in inds)

    def widths(cell: Cell) -> tuple[int, int]:
        """The width this cell must keep: the thresholds, or lower ones under which an earlier
        release of the edition suppressed it (what that release left public, a later one cannot
        hide wider)."""
        hid = [e for i in inds for e in table.earlier.get((*cell, i), ()) if not e.published]
        return (
            min([result.threshold, *(e.threshold for e in hid)]),
            min([result.sensitive_threshold, *(e.sensitive_threshold for e in hid)]),
        )

    for comp, rows in zip(comps, rows_of, strict=True):
        result.components += 1
        result.cells_audited += len(comp) * len(inds)
        result.class_cells += len(comp) * width
        if len(comp) == 1 and rows:  # a lone unknown in an equation is that equation's constant
            n = int(counts[structure.index[comp[0]]].sum())
            fail(comp[0], RESPONDENTS, n, n)
            continue
        local = {cell: i for i, cell in enumerate(comp)}
        a_rows = [[(local[c], coef) for c, coef in linked[r]] for r in rows]
        systems = []
        for k in range(width):
            rhs = np.array([consts[r][k] for r in rows])
            key = (tuple(comp), tuple(rhs))
            if key not in cache:
                start = counts[[structure.index[cell] for cell in comp], k].astype(float)
                system = System(a_rows, rhs, start)
                if not np.array_equal(system.a.times(start), rhs):
                    raise ValueError(  # the table itself must be a solution: never infeasible
                        f"counts of item {item} do not add up around {'/'.join(comp[0])}"
                    )
                cache[key] = system
            systems.append(cache[key])
        unique = list({id(s): s for s in systems}.values())  # two classes may share one
        before = [(s.lp_solves, s.milp_solves) for s in unique]
        for i, cell in enumerate(comp):
            wide, answers = widths(cell)
            if sensitive:
                for k, s in enumerate(systems):
                    if not s.reaches(i, answers):
                        fail(cell, f"class {k + 1}", *s.bounds(i))
            if not _n_passes(systems, i, wide):
                lows, highs = zip(*(s.bounds(i) for s in systems), strict=True)
                fail(cell, RESPONDENTS, sum(lows), sum(highs))
        for s, (lp, milp) in zip(unique, before, strict=True):
            result.solves += s.lp_solves - lp
            result.milp_solves += s.milp_solves - milp
            s.release()


def audit(
    table: Table,
    suppressed: Mapping[Key, str] | set[Key],
    threshold: int,
    sensitive_threshold: int = DisclosureConfig.sensitive_threshold,
    items: Iterable[str] | None = None,
) -> AuditResult:
    """Audit a pattern: every suppressed cell's respondents must range over >= threshold, and
    each answer class of a sensitive item's cell over >= sensitive_threshold, in integers.
    `items` limits it to some items (each is audited alone); default every one."""
    start = time.perf_counter()
    result = AuditResult(threshold=threshold, sensitive_threshold=sensitive_threshold)
    structure = _Structure.of(table)
    by_ind: dict[str, set[Cell]] = {}
    for key in suppressed:
        by_ind.setdefault(key[3], set()).add(key[:3])
    cache: dict = {}
    item_indicators = table.item_indicators()
    for item in sorted(item_indicators if items is None else items):
        part = AuditResult(threshold=threshold, sensitive_threshold=sensitive_threshold, tables=1)
        item_start = time.perf_counter()
        _audit_item(table, item, item_indicators[item], by_ind, structure, cache, part)
        part.seconds = time.perf_counter() - item_start
        result.parts[item] = part
    result = AuditResult.combine(threshold, sensitive_threshold, result.parts)
    result.seconds = time.perf_counter() - start
    return result
