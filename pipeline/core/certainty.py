"""Certainty strata: a stratum whose sampled units are all of its population (its fpc, the
units in the population, equals the units sampled) has no sampling variance. R's survey package
gives such a self-representing stratum a zero variance contribution, and does not count its one
PSU as a lonely PSU; both the respondent checks and the estimation follow it, with its test."""

from __future__ import annotations

# R survey (onestrat): a stratum whose every finite population correction (N - n) / N is below
# 1e-7 is self-representing.
SELF_REPRESENTING = 1e-7


def sampled_with_certainty(units: int, population_units: float | None) -> bool:
    """Whether a stratum of `units` sampled units out of `population_units` (its fpc; None: no
    fpc) was sampled with certainty: (N - n) / N below SELF_REPRESENTING, N at least n."""
    if population_units is None or population_units < units:
        return False
    return (population_units - units) / population_units < SELF_REPRESENTING
