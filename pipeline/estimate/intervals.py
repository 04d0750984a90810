"""95% intervals of shares p in [0, 1]: the logit interval with t(df), and Korn-Graubard (the
NCHS standard, svy's `korn-graubard`) at p = 0 or 1; and the effective sample size.

Each function works on numpy arrays, one element per cell (a single cell is an array of one).
The quantiles come from scipy.special, not scipy.stats: the same functions (stats.t.ppf and
stats.beta.ppf call them) at a third of the import time; it is imported where it is used
(scipy_import.py says why).
"""

from __future__ import annotations

import numpy as np

ALPHA = 0.05


def t_quantiles(df: np.ndarray) -> np.ndarray:
    """The 1 - alpha/2 quantiles of Student's t with df > 0 degrees of freedom (computed once
    per distinct df: cells share few)."""
    from scipy import special  # inside: scipy_import.py

    df = np.asarray(df, dtype=np.float64)
    distinct, where = np.unique(df, return_inverse=True)
    return special.stdtrit(distinct, 1 - ALPHA / 2)[where].reshape(df.shape)


def effective_sample_sizes(p, se, n, df) -> np.ndarray:
    """The df-adjusted effective sample size of Korn-Graubard (NCHS, svy's `korn-graubard`):
    p(1-p)/SE^2 (n at p = 0 or 1, or SE = 0), times (t_{n-1} / t_df)^2 when df > 0 and n > 1,
    then capped at n. What status U is based on too."""
    p, se = np.asarray(p, np.float64), np.asarray(se, np.float64)
    n, df = np.asarray(n, np.float64), np.asarray(df, np.float64)
    degenerate = (p <= 0) | (p >= 1) | (se <= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = np.where(degenerate, n, p * (1 - p) / se**2)
    adjust = (df > 0) & (n > 1)
    if adjust.any():
        ratio = t_quantiles(n[adjust] - 1) / t_quantiles(df[adjust])
        n_eff[adjust] = n_eff[adjust] * ratio**2
    return np.minimum(n, n_eff)


def logit_intervals(p, se, df) -> tuple[np.ndarray, np.ndarray]:
    """logit(p) +- t(df) * SE / (p (1 - p)), transformed back; for 0 < p < 1 and df > 0."""
    p, se = np.asarray(p, np.float64), np.asarray(se, np.float64)
    half = t_quantiles(df) * se / (p * (1 - p))
    centre = np.log(p / (1 - p))
    return expit(centre - half), expit(centre + half)


def korn_graubard_intervals(p, n_eff) -> tuple[np.ndarray, np.ndarray]:
    """Clopper-Pearson on the effective sample size: x = p n_eff successes of n_eff."""
    from scipy import special  # inside: scipy_import.py

    p, n_eff = np.asarray(p, np.float64), np.asarray(n_eff, np.float64)
    x = p * n_eff
    low, high = np.zeros_like(x), np.ones_like(x)
    inner_low, inner_high = x > 0, x < n_eff
    low[inner_low] = special.betaincinv(
        x[inner_low], n_eff[inner_low] - x[inner_low] + 1, ALPHA / 2
    )
    high[inner_high] = special.betaincinv(
        x[inner_high] + 1, n_eff[inner_high] - x[inner_high], 1 - ALPHA / 2
    )
    return low, high


def expit(value: np.ndarray) -> np.ndarray:
    """The inverse of the logit."""
    return 1.0 / (1.0 + np.exp(-value))
