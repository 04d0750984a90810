"""The independent audit (D8): the feasible range of every suppressed count, by linear programming.

Written apart from the suppressor (it derives the table's equations itself and shares none of
its code): the additive structure is a parent = the sum of its children at each breakdown cell,
and the values of a breakdown = the node's totaal; counts are >= 0. The equations never link two
indicators, so each indicator is audited alone; within one, a published count is a constant, so
only the suppressed cells that share an equation (a connected component) form one linear
programme. A lone suppressed cell in an equation is fixed by it (range 0, no LP needed). The LP
is continuous (a relaxation of the integer problem): its range is at least as wide as the integer
range, so a pass is exact for the LP and the integer range can be narrower only by rounding at the
ends (under 1 respondent at each end). `audit_lp.ranges` finds each range with HiGHS; the pass
needs max - min >= threshold. Components with the same cells and the same constants (indicators
of one item share their counts) are solved once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pipeline.core.breakdowns import TOTAL
from pipeline.disclose.model import Key, Table

METHOD = (
    "continuous linear programme per connected component of suppressed cells, "
    "HiGHS (highspy), min and max of each cell"
)

Cell = tuple[str, str, str]


@dataclass
class AuditResult:
    """What the audit found: cells audited, and every failing cell with its feasible range."""

    threshold: int
    cells_audited: int = 0
    tables: int = 0
    components: int = 0
    solves: int = 0
    seconds: float = 0.0
    failures: list[dict[str, Any]] = field(default_factory=list)
    # The result of each indicator audited (they are independent), to combine rounds of a loop.
    parts: dict[str, AuditResult] = field(default_factory=dict, repr=False)

    @classmethod
    def combine(cls, threshold: int, parts: Mapping[str, AuditResult]) -> AuditResult:
        """One result from per-indicator results (each audited alone), in indicator order."""
        total = cls(threshold=threshold)
        for ind in sorted(parts):
            part = parts[ind]
            total.tables += part.tables
            total.cells_audited += part.cells_audited
            total.components += part.components
            total.solves += part.solves
            total.seconds += part.seconds
            total.failures.extend(part.failures)
            total.parts[ind] = part
        return total

    @property
    def passed(self) -> bool:
        return not self.failures

    def failing_keys(self) -> list[Key]:
        """The keys of the failing cells, in the order found."""
        return [
            (f["population_id"], f["breakdown_id"], f["breakdown_value"], f["indicator_id"])
            for f in self.failures
        ]

    def to_json(self) -> dict[str, Any]:
        """The record for validation.json (counts and cell keys only; no respondent data)."""
        return {
            "rule": "D8 feasible range of every suppressed count >= threshold",
            "method": METHOD,
            "threshold": self.threshold,
            "tables": self.tables,
            "cells_audited": self.cells_audited,
            "components": self.components,
            "lp_solves": self.solves,
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


def _failure(cell: Cell, ind: str, low: float, high: float) -> dict[str, Any]:
    return {
        "population_id": cell[0],
        "breakdown_id": cell[1],
        "breakdown_value": cell[2],
        "indicator_id": ind,
        "min": round(float(low), 6) + 0.0,  # + 0.0: no "-0.0" in the record
        "max": round(float(high), 6) + 0.0,
    }


def _audit_indicator(
    table: Table, ind: str, hidden: set[Cell], eqs: list, cache: dict, result: AuditResult
) -> None:
    # HiGHS (~15 ms to import) loads when an audit runs, not with the package
    from pipeline.disclose import audit_lp

    linked: list[list[tuple[Cell, float]]] = []
    consts: list[float] = []
    for eq in eqs:
        const = 0.0
        unknown = []
        for cell, coef in eq:
            if cell in hidden:
                unknown.append((cell, coef))
            else:
                const += coef * table.n[(*cell, ind)]
        if unknown:
            linked.append(unknown)
            consts.append(-const)
        elif const != 0:
            raise ValueError(
                f"counts of indicator {ind} do not add up: {eq[0][0]} is off by {const}"
            )
    comps = _components(sorted(hidden), [[c for c, _ in eq] for eq in linked])
    which = {cell: k for k, comp in enumerate(comps) for cell in comp}
    rows_of: list[list[int]] = [[] for _ in comps]
    for r, eq in enumerate(linked):
        rows_of[which[eq[0][0]]].append(r)
    for comp, rows in zip(comps, rows_of, strict=True):
        result.components += 1
        result.cells_audited += len(comp)
        if len(comp) == 1:  # a lone unknown in an equation is that equation's constant
            if rows:
                value = consts[rows[0]] / linked[rows[0]][0][1]
                result.failures.append(_failure(comp[0], ind, value, value))
            continue
        key = (tuple(comp), tuple(consts[r] for r in rows))
        if key not in cache:
            local = {cell: i for i, cell in enumerate(comp)}
            a_rows = [[(local[c], coef) for c, coef in linked[r]] for r in rows]
            rhs = np.array([consts[r] for r in rows])
            start = np.array([table.n[(*cell, ind)] for cell in comp], dtype=float)
            for row, r in zip(a_rows, rows, strict=True):
                off = sum(coef * start[i] for i, coef in row) - consts[r]
                if off != 0:  # the table itself must be a solution: the LP is then feasible
                    raise ValueError(
                        f"counts of indicator {ind} do not add up: "
                        f"{linked[r][0][0]} is off by {off}"
                    )
            found = audit_lp.ranges(a_rows, rhs, len(comp), result.threshold, start)
            result.solves += found.solves
            cache[key] = found
        found = cache[key]
        for i in np.flatnonzero(~found.passed):
            result.failures.append(_failure(comp[i], ind, found.low[i], found.high[i]))


def audit(
    table: Table,
    suppressed: Mapping[Key, str] | set[Key],
    threshold: int,
    indicators: Iterable[str] | None = None,
) -> AuditResult:
    """Audit a pattern: every suppressed cell must have a feasible range >= threshold wide.
    `indicators` limits it to some indicators (each is audited alone); default every one."""
    start = time.perf_counter()
    result = AuditResult(threshold=threshold)
    eqs = _equations(table)
    by_ind: dict[str, set[Cell]] = {}
    for key in suppressed:
        by_ind.setdefault(key[3], set()).add(key[:3])
    cache: dict = {}
    for ind in sorted(table.items if indicators is None else indicators):
        part = AuditResult(threshold=threshold, tables=1)
        _audit_indicator(table, ind, by_ind.get(ind, set()), eqs, cache, part)
        result.parts[ind] = part
    result = AuditResult.combine(threshold, result.parts)
    result.seconds = time.perf_counter() - start
    return result
