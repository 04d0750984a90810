"""The variants of the floor's one pass that we tried, timed side by side in one process on one
in-memory table (best of `--runs`), each checked to give the same sums as the baseline.

Usage: python bench/estimate_floor_variants.py PROJECT [--runs 2]
(PROJECT from `werkdata synth`; bench/estimate_floor.py uses the fastest correct variant.)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from estimate_floor import fine_sql, literals
from estimate_project import WEIGHT_SCALE, Project, load, quoted


def keyed(project: Project, sums: list[str], source: str = "respondents") -> str:
    """A pass at the finest grouping with the given aggregate list."""
    keys = [
        f"population_id AS leaf, {quoted(project.strata)} AS stratum, {quoted(project.psu)} AS psu",
        *(quoted(b) for b in project.breakdowns),
    ]
    groups = ", ".join(str(k + 1) for k in range(3 + len(project.breakdowns)))
    return f"SELECT {', '.join(keys)}, {', '.join(sums)} FROM {source} GROUP BY {groups}"  # noqa: S608 (quoted names)


def conditions(project: Project) -> list[tuple[str, str]]:
    """(answered, counted) per indicator, NULL for a missing answer."""
    out = []
    for ind in project.indicators:
        item = quoted(ind.item_id)
        ans = (
            f"({item} NOT IN ({literals(ind.exclude_codes)}))"
            if ind.exclude_codes
            else f"({item} IS NOT NULL)"
        )
        out.append((ans, f"({item} IN ({literals(ind.count_codes)}))"))
    return out


def variants(project: Project) -> dict[str, str]:
    w = f"round({quoted(project.weight)} * {WEIGHT_SCALE})"  # as estimate_floor.fine_sql
    conds = conditions(project)
    found = {"baseline: 4 sums per indicator, DOUBLE casts": fine_sql(project, "respondents")}
    found["count_if for the two counts"] = keyed(
        project,
        [
            f"count_if({a}) AS a{i}, count_if({c}) AS c{i}, sum({w} * {a}::DOUBLE) AS wa{i}, "
            f"sum({w} * {c}::DOUBLE) AS wc{i}"
            for i, (a, c) in enumerate(conds)
        ],
    )
    found["both counts packed in one DOUBLE sum (a + c * 2^21)"] = keyed(
        project,
        [
            f"sum({a}::DOUBLE + {c}::DOUBLE * 2097152) AS ac{i}, sum({w} * {a}::DOUBLE) AS wa{i}, "
            f"sum({w} * {c}::DOUBLE) AS wc{i}"
            for i, (a, c) in enumerate(conds)
        ],
    )
    found["CASE WHEN instead of casts"] = keyed(
        project,
        [
            f"sum(CASE WHEN {a} THEN 1.0 ELSE 0.0 END) AS a{i}, "
            f"sum(CASE WHEN {c} THEN 1.0 ELSE 0.0 END) AS c{i}, "
            f"sum(CASE WHEN {a} THEN {w} ELSE 0.0 END) AS wa{i}, "
            f"sum(CASE WHEN {c} THEN {w} ELSE 0.0 END) AS wc{i}"
            for i, (a, c) in enumerate(conds)
        ],
    )
    found["integer sums (ans::INTEGER)"] = keyed(
        project,
        [
            f"sum({a}::INTEGER) AS a{i}, sum({c}::INTEGER) AS c{i}, "
            f"sum({w} * {a}::DOUBLE) AS wa{i}, sum({w} * {c}::DOUBLE) AS wc{i}"
            for i, (a, c) in enumerate(conds)
        ],
    )
    contiguous = []
    for (a, _), ind in zip(conds, project.indicators, strict=True):
        low, high = min(ind.count_codes), max(ind.count_codes)
        assert set(ind.count_codes) == set(range(low, high + 1))
        contiguous.append((a, f"({quoted(ind.item_id)} BETWEEN {int(low)} AND {int(high)})"))
    found["BETWEEN for contiguous count codes"] = keyed(
        project,
        [
            f"sum({a}::DOUBLE) AS a{i}, sum({c}::DOUBLE) AS c{i}, "
            f"sum({w} * {a}::DOUBLE) AS wa{i}, sum({w} * {c}::DOUBLE) AS wc{i}"
            for i, (a, c) in enumerate(contiguous)
        ],
    )
    found["raw weights, no round() (not the engine's weights: the cost of rounding)"] = keyed(
        project,
        [
            f"sum({a}::DOUBLE) AS a{i}, sum({c}::DOUBLE) AS c{i}, "
            f"sum({quoted(project.weight)} * {a}::DOUBLE) AS wa{i}, "
            f"sum({quoted(project.weight)} * {c}::DOUBLE) AS wc{i}"
            for i, (a, c) in enumerate(conds)
        ],
    )
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--only", default="", help="run the baseline and variants naming this")
    args = parser.parse_args()
    project = load(args.project)
    con = duckdb.connect()
    con.execute("CREATE TABLE respondents AS FROM read_parquet(?)", [str(project.respondents)])
    n = len(project.indicators)
    check = " + ".join(f"sum(wa{i}) + sum(wc{i})" for i in range(n))
    reference = None
    for name, sql in variants(project).items():
        if reference is not None and args.only not in name:
            continue
        best = float("inf")
        for _ in range(args.runs):
            con.execute("DROP TABLE IF EXISTS fine")
            start = time.perf_counter()
            con.execute(f"CREATE TEMP TABLE fine AS {sql}")
            best = min(best, time.perf_counter() - start)
        total = con.execute(f"SELECT {check}, count(*) FROM fine").fetchall()[0]  # noqa: S608 (generated names)
        reference = reference or total
        same = abs(total[0] - reference[0]) <= 1e-9 * abs(reference[0]) and total[1] == reference[1]
        print(f"{best:7.2f} s  {'same sums' if same else 'DIFFERENT'}  {name}", flush=True)


if __name__ == "__main__":
    main()
