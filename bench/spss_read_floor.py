"""The floor of reading an SPSS respondent file: `werkdata synth --format sav` writes N
respondents x M items (default 1,000,000 x 150, seed 1), then fresh processes time
`pyreadstat.read_sav` on it, whole and in chunks of 100,000 rows, with their peak memory.

    .venv/bin/python bench/spss_read_floor.py [N] [M] [RUNS]

The issue's target for a first publish from SPSS is at most 1.5x (this read + the publish of
the same respondents as Parquet); docs/performance.md keeps the figures. Each read runs in its
own interpreter (imports included, as a publish pays them), files in the page cache after the
write."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHUNK = 100_000
# One read in a fresh interpreter: prints {"seconds", "rows", "peak_mb"} as JSON.
READ = """
import json, resource, sys, time
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
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "rows": rows, "peak_mb": peak}))
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
    from pipeline.synth import write_project
    from tests.synth.readers import SOURCE

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        result = write_project(SOURCE, Path(folder) / "p", respondents, 1, items=items,
                               file_format="sav")  # fmt: skip
        written = time.perf_counter() - start
        (path,) = result.files
        size = os.path.getsize(path) / 2**20
        print(
            f"SPSS file of {respondents} respondents x {items} items: {size:.0f} MB, written "
            f"by synth in {written:.1f} s; load average {os.getloadavg()[0]:.1f}"
        )
        for label, chunk in (("read_sav, whole file", 0), (f"read_sav, chunks of {CHUNK}", CHUNK)):
            found = [read_once(path, chunk) for _ in range(runs)]
            assert all(r["rows"] == respondents for r in found), found
            seconds = [r["seconds"] for r in found]
            print(
                f"  {label}: {statistics.median(seconds):.2f} s median of {runs} "
                f"(runs {' '.join(f'{s:.2f}' for s in seconds)}), peak "
                f"{max(r['peak_mb'] for r in found):.0f} MB"
            )


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
