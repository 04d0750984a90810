"""How the one pass is written, and what the alternatives cost: each form of the per-indicator
sums, timed side by side on one synthetic project (medians of RUNS, one DuckDB connection).

    .venv/bin/python bench/pass_variants.py [--respondents N] [--runs R]

The forms: `cast` (what partials.sql does: sum((item IN (codes))::DOUBLE) and w times it),
`case` (CASE WHEN ... THEN w ELSE 0 END), `filter` (sum(w) FILTER (WHERE ...)), each at the
finest grouping; `grouping-sets` (the cast form over the respondents with one grouping set per
breakdown, instead of a roll-up of the finest result); and the cast form on the same rows
written as one Parquet row group (DuckDB then reads with one thread); the others read the rows
written as eight row groups. (partials.sql uses the cast form with the two counts packed into one
sum.) Prints a table; the
figures in docs/performance.md come from it.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

WERKDATA = str(Path(sys.executable).parent / "werkdata")
KEYS = "population_id, stratum, psu"
BREAKDOWNS = ("leeftijd", "dienstjaren", "geslacht")


def conditions(row: dict) -> tuple[str, str]:
    item = row["item_id"]
    excluded = row["exclude_codes"].replace(" ", ", ")
    counted = row["count_codes"].replace(" ", ", ")
    answered = f"{item} NOT IN ({excluded})" if excluded else f"{item} IS NOT NULL"
    return answered, f"{item} IN ({counted})"


def sums(form: str, indicators: list[dict]) -> str:
    parts = []
    for row in indicators:
        answered, counted = conditions(row)
        if form == "cast":
            parts.append(
                f"sum(({answered})::DOUBLE), sum(({counted})::DOUBLE), "
                f"sum(w * ({answered})::DOUBLE), sum(w * ({counted})::DOUBLE)"
            )
        elif form == "case":
            parts.append(
                f"sum(CASE WHEN {answered} THEN 1 ELSE 0 END), "
                f"sum(CASE WHEN {counted} THEN 1 ELSE 0 END), "
                f"sum(CASE WHEN {answered} THEN w ELSE 0 END), "
                f"sum(CASE WHEN {counted} THEN w ELSE 0 END)"
            )
        else:
            parts.append(
                f"count(*) FILTER (WHERE {answered}), count(*) FILTER (WHERE {counted}), "
                f"sum(w) FILTER (WHERE {answered}), sum(w) FILTER (WHERE {counted})"
            )
    return ", ".join(parts)


def query(form: str, indicators: list[dict], sets: bool = False) -> str:
    """The pass in one form; the file is the bound parameter $source. The names in it come from
    the synthetic project's code lists."""
    rows = "(SELECT *, CAST(round(weight * 16777216) AS DOUBLE) AS w FROM read_parquet($source))"
    body = sums("cast" if sets else form, indicators)
    if sets:
        grouping = ", ".join([f"({KEYS})", *(f"({KEYS}, {b})" for b in BREAKDOWNS)])
        return (
            f"SELECT {KEYS}, {', '.join(BREAKDOWNS)}, count(*), {body} FROM {rows} "  # noqa: S608
            f"GROUP BY GROUPING SETS ({grouping})"
        )
    select = f"SELECT {KEYS}, {', '.join(BREAKDOWNS)}, count(*), {body} FROM {rows}"  # noqa: S608
    return select + " GROUP BY ALL"


def timed(con: duckdb.DuckDBPyConnection, sql: str, source: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        con.sql(sql, params={"source": str(source)}).to_arrow_table()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "project"
        subprocess.run(
            [WERKDATA, "synth", "--respondents", str(args.respondents), "--seed", "1",
             "--out", str(out)],
            check=True, capture_output=True,
        )  # fmt: skip
        table = pq.read_table(out / "raw" / "2024" / "microdata" / "respondents.parquet")
        source = Path(folder) / "eight-row-groups.parquet"
        pq.write_table(table, source, row_group_size=-(-args.respondents // 8))
        single = Path(folder) / "single-row-group.parquet"
        pq.write_table(table, single, row_group_size=args.respondents)
        with open(out / "raw" / "codelists" / "indicators.csv", encoding="utf-8") as handle:
            indicators = [row for row in csv.DictReader(handle) if row["item_id"]]
        con = duckdb.connect()
        cases = [
            ("cast, finest grouping", source, query("cast", indicators)),
            ("case when, finest grouping", source, query("case", indicators)),
            ("filter, finest grouping", source, query("filter", indicators)),
            ("cast, grouping sets over respondents", source, query("cast", indicators, True)),
            ("cast, finest, one row group", single, query("cast", indicators)),
        ]
        print(f"{args.respondents} respondents x {len(indicators)} indicators, {args.runs} runs")
        print(f"{'form':<40} {'median s':>9}  runs")
        base = None
        for name, path, sql in cases:
            times = timed(con, sql, path, args.runs)
            median = statistics.median(times)
            base = base or median
            runs = " ".join(f"{t:.2f}" for t in times)
            print(f"{name:<40} {median:>9.2f}  {runs}  ({median / base:.1f}x)")


if __name__ == "__main__":
    main()
