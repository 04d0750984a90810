"""Validation time of two checkouts side by side: `werkdata validate`'s call (the plan's
validation steps, `validate_local`; `validate_raw` in a checkout from before it) on the real
data, each run in a fresh process (imports included, as the validation step of a publish pays
them), the two checkouts alternately, median of RUNS; and `publish --local` into an empty
folder the same way, which includes the output contract of the build step.

Usage: .venv/bin/python bench/validation_bench.py BEFORE_CHECKOUT AFTER_CHECKOUT [RUNS]
Both checkouts run with this interpreter (the same installed packages); PYTHONPATH points each
process at its checkout's code, and each validates its own raw/ and schemas/.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

VALIDATE = """
import time
start = time.perf_counter()
import pipeline
try:
    from pipeline.orchestrate.runner import validate_local as validate
except ImportError:  # a checkout from before the validation ran through the plan
    from pipeline.checks.validate import validate_raw as validate
from pipeline.core.paths import Project
report, inputs = validate(Project.at({root!r}))
assert inputs is not None and pipeline.__file__.startswith({root!r})
print(time.perf_counter() - start)
"""

PUBLISH = """
import sys, time
start = time.perf_counter()
from flows.cli import main
code = main(["--root", {root!r}, "--published", {out!r}, "publish", "--local"])
assert code == 0
print(time.perf_counter() - start)
"""


def seconds(root: Path, script: str, **values: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(root)}
    code = script.format(root=str(root), **values)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{root}: {done.stderr}")
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    before, after = (Path(a).resolve() for a in sys.argv[1:3])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    times: dict[tuple[str, Path], list[float]] = {}
    for _ in range(runs):
        for root in (before, after):
            times.setdefault(("validate", root), []).append(seconds(root, VALIDATE))
            out = Path(tempfile.mkdtemp(prefix="werkdata-bench-"))
            try:
                took = seconds(root, PUBLISH, out=str(out / "published"))
            finally:
                shutil.rmtree(out)
            times.setdefault(("publish --local", root), []).append(took)
    for what in ("validate", "publish --local"):
        b, a = (statistics.median(times[(what, r)]) for r in (before, after))
        print(f"{what}: before {b:.3f} s, after {a:.3f} s, after/before {a / b:.2f}")
        for root in (before, after):
            print(f"  {root}: " + " ".join(f"{t:.3f}" for t in times[(what, root)]))


if __name__ == "__main__":
    main()
