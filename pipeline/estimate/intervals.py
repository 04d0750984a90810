"""95% intervals of a share p in [0, 1]: the logit interval with t(df), and Korn-Graubard (the
NCHS standard, svy's `korn-graubard`) at p = 0 or 1; and the effective sample size."""

from __future__ import annotations

import math
from functools import lru_cache

from scipy import stats

ALPHA = 0.05


@lru_cache(maxsize=4096)
def t_quantile(df: int) -> float:
    """The 1 - alpha/2 quantile of Student's t with df > 0 degrees of freedom (cached: cells
    share few distinct df)."""
    return float(stats.t.ppf(1 - ALPHA / 2, df))


def effective_sample_size(p: float, se: float, n: int, df: int) -> float:
    """The df-adjusted effective sample size of Korn-Graubard (NCHS, svy's `korn-graubard`):
    p(1-p)/SE^2 (n at p = 0 or 1, or SE = 0), times (t_{n-1} / t_df)^2 when df > 0 and n > 1,
    then capped at n. What status U is based on too."""
    n_eff = float(n) if p <= 0 or p >= 1 or se <= 0 else p * (1 - p) / se**2
    if df > 0 and n > 1:
        n_eff *= (t_quantile(n - 1) / t_quantile(df)) ** 2
    return min(float(n), n_eff)


def logit_interval(p: float, se: float, df: int) -> tuple[float, float]:
    """logit(p) +- t(df) * SE / (p (1 - p)), transformed back; for 0 < p < 1 and df > 0."""
    half = t_quantile(df) * se / (p * (1 - p))
    centre = math.log(p / (1 - p))
    return expit(centre - half), expit(centre + half)


def korn_graubard_interval(p: float, n_eff: float) -> tuple[float, float]:
    """Clopper-Pearson on the effective sample size: x = p n_eff successes of n_eff."""
    x = p * n_eff
    low = 0.0 if x <= 0 else float(stats.beta.ppf(ALPHA / 2, x, n_eff - x + 1))
    high = 1.0 if x >= n_eff else float(stats.beta.ppf(1 - ALPHA / 2, x + 1, n_eff - x))
    return low, high


def expit(value: float) -> float:
    """The inverse of the logit."""
    return 1.0 / (1.0 + math.exp(-value))
