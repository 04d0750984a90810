"""A first publish from an SPSS file against its floor: pyreadstat's own read of that file plus
the publish of the same respondents as Parquet (the target: at most 1.5x).

    .venv/bin/python bench/spss_publish_bench.py [RESPONDENTS] [ITEMS] [RUNS]

Writes two synthetic projects of the same respondents (`werkdata synth --seed 1`, RESPONDENTS
1,000,000 x ITEMS 150 by default): one with the contract's Parquet file, one with the agency's
SPSS file (`--format sav`: own column names, coded populations, value labels, "weet niet"
user-missing). Then RUNS times (3), each in a fresh process and in turn: `pyreadstat.read_sav`
of the SPSS file; `werkdata publish --local` of the Parquet project; the same of the SPSS project
with an empty cache (so it converts the file). Before each publish the project's `published/`
and `.werkdata/` are removed: every publish is a first one. Printed as JSON: each measurement's
median wall and CPU seconds (user + system of the process) and peak RSS (MB), and the ratio of
the SPSS publish to the floor, on wall and on CPU seconds (compare CPU on a shared machine).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
WERKDATA = str(Path(sys.executable).with_name("werkdata"))
REPO = Path(__file__).resolve().parent.parent
TARGET = 1.5

READ = "import sys, pyreadstat; pyreadstat.read_sav(sys.argv[1], user_missing=True)"


def measured(command: list[str]) -> dict[str, float]:
    """Wall and CPU seconds and peak RSS (MB) of one fresh process (its own rusage, from
    wait4); it must succeed."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            said = err.read().decode(errors="replace")[-2000:]
            sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{said}")
    cpu = usage.ru_utime + usage.ru_stime
    # this process stays small and starts each child itself, so the child's ru_maxrss is its
    # own peak (a fork keeps the parent's peak in it)
    return {"wall": wall, "cpu": cpu, "peak_mb": usage.ru_maxrss / 1024}


def first_publish(root: Path) -> dict[str, float]:
    """`werkdata publish --local` of `root` as a first publish: no release, no cache."""
    for leftover in (root / "published", root / ".werkdata"):
        shutil.rmtree(leftover, ignore_errors=True)
    return measured([WERKDATA, "--root", str(root), "publish", "--local"])


def median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(run[key] for run in runs), 2) for key in runs[0]}


def main(respondents: int, items: int, runs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="spss-publish-") as folder:
        roots = {}
        for file_format in ("parquet", "sav"):
            roots[file_format] = Path(folder) / file_format
            synth = [WERKDATA, "synth", "--respondents", str(respondents), "--seed", "1",
                     "--items", str(items), "--format", file_format,
                     "--out", str(roots[file_format])]  # fmt: skip
            measured(synth)
        (spss,) = (roots["sav"] / "raw").glob("*/microdata/*.sav")
        seen: dict[str, list[dict[str, float]]] = {"read_sav": [], "parquet": [], "sav": []}
        for _ in range(runs):
            seen["read_sav"].append(measured([PYTHON, "-c", READ, str(spss)]))
            seen["parquet"].append(first_publish(roots["parquet"]))
            seen["sav"].append(first_publish(roots["sav"]))
        figures = {name: median(values) for name, values in seen.items()}
        floor = {key: figures["read_sav"][key] + figures["parquet"][key] for key in ("wall", "cpu")}
        ratio = {key: round(figures["sav"][key] / floor[key], 2) for key in floor}
        return {
            "respondents": respondents,
            "items": items,
            "runs": runs,
            "spss_file_mb": round(spss.stat().st_size / 2**20, 1),
            "medians": figures,
            "ratio_to_floor": ratio,
            "target": TARGET,
            "met_on_cpu": ratio["cpu"] <= TARGET,
        }


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:4]]
    defaults = [1_000_000, 150, 3]
    respondents, items, runs = args + defaults[len(args) :]
    print(json.dumps(main(respondents, items, runs), indent=2))
