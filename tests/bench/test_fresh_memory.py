"""bench/fresh_memory.py, the cost of fresh memory that docs/performance.md quotes: a small
real run prints a median per MB with huge pages and without."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "fresh_memory.py"


def test_both_settings_are_measured():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "4", "2"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0] == "fresh memory, 4 MB per process, median of 2 runs (ms per MB)"
    for label, line in zip(
        ("numpy default (huge pages)", "huge pages off"), lines[1:], strict=True
    ):
        assert line.strip().startswith(label), line
        assert re.search(r"\d+\.\d\d\s+runs \d+\.\d\d \d+\.\d\d$", line), line
