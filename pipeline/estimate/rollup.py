"""Combining partial sums: up the population tree and across PSUs split over partitions, to one
row per population node x breakdown value x stratum x PSU; and the design's units per stratum."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow.compute as pc

from pipeline.estimate.design import PopulationTree
from pipeline.estimate.partials import EXACT_LIMIT, KEYS, Partials
from pipeline.estimate.sql import sql_text


@dataclass(frozen=True)
class StratumUnits:
    """One stratum of the full design: its sampled units (PSUs, or respondents without psu)
    and the number of units in its population (None without fpc)."""

    stratum: str | None
    units: int
    population_units: float | None


def check_leaves(partials: Partials, tree: PopulationTree) -> None:
    """A ValueError naming the populations in the data that are not leaves of the tree."""
    present = set(partials.keys["population_id"].to_pylist())
    unknown = sorted(str(p) for p in present - set(tree.leaves))
    if unknown:
        raise ValueError(
            f"population_id values that are not leaves of the population tree: {unknown}"
        )


@dataclass(frozen=True)
class Rolled:
    """One row per population node x breakdown value x stratum x PSU, sorted (strata and PSUs
    None first): `keys` (population_id, breakdown_id, breakdown_value, stratum, psu) and each
    sum as a rows x indicators array."""

    keys: list[tuple]
    sums: dict[str, np.ndarray]


def sort_key(value: str | None) -> tuple:
    """None before every string (SQL's NULLS FIRST), strings in code point order."""
    return (0, "") if value is None else (1, value)


def rolled_up(partials: Partials, tree: PopulationTree) -> Rolled:
    """The partial sums of every node (a parent is the union of its leaves), summed per PSU so
    that a PSU split over leaves or partitions counts once. The sums are of integers (exact
    floats, or Python integers), so the order of adding does not change them."""
    check_leaves(partials, tree)
    ancestors = {leaf: tree.ancestors(leaf) for leaf in tree.leaves}
    columns = [partials.keys[k].to_pylist() for k in KEYS]
    entries = [
        (node, breakdown, value, sort_key(stratum), sort_key(psu), row)
        for row, (breakdown, value, leaf, stratum, psu) in enumerate(zip(*columns, strict=True))
        for node in ancestors[leaf]
    ]
    entries.sort()
    order = np.array([entry[5] for entry in entries], dtype=np.int64)
    starts = [i for i in range(len(entries)) if i == 0 or entries[i][:5] != entries[i - 1][:5]]
    keys = [
        (node, breakdown, value, stratum[1] if stratum[0] else None, psu[1] if psu[0] else None)
        for node, breakdown, value, stratum, psu, _ in (entries[i] for i in starts)
    ]
    where = np.array(starts, dtype=np.int64)
    sums = {}
    for name, values in partials.sums.items():
        if len(entries) == 0:
            sums[name] = values[:0]
        else:
            sums[name] = np.add.reduceat(values[order], where, axis=0)
    return Rolled(keys, sums)


def design_units(con: duckdb.DuckDBPyConnection, partials: Partials) -> dict:
    """StratumUnits per stratum of the full design (all respondents of all partitions)."""
    units = partials.units
    total = pc.sum(units["weight"]).as_py() or 0
    if total >= EXACT_LIMIT:
        raise ValueError(
            "the weights of all partitions add up to more than exact sums allow "
            "(rescale the weights)"
        )
    cursor = con.cursor()
    try:
        cursor.register("units", units)
        rows = cursor.sql(sql_text("design_units")).fetchall()
    finally:
        cursor.close()
    result = {}
    for stratum, psus, respondents, fpc_min, fpc_max in rows:
        count = psus if partials.has_psu else respondents
        if fpc_min != fpc_max:
            raise ValueError(
                f"stratum {stratum!r}: the fpc column is not constant ({fpc_min} to {fpc_max})"
            )
        if fpc_min is not None and fpc_min < count:
            raise ValueError(
                f"stratum {stratum!r}: fpc {fpc_min} is smaller than its {count} sampled units"
            )
        if count < 2:
            raise ValueError(
                f"stratum {stratum!r} has a single sampled unit: its variance cannot be "
                "estimated (R survey's lonely.psu = 'fail')"
            )
        result[stratum] = StratumUnits(stratum, count, fpc_min)
    return result
