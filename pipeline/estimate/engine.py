"""Estimates per population node x breakdown value (and `totaal`) x indicator, from a wide
respondent table: one pass (partials), a roll-up, then the share, its variance, interval,
effective sample size and status of every cell at once (numpy arrays, cells x indicators)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from pipeline.estimate.design import Design, Indicator, PopulationTree
from pipeline.estimate.intervals import (
    effective_sample_sizes,
    korn_graubard_intervals,
    logit_intervals,
)
from pipeline.estimate.partials import Partials, compute_partials
from pipeline.estimate.rollup import design_units, rolled_up
from pipeline.estimate.variance import (
    cell_variance,
    degrees_of_freedom,
    per_group,
    psu_stratum_sums,
    respondent_stratum_sums,
    segments,
)

LOW_RELIABILITY = 30  # status U below this effective sample size

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
    interval are in percent.

    Public although the publish does not call it (its plan computes partials per respondent
    file, merges them and calls estimate_from_partials): this is the documented single call
    (docs/estimation.md) of the same two steps in one process, which the reference tests
    against R's survey package and svy use, and the synth command's calibration tests too."""
    partials = compute_partials(con, source, design, indicators, breakdowns, population)
    return estimate_from_partials(partials, tree)


def estimate_from_partials(
    partials: Partials,
    tree: PopulationTree,
    low_reliability: int = LOW_RELIABILITY,
) -> pa.Table:
    """The estimates from partial sums (of one or more partitions, merged): one row per cell
    (population_id, breakdown_id, breakdown_value) x indicator, as cells_table orders them; a
    cell whose effective sample size is under `low_reliability` gets status U."""
    units = design_units(partials)
    rolled = rolled_up(partials, tree)
    order = sorted(range(len(partials.indicators)), key=lambda k: partials.indicators[k])
    ids = [partials.indicators[k] for k in order]
    if order == sorted(order):  # indicators given sorted (the publish plan's): no copy
        sums = rolled.sums
    else:
        sums = {name: values[:, order] for name, values in rolled.sums.items()}
    seg = segments(rolled.codes[:, :4])
    group_strata = rolled.column(3, seg.groups)
    n_h = np.array([units[s].units for s in group_strata], dtype=np.float64)
    big_n = np.array(
        [
            np.nan if units[s].population_units is None else units[s].population_units
            for s in group_strata
        ],
        dtype=np.float64,
    )
    n, sw, swy = sums["n"], sums["sw"], sums["swy"]
    cell_starts = seg.groups[seg.cells]
    n_cell, ny_cell = per_group(n, cell_starts), per_group(sums["ny"], cell_starts)
    a_cell, b_cell = per_group(swy, cell_starts), per_group(sw, cell_starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = a_cell / b_cell
    if partials.has_psu:
        squares = psu_stratum_sums(seg, sw, swy, p, b_cell, n_h)
        members = per_group((n > 0).astype(np.int32), seg.groups)
    else:  # one row per cell x stratum; the squared weights are exact integers until here
        sww, swwy = (sums[name].astype(np.float64) for name in ("sww", "swwy"))
        squares = respondent_stratum_sums(sw, swy, sww, swwy, p, b_cell, n_h, seg)
        members = n.astype(np.int64)
    variance = cell_variance(seg, squares, n_h, big_n)
    df = degrees_of_freedom(seg, members)
    cell_keys = [rolled.column(k, cell_starts) for k in range(3)]
    return cells_table(cell_keys, ids, n_cell, ny_cell, p, variance, df, low_reliability)


def cells_table(cell_keys, ids, n, ny, p, variance, df, low_reliability) -> pa.Table:
    """One row per cell x indicator (cells in order, indicators sorted): the share, SE, interval,
    df, effective n and status, in percent; a cell where nobody answered has only status U.
    `cell_keys` holds the population_id, breakdown_id and breakdown_value of each cell."""
    count = len(cell_keys[0]) * len(ids)
    n, ny, p = n.ravel(), ny.ravel(), p.ravel()
    variance, df = variance.ravel(), df.ravel().astype(np.int64)
    known = (n > 0) & np.isfinite(p)
    p = np.where(known, p, 0.0)
    se = np.sqrt(np.maximum(np.where(known, variance, 0.0), 0.0))
    n_eff = effective_sample_sizes(p, se, n, np.where(known, df, 0))
    low, high = np.full(count, np.nan), np.full(count, np.nan)
    logit = known & (df > 0) & (p > 0) & (p < 1)
    edge = known & (df > 0) & ~logit
    if logit.any():
        low[logit], high[logit] = logit_intervals(p[logit], se[logit], df[logit])
    if edge.any():
        low[edge], high[edge] = korn_graubard_intervals(p[edge], n_eff[edge])
    method = np.where(logit, "logit", np.where(edge, "korn-graubard", None))
    unreliable = (df == 0) | (n_eff < low_reliability)
    status = np.where(~known | unreliable, "U", "A")
    interval = logit | edge

    def percent(values, mask):
        return pa.array(100 * values, pa.float64(), mask=~mask)

    per_cell = [np.repeat(values, len(ids)) for values in cell_keys]
    return pa.table(
        {
            "population_id": pa.array(per_cell[0], pa.string()),
            "breakdown_id": pa.array(per_cell[1], pa.string()),
            "breakdown_value": pa.array(per_cell[2], pa.string()),
            "indicator_id": pa.array(
                np.tile(np.array(ids, dtype=object), len(cell_keys[0])), pa.string()
            ),
            "respondents": pa.array(n.astype(np.int64)),
            "respondents_counted": pa.array(ny.astype(np.int64)),
            "share": percent(p, known),
            "se": percent(se, known),
            "ci_low": percent(low, interval),
            "ci_high": percent(high, interval),
            "ci_method": pa.array(method.tolist(), pa.string()),
            "df": pa.array(df, pa.int64(), mask=~known),
            "n_effective": pa.array(n_eff, pa.float64(), mask=~known),
            "status": pa.array(status.tolist(), pa.string()),
        },
        schema=SCHEMA,
    )
