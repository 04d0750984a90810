"""Benchmark of the estimation on partitions: `publish --local` against `publish --task-runner
dask`, side by side in one run, on synthetic projects of several sizes and partition counts.

For each size N and partition count K it writes `werkdata synth --respondents N --partitions K`
once, then times (wall seconds, each a fresh `werkdata` process, published/ emptied first):
- `publish --local` (the parts one after the other in the process),
- `publish --task-runner dask --dask-address A`, A a LocalCluster of K single-threaded worker
  processes started by this script (a standing cluster, as on a real one: its start-up is not
  timed), against one Prefect server this script starts (so no run pays a temporary server).
It also times, in-process, the partial sums of one part (`plan.estimate_part`) and the checks of
the same file (`plan.check_part`), with the pickled size of what each returns: what a worker
costs and what comes back from it.

Usage: python bench/scaling_bench.py   (env: SIZES=100000,1000000 PARTS=1,2,4 RUNS=3 ITEMS=150)
"""

from __future__ import annotations

import os
import pickle
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
BIN = Path(sys.executable).parent
SIZES = [int(n) for n in os.environ.get("SIZES", "100000,1000000").split(",")]
PARTS = [int(k) for k in os.environ.get("PARTS", "1,2,4").split(",")]
RUNS = int(os.environ.get("RUNS", "3"))
ITEMS = int(os.environ.get("ITEMS", "150"))


def werkdata(*args: str) -> list[str]:
    """The command line of `werkdata` from this checkout (PYTHONPATH puts it first)."""
    return [sys.executable, "-m", "flows.cli", *args]


def timed(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prefect_server(env: dict) -> tuple[subprocess.Popen, str]:
    """A Prefect server for the whole benchmark, and its API address once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    api = f"http://127.0.0.1:{port}/api"
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=1):  # noqa: S310 (localhost)
                return server, api
        except OSError:
            time.sleep(0.5)
    server.kill()
    sys.exit("the Prefect server did not start within 120 s")


def part_costs(root: Path) -> list[tuple[int, float, int, float, int]]:
    """(respondents, seconds, pickled bytes of the result) of each part of the estimate, then
    seconds and pickled bytes of the same file's part of the respondent checks, in-process."""
    from pipeline.core.paths import Project
    from pipeline.orchestrate import plan

    run = plan.PublishRun(Project.at(root))
    plan.validate(run)
    checks = []
    for part in plan.respondent_parts(run):
        start = time.perf_counter()
        result = plan.check_part(part)
        checks.append((time.perf_counter() - start, result))
    plan.finish_validation(run, [result for _, result in checks])
    costs = []
    for part, (check_s, check) in zip(plan.estimate_parts(run), checks, strict=True):
        start = time.perf_counter()
        result = plan.estimate_part(part)
        seconds = time.perf_counter() - start
        sizes = len(pickle.dumps(result)), len(pickle.dumps(check))
        costs.append((part.respondents, seconds, sizes[0], check_s, sizes[1]))
    return costs


def main() -> None:
    from distributed import LocalCluster

    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    rows = []
    with tempfile.TemporaryDirectory(prefix="werkdata-scaling-") as tmp:
        env["PREFECT_HOME"] = str(Path(tmp) / "prefect-home")
        server, api = prefect_server(env)
        env["PREFECT_API_URL"] = api
        try:
            for n in SIZES:
                for k in PARTS:
                    root = Path(tmp) / f"p{n}x{k}"
                    synth = ["synth", "--respondents", str(n), "--seed", "1"]
                    synth += ["--out", str(root), "--partitions", str(k), "--items", str(ITEMS)]
                    timed(werkdata(*synth), env)
                    published = root / "published"
                    local, dask = [], []
                    with LocalCluster(n_workers=k, threads_per_worker=1, processes=True) as cluster:
                        address = cluster.scheduler_address
                        args = ["--root", str(root), "publish"]
                        timed(werkdata(*args, "--local"), env)  # warm the file cache
                        for _ in range(RUNS):  # interleaved: both see the same machine load
                            shutil.rmtree(published)
                            local.append(timed(werkdata(*args, "--local"), env))
                            shutil.rmtree(published)
                            runner = ["--task-runner", "dask", "--dask-address", address]
                            dask.append(timed(werkdata(*args, *runner), env))
                    costs = part_costs(root)
                    shutil.rmtree(root)
                    rows.append((n, k, local, dask, costs))
                    report(rows[-1])
        finally:
            server.terminate()
            server.wait(timeout=30)
    med = statistics.median
    print(f"\nscaling benchmark at commit {commit}, {ITEMS} items, {RUNS} runs, medians (s)")
    print(f"cores: {os.cpu_count()}")
    print(
        "| respondents | partitions = workers | --local | --task-runner dask | dask/local "
        "| one part: s | one part: KiB returned | one check: s | one check: KiB returned |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, k, local, dask, costs in rows:
        part_s = med(c[1] for c in costs)
        part_kib = med(c[2] for c in costs) / 1024
        check_s = med(c[3] for c in costs)
        check_kib = med(c[4] for c in costs) / 1024
        print(
            f"| {n:,} | {k} | {med(local):.2f} | {med(dask):.2f} | {med(dask) / med(local):.2f} "
            f"| {part_s:.2f} | {part_kib:.0f} | {check_s:.2f} | {check_kib:.0f} |"
        )


def report(row) -> None:
    n, k, local, dask, costs = row
    print(
        f"{n} respondents x {k} partitions: local {fmt(local)}; dask {fmt(dask)}; "
        f"parts (respondents, s, bytes) {costs}",
        flush=True,
    )


def fmt(values: list[float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
