"""`publish --local` of one project by two checkouts of the code, alternately, side by side.

    .venv/bin/python bench/checkout_ab.py BEFORE AFTER PROJECT [RUNS]

BEFORE and AFTER are checkouts of this repository (`git worktree add --detach DIR COMMIT`);
PROJECT is a project folder (one the synth command made). Each run is a fresh process of this
interpreter with PYTHONPATH at one checkout, publishing PROJECT into an emptied published/; the
two checkouts alternate, RUNS times each (5 unless given). Printed per checkout: the median
wall seconds, peak RSS (MB) and estimate step (from the trace marks, as bench/estimate_bench.py
reads them), with every run, and AFTER / BEFORE of each median.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from estimate_bench import PYTHON, child_env, empty, run, trace_steps

FIGURES = ("wall s", "peak RSS MB", "estimate s")


def one_run(checkout: Path, project: Path, trace: Path) -> tuple[float, float, float]:
    """Wall seconds, peak RSS and estimate step of one publish of `project` by `checkout`."""
    empty(project / "published")
    trace.unlink(missing_ok=True)
    env = {**child_env(), "PYTHONPATH": str(checkout), "WERKDATA_TRACE": str(trace)}
    spawned = time.monotonic()
    command = [PYTHON, "-m", "flows.cli", "--root", str(project), "publish", "--local"]
    wall, rss, _ = run(command, checkout, env)
    return wall, rss, trace_steps(spawned, time.monotonic(), trace)["estimate"]


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    before, after, project = (Path(arg).resolve() for arg in argv[:3])
    runs = int(argv[3]) if len(argv) > 3 else 5
    checkouts = {"before": before, "after": after}
    found: dict[str, list[tuple[float, float, float]]] = {label: [] for label in checkouts}
    with tempfile.TemporaryDirectory() as folder:
        trace = Path(folder) / "trace"
        for _ in range(runs):
            for label, checkout in checkouts.items():
                found[label].append(one_run(checkout, project, trace))
    print(f"publish --local of {project}, {runs} runs each, alternated (medians)")
    medians = {}
    for label, checkout in checkouts.items():
        print(f"  {label}: {checkout}")
        for position, figure in enumerate(FIGURES):
            values = [result[position] for result in found[label]]
            medians[label, figure] = statistics.median(values)
            runs_text = " ".join(f"{value:.2f}" for value in values)
            print(f"    {figure:<13}{medians[label, figure]:.2f}   runs {runs_text}")
    ratios = ", ".join(
        f"{figure} {medians['after', figure] / medians['before', figure]:.2f}" for figure in FIGURES
    )
    print(f"  after / before: {ratios}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
