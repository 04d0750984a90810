"""The floor of reading an SPSS respondent file: `werkdata synth --format sav` writes N
respondents x M items (default 1,000,000 x 150, seed 1), then fresh processes time
`pyreadstat.read_sav` on it, whole and in chunks of 100,000 and 10,000 rows, with their peak
memory.

    .venv/bin/python bench/spss_read_floor.py [N] [M] [RUNS]

The issue's target for a first publish from SPSS is at most 1.5x (this read + the publish of
the same respondents as Parquet); docs/performance.md keeps the figures. The file is written by
the synth command and each read runs in its own interpreter (imports included, as a publish
pays them), the file in the page cache after the write; its CPU seconds (user + system) are
printed beside the wall time, as they depend less on a shared machine's load. A read's peak is
its process's VmHWM: getrusage's ru_maxrss of a child keeps the parent's peak at the fork (a
parent that had held the respondents made every read look as large)."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHUNKS = (0, 100_000, 10_000)  # rows a chunk; 0 reads the whole file at once
WERKDATA = Path(sys.executable).with_name("werkdata")
# One read in a fresh interpreter: prints {"seconds", "cpu", "rows", "peak_mb"} as JSON.
READ = """
import json, os, re, sys, time
from pathlib import Path
start = time.perf_counter()
import pyreadstat
path, chunk = sys.argv[1], int(sys.argv[2])
if chunk:
    rows = 0
    for frame, _ in pyreadstat.read_file_in_chunks(
        pyreadstat.read_sav, path, chunksize=chunk, user_missing=True
    ):
        rows += len(frame)
else:
    frame, _ = pyreadstat.read_sav(path, user_missing=True)
    rows = len(frame)
seconds = time.perf_counter() - start
cpu = sum(os.times()[:2])
status = Path("/proc/self/status").read_text()
peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows, "peak_mb": peak}))
"""


def read_once(path: Path, chunk: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", READ, str(path), str(chunk)],
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    return json.loads(done.stdout)


def main(respondents: int = 1_000_000, items: int = 150, runs: int = 3) -> None:
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        subprocess.run(
            [str(WERKDATA), "--root", str(ROOT), "synth", "--respondents", str(respondents),
             "--seed", "1", "--items", str(items), "--format", "sav", "--out", folder],
            check=True, capture_output=True, timeout=3600,
        )  # fmt: skip
        written = time.perf_counter() - start
        synth_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        path = Path(folder) / "raw" / "2024" / "microdata" / "respondents.sav"
        size = os.path.getsize(path) / 2**20
        print(
            f"SPSS file of {respondents} respondents x {items} items: {size:.0f} MB, written "
            f"by synth in {written:.1f} s, peak {synth_peak:.0f} MB; load average "
            f"{os.getloadavg()[0]:.1f}"
        )
        for chunk in CHUNKS:
            found = [read_once(path, chunk) for _ in range(runs)]
            assert all(r["rows"] == respondents for r in found), found
            seconds = [r["seconds"] for r in found]
            label = f"chunks of {chunk}" if chunk else "whole file"
            cpu = statistics.median(r["cpu"] for r in found)
            print(
                f"  read_sav, {label}: {statistics.median(seconds):.2f} s median of {runs} "
                f"(runs {' '.join(f'{s:.2f}' for s in seconds)}), CPU {cpu:.2f} s, peak "
                f"{max(r['peak_mb'] for r in found):.0f} MB"
            )


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
