"""scipy's import before the numpy pass's read, or on a thread during it, side by side.

    .venv/bin/python bench/import_overlap.py PROJECT [RUNS]

PROJECT is one the synth command made. Each run is a fresh process that first imports what the
publish has loaded before its estimate step (pandas, pandera, frictionless, DuckDB, pyarrow),
then times the pass from its read to its roll-up (finest_groups and grouping_sets) with scipy
imported either first (`import first`) or on a thread while DuckDB reads
(`imported meanwhile`, pipeline/estimate/scipy_import.py), the two alternating; it prints the
median seconds of each over RUNS runs (5 unless given) and their ratio.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD = """
import json, sys, time
from pathlib import Path
import duckdb, frictionless, pandas, pandera, pyarrow
sys.path.insert(0, sys.argv[3])
from estimate_project import TOTAL, load
from pipeline.estimate import Design, bincount_pass, partials, scipy_import

project = load(Path(sys.argv[1]))
design = Design(project.weight, project.strata, project.psu)
con = duckdb.connect()
scale = partials.source_scale(
    [partials.source_binades(con, project.respondents, project.weight)], project.weight
)
started = time.perf_counter()
source, params = partials.source_clause(project.respondents)
sql = partials.respondents_sql(
    source, design, project.indicators, project.breakdowns, "population_id", params, scale
)
if sys.argv[2] == "import first":
    scipy_import.import_scipy()
    groups = bincount_pass.finest_groups(con, sql, params, project.indicators, project.breakdowns)
else:
    with scipy_import.imported_meanwhile():
        groups = bincount_pass.finest_groups(
            con, sql, params, project.indicators, project.breakdowns
        )
bincount_pass.grouping_sets(groups, project.breakdowns, TOTAL)
print(json.dumps({"seconds": time.perf_counter() - started}))
"""
ORDERS = ("import first", "imported meanwhile")


def one_run(project: Path, order: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(project), order, str(REPO / "bench")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"import_overlap: the run '{order}' failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1])["seconds"]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    project, runs = Path(argv[0]), int(argv[1]) if len(argv) > 1 else 5
    found: dict[str, list[float]] = {order: [] for order in ORDERS}
    for _ in range(runs):
        for order in ORDERS:
            found[order].append(one_run(project, order))
    print(f"numpy pass, read to roll-up, at {project} (median of {runs} fresh processes, seconds)")
    for order in ORDERS:
        runs_text = " ".join(f"{value:.3f}" for value in found[order])
        print(f"  {order:<20}{statistics.median(found[order]):.3f}   runs {runs_text}")
    ratio = statistics.median(found[ORDERS[1]]) / statistics.median(found[ORDERS[0]])
    print(f"  meanwhile / first   {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
