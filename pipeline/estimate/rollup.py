"""Combining partial sums: up the population tree, across PSUs split over partitions, to the
per cell x stratum sums that the variance needs; and the design's units per stratum."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from pipeline.estimate.design import PopulationTree
from pipeline.estimate.partials import Partials
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
    present = set(partials.units["population_id"].to_pylist())
    unknown = sorted(str(p) for p in present - set(tree.leaves))
    if unknown:
        raise ValueError(
            f"population_id values that are not leaves of the population tree: {unknown}"
        )


def rolled_up(con: duckdb.DuckDBPyConnection, partials: Partials, tree: PopulationTree) -> pa.Table:
    """Per population node x breakdown value x indicator x stratum, the exact sums of rollup.sql,
    in a fixed order."""
    check_leaves(partials, tree)
    ancestry = pa.table(
        {
            "leaf": [leaf for leaf, _ in tree.ancestry()],
            "population_id": [node for _, node in tree.ancestry()],
        }
    )
    cursor = con.cursor()
    try:
        cursor.register("partials", partials.cells)
        cursor.register("ancestry", ancestry)
        return cursor.sql(sql_text("rollup")).to_arrow_table()
    finally:
        cursor.close()


def design_units(con: duckdb.DuckDBPyConnection, partials: Partials) -> dict:
    """StratumUnits per stratum of the full design (all respondents of all partitions)."""
    cursor = con.cursor()
    try:
        cursor.register("units", partials.units)
        rows = cursor.sql(sql_text("design_units")).fetchall()
    finally:
        cursor.close()
    result = {}
    for stratum, psus, respondents, fpc_min, fpc_max in rows:
        units = psus if partials.has_psu else respondents
        if fpc_min != fpc_max:
            raise ValueError(
                f"stratum {stratum!r}: the fpc column is not constant ({fpc_min} to {fpc_max})"
            )
        if fpc_min is not None and fpc_min < units:
            raise ValueError(
                f"stratum {stratum!r}: fpc {fpc_min} is smaller than its {units} sampled units"
            )
        if units < 2:
            raise ValueError(
                f"stratum {stratum!r} has a single sampled unit: its variance cannot be "
                "estimated (R survey's lonely.psu = 'fail')"
            )
        result[stratum] = StratumUnits(stratum, units, fpc_min)
    return result
