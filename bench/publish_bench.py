"""Benchmark of `werkdata publish` on the real data: medians of several runs, side by side.

Measures, each in a fresh process as a user would run it:
- `publish --local` that makes a new release (published/ emptied before each run),
- `publish --local` that finds nothing changed,
- `publish` through the Prefect flow on its temporary server (new release each run),
and, in-process, the cost of each step of the local path. Usage: make bench [RUNS=5]
"""

from __future__ import annotations

import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WERKDATA = str(Path(sys.executable).parent / "werkdata")
RUNS = int(os.environ.get("RUNS", "5"))
FLOW_RUNS = int(os.environ.get("FLOW_RUNS", "3"))


def make_copy(base: Path) -> Path:
    root = base / "project"
    for name in ("raw", "schemas"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "werkdata.toml", root / "werkdata.toml")
    (root / "published").mkdir()
    return root


def timed(args: list[str], cwd: Path, env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


def empty(folder: Path) -> None:
    shutil.rmtree(folder)
    folder.mkdir()


def steps(root: Path, env: dict, trace: Path) -> dict[str, float]:
    """Seconds per step of one real `werkdata publish --local`, from its trace marks
    (pipeline/core/trace.py): start-up is the time from the spawn to the first mark, "done to
    exit" from the last mark to the end of the process (the summary, the interpreter's exit)."""
    trace.unlink(missing_ok=True)
    spawned = time.monotonic()
    timed([WERKDATA, "publish", "--local"], root, {**env, "WERKDATA_TRACE": str(trace)})
    ended = time.monotonic()
    marks = [line.split() for line in trace.read_text(encoding="utf-8").splitlines()]
    moments = [spawned, *(float(moment) for moment, _ in marks), ended]
    names = ["start-up", *(name for _, name in marks[:-1]), "done to exit"]
    spans = itertools.pairwise(moments)
    return {name: later - earlier for name, (earlier, later) in zip(names, spans, strict=True)}


def main() -> None:
    env = {**os.environ, "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    with tempfile.TemporaryDirectory(prefix="werkdata-bench-") as tmp:
        root = make_copy(Path(tmp))
        env["PREFECT_HOME"] = str(Path(tmp) / "prefect-home")
        published = root / "published"
        changed, unchanged, flow = [], [], []
        timed([WERKDATA, "publish", "--local"], root, env)  # warm the OS file cache
        for _ in range(RUNS):
            empty(published)
            changed.append(timed([WERKDATA, "publish", "--local"], root, env))
            unchanged.append(timed([WERKDATA, "publish", "--local"], root, env))
        timed([WERKDATA, "publish"], root, env)  # first Prefect run sets up its database
        for _ in range(FLOW_RUNS):
            empty(published)
            flow.append(timed([WERKDATA, "publish"], root, env))
        empty(published)
        step_runs = []
        for _ in range(RUNS):
            empty(published)
            step_runs.append(steps(root, env, Path(tmp) / "trace"))
    med = statistics.median
    print(f"werkdata publish benchmark ({RUNS} runs, Prefect {FLOW_RUNS}; medians, wall seconds)")
    print(f"  publish --local, new release : {med(changed):6.2f} s   runs {fmt(changed)}")
    print(f"  publish --local, unchanged   : {med(unchanged):6.2f} s   runs {fmt(unchanged)}")
    print(f"  unchanged / new release      : {med(unchanged) / med(changed):6.2f}")
    print(f"  publish (Prefect flow)       : {med(flow):6.2f} s   runs {fmt(flow)}")
    print(f"  Prefect flow / local         : {med(flow) / med(changed):6.1f}x")
    print("  publish --local by step (median, from its trace marks):")
    for step in step_runs[0]:
        print(f"    {step:<12} {med(r[step] for r in step_runs):6.2f} s")


def fmt(values: list[float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
