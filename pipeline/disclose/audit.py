"""The independent audit (D8): the feasible range of every suppressed count, by linear programming.

Written apart from the suppressor (it derives the table's equations itself and shares none of
its code): for each indicator, the unknowns are the suppressed counts; every equation of the
additive structure (a parent is the sum of its children at each breakdown cell, the values of a
breakdown sum to the node's totaal) has its published counts moved to the right-hand side;
counts are >= 0. The LP is continuous (a relaxation of the integer problem): its range is at
least as wide as the integer range, so a pass is exact for the LP and the integer range can be
narrower only by rounding at the ends (under 1 respondent at each end). For every suppressed cell,
HiGHS (`scipy.optimize.linprog`) finds the min and the max; the pass needs max - min >= threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from pipeline.disclose.model import TOTAL, Key, Table

METHOD = "continuous linear programme, scipy.optimize.linprog method=highs"


@dataclass
class AuditResult:
    """What the audit found: cells audited, and every failing cell with its feasible range."""

    threshold: int
    cells_audited: int = 0
    tables: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_json(self) -> dict[str, Any]:
        """The record for validation.json (counts and cell keys only; no respondent data)."""
        return {
            "rule": "D8 feasible range of every suppressed count >= threshold",
            "method": METHOD,
            "threshold": self.threshold,
            "tables": self.tables,
            "cells_audited": self.cells_audited,
            "passed": self.passed,
            "failures": self.failures,
        }


def _equations(table: Table) -> list[list[tuple[tuple[str, str, str], float]]]:
    """Every additive equation as [(cell, coefficient)], summing to zero."""
    eqs = []
    for node in table.parents:
        for b, values in table.breakdowns.items():
            eq = [((node, TOTAL, TOTAL), -1.0)] + [((node, b, v), 1.0) for v in values]
            eqs.append(eq)
    kids: dict[str, list[str]] = {}
    for node, parent in table.parents.items():
        if parent is not None:
            kids.setdefault(parent, []).append(node)
    cols = [(TOTAL, TOTAL)] + [(b, v) for b, vs in table.breakdowns.items() for v in vs]
    for parent, children in kids.items():
        for b, v in cols:
            eqs.append([((parent, b, v), -1.0)] + [((c, b, v), 1.0) for c in children])
    return eqs


def _audit_indicator(
    table: Table, ind: str, hidden: list[Key], eqs: list, threshold: int, result: AuditResult
) -> None:
    index = {cell[:3]: i for i, cell in enumerate(hidden)}
    rows, cols, vals, rhs = [], [], [], []
    for eq in eqs:
        const = 0.0
        row = len(rhs)
        used = False
        for cell, coef in eq:
            if cell in index:
                rows.append(row)
                cols.append(index[cell])
                vals.append(coef)
                used = True
            else:
                const += coef * table.n[(*cell, ind)]
        if used:
            rhs.append(-const)
        elif const != 0:
            raise ValueError(
                f"counts of indicator {ind} do not add up: {eq[0][0]} is off by {const}"
            )
    size = len(hidden)
    a_eq = coo_matrix((vals, (rows, cols)), shape=(len(rhs), size)).tocsr() if rhs else None
    b_eq = np.array(rhs) if rhs else None
    for i, key in enumerate(hidden):
        c = np.zeros(size)
        ends = []
        for sign in (1.0, -1.0):
            c[i] = sign
            res = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            if res.status == 3:  # unbounded above: nothing published limits this count
                ends.append(float("inf"))
            elif res.status != 0:
                raise ValueError(f"audit LP for {key} failed: {res.message}")
            else:
                ends.append(sign * res.fun)
        low, high = ends
        result.cells_audited += 1
        if high - low < threshold - 1e-6:
            result.failures.append(
                {
                    "population_id": key[0],
                    "breakdown_id": key[1],
                    "breakdown_value": key[2],
                    "indicator_id": key[3],
                    "min": round(low, 6),
                    "max": round(high, 6),
                }
            )


def audit(table: Table, suppressed: Mapping[Key, str] | set[Key], threshold: int) -> AuditResult:
    """Audit a pattern: every suppressed cell must have a feasible range >= threshold wide."""
    result = AuditResult(threshold=threshold)
    eqs = _equations(table)
    by_ind: dict[str, list[Key]] = {}
    for key in sorted(suppressed):
        by_ind.setdefault(key[3], []).append(key)
    for ind in sorted(table.items):
        result.tables += 1
        if ind in by_ind:
            _audit_indicator(table, ind, by_ind[ind], eqs, threshold, result)
    return result
