"""What touching memory the process has not used before costs on this machine, per MB.

    .venv/bin/python bench/fresh_memory.py [MB] [RUNS]

Each run is a fresh process that fills one new numpy array of MB megabytes (80 unless given)
with ones and times it, with numpy's default (large arrays advised as transparent huge pages)
and with NUMPY_MADVISE_HUGEPAGE=0; it prints the median milliseconds per MB of each over RUNS
runs (5 unless given). Why it matters: the estimation's arrays are fresh memory, so on a
machine where a MB costs milliseconds, every MB the estimation does not allocate is time saved
(docs/performance.md).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

CHILD = """
import json, sys, time
import numpy as np
megabytes = int(sys.argv[1])
started = time.perf_counter()
np.ones(megabytes * 2**17)
print(json.dumps({"ms_per_mb": (time.perf_counter() - started) * 1000 / megabytes}))
"""


def one_run(megabytes: int, hugepages: bool) -> float:
    env = {**os.environ}
    env.pop("NUMPY_MADVISE_HUGEPAGE", None)
    if not hugepages:
        env["NUMPY_MADVISE_HUGEPAGE"] = "0"
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(megabytes)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)["ms_per_mb"]


def main(argv: list[str]) -> int:
    megabytes = int(argv[0]) if argv else 80
    runs = int(argv[1]) if len(argv) > 1 else 5
    print(f"fresh memory, {megabytes} MB per process, median of {runs} runs (ms per MB)")
    for label, hugepages in (("numpy default (huge pages)", True), ("huge pages off", False)):
        found = [one_run(megabytes, hugepages) for _ in range(runs)]
        runs_text = " ".join(f"{value:.2f}" for value in found)
        print(f"  {label:<28}{statistics.median(found):.2f}   runs {runs_text}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
