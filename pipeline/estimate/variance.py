"""The Taylor-linearised variance of a domain share, from exact per-stratum sums.

For a domain d with total weight B = sum w and counted weight A = sum w*y (p = A/B), the
linearised values are z_i = w_i (y_i - p) / B for members and 0 for everyone else of the full
design. With Z_hj the PSU totals of z in stratum h, n_h the sampled PSUs of h in the full design
and f_h = n_h / N_h (0 without fpc):

    v = sum_h (1 - f_h) n_h / (n_h - 1) * sum_j (Z_hj - Zbar_h)^2

Multiplied out, the sum over j is X_h / (n_h B^4) with X_h an exact integer of the partial sums
(stratum_term), so nothing cancels in floating point: each stratum's term is rounded once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pipeline.estimate.rollup import StratumUnits


@dataclass(frozen=True)
class StratumSums:
    """Exact sums of one domain in one stratum: a = sum_j A_j, b = sum_j B_j, and the sums of
    A_j^2, A_j B_j, B_j^2 over its PSUs (A_j = sum w*y, B_j = sum w in PSU j), all in the
    engine's integer weight units; members = PSUs (respondents without psu) with members."""

    a: int
    b: int
    aa: int
    ab: int
    bb: int
    members: int


def stratum_term(sums: StratumSums, units: StratumUnits, a_total: int, b_total: int) -> float:
    """Stratum h's contribution to the variance of p = a_total / b_total.

    X_h = n_h (B^2 aa - 2 A B ab + A^2 bb) - (a B - A b)^2 is exact; the term is
    (1 - f_h) X_h / ((n_h - 1) B^4), rounded once (Python's int / int is correctly rounded).
    """
    n_h = units.units
    a, b = a_total, b_total
    squares = b * b * sums.aa - 2 * a * b * sums.ab + a * a * sums.bb
    x = n_h * squares - (sums.a * b - a * sums.b) ** 2
    term = x / ((n_h - 1) * b**4)
    if units.population_units is not None:
        term *= 1.0 - n_h / units.population_units
    return term


def share_variance(
    strata: list[tuple[StratumSums, StratumUnits]], a_total: int, b_total: int
) -> float:
    """The variance of p: the strata's terms added exactly (math.fsum), in their given order."""
    return math.fsum(stratum_term(sums, units, a_total, b_total) for sums, units in strata)


def degrees_of_freedom(strata: list[tuple[StratumSums, StratumUnits]]) -> int:
    """PSUs with members minus strata with members (R's degf on the domain)."""
    return sum(s.members - 1 for s, _ in strata if s.members > 0)
