"""The floor of the estimate benchmark: the fastest hand-written DuckDB queries we found for the
shares and variance sums of every population node x (totaal | breakdown value) x indicator.

One pass at the finest grouping (leaf x stratum x PSU x every breakdown's value) with four
sums per indicator, then a roll-up of that small result: per breakdown, up the population tree,
per PSU, then per cell x stratum the sums the linearised variance needs (A, B, and the sums of
A_j^2, A_j B_j, B_j^2 over PSUs), and the share sum(A) / sum(B) per cell.

Run as a fresh process: `python bench/estimate_floor.py PROJECT OUT.parquet [floor|scan]`
prints one JSON line of seconds (timed in-process, query start to result in memory) and writes
the long shares to OUT.parquet (untimed) for the correctness guard.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from estimate_project import TOTAL, UNKNOWN, Project, load, quoted, weight_factor

# The roll-up of `fine` (the braces: generated column lists of quoted or generated names).
ROLLUP = """
    CREATE TEMP TABLE strata AS
    WITH leaves AS ({branches}),
    psus AS (
        SELECT node, breakdown_id, breakdown_value, stratum, psu, {psu_sums}
        FROM leaves JOIN ancestry USING (leaf) GROUP BY ALL
    )
    SELECT node, breakdown_id, breakdown_value, stratum, {strata_sums}
    FROM psus GROUP BY ALL;
    CREATE TEMP TABLE cells AS
    SELECT node, breakdown_id, breakdown_value, {shares} FROM strata GROUP BY ALL;
"""
UNPIVOT = """
    UNPIVOT (SELECT node AS population_id, breakdown_id, breakdown_value, {names} FROM cells)
    ON COLUMNS(* EXCLUDE (population_id, breakdown_id, breakdown_value))
    INTO NAME indicator_id VALUE share
"""


def literals(values: tuple[int, ...]) -> str:
    """Integer codes as SQL literals (int() checked: never text from the data)."""
    return ", ".join(str(int(value)) for value in values)


def fine_sql(project: Project, source: str) -> str:
    """The one pass: per leaf x stratum x PSU x breakdown values, per indicator i, a_i =
    answered, c_i = counted, wa_i = weight answered, wc_i = weight counted (NULL answers
    propagate, so sum() skips them without a CASE or FILTER: both measured slower)."""
    # the engine's fixed-point weights (estimate_project.weight_factor): with the raw weights a
    # small cell's share differs from the published one by up to ~5e-9 points
    w = f"round({quoted(project.weight)} * {weight_factor(project)!r})"  # repr: exact
    keys = [
        f"population_id AS leaf, {quoted(project.strata)} AS stratum, {quoted(project.psu)} AS psu",
        *(quoted(b) for b in project.breakdowns),
    ]
    sums = []
    for i, ind in enumerate(project.indicators):
        item = quoted(ind.item_id)
        ans = (
            f"({item} NOT IN ({literals(ind.exclude_codes)}))"
            if ind.exclude_codes
            else (f"({item} IS NOT NULL)")
        )
        cnt = f"({item} IN ({literals(ind.count_codes)}))"
        sums.append(
            f"sum({ans}::DOUBLE) AS a{i}, sum({cnt}::DOUBLE) AS c{i}, "
            f"sum({w} * {ans}::DOUBLE) AS wa{i}, sum({w} * {cnt}::DOUBLE) AS wc{i}"
        )
    return (
        f"SELECT {', '.join(keys)}, {', '.join(sums)} FROM {source} "  # noqa: S608 (quoted names)
        f"GROUP BY {', '.join(str(k + 1) for k in range(3 + len(project.breakdowns)))}"
    )


def rollup_sql(project: Project) -> str:
    """From `fine` and `ancestry` (leaf, node): per node x breakdown x value x stratum the
    variance sums of every indicator, and per cell the share (wide: one column per indicator)."""
    n = len(project.indicators)
    per_psu = ", ".join(f"sum(wa{i}) AS b{i}, sum(wc{i}) AS a{i}" for i in range(n))
    branches = [
        f"SELECT leaf, stratum, psu, '{TOTAL}' AS breakdown_id, '{TOTAL}' AS breakdown_value, "  # noqa: S608 (constants)
        f"{per_psu} FROM fine GROUP BY leaf, stratum, psu"
    ]
    for b in project.breakdowns:
        branches.append(
            f"SELECT leaf, stratum, psu, '{b}', COALESCE({quoted(b)}, '{UNKNOWN}'), {per_psu} "  # noqa: S608 (b checked by quoted())
            f"FROM fine GROUP BY leaf, stratum, psu, {quoted(b)}"
        )
    psu_sums = ", ".join(f"sum(b{i}) AS b{i}, sum(a{i}) AS a{i}" for i in range(n))
    strata_sums = ", ".join(
        f"sum(a{i}) AS a{i}, sum(b{i}) AS b{i}, sum(a{i} * a{i}) AS aa{i}, "
        f"sum(a{i} * b{i}) AS ab{i}, sum(b{i} * b{i}) AS bb{i}"
        for i in range(n)
    )
    shares = ", ".join(f"100 * sum(a{i}) / sum(b{i}) AS s{i}" for i in range(n))
    return ROLLUP.format(
        branches=" UNION ALL ".join(branches),
        psu_sums=psu_sums,
        strata_sums=strata_sums,
        shares=shares,
    )


def long_shares(con: duckdb.DuckDBPyConnection, project: Project):
    """The wide cells as one row per cell x indicator (population_id, breakdown_id,
    breakdown_value, indicator_id, share), an Arrow table."""
    names = ", ".join(
        f"s{i} AS {quoted(ind.indicator_id)}" for i, ind in enumerate(project.indicators)
    )
    return con.sql(UNPIVOT.format(names=names)).to_arrow_table()


def floor(project: Project, out: Path) -> dict:
    con = duckdb.connect()
    path = {"path": str(project.respondents)}
    con.execute("CREATE TABLE respondents AS FROM read_parquet($path)", path)  # in memory
    # one statement with bound lists (executemany seemed to slow the next pass; see report)
    leaves, nodes = zip(*project.ancestry, strict=True)
    tree = {"leaves": list(leaves), "nodes": list(nodes)}
    con.execute(
        "CREATE TABLE ancestry AS SELECT unnest($leaves) AS leaf, unnest($nodes) AS node", tree
    )
    start = time.perf_counter()
    con.execute(f"CREATE TEMP TABLE fine AS {fine_sql(project, 'respondents')}")
    fine_s = time.perf_counter() - start
    con.execute(rollup_sql(project))
    shares = long_shares(con, project)
    floor_s = time.perf_counter() - start
    rows = con.execute("SELECT count(*) FROM fine").fetchall()[0][0]
    # the same pass straight from the Parquet file, as the pipeline reads it
    con.execute("DROP TABLE fine")
    start = time.perf_counter()
    con.execute(f"CREATE TEMP TABLE fine AS {fine_sql(project, 'read_parquet($path)')}", path)
    fine_parquet_s = time.perf_counter() - start
    import pyarrow.parquet as pq

    pq.write_table(shares, out)
    return {
        "floor_s": floor_s,
        "fine_pass_s": fine_s,
        "rollup_s": floor_s - fine_s,
        "fine_pass_parquet_s": fine_parquet_s,
        "fine_rows": rows,
    }


def scan(project: Project) -> dict:
    """One scan summing every answer column of the in-memory table: the physical limit."""
    con = duckdb.connect()
    con.execute("CREATE TABLE respondents AS FROM read_parquet(?)", [str(project.respondents)])
    items = sorted({ind.item_id for ind in project.indicators})
    sums = ", ".join(f"sum({quoted(item)})" for item in items)
    start = time.perf_counter()
    con.sql(f"SELECT {sums} FROM respondents").fetchall()  # noqa: S608 (quoted identifiers)
    return {"scan_s": time.perf_counter() - start}


def main() -> None:
    root, out, mode = (
        Path(sys.argv[1]),
        Path(sys.argv[2]),
        sys.argv[3] if len(sys.argv) > 3 else "floor",
    )
    project = load(root)
    result = floor(project, out) if mode == "floor" else scan(project)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
