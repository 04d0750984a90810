"""Time the synthetic generator and show its calibration:
`.venv/bin/python bench/synth_bench.py [N]` (default 100,000; 150 items, seed 1; from the
repository root). Prints the median of 3 runs of the generation alone and of
write_project (generation and Parquet), then the weighted national share of each calibrated
indicator, computed by pipeline.estimate, beside the real figure."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.core.breakdowns import TOTAL
from pipeline.estimate import estimate
from pipeline.synth import questionnaire, respondent_table, write_project
from tests.synth.readers import SOURCE, design, indicators, real_national_figures, spec, tree


def main(respondents: int = 100_000, items: int = 150) -> None:
    questions, _ = questionnaire(SOURCE.raw, items)
    generated, written = [], []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "synth"
        for _ in range(3):
            start = time.perf_counter()
            respondent_table(respondents, 1, questions)
            middle = time.perf_counter()
            write_project(SOURCE, out, respondents, 1, items=items)
            generated.append(middle - start)
            written.append(time.perf_counter() - middle)
        print(
            f"{respondents} respondents x {items} items: generation "
            f"{statistics.median(generated):.2f} s, write_project "
            f"{statistics.median(written):.2f} s (median of 3)"
        )
        calibrated = [i for i in indicators(out) if i.indicator_id in real_national_figures()]
        files = [str(path) for path in spec(out).files()]
        result = estimate(duckdb.connect(), files, design(out), calibrated, tree(out))
        for row in result.to_pylist():
            if row["population_id"] == "openbaar_bestuur" and row["breakdown_id"] == TOTAL:
                target = real_national_figures()[row["indicator_id"]]
                print(
                    f"  {row['indicator_id']}: {row['share']:.4f} (real {target:g}; SE "
                    f"{row['se']:.3f}, {row['respondents']} answered)"
                )


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
