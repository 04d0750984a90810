"""bench/checkout_ab.py, the side-by-side publish of two checkouts that docs/performance.md
quotes: a small real run (this checkout against itself) prints every figure of both, and the
ratios."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.helpers import REPO


@pytest.mark.slow
@pytest.mark.xdist_group("serial")
def test_both_checkouts_are_measured(synthetic_project):
    script = [sys.executable, str(REPO / "bench" / "checkout_ab.py"), str(REPO), str(REPO)]
    done = subprocess.run(
        [*script, str(synthetic_project), "1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0] == f"publish --local of {synthetic_project}, 1 runs each, alternated (medians)"
    for start in (1, 5):
        assert lines[start].startswith(("  before: ", "  after: ")), lines[start]
        figures = ("wall s", "peak RSS MB", "estimate s")
        for figure, line in zip(figures, lines[start + 1 : start + 4], strict=True):
            assert re.fullmatch(rf"    {figure}\s+\d+\.\d\d   runs \d+\.\d\d", line), line
    assert re.fullmatch(
        r"  after / before: wall s \d+\.\d\d, peak RSS MB \d+\.\d\d, estimate s \d+\.\d\d",
        lines[9],
    ), lines[9]
    assert (synthetic_project / "published" / "werkonderzoek" / "latest").exists()
