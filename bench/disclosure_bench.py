"""Disclosure control on the realistic tables of bench/disclosure_tables.py (35,100 cells each):
`suppress` alone, `audit` of the final pattern alone, and the whole of `protect` (suppress, audit,
widen until the audit passes), each the median of RUNS runs in this process. The last line is
JSON, for a summary to cite.

Usage: .venv/bin/python bench/disclosure_bench.py [RUNS]   (default 3; from the repository root)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
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
            seconds, result = timed(
                lambda: audit(table, protected.pattern, config.threshold)  # noqa: B023
            )
            times["audit"].append(seconds)
            assert result.passed
        record = protected.record
        median = {k: round(statistics.median(v), 3) for k, v in times.items()}
        summary[name] = {
            "cells": record["cells"],
            "suppressed_primary": record["suppressed_primary"],
            "suppressed_secondary": record["suppressed_secondary"],
            "first_audit_failures": record["first_audit_failures"],
            "rounds": record["rounds"],
            "components": result.components,
            "lp_solves": result.solves,
            "passed": record["passed"],
            **{f"{k}_seconds_median": v for k, v in median.items()},
        }
        r = record
        print(
            f"{name}: {r['cells']} cells, {r['suppressed_primary']} primary + "
            f"{r['suppressed_secondary']} secondary; first audit {r['first_audit_failures']} "
            f"failures, {r['rounds']} rounds; median of {runs}: suppress {median['suppress']} s, "
            f"audit {median['audit']} s ({result.components} components, {result.solves} LP "
            f"solves), protect {median['protect']} s"
        )
    print(json.dumps({"runs": runs, "tables": summary}, sort_keys=True))


if __name__ == "__main__":
    main()
