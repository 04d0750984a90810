"""Time one estimation of a generated wide table: `python -m tests.estimate.timing [N] [ITEMS]`
(default 100,000 x 150). Prints the median of 3 runs of the pass and of the whole estimation."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from pipeline.estimate import compute_partials, estimate_from_partials
from tests.estimate import synthetic


def main(respondents: int = 100_000, items: int = 150) -> None:
    indicators = synthetic.indicators(items)
    breakdowns = list(synthetic.BREAKDOWNS)
    with tempfile.TemporaryDirectory() as folder:
        table = synthetic.respondent_table(respondents, items)
        paths = synthetic.write_parts(table, Path(folder), 1)
        passes, totals = [], []
        for _ in range(3):
            con = duckdb.connect()
            start = time.perf_counter()
            partials = compute_partials(con, paths, synthetic.DESIGN, indicators, breakdowns)
            middle = time.perf_counter()
            result = estimate_from_partials(partials, synthetic.TREE)
            end = time.perf_counter()
            passes.append(middle - start)
            totals.append(end - start)
    print(
        f"{respondents} respondents x {items} items: {result.num_rows} estimates; "
        f"pass {statistics.median(passes):.2f} s, whole estimation "
        f"{statistics.median(totals):.2f} s (median of 3)"
    )


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
