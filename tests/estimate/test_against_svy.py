"""The engine against svy (which is checked against R survey) on R's public `api` data: every
population node x breakdown value x indicator, with strata, PSUs, fpc, domains and item
non-response, to 1e-9 relative for share, SE and interval; df and respondents exactly."""

from __future__ import annotations

import math

import duckdb
import polars as pl
import pytest
from svy import Design as SvyDesign
from svy import Sample, col

from pipeline.estimate import Design, estimate
from tests.estimate.reference_data import BREAKDOWNS, INDICATORS, TREE, respondents

REL = 1e-9

DESIGNS = {
    "stratified, fpc, no psu": ("apistrat", Design("weight", strata="stratum", fpc="fpc")),
    "stratified, no fpc, no psu": ("apistrat", Design("weight", strata="stratum")),
    "stratified clusters": (
        "apistrat",
        Design("weight", strata="stratum", psu="district_in_stratum"),
    ),
    "one-stage clusters, fpc": ("apiclus1", Design("weight", psu="district", fpc="fpc")),
    "no design": ("apiclus1", Design("weight")),
}


def svy_design(design: Design) -> SvyDesign:
    """The same design as svy spells it."""
    return SvyDesign(wgt=design.weight, stratum=design.strata, psu=design.psu, pop_size=design.fpc)


def with_indicator(data: pl.DataFrame, indicator) -> pl.DataFrame:
    """data with `y`: 1 counted, 0 answered otherwise, null not answered (out of the domain)."""
    item = pl.col(indicator.item_id)
    answered = item.is_not_null() & ~item.is_in(list(indicator.exclude_codes))
    y = pl.when(~answered).then(None).when(item.is_in(list(indicator.count_codes))).then(1)
    y = y.otherwise(0)
    members = {node: [leaf for leaf, n in TREE.ancestry() if n == node] for node in TREE.parents}
    columns = [
        pl.col("population_id").is_in(leaves).cast(pl.Int8).alias(f"in_{node}")
        for node, leaves in members.items()
    ]
    filled = [pl.col(b).fill_null("onbekend") for b in BREAKDOWNS]
    return data.with_columns(y.cast(pl.Int64).alias("y"), *columns, *filled)


def svy_cells(data: pl.DataFrame, design: Design) -> dict:
    """(population, breakdown, value, indicator) -> (p, se, df, n, lci, uci) from svy, with the
    logit interval where 0 < p < 1 and Korn-Graubard at 0 or 1."""
    cells = {}
    for indicator in INDICATORS:
        frame = with_indicator(data, indicator)
        sample = Sample(frame, svy_design(design))
        for node in TREE.parents:
            where = col(f"in_{node}") == 1
            if frame[f"in_{node}"].sum() == 0:
                continue
            for breakdown in [None, *BREAKDOWNS]:
                for method in ("logit", "korn-graubard"):
                    result = sample.estimation.prop(
                        "y", by=breakdown, where=where, drop_nulls=True, ci_method=method
                    )
                    for estimate_ in result.estimates:
                        value = "totaal" if breakdown is None else estimate_.by_level[0]
                        key = (node, breakdown or "totaal", value, indicator.indicator_id)
                        cells.setdefault(key, {})[(method, estimate_.y_level)] = estimate_
    return {key: as_share_of_one(found) for key, found in cells.items()}


def as_share_of_one(found: dict) -> tuple:
    """svy's estimates of a cell as the share of y = 1 (from y = 0's when 1 never occurs)."""
    for level, flip in ((1, False), (0, True)):
        if ("logit", level) in found:
            logit, kg = found[("logit", level)], found[("korn-graubard", level)]
            p = 1 - logit.est if flip else logit.est
            method = kg if p in (0.0, 1.0) else logit
            low, high = (1 - method.uci, 1 - method.lci) if flip else (method.lci, method.uci)
            return p, logit.se, logit.df, logit.n, low, high
    raise AssertionError(f"svy gave no estimate: {found}")


@pytest.mark.parametrize("name", list(DESIGNS))
def test_every_cell_matches_svy(tmp_path, name):
    file, design = DESIGNS[name]
    data = respondents(file)
    path = tmp_path / "respondents.parquet"
    data.write_parquet(path)
    ours = estimate(duckdb.connect(), path, design, INDICATORS, TREE, BREAKDOWNS).to_pylist()
    theirs = svy_cells(data, design)
    compared = {"logit": 0, "korn-graubard": 0, None: 0}
    for row in ours:
        key = (
            row["population_id"],
            row["breakdown_id"],
            row["breakdown_value"],
            row["indicator_id"],
        )
        if row["respondents"] == 0:  # nobody answered: no share (svy: n = 0 and NaN)
            found = theirs.pop(key, None)
            assert found is None or (found[3] == 0 and math.isnan(found[0])), key
            assert (row["share"], row["se"], row["status"]) == (None, None, "U"), key
            continue
        p, se, df, n, low, high = theirs.pop(key)
        assert (row["respondents"], row["df"]) == (n, df), key
        assert row["share"] / 100 == pytest.approx(p, rel=REL, abs=1e-15), key
        assert row["se"] / 100 == pytest.approx(se, rel=REL, abs=1e-15), key
        if df == 0:  # no interval: svy (as R) gives NaN
            assert math.isnan(low) and math.isnan(high), key
            assert (row["ci_method"], row["ci_low"], row["ci_high"]) == (None, None, None), key
        else:
            assert row["ci_method"] == ("korn-graubard" if p in (0.0, 1.0) else "logit"), key
            assert row["ci_low"] / 100 == pytest.approx(low, rel=REL, abs=1e-15), key
            assert row["ci_high"] / 100 == pytest.approx(high, rel=REL, abs=1e-15), key
        compared[row["ci_method"]] += 1
    assert theirs == {}, f"cells svy estimated that the engine did not: {sorted(theirs)}"
    assert compared["logit"] > 40 and compared["korn-graubard"] > 20, compared
