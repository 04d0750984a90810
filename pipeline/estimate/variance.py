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


def starts(keys: list[tuple]) -> np.ndarray:
    """The positions where a sorted list of keys changes (0 first); empty for no keys."""
    return np.array(
        [i for i, key in enumerate(keys) if i == 0 or key != keys[i - 1]], dtype=np.int64
    )


def segments(cell_keys: list[tuple], strata: list) -> Segments:
    """The Segments of rows whose cell keys and strata are given in sorted order."""
    groups = starts([(*key, stratum) for key, stratum in zip(cell_keys, strata, strict=True)])
    group_keys = [cell_keys[i] for i in groups]
    cells = starts(group_keys)
    group_of_row = np.zeros(len(cell_keys), dtype=np.int64)
    group_of_row[groups[1:]] = 1
    group_of_row = np.cumsum(group_of_row)
    cell_of_group = np.zeros(len(groups), dtype=np.int64)
    cell_of_group[cells[1:]] = 1
    return Segments(groups, cells, group_of_row, np.cumsum(cell_of_group))


def per_group(values: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Sums of consecutive rows starting at `where` (rows x indicators)."""
    if values.shape[0] == 0:
        return np.zeros((0, *values.shape[1:]), dtype=values.dtype)
    return np.add.reduceat(values, where, axis=0)


def psu_stratum_sums(seg: Segments, sw, swy, p, b_total, units) -> tuple[np.ndarray, ...]:
    """Per cell x stratum x indicator: sum_j (Z_hj - Zbar_h)^2 over all n_h PSUs, from the PSU
    totals of the domain (rows x indicators)."""
    cell = seg.cell_of_row
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (swy - p[cell] * sw) / b_total[cell]
    z = np.nan_to_num(z, nan=0.0, posinf=0.0, neginf=0.0)
    zbar = per_group(z, seg.groups) / units[:, None]
    deviation = z - zbar[seg.group_of_row]
    rows = np.diff(np.append(seg.groups, len(seg.group_of_row)))
    return per_group(deviation * deviation, seg.groups) + (units - rows)[:, None] * zbar**2


def respondent_stratum_sums(sw, swy, sww, swwy, p, b_total, units, seg: Segments) -> np.ndarray:
    """The same without psu, where each respondent is a PSU and the rows are strata: sum z^2 =
    (sum w^2 y (1 - 2p) + p^2 sum w^2) / B^2 since y is 0 or 1."""
    cell = seg.cell_of_row
    pc, bc = p[cell], b_total[cell]
    with np.errstate(invalid="ignore", divide="ignore"):
        sum_z = (swy - pc * sw) / bc
        sum_z2 = (swwy * (1 - 2 * pc) + pc * pc * sww) / (bc * bc)
        result = sum_z2 - sum_z * sum_z / units[:, None]
    return np.nan_to_num(result, nan=0.0, posinf=0.0, neginf=0.0)


def cell_variance(seg: Segments, squares: np.ndarray, units, population_units) -> np.ndarray:
    """v per cell x indicator from the strata's sums of squares: each stratum's term scaled by
    (1 - f_h) n_h / (n_h - 1), added in the order of the strata."""
    with np.errstate(invalid="ignore", divide="ignore"):
        fpc = np.where(np.isnan(population_units), 1.0, 1.0 - units / population_units)
    scale = fpc * units / (units - 1)
    return per_group(squares * scale[:, None], seg.cells)


def degrees_of_freedom(seg: Segments, members: np.ndarray) -> np.ndarray:
    """Per cell x indicator: PSUs with members minus strata with members (R's degf on the
    domain); `members` per cell x stratum x indicator."""
    return per_group(np.where(members > 0, members - 1, 0), seg.cells)
