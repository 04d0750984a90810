"""What the benchmark scripts' tests share: a small project made by the synth command, as a user
makes the benchmark's projects; made once per test process, each test gets its own copy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

WERKDATA = Path(sys.executable).with_name("werkdata")


@pytest.fixture(scope="session")
def synthetic_source(tmp_path_factory) -> Path:
    """The project of 1,000 synthetic respondents and 10 items (`werkdata synth --seed 1
    --items 10`); never written to. Not the default 150 items: the scripts' mechanics are what
    is tested, and a publish of sparse cells spends seconds per item set in the disclosure
    audit (2,000 respondents x 30 items made the checkout A/B ~13 s of the serial group)."""
    out = tmp_path_factory.mktemp("synthetic-source")
    subprocess.run(
        [str(WERKDATA), "synth", "--respondents", "1000", "--seed", "1", "--items", "10",
         "--out", str(out)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return out


@pytest.fixture
def synthetic_project(synthetic_source: Path, tmp_path: Path) -> Path:
    """A copy of the 1,000-respondent synthetic project in tmp_path, for the test to write in."""
    shutil.copytree(synthetic_source, tmp_path, dirs_exist_ok=True)
    return tmp_path
