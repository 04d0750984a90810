"""Scale-free weights (pipeline/core/weight_scale.py): the weights are summed at a power of two
chosen from the edition's total, so the estimates do not depend on the weights' unit, and a
weight too small beside the total to keep 6 significant digits is refused
(`microdata-weight-range`) with a hint about the weight column's unit."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest

from pipeline.core.weight_scale import KEPT_BITS, binades, edition_scale, merged_binades
from pipeline.estimate import Design, Indicator, PopulationTree, estimate
from pipeline.estimate.partials import compute_partials, merge_partials
from pipeline.estimate.refusal import RespondentDataRefused
from pipeline.orchestrate.runner import publish_local
from tests.estimate.reference_data import BREAKDOWNS, INDICATORS, TREE, respondents
from tests.respondents import marked_project

FACTORS = (1e-8, 1.0, 1e8)
REL = 1e-12
FLOATS = ("share", "se", "ci_low", "ci_high", "n_effective")
DESIGNS = {
    "strata, fpc, no psu": ("apistrat", Design("weight", strata="stratum", fpc="fpc")),
    "strata and psu": ("apistrat", Design("weight", strata="stratum", psu="district_in_stratum")),
    "psu, fpc": ("apiclus1", Design("weight", psu="district", fpc="fpc")),
}


def estimated(data: pl.DataFrame, design: Design, factor: float) -> list[dict]:
    con = duckdb.connect()
    con.register("respondents", data.with_columns(pl.col("weight") * factor).to_arrow())
    return estimate(con, "respondents", design, INDICATORS, TREE, BREAKDOWNS).to_pylist()


def differences(rows: list[dict], reference: list[dict]) -> list[tuple]:
    """(row, column) where the two estimates differ: a float by more than REL of itself, any
    other value at all."""
    found = []
    for position, (row, expected) in enumerate(zip(rows, reference, strict=True)):
        for column, value in expected.items():
            other = row[column]
            if column in FLOATS and value is not None and other is not None:
                if not math.isclose(other, value, rel_tol=REL, abs_tol=0.0):
                    found.append((position, column))
            elif other != value:
                found.append((position, column))
    return found


@pytest.mark.parametrize("name", list(DESIGNS))
def test_estimates_do_not_depend_on_the_weights_unit(name):
    """R's api data with every weight x 1e-8 and x 1e8: every cell's share, SE, interval and
    effective n agree to 1e-12 relative with the weights as given, everything else exactly."""
    file, design = DESIGNS[name]
    data = respondents(file)
    reference = estimated(data, design, 1.0)
    assert sum(row["ci_low"] is not None for row in reference) > 40
    for factor in (1e-8, 1e8):
        assert differences(estimated(data, design, factor), reference) == [], factor


def test_the_scale_fills_the_exact_range_and_ignores_the_order_of_the_weights():
    """The scaled total lies in (2^52 - n, 2^53 - n]: the full exact range, with room for
    rounding each weight; the files of an edition counted apart give the scale of the whole."""
    rng = np.random.default_rng(7)
    for unit in (1e-200, 1e-8, 1.0, 2.0**40, 1e300):
        weights = rng.lognormal(0, 2, size=1_000) * unit
        scale = edition_scale(binades(weights))
        scaled = np.sort(weights) * scale.factor  # exact: a power of two
        assert 2.0**52 - len(weights) < math.fsum(scaled) <= 2.0**53 - len(weights), unit
        assert float(np.round(scaled).sum()) < 2.0**53
        halves = merged_binades([binades(weights[::2]), binades(weights[1::2])])
        assert edition_scale(halves) == scale


def test_the_least_weight_kept_holds_2_to_the_20_units():
    """The refusal is exact at its boundary: a weight of 2^20 units once scaled is kept, the
    largest double below it is not."""
    weights = np.full(1_000, 1.0)
    scale = edition_scale(binades(weights))
    boundary = math.ldexp(1.0, KEPT_BITS - scale.shift)
    below = math.nextafter(boundary, 0.0)
    assert scale.too_small(binades(np.array([boundary, 2 * boundary]))) == 0
    assert scale.too_small(binades(np.array([below, boundary, below]))) == 2


def test_a_weight_too_small_beside_the_total_is_refused_with_a_hint_about_the_unit():
    tree = PopulationTree({"a": None})
    answer = Indicator("yes", "q1", (1,))
    rows = pl.DataFrame(
        {"population_id": ["a"] * 4, "weight": [1e12, 1e12, 0.5, 1.0], "q1": [1, 0, 1, 0]}
    )
    con = duckdb.connect()
    con.register("respondents", rows.to_arrow())
    with pytest.raises(RespondentDataRefused) as refused:
        compute_partials(con, "respondents", Design("weight"), [answer])
    error = refused.value
    assert (error.rule, error.column) == ("microdata-weight-range", "weight")
    assert error.public.startswith("2 weight(s) are too small beside the edition's total")
    assert "unit" in error.hint
    assert "0.5" not in error.public + error.hint and "1e+12" not in error.public + error.hint
    con.register("kept", rows.head(2).to_arrow())
    assert estimate(con, "kept", Design("weight"), [answer], tree)["share"][0].as_py() == 50.0


def test_partials_of_different_scales_are_not_merged():
    """Two halves of an edition summed each at its own scale (as a part choosing its own would)
    are refused by merge_partials; at the edition's scale they merge."""
    data = respondents("apistrat")
    con = duckdb.connect()
    halves = [data.head(100), data.tail(100).with_columns(pl.col("weight") * 4096)]
    for position, half in enumerate(halves):
        con.register(f"half{position}", half.to_arrow())
    design = Design("weight", strata="stratum", fpc="fpc")
    own = [compute_partials(con, f"half{k}", design, INDICATORS) for k in range(2)]
    assert own[0].scale != own[1].scale
    with pytest.raises(ValueError, match="different weight scales"):
        merge_partials(own)
    scale = edition_scale(merged_binades([binades(half["weight"].to_numpy()) for half in halves]))
    shared = [compute_partials(con, f"half{k}", design, INDICATORS, scale=scale) for k in range(2)]
    assert merge_partials(shared).scale == scale


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """The data files of one synthetic project published (publish --local's path) with its
    weights as written, x 1e-8 and x 1e8."""
    made = {}
    for factor in FACTORS:
        project = marked_project(tmp_path_factory.mktemp("unit") / "project", 600, items=3)
        (path,) = (project.raw / "2024" / "microdata").glob("*.parquet")
        table = pq.read_table(path)
        column = table.schema.get_field_index("weight")
        weights = table["weight"].to_numpy() * factor
        pq.write_table(table.set_column(column, "weight", pl.Series(weights).to_arrow()), path)
        folder = publish_local(project).folder
        made[factor] = {p.name: p.read_bytes() for p in sorted((folder / "data").iterdir())}
    return made


@pytest.mark.slow  # three publishes
def test_the_published_data_do_not_depend_on_the_weights_unit(releases):
    """Every data file is byte-identical: the unrounded estimates agree to 1e-12 relative
    (test_estimates_do_not_depend_on_the_weights_unit), and the published values and interval
    bounds are rounded to the stated decimals."""
    reference = releases[1.0]
    published = pl.read_csv(reference["estimates.csv"])
    assert published["value"].null_count() < published.height  # estimates were published
    for factor in (1e-8, 1e8):
        files = releases[factor]
        assert sorted(files) == sorted(reference)
        differing = sorted(name for name in files if files[name] != reference[name])
        assert differing == [], (factor, differing)
