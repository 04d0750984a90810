"""The fixed-point scale of an edition's weights: an exact power of two chosen from the edition's
total, so that the sums use the full exact range of a double whatever the weights' unit.

The pass sums each weight as the integer round(w * 2^shift), held in a double: exact while every
sum stays below 2^53. `shift` is the largest integer for which the edition's weights, scaled
and rounded, are sure to add up to less than 2^53 (their total then lies between about 2^52 and
2^53). It is chosen from the weights' exact total (Python integers per binade, whatever the
order of the files or rows), never from a rounded sum of doubles, so every part of an edition
and every run finds the same shift. Multiplying by a power of two is exact, and a share, its SE
and interval do not change when every weight is multiplied by one factor: the estimates depend
on the weights' unit only through where each weight is rounded, at most half a unit of 2^-52
or less of the total (tests/estimate/test_weight_scale.py). The respondent checks refuse the
weights too small to keep 6 digits (below), the estimation sums at the scale: both use this
module, which is why it lives in core.

A weight that, scaled, holds fewer than 2^20 units (1,048,576) would be rounded by more than
4.8e-7 of itself, keeping fewer than 6 significant digits: such a weight, too small beside the
edition's total, is refused (`microdata-weight-range`), which usually means the weight column
mixes units.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

# Integers held in doubles are exact below 2^53.
EXACT_BITS = 53
# frexp's least exponent of a double other than 0 (5e-324 = 0.5 * 2^-1073)
LEAST_EXPONENT = -1073
# A weight must hold at least 2^20 units once scaled: 6 significant digits (0.5 / 2^20 < 5e-7).
KEPT_BITS = 20
RULE = "microdata-weight-range"
# What the refusal says after the count (the least kept lies between 2^-33 and 2^-32 of the total
# since the scaled total lies between about 2^52 and 2^53), and its hint
TOO_SMALL = (
    "weight(s) are too small beside the edition's total weight to keep 6 significant digits in "
    "exact sums (the least weight kept lies between 2^-33 and 2^-32 of the total)"
)
UNIT_HINT = (
    "the weights' unit does not matter, their ratios do: check that the weight column holds "
    "one unit throughout (not some weights in thousands and others in ones)"
)


@dataclass(frozen=True)
class WeightScale:
    """The edition's fixed-point scale: each weight is summed as round(w * 2^shift)."""

    shift: int

    @property
    def factor(self) -> float:
        """2^shift as a double (exact; ValueError when a double cannot hold it: weights of about
        1e-290 or less)."""
        try:
            factor = math.ldexp(1.0, self.shift)
        except OverflowError:
            factor = math.inf
        if not 0.0 < factor < math.inf:
            raise ValueError(
                "the weights are too small or too large for a double to scale them exactly"
            )
        return factor

    def too_small(self, binades: Mapping[int, tuple[int, int]]) -> int:
        """How many of the weights counted in `binades` hold fewer than 2^KEPT_BITS units once
        scaled: w * 2^shift < 2^KEPT_BITS exactly when w's binary exponent (frexp's: w < 2^e)
        is at most KEPT_BITS - shift."""
        return sum(
            count for exponent, (count, _) in binades.items() if exponent + self.shift <= KEPT_BITS
        )


def binades(weights: np.ndarray) -> dict[int, tuple[int, int]]:
    """Per binary exponent e of the weights (frexp's: 2^(e-1) <= |w| < 2^e; 0, NaN and
    infinities left out): how many weights have it and the exact sum of their magnitudes in
    units of 2^(e-53), as Python integers. Each magnitude is its 53-bit mantissa times
    2^(e-53); the mantissas are summed in two halves of 26 and 27 bits, each exact in a double
    for up to 2^26 weights at a time."""
    values = np.abs(np.asarray(weights, dtype=np.float64))
    values = values[np.isfinite(values) & (values > 0)]
    found: dict[int, tuple[int, int]] = {}
    for start in range(0, len(values), 2**26):
        fractions, exponents = np.frexp(values[start : start + 2**26])
        mantissas = np.ldexp(fractions, EXACT_BITS).astype(np.int64)  # exact: < 2^53
        which = exponents - LEAST_EXPONENT  # a bin per exponent: cheaper than np.unique's sort
        counts = np.bincount(which)
        high = np.bincount(which, weights=mantissas >> 26)
        low = np.bincount(which, weights=mantissas & (2**26 - 1))
        part = {
            int(e) + LEAST_EXPONENT: (int(counts[e]), (int(high[e]) << 26) + int(low[e]))
            for e in np.flatnonzero(counts)
        }
        found = merged_binades([found, part])
    return found


def merged_binades(parts: Iterable[Mapping[int, tuple[int, int]]]) -> dict[int, tuple[int, int]]:
    """The binades of several sets of weights (the files of an edition) added."""
    total: dict[int, tuple[int, int]] = {}
    for part in parts:
        for exponent, (count, mantissa) in part.items():
            had_count, had_mantissa = total.get(exponent, (0, 0))
            total[exponent] = (had_count + count, had_mantissa + mantissa)
    return total


def edition_scale(binades: Mapping[int, tuple[int, int]]) -> WeightScale:
    """The largest shift for which the weights counted in `binades` fit the exact range with
    room for their rounding: their total, exactly an integer times 2^(lowest - 53), times
    2^shift at most 2^53 - respondents, so that the rounded sum (at most half a unit more per
    weight) stays below 2^53. No weights: shift 0."""
    if not binades:
        return WeightScale(0)
    lowest = min(binades)
    total = sum(mantissa << (exponent - lowest) for exponent, (_, mantissa) in binades.items())
    room = 2**EXACT_BITS - sum(count for count, _ in binades.values())
    if total <= room:  # the largest t >= 0 with total * 2^t <= room
        power = (room // total).bit_length() - 1
    else:  # the smallest k > 0 with total <= room * 2^k, t = -k
        power = -((-(-total // room) - 1).bit_length())
    return WeightScale(power - (lowest - EXACT_BITS))
