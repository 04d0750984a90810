"""The audit's linear systems: the row-wise matrix HiGHS gets is the one the points are checked
against, a point the solver returns proves ranges without solving for them again, and where the
LP's optimum is a fractional vertex the integer range comes from a mixed-integer programme."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from pipeline.disclose import audit
from pipeline.disclose.audit_lp import Rowwise, System, ranges
from tests.disclose import exact
from tests.disclose.tables import build


def test_rowwise_times_is_the_dense_product_empty_rows_included():
    a_rows = [[(0, 1.0), (2, -1.0)], [], [(1, 2.0), (0, 1.0), (2, 1.0)]]
    dense = np.array([[1.0, 0.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])
    x = np.array([3.0, -5.0, 7.0])
    a = Rowwise.of(a_rows)
    assert a.starts.tolist() == [0, 2, 2, 5]
    assert a.times(x).tolist() == (dense @ x).tolist()


def test_feasible_points_prove_cells_without_their_own_solves():
    """x0 + x1 = 10, x1 + x2 = 10 from the start (5, 5, 5): every cell ranges over 0..10, so
    with threshold 3 all pass. The first maximum (x0 = 10, x1 = 0, x2 = 10) also proves x1 and
    x2 against the start; a point wrongly judged off its equations would cost more solves."""
    a_rows = [[(0, 1.0), (1, 1.0)], [(1, 1.0), (2, 1.0)]]
    found = ranges(a_rows, np.array([10, 10]), 3, 3, np.array([5, 5, 5]))
    assert found.passed.tolist() == [True, True, True]
    assert found.solves == 1


# Found by a random search over three breakdowns sharing each node's totaal, then shrunk: every
# LP optimum of this pattern is a fractional vertex (halves), so the LP ranges are wider than the
# integer ranges. Leaves: (b0: v1, onbekend), (b1: v1, onbekend), (b2: v0, v1, onbekend).
THREE = {"b0": ("v1", "onbekend"), "b1": ("v1", "onbekend"), "b2": ("v0", "v1", "onbekend")}
HALVES_TREE = {
    "all": None,
    "s0": "all",
    "s0l0": "s0",
    "s0l1": "s0",
    "s1": "all",
    "s1l1": "s1",
    "s2": "all",
    "s2l0": "s2",
}
HALVES_LEAVES = {
    "s0l0": ((1, 11), (11, 1), (9, 1, 2)),
    "s0l1": ((2, 3), (1, 4), (1, 3, 1)),
    "s1l1": ((2, 1), (2, 1), (0, 0, 3)),
    "s2l0": ((3, 4), (5, 2), (4, 3, 0)),
}
HALVES_HIDDEN = {
    "all": ("b0/v1", "b1/v1", "b2/v0", "totaal/totaal"),
    "s0": ("b0/onbekend", "b0/v1", "b2/onbekend", "b2/v0"),
    "s0l0": ("b0/onbekend", "b1/v1", "b2/v0", "b2/v1", "totaal/totaal"),
    "s0l1": ("b0/v1", "b1/v1", "b2/onbekend", "b2/v1", "totaal/totaal"),
    "s1": ("b0/onbekend", "b1/v1", "b2/onbekend", "totaal/totaal"),
    "s1l1": ("b0/onbekend", "b1/v1", "b2/onbekend", "totaal/totaal"),
}


def lp_range(table, hidden, cell):
    """The continuous range of one cell (scipy's HiGHS LP): what the audit before integer proofs
    took as the range."""
    rows, rhs, index = exact.system(table, hidden, "q1")
    bounds = []
    for sign in (1, -1):
        cost = np.zeros(len(index))
        cost[index[(cell, 0)]] = sign
        solved = linprog(cost, A_eq=rows, b_eq=rhs, bounds=(0, None), method="highs")
        assert solved.status == 0
        bounds.append(sign * solved.fun)
    return tuple(bounds)


def test_the_audit_reports_integer_ranges_where_lp_vertices_are_fractional():
    leaf = {
        (lf, b, v, "i1"): c
        for lf, per in HALVES_LEAVES.items()
        for (b, values), counts in zip(THREE.items(), per, strict=True)
        for v, c in zip(values, counts, strict=True)
    }
    table = build(HALVES_TREE, THREE, leaf, {"i1": "q1"})
    hidden = {(node, *cell.split("/")) for node, cells in HALVES_HIDDEN.items() for cell in cells}
    result = audit(table, {(*cell, "i1") for cell in hidden}, 3)
    assert result.milp_solves > 0
    reported = {
        (f["population_id"], f["breakdown_id"], f["breakdown_value"]): (f["min"], f["max"])
        for f in result.failures
    }
    for cell, lp in ((("s0l0", "b2", "v1"), (0.0, 3.0)), (("s0l1", "b2", "v1"), (1.0, 4.0))):
        assert lp_range(table, hidden, cell) == pytest.approx(lp)  # 3 wide: the LP passes it
        integer = exact.ranges(table, hidden, "q1", only=[cell])[(cell, 0)]
        assert integer[1] - integer[0] == 2
        assert reported[cell] == integer, "the audit reports the integer range, and fails it"


def test_a_solve_after_an_unbounded_one_still_finds_the_optimum():
    """Found by a random search: maximising x3 is unbounded, and HiGHS, warm-started from that
    basis, then returned no status at all for the maximum of x4 (the audit stopped with "HiGHS
    says kUnknown"); a cold start decides it."""
    a_rows = [
        [(0, 1.0), (3, 1.0), (4, -1.0)],
        [(4, 1.0), (1, 1.0), (0, -1.0), (2, 1.0), (3, -1.0)],
        [(3, -1.0), (0, 1.0), (4, 1.0), (1, -1.0), (2, 1.0)],
    ]
    start = np.array([0.0, 1.0, 4.0, 2.0, 5.0])
    rhs = Rowwise.of(a_rows).times(start)
    system = System(a_rows, rhs, start)
    highs = [system.bounds(i)[1] for i in range(5)]
    assert np.isinf(highs[3]) and np.isinf(highs[4])
    dense = np.zeros((3, 5))
    for r, row in enumerate(a_rows):
        for c, coef in row:
            dense[r, c] = coef
    for i in range(5):
        cost = np.zeros(5)
        cost[i] = -1.0
        solved = linprog(cost, A_eq=dense, b_eq=rhs, bounds=(0, None), method="highs")
        assert (solved.status == 3) == np.isinf(highs[i])  # 3: unbounded
