"""What the input fingerprint costs with respondent data: a synthetic project of N respondents
x 150 items is generated once, then the fingerprint is taken 5 times (the file in the page
cache after the first); prints the median and, last, one JSON line.

    python bench/fingerprint_bench.py --respondents 1000000
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from pipeline.core.paths import Project
from pipeline.orchestrate.fingerprint import fingerprint
from pipeline.synth import write_project

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "synthetic"
        write_project(Project.at(REPO), out, args.respondents, seed=1)
        size = sum(p.stat().st_size for p in (out / "raw").rglob("*.parquet"))
        project = Project.at(out)
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            fingerprint(project)
            runs.append(time.perf_counter() - start)
    median = statistics.median(runs)
    print(
        f"{args.respondents:,} respondents, {size / 1e6:.1f} MB of Parquet: fingerprint "
        f"median {median:.3f} s of 5 ({', '.join(f'{r:.3f}' for r in runs)})"
    )
    print(
        json.dumps(
            {
                "respondents": args.respondents,
                "parquet_bytes": size,
                "fingerprint_s": round(median, 4),
                "runs_s": [round(r, 4) for r in runs],
            }
        )
    )


if __name__ == "__main__":
    main()
