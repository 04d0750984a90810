"""Combining partial sums: up the population tree and across PSUs split over partitions, to one
row per population node x breakdown value x stratum x PSU; and the design's units per stratum."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow.compute as pc

from pipeline.core.certainty import sampled_with_certainty
from pipeline.estimate.design import PopulationTree
from pipeline.estimate.partials import EXACT_LIMIT, Partials
from pipeline.estimate.refusal import RespondentDataRefused
from pipeline.estimate.variance import summed_runs


@dataclass(frozen=True)
class StratumUnits:
    """One stratum of the full design: its sampled units (PSUs, or respondents without psu)
    and the number of units in its population (None without fpc)."""

    stratum: str | None
    units: int
    population_units: float | None


def check_leaves(partials: Partials, tree: PopulationTree) -> None:
    """RespondentDataRefused naming (in its full text only) the populations in the data that
    are not leaves of the tree."""
    present = set(partials.keys["population_id"].to_pylist())
    unknown = sorted(str(p) for p in present - set(tree.leaves))
    if unknown:
        raise RespondentDataRefused(
            f"population_id values that are not leaves of the population tree: {unknown}",
            f"{len(unknown)} population_id value(s) in the data are not leaves of the "
            "population tree",
        )


@dataclass(frozen=True)
class Rolled:
    """One row per population node x breakdown value x stratum x PSU, sorted (strata and PSUs
    None first). `codes` is rows x 5, the rank of each row's population_id, breakdown_id,
    breakdown_value, stratum and psu among the values of its column (`values`, sorted); each
    sum is a rows x indicators array."""

    codes: np.ndarray
    values: tuple[list, ...]
    sums: dict[str, np.ndarray]

    def column(self, k: int, rows: np.ndarray) -> np.ndarray:
        """The values of key column k (0 population_id ... 4 psu) of the given rows."""
        return np.array(self.values[k], dtype=object)[self.codes[rows, k]]


def sort_key(value: str | None) -> tuple:
    """None before every string (SQL's NULLS FIRST), strings in code point order."""
    return (0, "") if value is None else (1, value)


def ranked(values: list) -> tuple[np.ndarray, list]:
    """The rank of each value among the distinct values (in sort_key order), and those values."""
    distinct = sorted(set(values), key=sort_key)
    rank = {value: position for position, value in enumerate(distinct)}
    return np.fromiter(map(rank.__getitem__, values), np.int64, count=len(values)), distinct


def rolled_up(partials: Partials, tree: PopulationTree) -> Rolled:
    """The partial sums of every node (a parent is the union of its leaves), summed per PSU so
    that a PSU split over leaves or partitions counts once. The sums are of integers (exact
    floats, or Python integers), so the order of adding does not change them."""
    check_leaves(partials, tree)
    leaf_codes, leaves = ranked(partials.keys["population_id"].to_pylist())
    chains = [tree.ancestors(leaf) for leaf in leaves]
    node_codes, nodes = ranked([node for chain in chains for node in chain])
    depth = max(map(len, chains), default=0)
    # per leaf (by rank): the ranks of its nodes, -1 where its chain is shorter
    chain_codes = np.full((len(leaves), depth), -1, dtype=np.int64)
    done = 0
    for position, chain in enumerate(chains):
        chain_codes[position, : len(chain)] = node_codes[done : done + len(chain)]
        done += len(chain)
    others = [ranked(partials.keys[k].to_pylist()) for k in ("breakdown_id", "breakdown_value")]
    others += [ranked(partials.keys[k].to_pylist()) for k in ("stratum", "psu")]
    entry_nodes = chain_codes[leaf_codes].ravel()
    kept = entry_nodes >= 0
    entry_rows = np.repeat(np.arange(partials.rows), depth)[kept]
    columns = [entry_nodes[kept], *(codes[entry_rows] for codes, _ in others)]
    order = np.lexsort((entry_rows, *reversed(columns)))
    codes = np.column_stack([column[order] for column in columns]).reshape(len(order), 5)
    new = np.ones(len(order), dtype=bool)
    new[1:] = (codes[1:] != codes[:-1]).any(axis=1)
    where = np.flatnonzero(new)
    sums = {
        name: summed_runs(values, entry_rows[order], where)
        for name, values in partials.sums.items()
    }
    return Rolled(codes[where], (nodes, *(values for _, values in others)), sums)


def design_units(partials: Partials) -> dict:
    """StratumUnits per stratum of the full design (all respondents of all partitions): its
    distinct PSUs (or, without psu, its respondents) and its fpc."""
    units = partials.units
    total = pc.sum(units["weight"]).as_py() or 0
    if total >= EXACT_LIMIT:
        text = (
            "the weights of all partitions add up to more than exact sums allow (they were "
            "not summed at their edition's scale)"
        )
        raise RespondentDataRefused(text, text)
    # a few rows per stratum x PSU: plain Python (a DuckDB connection or pyarrow's group_by
    # costs 20-150 ms to start, the loop well under a millisecond)
    psus: dict = {}  # stratum -> its distinct PSUs (NULL not counted, as SQL's count(DISTINCT))
    respondents: dict = {}
    fpcs: dict = {}  # stratum -> the fpc values given
    columns = ("stratum", "psu", "respondents", "fpc_min", "fpc_max")
    for stratum, psu, count, low, high in zip(
        *(units[name].to_pylist() for name in columns), strict=True
    ):
        psus.setdefault(stratum, set()).update([psu] if psu is not None else [])
        respondents[stratum] = respondents.get(stratum, 0) + count
        fpcs.setdefault(stratum, []).extend(v for v in (low, high) if v is not None)
    rows = [
        (
            stratum,
            len(psus[stratum]),
            respondents[stratum],
            min(fpcs[stratum], default=None),
            max(fpcs[stratum], default=None),
        )
        for stratum in sorted(psus, key=sort_key)
    ]
    result = {}
    for stratum, psu_count, respondent_count, fpc_min, fpc_max in rows:
        count = psu_count if partials.has_psu else respondent_count
        # the full texts name the stratum and the fpc, values of the data: the public ones not
        if fpc_min != fpc_max:
            raise RespondentDataRefused(
                f"stratum {stratum!r}: the fpc column is not constant ({fpc_min} to {fpc_max})",
                "the fpc column is not constant within a stratum",
            )
        if fpc_min is not None and fpc_min < count:
            raise RespondentDataRefused(
                f"stratum {stratum!r}: fpc {fpc_min} is smaller than its {count} sampled units",
                "a stratum's fpc is smaller than the units sampled in it",
            )
        if count < 2 and not sampled_with_certainty(count, fpc_min):
            consequence = (
                "its variance cannot be estimated (R survey's lonely.psu = 'fail'); merge it "
                "with a similar stratum, or, if its unit was sampled with certainty, give the "
                "fpc column its number of units in the population (1)"
            )
            raise RespondentDataRefused(
                f"stratum {stratum!r} has a single sampled unit that was not sampled with "
                f"certainty: {consequence}",
                f"a stratum has a single sampled unit that was not sampled with certainty: "
                f"{consequence}",
            )
        result[stratum] = StratumUnits(stratum, count, fpc_min)
    return result
