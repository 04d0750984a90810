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


@dataclass(frozen=True)
class Rowwise:
    """The matrix A of a system row by row (HiGHS's kRowwise): where each row starts among
    the entries, the column and the coefficient of each entry, and the row of each entry."""

    starts: np.ndarray
    index: np.ndarray
    value: np.ndarray
    row: np.ndarray

    @classmethod
    def of(cls, a_rows: list[list[tuple[int, float]]]) -> Rowwise:
        lengths = np.array([len(row) for row in a_rows], dtype=np.int32)
        return cls(
            np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32),
            np.array([col for row in a_rows for col, _ in row], dtype=np.int32),
            np.array([coef for row in a_rows for _, coef in row], dtype=float),
            np.repeat(np.arange(len(a_rows)), lengths),
        )

    def times(self, x: np.ndarray) -> np.ndarray:
        """A x (a bincount: a scipy.sparse matrix per system cost ~0.1 ms to build, and a
        publish of 100,000 synthetic respondents audits ~700 systems)."""
        return np.bincount(self.row, self.value * x[self.index], len(self.starts) - 1)


def _model(a: Rowwise, rhs: np.ndarray, size: int) -> _Highs:
    lp = HighsLp()
    lp.num_col_ = size
    lp.num_row_ = len(rhs)
    lp.col_cost_ = np.zeros(size)
    lp.col_lower_ = np.zeros(size)
    lp.col_upper_ = np.full(size, kHighsInf)
    lp.row_lower_ = rhs.astype(float)
    lp.row_upper_ = rhs.astype(float)
    lp.a_matrix_.format_ = MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = size
    lp.a_matrix_.num_row_ = len(rhs)
    lp.a_matrix_.start_ = a.starts
    lp.a_matrix_.index_ = a.index
    lp.a_matrix_.value_ = a.value
    highs = _Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("presolve", "off")
    highs.passModel(lp)
    return highs


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
    a = Rowwise.of(a_rows)
    highs = _model(a, rhs, size)
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
        if (x >= -FEASIBLE).all() and np.abs(a.times(x) - rhs).max(initial=0.0) <= FEASIBLE * scale:
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
