"""What the benchmark scripts' tests share: a small project made by the synth command, as a user
makes the benchmark's projects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

WERKDATA = Path(sys.executable).with_name("werkdata")


@pytest.fixture
def synthetic_project(tmp_path: Path) -> Path:
    """A project of 2,000 synthetic respondents (`werkdata synth --seed 1`) in tmp_path."""
    subprocess.run(
        [str(WERKDATA), "synth", "--respondents", "2000", "--seed", "1", "--out", str(tmp_path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return tmp_path
