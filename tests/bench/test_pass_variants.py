"""bench/pass_variants.py, the forms of the one pass side by side: a small real run prints a
time for every form."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.helpers import REPO

FORMS = (
    "cast, finest grouping",
    "case when, finest grouping",
    "filter, finest grouping",
    "cast, grouping sets over respondents",
    "cast, finest, one row group",
)


@pytest.mark.slow
def test_every_form_is_timed():
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "pass_variants.py"), "--respondents", "3000",
         "--runs", "1"],
        capture_output=True, text=True, check=False, timeout=120, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    for form in FORMS:
        line = next(line for line in done.stdout.splitlines() if line.startswith(form + " "))
        assert re.search(r"\d+\.\d\d\s+\d+\.\d\d\s+\(\d+\.\dx\)$", line), line
