"""The Taylor-linearised variance of domain shares, for every cell x indicator at once.

For a domain d with total weight B = sum w and counted weight A = sum w*y (p = A/B), the
linearised values are z_i = w_i (y_i - p) / B for members and 0 for everyone else of the full
design. With Z_hj the PSU totals of z in stratum h, n_h the sampled PSUs of h in the full design
and f_h = n_h / N_h (0 without fpc):

    v = sum_h (1 - f_h) n_h / (n_h - 1) * sum_j (Z_hj - Zbar_h)^2

The sum over j is taken around the stratum's mean (two passes, no cancellation of large
squares); PSUs of the stratum outside the domain contribute Zbar_h^2 each. The inputs are exact
integer sums, and every float operation runs in a fixed order, so the same sums give the same
bits however the respondents were split or merged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.core.certainty import SELF_REPRESENTING


@dataclass(frozen=True)
class Segments:
    """Rows sorted by cell, then stratum: where each cell x stratum group starts among the rows
    (`groups`), where each cell starts among the groups (`cells`), and the group of each row."""

    groups: np.ndarray
    cells: np.ndarray
    group_of_row: np.ndarray
    cell_of_group: np.ndarray

    @property
    def cell_of_row(self) -> np.ndarray:
        return self.cell_of_group[self.group_of_row]


def segments(codes: np.ndarray) -> Segments:
    """The Segments of rows sorted by their codes (rows x columns, ints): the columns but the
    last identify the cell, the last one the stratum."""
    rows = codes.shape[0]
    new_group, new_cell = np.ones(rows, dtype=bool), np.ones(rows, dtype=bool)
    new_group[1:] = (codes[1:] != codes[:-1]).any(axis=1)
    new_cell[1:] = (codes[1:, :-1] != codes[:-1, :-1]).any(axis=1)
    groups = np.flatnonzero(new_group)
    cells = np.flatnonzero(new_cell[groups])
    return Segments(groups, cells, np.cumsum(new_group) - 1, np.cumsum(new_cell[groups]) - 1)


def per_group(values: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Sums of consecutive rows starting at `where` (rows x indicators)."""
    return summed_runs(values, np.arange(values.shape[0]), where)


def summed_runs(values: np.ndarray, order: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Sums of the rows of `values` taken in `order`, one per run of `order` starting at each of
    `where` (0 first, increasing). The rows of a run are added one by one in their order.

    Why a sparse product: numpy's reduceat along the rows costs ~10 ns an element (16 ms for
    14,000 x 150), a CSR matrix of ones times the rows ~1 ms, and needs no copy of the rows in
    order. Python integers (object arrays) keep reduceat."""
    if len(order) == 0:
        return np.zeros((len(where), *values.shape[1:]), dtype=values.dtype)
    if values.dtype == object:
        return np.add.reduceat(values[order], where, axis=0)
    from scipy import sparse  # inside: scipy_import.py

    runs = sparse.csr_matrix(
        (np.ones(len(order), dtype=values.dtype), order, np.append(where, len(order))),
        shape=(len(where), values.shape[0]),
    )
    return runs @ values


def psu_stratum_sums(seg: Segments, sw, swy, p, b_total, units) -> np.ndarray:
    """Per cell x stratum x indicator: sum_j (Z_hj - Zbar_h)^2 over all n_h PSUs, from the PSU
    totals of the domain (rows x indicators). The deviations are taken of B * Z = sum w*y -
    p * sum w and divided by B^2 per group, not per row: these are the largest arrays of the
    estimation, and each pass over them is one less, in place where it can."""
    cell = seg.cell_of_row
    scaled = p[cell]
    with np.errstate(invalid="ignore"):
        np.multiply(scaled, sw, out=scaled)
        np.subtract(swy, scaled, out=scaled)
    finite_or_zero(scaled)  # p is NaN in a cell without weight
    mean = per_group(scaled, seg.groups) / units[:, None]
    deviation = np.subtract(scaled, mean[seg.group_of_row], out=scaled)
    np.multiply(deviation, deviation, out=deviation)
    rows = np.diff(np.append(seg.groups, len(seg.group_of_row)))
    squares = per_group(deviation, seg.groups) + (units - rows)[:, None] * mean**2
    b_group = b_total[seg.cell_of_group]
    with np.errstate(invalid="ignore", divide="ignore"):
        squares /= b_group * b_group
    return finite_or_zero(squares)


def finite_or_zero(values: np.ndarray) -> np.ndarray:
    """values with NaN and infinities (of cells without weight) set to 0, in place."""
    values[~np.isfinite(values)] = 0.0
    return values


def respondent_stratum_sums(sw, swy, sww, swwy, p, b_total, units, seg: Segments) -> np.ndarray:
    """The same without psu, where each respondent is a PSU and the rows are strata: sum z^2 =
    (sum w^2 y (1 - 2p) + p^2 sum w^2) / B^2 since y is 0 or 1."""
    cell = seg.cell_of_row
    pc, bc = p[cell], b_total[cell]
    with np.errstate(invalid="ignore", divide="ignore"):
        sum_z = (swy - pc * sw) / bc
        sum_z2 = (swwy * (1 - 2 * pc) + pc * pc * sww) / (bc * bc)
        result = sum_z2 - sum_z * sum_z / units[:, None]
    return finite_or_zero(result)


def cell_variance(seg: Segments, squares: np.ndarray, units, population_units) -> np.ndarray:
    """v per cell x indicator from the strata's sums of squares: each stratum's term scaled by
    (1 - f_h) n_h / (n_h - 1), added in the order of the strata. A stratum sampled with
    certainty (pipeline/core/certainty.py) adds 0, as in R's survey, also with a single PSU."""
    with np.errstate(invalid="ignore", divide="ignore"):
        fpc = np.where(np.isnan(population_units), 1.0, 1.0 - units / population_units)
        certain = (population_units >= units) & (
            (population_units - units) / population_units < SELF_REPRESENTING
        )
        scale = np.where(certain, 0.0, fpc * units / (units - 1))
    return per_group(squares * scale[:, None], seg.cells)


def degrees_of_freedom(seg: Segments, members: np.ndarray) -> np.ndarray:
    """Per cell x indicator: PSUs with members minus strata with members (R's degf on the
    domain); `members` per cell x stratum x indicator."""
    return per_group(np.where(members > 0, members - 1, 0), seg.cells)
