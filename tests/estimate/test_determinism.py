"""The same respondents give bit-identical estimates whatever DuckDB's thread count, however the
respondents are split into Parquet files, and in whichever order the partials are merged."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from pipeline.core.weight_scale import WeightScale
from pipeline.estimate import compute_partials, estimate, estimate_from_partials, merge_partials
from pipeline.estimate.partials import source_binades, source_scale
from tests.estimate import synthetic

BREAKDOWNS = list(synthetic.BREAKDOWNS)
INDICATORS = synthetic.indicators(8)


def bits(table: pa.Table) -> list[tuple]:
    """Every row with its floats as their exact hexadecimal bits."""
    return [
        tuple(value.hex() if isinstance(value, float) else value for value in row.values())
        for row in table.to_pylist()
    ]


def connection(threads: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET threads = {int(threads)}")
    return con


def edition_scale(con: duckdb.DuckDBPyConnection, paths) -> WeightScale:
    """The scale of the weights of all the files, which the partials of each must share."""
    return source_scale([source_binades(con, path, "weight") for path in paths], "weight")


def run(threads: int, paths) -> list[tuple]:
    result = estimate(
        connection(threads), paths, synthetic.DESIGN, INDICATORS, synthetic.TREE, BREAKDOWNS
    )
    return bits(result)


def test_threads_files_and_merge_order_give_identical_bits(tmp_path):
    table = synthetic.respondent_table(30_000, len(INDICATORS), seed=3)
    whole = synthetic.write_parts(table, tmp_path / "one", 1)
    halves = synthetic.write_parts(table, tmp_path / "two", 2)
    reference = run(1, whole)
    assert len(reference) == len(synthetic.TREE.parents) * (1 + 3 + 1 + 2 + 1 + 4 + 1) * 8
    assert run(2, whole) == reference
    assert run(2, halves) == reference
    assert run(1, list(reversed(halves))) == reference
    assert run(2, tmp_path / "two") == reference  # a folder of Parquet files
    con = connection(2)
    scale = edition_scale(con, halves)
    parts = [
        compute_partials(con, [path], synthetic.DESIGN, INDICATORS, BREAKDOWNS, scale=scale)
        for path in halves
    ]
    for order in (parts, parts[::-1]):
        merged = estimate_from_partials(merge_partials(order), synthetic.TREE)
        assert bits(merged) == reference


def test_without_psu_the_squared_weights_merge_too(tmp_path):
    """Without psu the partials carry sums of squared weights per cell: they merge as well."""
    design = synthetic.Design("weight", strata="stratum")
    table = synthetic.respondent_table(30_000, 4, seed=5)
    halves = synthetic.write_parts(table, tmp_path, 2)
    indicators = synthetic.indicators(4)
    whole = estimate(
        connection(1), [str(p) for p in halves], design, indicators, synthetic.TREE, BREAKDOWNS
    )
    con = connection(2)
    scale = edition_scale(con, halves)
    parts = [
        compute_partials(con, [p], design, indicators, BREAKDOWNS, scale=scale)
        for p in halves[::-1]
    ]
    assert bits(estimate_from_partials(merge_partials(parts), synthetic.TREE)) == bits(whole)
