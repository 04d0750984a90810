"""Where the estimate step's time goes, part by part, on a project the synth command made.

    .venv/bin/python bench/estimate_profile.py PROJECT [RUNS] [THREADS]

Runs the publish plan's steps up to the estimate step in this process, then times the estimate
step's parts RUNS times (5 unless given) and prints the median of each (seconds): the parts'
plan with the estimation modules' imports (first run only), DuckDB reading the columns (in the
first run with scipy imported on a thread meanwhile, as the pass does: scipy_import.py), the
sums per finest group, their roll-up to the grouping sets, the roll-up up the population tree
on its own, and the cells (that roll-up again, variance, intervals, statuses); and how many
times the garbage collector walked the whole process during the parts. Disclosure control is
not included: the step's trace mark ends before it. THREADS sets how many threads sum the items
(bincount_pass.THREADS, the machine's cores up to 4, unless given).
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def main(argv: list[str]) -> int:
    import duckdb
    import pyarrow as pa

    import pipeline.orchestrate.plan as plan
    from pipeline.core.paths import Project
    from pipeline.orchestrate.runner import InProcess, run_steps

    root, runs = Path(argv[0]), int(argv[1]) if len(argv) > 1 else 5
    run = plan.PublishRun(Project.at(root))
    step = next(step for step in plan.PLAN if step.mark == "estimate")
    run_steps(run, plan.VALIDATION, InProcess())  # the steps before it but the fingerprint
    clock = time.perf_counter
    started = clock()
    parts = step.parts(run)
    imports = clock() - started
    if len(parts) != 1 or parts[0].design.psu is None:
        print("estimate_profile: give a project with one respondent file and a psu column")
        return 2
    part = parts[0]

    from pipeline.core.breakdowns import TOTAL
    from pipeline.estimate import bincount_pass, engine, partials, rollup, scipy_import

    if len(argv) > 2:  # after the timed imports: importing it here would leave them untimed
        bincount_pass.THREADS = int(argv[2])
    from pipeline.orchestrate.estimation import population_tree

    tree = population_tree(run.inputs)
    timings: dict[str, list[float]] = {}
    full_collections = []  # the garbage collector's walks of the whole process, in the parts
    gc.callbacks.append(
        lambda phase, info: (
            full_collections.append(1) if phase == "start" and info["generation"] == 2 else None
        )
    )
    pool = ThreadPoolExecutor(bincount_pass.THREADS)  # as finest_groups sums
    for _ in range(runs):
        con = duckdb.connect()
        marks = [clock()]
        source, params = partials.source_clause(part.path)
        sql = partials.respondents_sql(
            source,
            part.design,
            part.indicators,
            part.breakdowns,
            "population_id",
            params,
            part.scale,
        )
        with scipy_import.imported_meanwhile():  # as bincount_partials reads
            reader = con.sql(sql, params=params).to_arrow_reader(bincount_pass.BATCH_ROWS)
            batches = list(bincount_pass.batches(reader))
        marks.append(clock())
        by_item = bincount_pass.indicators_by_item(part.indicators)
        groups = bincount_pass.Groups([*bincount_pass.BASE, *part.breakdowns], len(part.indicators))
        for batch in batches:
            bincount_pass.add_batch(groups, batch, by_item, pool)
        marks.append(clock())
        keys, sums = bincount_pass.grouping_sets(groups, part.breakdowns, TOTAL)
        ids = tuple(indicator.indicator_id for indicator in part.indicators)
        found = [partials.Partials(pa.table(keys), sums, ids, True, part.scale)]
        marks.append(clock())
        merged = partials.merge_partials(found)
        marks.append(clock())
        rollup.rolled_up(merged, tree)
        marks.append(clock())
        engine.estimate_from_partials(merged, tree)
        marks.append(clock())
        names = ("read", "sums per finest group", "grouping sets", "merge", "tree roll-up")
        names += ("cells, tree roll-up included",)  # estimate_from_partials rolls up again
        for name, begin, end in zip(names, marks[:-1], marks[1:], strict=True):
            timings.setdefault(name, []).append(end - begin)
        con.close()
    print(
        f"estimate step parts at {root} ({runs} runs, medians in seconds, "
        f"{bincount_pass.THREADS} summing threads)"
    )
    print(f"  plan and imports (first run)  {imports:.3f}")
    print(f"  full garbage collections in the parts, all runs: {len(full_collections)}")
    for name, values in timings.items():
        runs_text = " ".join(f"{value:.3f}" for value in values)
        print(f"  {name:<30}{statistics.median(values):.3f}   runs {runs_text}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
