"""Benchmark of `werkdata publish` on the real data: medians of several runs, side by side.

Measures, each in a fresh process as a user would run it:
- `publish --local` that makes a new release (published/ emptied before each run),
- `publish --local` that finds nothing changed,
- `publish` that finds nothing changed (answered before Prefect starts),
- `publish` through the Prefect flow on its temporary server (new release each run),
- `publish` through the Prefect flow on a running server (PREFECT_API_URL; new release each run),
and, in-process, the cost of each step of the local path. Usage: make bench [RUNS=5]
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # flows.serve, run as a script from the repository

from flows.serve import start_server  # noqa: E402

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def temporary_runs(root: Path, env: dict, published: Path) -> list[float]:
    """New-release `publish` runs on Prefect's temporary server."""
    flow = []
    timed([WERKDATA, "publish"], root, env)  # first Prefect run sets up its database
    for _ in range(FLOW_RUNS):
        empty(published)
        flow.append(timed([WERKDATA, "publish"], root, env))
    return flow


def served_runs(root: Path, env: dict, published: Path, tmp: Path) -> list[float]:
    """New-release `publish` runs on a Prefect server that runs beside them (as `werkdata serve`
    keeps one), started here first and stopped after."""
    port = free_port()
    server = start_server(port, tmp / "server.log")
    served = {**env, "PREFECT_API_URL": f"http://127.0.0.1:{port}/api"}
    try:
        empty(published)
        timed([WERKDATA, "publish"], root, served)  # the server's first run of the flow
        runs = []
        for _ in range(FLOW_RUNS):
            empty(published)
            runs.append(timed([WERKDATA, "publish"], root, served))
        return runs
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    load_before = load()
    env = {**os.environ, "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    with tempfile.TemporaryDirectory(prefix="werkdata-bench-") as tmp:
        root = make_copy(Path(tmp))
        env["PREFECT_HOME"] = str(Path(tmp) / "prefect-home")
        published = root / "published"
        changed, unchanged, quick = [], [], []
        timed([WERKDATA, "publish", "--local"], root, env)  # warm the OS file cache
        for _ in range(RUNS):
            empty(published)
            changed.append(timed([WERKDATA, "publish", "--local"], root, env))
            unchanged.append(timed([WERKDATA, "publish", "--local"], root, env))
            quick.append(timed([WERKDATA, "publish"], root, env))  # the default path, unchanged
        flow = temporary_runs(root, env, published)
        served = served_runs(root, env, published, Path(tmp))
        empty(published)
        step_runs = []
        for _ in range(RUNS):
            empty(published)
            step_runs.append(steps(root, env, Path(tmp) / "trace"))
    med = statistics.median
    print(f"werkdata publish benchmark ({RUNS} runs, Prefect {FLOW_RUNS}; medians, wall seconds)")
    print(f"  load average before the runs : {load_before}, after {load()}")
    print(f"  publish --local, new release : {med(changed):6.2f} s   runs {fmt(changed)}")
    print(f"  publish --local, unchanged   : {med(unchanged):6.2f} s   runs {fmt(unchanged)}")
    print(f"  unchanged / new release      : {med(unchanged) / med(changed):6.2f}")
    print(f"  publish, unchanged           : {med(quick):6.2f} s   runs {fmt(quick)}")
    print(f"  publish (temporary server)   : {med(flow):6.2f} s   runs {fmt(flow)}")
    print(f"  Prefect flow / local         : {med(flow) / med(changed):6.1f}x")
    print(f"  publish (running server)     : {med(served):6.2f} s   runs {fmt(served)}")
    print(f"  running server - local       : {med(served) - med(changed):+6.2f} s")
    print("  publish --local by step (median, from its trace marks):")
    for step in step_runs[0]:
        print(f"    {step:<12} {med(r[step] for r in step_runs):6.2f} s")


def load() -> str:
    """The 1-, 5- and 15-minute load averages (the machine is shared)."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def fmt(values: list[float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
