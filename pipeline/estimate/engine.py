"""Estimates per population node x breakdown value (and `totaal`) x indicator, from a wide
respondent table: one pass (partials), a roll-up, then the share, its variance, interval,
effective sample size and status per cell."""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.estimate.design import Design, Indicator, PopulationTree
from pipeline.estimate.intervals import (
    effective_sample_size,
    korn_graubard_interval,
    logit_interval,
)
from pipeline.estimate.partials import Partials, compute_partials
from pipeline.estimate.rollup import StratumUnits, design_units, rolled_up
from pipeline.estimate.variance import StratumSums, degrees_of_freedom, share_variance

LOW_RELIABILITY = 30  # status U below this effective sample size
CELL = ("population_id", "breakdown_id", "breakdown_value", "indicator_id")

SCHEMA = pa.schema(
    [
        ("population_id", pa.string()),
        ("breakdown_id", pa.string()),
        ("breakdown_value", pa.string()),
        ("indicator_id", pa.string()),
        ("respondents", pa.int64()),
        ("respondents_counted", pa.int64()),
        ("share", pa.float64()),
        ("se", pa.float64()),
        ("ci_low", pa.float64()),
        ("ci_high", pa.float64()),
        ("ci_method", pa.string()),
        ("df", pa.int64()),
        ("n_effective", pa.float64()),
        ("status", pa.string()),
    ]
)


def estimate(
    con: duckdb.DuckDBPyConnection,
    source: str | Path | Sequence[str | Path],
    design: Design,
    indicators: Sequence[Indicator],
    tree: PopulationTree,
    breakdowns: Sequence[str] = (),
    population: str = "population_id",
) -> pa.Table:
    """The estimates of every population node x breakdown value (and `totaal`) x indicator of
    the respondents in source (a table name, or Parquet file(s)); see SCHEMA. Shares, SE and
    interval are in percent."""
    partials = compute_partials(con, source, design, indicators, breakdowns, population)
    return estimate_from_partials(con, partials, tree)


def estimate_from_partials(
    con: duckdb.DuckDBPyConnection,
    partials: Partials,
    tree: PopulationTree,
    low_reliability: int = LOW_RELIABILITY,
) -> pa.Table:
    """The estimates from partial sums (of one or more partitions, merged); a cell whose
    effective sample size is under `low_reliability` gets status U."""
    units = design_units(con, partials)
    rows = rolled_up(con, partials, tree).to_pylist()
    cells = [
        cell_estimate(key, list(strata), units, partials.has_psu, low_reliability)
        for key, strata in groupby(rows, key=lambda row: tuple(row[k] for k in CELL))
    ]
    return pa.Table.from_pylist(cells, schema=SCHEMA)


def stratum_sums(row: dict, has_psu: bool) -> StratumSums:
    """The StratumSums of a roll-up row; without psu every respondent is its own PSU, so the
    squares of PSU totals are the sums of squared weights."""
    if has_psu:
        aa, ab, bb, members = row["aa"], row["ab"], row["bb"], row["psus_with_members"]
    else:  # y is 0 or 1, so (w y)^2 = w y * w = w^2 y
        aa, ab, bb, members = row["swwy"], row["swwy"], row["sww"], row["n"]
    return StratumSums(
        a=int(row["a"]), b=int(row["b"]), aa=int(aa), ab=int(ab), bb=int(bb), members=members
    )


def cell_estimate(
    key: tuple,
    rows: list[dict],
    units: dict[str | None, StratumUnits],
    has_psu: bool,
    low_reliability: int = LOW_RELIABILITY,
) -> dict:
    """One output row: the share, its SE, interval, df, effective n and status (percent)."""
    strata = [(stratum_sums(row, has_psu), units[row["stratum"]]) for row in rows]
    n = sum(row["n"] for row in rows)
    a_total = sum(sums.a for sums, _ in strata)
    b_total = sum(sums.b for sums, _ in strata)
    result = dict(zip(CELL, key, strict=True))
    result.update(respondents=n, respondents_counted=sum(row["ny"] for row in rows))
    if n == 0 or b_total == 0:
        return {**result, "status": "U"}
    p = a_total / b_total
    se = math.sqrt(max(share_variance(strata, a_total, b_total), 0.0))
    df = degrees_of_freedom(strata)
    n_eff = effective_sample_size(p, se, n, df)
    low = high = method = None  # df = 0: no interval (R and svy give NaN)
    if df > 0 and 0 < p < 1:
        (low, high), method = logit_interval(p, se, df), "logit"
    elif df > 0:
        (low, high), method = korn_graubard_interval(p, n_eff), "korn-graubard"
    status = "U" if df == 0 or n_eff < low_reliability else "A"
    return {
        **result,
        "share": 100 * p,
        "se": 100 * se,
        "ci_low": None if low is None else 100 * low,
        "ci_high": None if high is None else 100 * high,
        "ci_method": method,
        "df": df,
        "n_effective": n_eff,
        "status": status,
    }
