"""The interval code against values that R survey 4.4-2 and Stata 18 (kg_nchs) published, as
quoted in svy's own tests (samplics-org/svy, packages/svy/tests/svy/estimation/
test_proportions.py, commit e5db521: 922 respondents of svy_synthetic_sample_07082025.csv).
Each case gives R's (p, SE, n, df) and R's or Stata's interval; each is one cell of the vector
functions the pipeline calls."""

from __future__ import annotations

import pytest

from pipeline.estimate.intervals import (
    effective_sample_sizes,
    korn_graubard_intervals,
    logit_intervals,
)

# R svyciprop(method = "logit"): (p, se, df) -> (lci, uci)
R_LOGIT = [
    ("SRS", 0.507348258357226, 0.0192309892530454, 921, 0.469636396975924, 0.544976682060238),
    ("strata+PSU", 0.507348258357226, 0.0167712595840644, 56, 0.473768764613996, 0.54086158229386),
    ("domain HS", 0.471999767708817, 0.0348828290040279, 56, 0.403112644241021, 0.541969987343409),
    ("domain PG", 0.501335861736521, 0.0438888962101757, 52, 0.41412536084128, 0.588465156732825),
]

# R svyciprop(method = "beta") (Korn-Graubard with the df-adjusted effective sample size); with
# a design effect above 1 the NCHS cap at n does not bind, so it is the NCHS interval too.
R_BETA = [
    ("SRS", 0.507348258357226, 0.0192309892530454, 922, 921, 0.468954757876348, 0.545677337133621),
    ("strata", 0.507348258357226, 0.0192537392244595, 922, 918, 0.468908426601806,
     0.545723513770539),
    ("PSU", 0.507348258357226, 0.0164967611954173, 922, 59, 0.47383814353398, 0.540809220838568),
    ("strata+PSU", 0.507348258357226, 0.0167712595840644, 922, 56, 0.473233376535445,
     0.541412207644769),
    ("domain HS", 0.471999767708621, 0.0348828290040279, 276, 56, 0.400786658613709,
     0.544064683764286),
    ("domain PG", 0.501335861736522, 0.0438888962101757, 167, 52, 0.410824184861583,
     0.5917831333426),
]  # fmt: skip


@pytest.mark.parametrize(("case", "p", "se", "df", "low", "high"), R_LOGIT)
def test_logit_interval_matches_r(case, p, se, df, low, high):
    (lows, highs) = logit_intervals([p], [se], [df])
    assert (lows[0], highs[0]) == pytest.approx((low, high), rel=1e-9), case


@pytest.mark.parametrize(("case", "p", "se", "n", "df", "low", "high"), R_BETA)
def test_korn_graubard_matches_r(case, p, se, n, df, low, high):
    n_eff = effective_sample_sizes([p], [se], [n], [df])[0]
    assert n_eff < n, case  # the cap does not bind, so R's beta is the NCHS interval
    # R publishes these to 15 digits; R's and scipy's beta quantiles agree to ~1e-12
    (lows, highs) = korn_graubard_intervals([p], [n_eff])
    assert (lows[0], highs[0]) == pytest.approx((low, high), rel=1e-9), case


def test_effective_sample_size_matches_r_and_stata():
    """R and Stata: n* = 852.88 (strata+PSU) and 197.79 (domain HS), to the digits given."""
    assert effective_sample_sizes([0.507348258357226], [0.0167712595840644], [922], [56])[0] == (
        pytest.approx(852.88, abs=0.005)
    )
    assert effective_sample_sizes([0.471999767708621], [0.0348828290040279], [276], [56])[0] == (
        pytest.approx(197.79, abs=0.005)
    )


@pytest.mark.parametrize(("p", "low", "high"), [(1.0, 0.9400, 1.0), (0.0, 0.0, 0.0600)])
def test_korn_graubard_at_zero_and_one_matches_stata(p, low, high):
    """Stata kg_nchs on 100 respondents, df 5: n* = 59.58 (n, adjusted for df), p = 1 gives
    (0.9400, 1.0000) and p = 0 its mirror, to the 4 digits Stata prints."""
    n_eff = effective_sample_sizes([p], [0.0], [100], [5])[0]
    assert n_eff == pytest.approx(59.58, abs=0.005)
    (lows, highs) = korn_graubard_intervals([p], [n_eff])
    assert (lows[0], highs[0]) == pytest.approx((low, high), abs=5e-5)


def test_the_cap_at_n_comes_after_the_df_adjustment():
    """svy's case of a design effect below 1 (p 0.5, SE 0.03, n 100, df 50): p(1-p)/SE^2 =
    277.8, adjusted 264, capped at n = 100 (capping before the adjustment would give 95)."""
    assert effective_sample_sizes([0.5], [0.03], [100], [50])[0] == 100.0
