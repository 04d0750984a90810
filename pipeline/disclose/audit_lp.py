"""The feasible range of every unknown of one small linear system: A x = b, x >= 0, exactly by LP.

One HiGHS model per system; only the objective changes between solves, so each solve starts from
the previous basis (presolve off: warm starts of the simplex). A cell passes when two feasible
points are known whose values of that cell lie at least the threshold apart: every LP solution is
such a point (checked against the equations here, not taken on trust), so one solve usually
proves several cells at once. A cell that no pair of points proves gets its own exact minimum and
maximum; a failure is only ever reported from those exact optima, never from the points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The plain binding: highspy.Highs adds Python callbacks and prints a banner on stdout.
from highspy import HighsLp, HighsModelStatus, MatrixFormat, _Highs, kHighsInf
from scipy.sparse import csr_matrix

# Counts are integers: a point off its equations by more than this is not used as a proof.
FEASIBLE = 1e-6


@dataclass(frozen=True)
class Ranges:
    """Per unknown: passed (bool), and the exact low and high where they were computed (NaN
    where a pair of points proved the cell first). `solves` counts the LPs run."""

    passed: np.ndarray
    low: np.ndarray
    high: np.ndarray
    solves: int


def _model(a_rows: list[list[tuple[int, float]]], rhs: np.ndarray, size: int) -> _Highs:
    lp = HighsLp()
    lp.num_col_ = size
    lp.num_row_ = len(a_rows)
    lp.col_cost_ = np.zeros(size)
    lp.col_lower_ = np.zeros(size)
    lp.col_upper_ = np.full(size, kHighsInf)
    lp.row_lower_ = rhs.astype(float)
    lp.row_upper_ = rhs.astype(float)
    starts, index, value = [0], [], []
    for row in a_rows:
        index.extend(col for col, _ in row)
        value.extend(coef for _, coef in row)
        starts.append(len(index))
    lp.a_matrix_.format_ = MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = size
    lp.a_matrix_.num_row_ = len(a_rows)
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=float)
    highs = _Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("presolve", "off")
    highs.passModel(lp)
    return highs


def _sparse(a_rows: list[list[tuple[int, float]]], size: int) -> csr_matrix:
    rows = [r for r, row in enumerate(a_rows) for _ in row]
    cols = [col for row in a_rows for col, _ in row]
    vals = [coef for row in a_rows for _, coef in row]
    return csr_matrix((vals, (rows, cols)), shape=(len(a_rows), size))


def ranges(
    a_rows: list[list[tuple[int, float]]],
    rhs: np.ndarray,
    size: int,
    threshold: int,
    start: np.ndarray,
) -> Ranges:
    """Decide for each of `size` unknowns whether its feasible range is >= threshold wide.
    `start` is a feasible point the caller has checked (the table's own counts): the first proof
    of every range, and the reason an LP here is never infeasible."""
    highs = _model(a_rows, rhs, size)
    a = _sparse(a_rows, size)
    scale = 1.0 + float(np.abs(rhs).max(initial=0.0))
    seen_low = start.astype(float)
    seen_high = start.astype(float)
    low = np.full(size, np.nan)
    high = np.full(size, np.nan)
    passed = np.zeros(size, dtype=bool)
    solves = 0

    def solve(col: int, sign: float) -> float:
        """min (sign=1) or max (sign=-1) of x[col]; inf when unbounded above."""
        nonlocal solves
        solves += 1
        highs.changeColCost(col, sign)
        highs.run()
        status = highs.getModelStatus()
        x = np.array(highs.getSolution().col_value)
        highs.changeColCost(col, 0.0)  # after reading: a change of cost clears the solution
        unbounded = (HighsModelStatus.kUnbounded, HighsModelStatus.kUnboundedOrInfeasible)
        if sign < 0 and status in unbounded:  # feasible (`start`), so unbounded above
            return np.inf
        if status != HighsModelStatus.kOptimal:
            raise ValueError(f"audit LP of {size} cells failed: HiGHS says {status.name}")
        if (x >= -FEASIBLE).all() and np.abs(a @ x - rhs).max(initial=0.0) <= FEASIBLE * scale:
            np.minimum(seen_low, x, out=seen_low)
            np.maximum(seen_high, x, out=seen_high)
        return float(x[col])

    def proved(i: int) -> bool:
        hi = max(seen_high[i], high[i]) if not np.isnan(high[i]) else seen_high[i]
        lo = min(seen_low[i], low[i]) if not np.isnan(low[i]) else seen_low[i]
        return hi - lo >= threshold - FEASIBLE

    for i in range(size):
        if proved(i):
            passed[i] = True
            continue
        high[i] = solve(i, -1.0)
        if np.isinf(high[i]) or proved(i):
            passed[i] = True
            continue
        low[i] = solve(i, 1.0)
        passed[i] = high[i] - low[i] >= threshold - FEASIBLE
    return Ranges(passed=passed, low=low, high=high, solves=solves)
