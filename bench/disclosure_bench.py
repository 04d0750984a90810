"""Disclosure control on the realistic tables of bench/disclosure_tables.py (35,100 cells each,
answer classes, sensitive items): `suppress` alone, `audit` of the final pattern alone (over
respondents and answer classes), and the whole of `protect` (suppress, audit, widen until the
audit passes), each the median of RUNS runs in this process, with the number of cells each rule
suppressed. The last line is JSON, for a summary to cite.

Usage: .venv/bin/python bench/disclosure_bench.py [RUNS]   (default 3; from the repository root)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.disclosure_tables import STRESS, TYPICAL, realistic
from pipeline.disclose import DisclosureConfig, audit, protect, suppress


def timed(call):
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    config = DisclosureConfig()
    summary: dict[str, dict] = {}
    for name, sizes in (("stress", STRESS), ("typical", TYPICAL)):
        table = realistic(1, sizes)
        times: dict[str, list[float]] = {"suppress": [], "audit": [], "protect": []}
        for _ in range(runs):
            seconds, protected = timed(lambda: protect(table, config))  # noqa: B023
            times["protect"].append(seconds)
            times["suppress"].append(timed(lambda: suppress(table, config))[0])  # noqa: B023
            pattern = protected.pattern
            seconds, result = timed(
                lambda: audit(table, pattern, config.threshold, config.sensitive_threshold)  # noqa: B023
            )
            times["audit"].append(seconds)
            assert result.passed
        record = protected.record
        median = {k: round(statistics.median(v), 3) for k, v in times.items()}
        rules = Counter(protected.pattern.values())  # the bench may say why; a release may not
        summary[name] = {
            "cells": record["cells"],
            "suppressed": record["suppressed"],
            "by_rule": dict(sorted(rules.items())),
            "class_cells": record["class_cells"],
            "components": result.components,
            "lp_solves": result.solves,
            "milp_solves": result.milp_solves,
            "passed": record["passed"],
            **{f"{k}_seconds_median": v for k, v in median.items()},
        }
        r = record
        print(
            f"{name}: {r['cells']} cells, {r['suppressed']} suppressed "
            f"({', '.join(f'{k} {v}' for k, v in sorted(rules.items()))}); median of {runs}: "
            f"suppress {median['suppress']} s, audit {median['audit']} s ({result.components} "
            f"components, {result.class_cells} class cells, {result.solves} LP and "
            f"{result.milp_solves} MIP solves), protect {median['protect']} s"
        )
    print(json.dumps({"runs": runs, "tables": summary}, sort_keys=True))


if __name__ == "__main__":
    main()
