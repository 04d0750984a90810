"""The estimation tests' shared reference: R's survey package, run once per test session (per
xdist worker: the tests that use it share the xdist group `r_survey`, so one worker runs them
all and R runs once)."""

from __future__ import annotations

import pytest

from tests.estimate.r_cases import CASES
from tests.estimate.r_survey import Reference, run_r


@pytest.fixture(scope="session")
def r_survey(tmp_path_factory) -> Reference:
    """R survey's estimate of every cell of every case in tests/estimate/r_cases.py."""
    return run_r(tmp_path_factory.mktemp("r-survey"), CASES)
