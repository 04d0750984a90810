"""The audit's linear systems: the row-wise matrix HiGHS gets is the one the points are checked
against, and a point the solver returns proves ranges without solving for them again."""

from __future__ import annotations

import numpy as np

from pipeline.disclose.audit_lp import Rowwise, ranges


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
