"""The normalising step on a large SPSS file, against pyreadstat's own read of it.

    .venv/bin/python bench/microdata_convert.py [RESPONDENTS] [ITEMS] [RUNS] [FILE]

Writes (once, into a temporary folder) an SPSS file of RESPONDENTS (1,000,000) x ITEMS (150)
answer columns plus an id, a coded population and a weight, with value labels and "weet niet"
(9) user-missing, as `tests/ingest/agency_files.py` maps it; then, each in a fresh process,
RUNS times (3) alternately: `pyreadstat.read_sav` of the whole file (what reading it costs at
all), and `pipeline.ingest.microdata_normalise.normalise` of it into an empty cache (read in
chunks, mapped, labels checked, written as typed Parquet). Printed: the median wall seconds
and peak RSS (MB) of each, and their ratio. With FILE, the SPSS file is written there (or
reused when it exists: writing 1,000,000 x 150 takes minutes) and kept.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
REPO = Path(__file__).resolve().parent.parent
SCALE = {1: "Zeer oneens", 2: "Oneens", 3: "Neutraal", 4: "Eens", 5: "Zeer eens", 9: "Weet niet"}

READ = """
import sys, pyreadstat
pyreadstat.read_sav(sys.argv[1], user_missing=True)
"""

CONVERT = """
import json, sys
from pathlib import Path
from pipeline.ingest.microdata import microdata_spec
from pipeline.ingest.microdata_map import Contract
from pipeline.ingest.microdata_normalise import normalise
path, items, cache = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
scale = {int(k): v for k, v in json.loads(sys.argv[4]).items()}
names = [f"v{k:03d}" for k in range(1, items + 1)]
section = {
    "path": str(path), "weight": "Gewicht", "synthetic": True,
    "columns": {"RespNr": "respondent_id", "Sector": "population_id",
                **{f"V{k}": name for k, name in enumerate(names, start=1)}},
    "codes": {"population_id": {1: "rijk", 2: "gemeenten", 3: "provincies"}},
}
contract = Contract(frozenset({"rijk", "gemeenten", "provincies"}),
                    {name: scale for name in names}, {})
outcome = normalise(microdata_spec({"microdata": section}, path.parent), str, contract,
                    section, cache)
assert outcome.problems == [], outcome.problems
"""


def write_file(path: Path, respondents: int, items: int) -> None:
    """The SPSS file: ids, a coded population, weights, and ITEMS labelled answer columns."""
    import numpy as np
    import pandas as pd
    import pyreadstat

    rng = np.random.default_rng(1)
    columns = {
        "RespNr": np.arange(1, respondents + 1, dtype="float64"),
        "Sector": rng.integers(1, 4, respondents).astype("float64"),
        "Gewicht": rng.uniform(50, 500, respondents),
    }
    codes = np.array([1, 2, 3, 4, 5, 9], dtype="float64")
    for k in range(1, items + 1):
        answers = codes[rng.integers(0, 6, respondents)]
        answers[rng.random(respondents) < 0.05] = np.nan
        columns[f"V{k}"] = answers
    frame = pd.DataFrame(columns)
    labels = {f"V{k}": {float(c): v for c, v in SCALE.items()} for k in range(1, items + 1)}
    missing = {f"V{k}": [9.0] for k in range(1, items + 1)}
    pyreadstat.write_sav(frame, str(path), variable_value_labels=labels, missing_ranges=missing)


PEAK = "\nimport resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"


def measured(code: str, *args: str) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of a fresh process running `code` (it
    prints its own peak at the end). On a machine shared with other work the CPU seconds are
    the steadier figure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run(
        [PYTHON, "-c", code + PEAK, *args], cwd=REPO, check=True, capture_output=True, text=True
    )
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, int(done.stdout.split()[-1]) / 1024


def main(argv: list[str]) -> int:
    respondents = int(argv[0]) if argv else 1_000_000
    items = int(argv[1]) if len(argv) > 1 else 150
    runs = int(argv[2]) if len(argv) > 2 else 3
    with tempfile.TemporaryDirectory(prefix="werkdata-convert-") as folder:
        path = Path(argv[3]) if len(argv) > 3 else Path(folder) / "wo.sav"
        started = time.monotonic()
        if not path.exists():  # in its own process: Linux carries a parent's peak RSS into
            # the ru_maxrss of every child it forks, so this one must stay small
            command = [PYTHON, __file__, "--write", str(path), str(respondents), str(items)]
            subprocess.run(command, check=True)
        size = path.stat().st_size / 1e6
        print(
            f"{path.name}: {respondents:,} x {items}, {size:,.0f} MB, ready in "
            f"{time.monotonic() - started:.1f} s"
        )
        reads, converts = [], []
        for run in range(runs):
            reads.append(measured(READ, str(path)))
            cache = Path(folder) / f"cache-{run}"
            converts.append(measured(CONVERT, str(path), str(items), str(cache), json.dumps(SCALE)))
        for name, figures in (("pyreadstat.read_sav", reads), ("normalise", converts)):
            walls = [wall for wall, _, _ in figures]
            cpu = statistics.median(c for _, c, _ in figures)
            peak = statistics.median(rss for _, _, rss in figures)
            print(
                f"{name:<20} median {statistics.median(walls):6.2f} s wall, {cpu:6.2f} s CPU, "
                f"peak RSS {peak:,.0f} MB; runs " + " ".join(f"{w:.2f}" for w in walls)
            )
        for index, what in ((0, "wall"), (1, "CPU")):
            ratio = statistics.median(f[index] for f in converts) / statistics.median(
                f[index] for f in reads
            )
            print(f"normalise / read_sav ({what}): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"]:
        write_file(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
