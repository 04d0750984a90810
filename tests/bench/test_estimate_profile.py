"""bench/estimate_profile.py, where the estimate step's time goes: a small real run prints a
median for every part, and refuses a project it cannot profile."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

PARTS = (
    "read",
    "sums per finest group",
    "grouping sets",
    "merge",
    "tree roll-up",
    "cells, tree roll-up included",
)


def profile(root: Path) -> subprocess.CompletedProcess:
    script = [sys.executable, str(REPO / "bench" / "estimate_profile.py"), str(root), "2"]
    return subprocess.run(script, capture_output=True, text=True, check=False, timeout=180)


@pytest.mark.slow
def test_every_part_of_the_step_is_timed(synthetic_project):
    done = profile(synthetic_project)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert re.search(r"plan and imports \(first run\)\s+\d+\.\d{3}$", lines[1]), lines[1]
    collections = lines[2]
    assert re.fullmatch(r"  full garbage collections in the parts, all runs: \d+", collections), (
        collections
    )
    for part in PARTS:
        line = next(line for line in lines if line.strip().startswith(part + " "))
        assert re.search(r"\d+\.\d{3}\s+runs \d+\.\d{3} \d+\.\d{3}$", line), line


def test_a_project_without_respondent_files_is_refused():
    done = profile(REPO)  # the real project: published figures, no respondent files
    assert done.returncode == 2
    assert "one respondent file and a psu column" in done.stdout
