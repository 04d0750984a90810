"""The engine's unrounded shares for the estimate benchmark's guard: the publish plan's
validation and estimate steps, in this process, on a synthetic project; the shares of the
published (unsuppressed) cells before the build rounds them (D10: every comparison with a
reference reads the engine's unrounded output, never the published values).

Run as a fresh process: `python bench/estimate_engine.py PROJECT OUT.parquet` writes the cells'
keys and their unrounded share as `value` (null where suppressed) to OUT.parquet and prints one
JSON line of seconds.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.core.paths import Project
from pipeline.orchestrate import plan
from pipeline.orchestrate.runner import InProcess, run_steps

KEY = ("population_id", "breakdown_id", "breakdown_value", "indicator_id")
# The plan's steps up to the engine's protected cells (no build, nothing published).
STEPS = ("validate raw inputs", "validate respondents", "estimate")


def engine_cells(root: Path, out: Path) -> dict:
    start = time.perf_counter()
    run = plan.PublishRun(Project.at(root))
    run_steps(run, [step for step in plan.PLAN if step.name in STEPS], InProcess())
    seconds = time.perf_counter() - start
    cells = run.estimates.select([*KEY, "share"]).rename_columns([*KEY, "value"])
    pq.write_table(cells, out)
    return {"engine_s": seconds, "cells": cells.num_rows}


def main() -> None:
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    print(json.dumps(engine_cells(root, out)))


if __name__ == "__main__":
    main()
