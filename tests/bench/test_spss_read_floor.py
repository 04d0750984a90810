"""bench/spss_read_floor.py, the SPSS read floor docs/performance.md quotes: a small real run
writes the file with the synth command and reads all of its rows back, whole and in chunks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "spss_read_floor.py"


@pytest.mark.slow  # five fresh interpreters (the script, synth, three reads): ~3.5 s of CPU
def test_the_file_is_written_and_read_whole_and_in_chunks():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "600", "5", "1"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    first, *reads = done.stdout.splitlines()
    assert first.startswith("SPSS file of 600 respondents x 5 items: "), first
    labels = ("whole file", "chunks of 100000", "chunks of 10000")
    for label, line in zip(labels, reads, strict=True):
        number = r"\d+\.\d\d"
        expected = (
            rf"  read_sav, {label}: {number} s median of 1 \(runs {number}\), CPU {number} s, "
        )
        assert re.fullmatch(expected + r"peak \d+ MB", line), line
