"""The numpy pass (designs with PSUs) gives the SQL pass's partial sums bit for bit: over
several record batches, for answers of every integer width and as doubles, with nulls, an fpc,
an item that two indicators share and an indicator without excluded codes."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pipeline.core.weight_scale import WeightScale
from pipeline.estimate import Design, Indicator, bincount_pass, partials
from pipeline.estimate.partials import bincount_partials, compute_partials, sql_partials
from tests.estimate import synthetic

BREAKDOWNS = list(synthetic.BREAKDOWNS)


def mixed_table(respondents: int) -> pa.Table:
    """The synthetic table with its answer columns as int8, int16, int32, int64 and double,
    and an fpc column (400 PSUs in every stratum's population)."""
    table = synthetic.respondent_table(respondents, 5, seed=9)
    for column, kind in zip(
        ["q001", "q002", "q003", "q004"],
        [pa.int16(), pa.int32(), pa.int64(), pa.float64()],
        strict=True,
    ):
        table = table.set_column(
            table.schema.get_field_index(column), column, table[column].cast(kind)
        )
    return table.append_column("fpc", pa.array(np.full(respondents, 400.0)))


INDICATORS = [
    Indicator("a_q000", "q000", (4, 5), (9,)),
    Indicator("b_q000_low", "q000", (1, 2)),  # the same item, no excluded code
    Indicator("c_q001", "q001", (4, 5), (9,)),
    Indicator("d_q002", "q002", (5,), (9,)),
    Indicator("e_q003", "q003", (4, 5), (9,)),
    Indicator("f_q004", "q004", (3, 4, 5), (9,)),
]

SCALE = WeightScale(24)  # weights in units of 2^-24: any scale that keeps the sums exact


def assert_same(left, right) -> None:
    assert left.keys.equals(right.keys)
    assert left.indicators == right.indicators
    assert set(left.sums) == set(right.sums)
    for name, values in left.sums.items():
        assert values.dtype == right.sums[name].dtype
        assert np.array_equal(values, right.sums[name]), name


@pytest.mark.parametrize(("fpc", "threads"), [(None, 1), ("fpc", 1), (None, 3)])
def test_the_numpy_pass_equals_the_sql_pass(monkeypatch, fpc, threads):
    monkeypatch.setattr(bincount_pass, "BATCH_ROWS", 7_000)  # several batches, new groups late
    monkeypatch.setattr(bincount_pass, "THREADS", threads)  # 3: items split over three threads
    con = duckdb.connect()
    con.register("respondents", mixed_table(30_000))
    design = Design("weight", strata="stratum", psu="psu", fpc=fpc)
    args = (con, "respondents", design, INDICATORS, BREAKDOWNS, "population_id", SCALE)
    numpy_pass, sql_pass = bincount_partials(*args), sql_partials(*args)
    assert numpy_pass.rows > 1_000
    assert_same(numpy_pass, sql_pass)
    if fpc:
        assert pc.min(numpy_pass.keys["fpc_min"]).as_py() == 400.0
    else:
        assert numpy_pass.keys["fpc_min"].null_count == numpy_pass.rows


def test_the_publish_path_takes_the_numpy_pass_for_psus(monkeypatch):
    """compute_partials uses the numpy pass with a psu column and the SQL pass without: a
    mutation that swapped them would fail here."""
    taken = []
    for name in ("bincount_partials", "sql_partials"):
        real = getattr(partials, name)

        def spy(*args, _real=real, _name=name):
            taken.append(_name)
            return _real(*args)

        monkeypatch.setattr(partials, name, spy)
    con = duckdb.connect()
    con.register("respondents", synthetic.respondent_table(2_000, 2, seed=4))
    indicators = synthetic.indicators(2)
    compute_partials(con, "respondents", synthetic.DESIGN, indicators, BREAKDOWNS)
    compute_partials(con, "respondents", Design("weight", strata="stratum"), indicators)
    assert taken == ["bincount_partials", "sql_partials"]


def test_an_error_in_a_summing_thread_is_raised(monkeypatch):
    """A thread's failure reaches the caller (a pool would otherwise keep it to itself)."""
    real = bincount_pass.classes

    def failing(values, given, indicator):
        if indicator.indicator_id == "d_q002":
            raise ValueError("failed in a thread")
        return real(values, given, indicator)

    monkeypatch.setattr(bincount_pass, "THREADS", 2)
    monkeypatch.setattr(bincount_pass, "classes", failing)
    con = duckdb.connect()
    con.register("respondents", mixed_table(2_000))
    with pytest.raises(ValueError, match="failed in a thread"):
        bincount_partials(
            con, "respondents", synthetic.DESIGN, INDICATORS, BREAKDOWNS, "population_id", SCALE
        )


def test_no_respondents_give_no_rows():
    con = duckdb.connect()
    con.register("respondents", synthetic.respondent_table(500, 2, seed=4).slice(0, 0))
    args = (
        con,
        "respondents",
        synthetic.DESIGN,
        synthetic.indicators(2),
        BREAKDOWNS,
        "population_id",
        SCALE,
    )
    assert_same(bincount_partials(*args), sql_partials(*args))
    assert bincount_partials(*args).rows == 0


def test_a_missing_weight_is_an_error():
    table = synthetic.respondent_table(500, 2, seed=4)
    weights = table["weight"].to_numpy().copy()
    weights[7] = np.nan
    table = table.set_column(table.schema.get_field_index("weight"), "weight", pa.array(weights))
    con = duckdb.connect()
    con.register("respondents", table)
    with pytest.raises(ValueError, match="weight"):
        compute_partials(con, "respondents", synthetic.DESIGN, synthetic.indicators(2))


def test_several_batches_size_the_sums_once(monkeypatch):
    """With more respondents than one batch the sums get their room from the finest groups'
    count at once: no later batch grows (copies) them, and the sums stay the SQL pass's."""
    monkeypatch.setattr(bincount_pass, "BATCH_ROWS", 7_000)
    monkeypatch.setattr(partials, "BATCH_ROWS", 7_000)
    grown = []
    real = bincount_pass.Groups.grow

    def spy(self, size):
        if size > self.capacity:
            grown.append((self.capacity, size))
        real(self, size)

    monkeypatch.setattr(bincount_pass.Groups, "grow", spy)
    con = duckdb.connect()
    con.register("respondents", mixed_table(30_000))
    args = (con, "respondents", synthetic.DESIGN, INDICATORS, BREAKDOWNS, "population_id", SCALE)
    numpy_pass = bincount_partials(*args)
    finest = con.sql(
        "SELECT count(*) FROM (SELECT DISTINCT population_id, stratum, psu, "
        + ", ".join(BREAKDOWNS)
        + " FROM respondents)"
    ).fetchall()[0][0]
    assert grown == [(0, finest)]
    assert_same(numpy_pass, sql_partials(*args))


def test_one_batch_needs_no_count(monkeypatch):
    """Respondents that fit one batch are not counted first (a query for nothing)."""
    counted = []
    real = partials.finest_group_count

    def spy(*args):
        counted.append(real(*args))
        return counted[-1]

    monkeypatch.setattr(partials, "finest_group_count", spy)
    con = duckdb.connect()
    con.register("respondents", mixed_table(3_000))
    args = (con, "respondents", synthetic.DESIGN, INDICATORS, BREAKDOWNS, "population_id", SCALE)
    bincount_partials(*args)
    assert counted == [None]
