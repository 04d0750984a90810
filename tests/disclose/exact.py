"""Exact integer ranges of suppressed cells, written apart from the audit for the tests: one
mixed-integer programme over every answer class of an item at once (scipy.optimize.milp), with
the table's equations derived here again. Slow but plain: for small tables only."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from pipeline.disclose import Table

Cell = tuple[str, str, str]


def _equations(table: Table) -> list[list[tuple[Cell, int]]]:
    """Every additive equation as [(cell, coefficient)] summing to zero."""
    out = []
    for node in table.parents:
        for b, values in table.breakdowns.items():
            out.append([((node, "totaal", "totaal"), -1)] + [((node, b, v), 1) for v in values])
    columns = [("totaal", "totaal")] + [(b, v) for b, vs in table.breakdowns.items() for v in vs]
    for parent in set(table.parents.values()) - {None}:
        kids = [node for node, p in table.parents.items() if p == parent]
        for b, v in columns:
            out.append([((parent, b, v), -1)] + [((kid, b, v), 1) for kid in kids])
    return out


def system(
    table: Table, hidden: Iterable[Cell], item: str
) -> tuple[np.ndarray, np.ndarray, dict[tuple[Cell, int], int]]:
    """The equations over the hidden cells' class counts of one item: (A, b, the column of each
    (cell, class)), published cells' class counts moved to b. Without `Table.classes`, one
    class: n."""
    hidden = sorted(set(hidden))
    counts = table.classes or {
        (*key[:3], item): (count,) for key, count in table.n.items() if table.items[key[3]] == item
    }
    width = len(next(iter(counts.values())))
    pairs = [(cell, k) for cell in hidden for k in range(width)]
    unknown = {pair: i for i, pair in enumerate(pairs)}
    rows, rhs = [], []
    for eq in _equations(table):
        for k in range(width):
            row = np.zeros(len(unknown))
            const = 0
            for cell, coef in eq:
                if (cell, k) in unknown:
                    row[unknown[(cell, k)]] += coef
                else:
                    const += coef * counts[(*cell, item)][k]
            if row.any():
                rows.append(row)
                rhs.append(-const)
    return np.array(rows), np.array(rhs, dtype=float), unknown


def ranges(
    table: Table, hidden: Iterable[Cell], item: str, only: Iterable[Cell] | None = None
) -> dict[tuple[Cell, int | None], tuple[int, int]]:
    """(cell, class index) -> (min, max) of that class's count, and (cell, None) -> (min, max) of
    its respondents (the sum of the classes, optimised jointly), over every non-negative integer
    table with the published cells' class counts as known; for the cells `only` (default every
    hidden one)."""
    rows, rhs, unknown = system(table, hidden, item)
    width = 1 + max(k for _, k in unknown)
    constraint = LinearConstraint(rows, rhs, rhs)
    out = {}
    chosen = sorted(set(hidden)) if only is None else sorted(only)
    targets = [((cell, k), [unknown[(cell, k)]]) for cell in chosen for k in range(width)]
    targets += [((cell, None), [unknown[(cell, k)] for k in range(width)]) for cell in chosen]
    for target, columns in targets:
        bounds = []
        for sign in (1, -1):
            cost = np.zeros(len(unknown))
            cost[columns] = sign
            found = milp(
                cost,
                constraints=constraint,
                integrality=np.ones(len(unknown)),
                bounds=Bounds(0, np.inf),
            )
            assert found.status == 0, found.message
            bounds.append(round(sign * found.fun))
        out[target] = (bounds[0], bounds[1])
    return out
