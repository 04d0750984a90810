"""The engine's rules on small tables whose answers can be counted by hand, and its errors."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from pipeline.estimate import Design, Indicator, PopulationTree, estimate

TREE = PopulationTree({"all": None, "a": "all", "b": "all"})
SATISFIED = Indicator("tevreden", "q1", (4, 5), (9,))


def table(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> str:
    """rows as the DuckDB table `respondents`."""
    con.register("respondents_arrow", pa.Table.from_pylist(rows))
    con.execute("CREATE OR REPLACE TABLE respondents AS SELECT * FROM respondents_arrow")
    return "respondents"


def equal_weights(answers: list[int | None], population: str = "a") -> list[dict]:
    return [
        {"population_id": population, "weight": 1.0, "q1": answer, "sex": None}
        for answer in answers
    ]


def cells(result: pa.Table) -> dict:
    """(population, breakdown, value) -> row."""
    return {
        (row["population_id"], row["breakdown_id"], row["breakdown_value"]): row
        for row in result.to_pylist()
    }


def test_excluded_codes_and_nulls_are_not_answered():
    con = duckdb.connect()
    source = table(con, equal_weights([4, 5, 1, 9, None, 2]))
    result = cells(estimate(con, source, Design("weight"), [SATISFIED], TREE))
    row = result[("a", "totaal", "totaal")]
    assert (row["respondents"], row["respondents_counted"]) == (4, 2)
    assert row["share"] == pytest.approx(50.0, rel=1e-15)
    # the domain "answered" stays in the full design of 6: z_i = (y_i - p)/4 for the 4 who
    # answered, 0 for the 2 others; v = 6/5 * sum z_i^2 = 6/5 * 4 * 0.25 / 16
    assert row["se"] == pytest.approx(100 * (6 / 5 * 4 * 0.25 / 16) ** 0.5, rel=1e-12)
    assert ("b", "totaal", "totaal") not in result  # a population without respondents


def test_a_cell_where_nobody_answered_has_no_share():
    con = duckdb.connect()
    source = table(con, equal_weights([1, 4, 5]) + equal_weights([9, None], population="b"))
    row = cells(estimate(con, source, Design("weight"), [SATISFIED], TREE))[
        ("b", "totaal", "totaal")
    ]
    assert (row["respondents"], row["share"], row["se"], row["ci_low"], row["status"]) == (
        0,
        None,
        None,
        None,
        "U",
    )


def test_parents_are_unions_and_breakdown_values_add_up_with_onbekend():
    con = duckdb.connect()
    rows = [
        {"population_id": leaf, "weight": 1.0 + i % 3, "q1": 1 + i % 5, "sex": sex}
        for i, (leaf, sex) in enumerate([("a", "m"), ("a", "v"), ("b", None), ("b", "v")] * 10)
    ]
    source = table(con, rows)
    result = cells(estimate(con, source, Design("weight"), [SATISFIED], TREE, ["sex"]))
    values = {key[2] for key in result if key[1] == "sex"}
    assert values == {"m", "v", "onbekend"}
    for node in ("all", "a", "b"):
        total = result[(node, "totaal", "totaal")]["respondents"]
        assert total == sum(
            result.get((node, "sex", v), {"respondents": 0})["respondents"] for v in values
        )
    assert result[("all", "totaal", "totaal")]["respondents"] == 40
    assert result[("b", "sex", "onbekend")]["respondents"] == 10


@pytest.mark.parametrize(("n", "status"), [(30, "U"), (32, "A")])
def test_status_u_below_an_effective_sample_size_of_30(n, status):
    """Equal weights without design: n_eff = p(1-p)/SE^2 = n - 1, df = n - 1 (no adjustment)."""
    con = duckdb.connect()
    source = table(con, equal_weights([5 if i % 2 else 1 for i in range(n)]))
    row = cells(estimate(con, source, Design("weight"), [SATISFIED], TREE))[
        ("a", "totaal", "totaal")
    ]
    assert row["n_effective"] == pytest.approx(n - 1, rel=1e-12)
    assert (row["df"], row["status"]) == (n - 1, status)


def test_all_counted_gets_korn_graubard_from_n():
    con = duckdb.connect()
    source = table(con, equal_weights([5] * 40))
    row = cells(estimate(con, source, Design("weight"), [SATISFIED], TREE))[
        ("a", "totaal", "totaal")
    ]
    assert (row["share"], row["se"], row["ci_high"], row["ci_method"]) == (
        100.0,
        0.0,
        100.0,
        "korn-graubard",
    )
    assert row["n_effective"] == 40  # n at p = 1; df = n - 1 leaves it unadjusted
    assert row["ci_low"] == pytest.approx(100 * 0.025 ** (1 / 40), rel=1e-12)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Indicator("x", "Q1", (1,)),
        lambda: Indicator("x", 'q1" OR 1=1 --', (1,)),
        lambda: Design("weight; DROP TABLE respondents"),
    ],
)
def test_a_name_that_is_not_an_identifier_is_refused(make):
    with pytest.raises(ValueError, match=r"is not a valid identifier"):
        make()


def test_a_breakdown_that_is_not_an_identifier_is_refused():
    con = duckdb.connect()
    source = table(con, equal_weights([1, 2]))
    with pytest.raises(ValueError, match=r"breakdown_id 'Sex' is not a valid identifier"):
        estimate(con, source, Design("weight"), [SATISFIED], TREE, ["Sex"])


def test_a_population_that_is_not_a_leaf_is_named():
    con = duckdb.connect()
    source = table(con, equal_weights([1, 2]) + equal_weights([4, 5], population="all"))
    with pytest.raises(ValueError, match=r"not leaves of the population tree: \['all'\]"):
        estimate(con, source, Design("weight"), [SATISFIED], TREE)


def test_a_stratum_with_one_psu_is_named():
    con = duckdb.connect()
    rows = [
        {**row, "stratum": "s1" if i < 4 else "s2", "psu": str(i % 2) if i < 4 else "x"}
        for i, row in enumerate(equal_weights([1, 2, 4, 5, 4, 5]))
    ]
    source = table(con, rows)
    design = Design("weight", strata="stratum", psu="psu")
    with pytest.raises(ValueError, match=r"stratum 's2' has a single sampled unit"):
        estimate(con, source, design, [SATISFIED], TREE)


def test_an_fpc_that_varies_within_a_stratum_is_named():
    con = duckdb.connect()
    rows = [
        {**row, "stratum": "s1", "fpc": 100.0 + i} for i, row in enumerate(equal_weights([1, 2, 4]))
    ]
    source = table(con, rows)
    with pytest.raises(ValueError, match=r"stratum 's1': the fpc column is not constant"):
        estimate(con, source, Design("weight", strata="stratum", fpc="fpc"), [SATISFIED], TREE)


def test_counted_and_excluded_codes_must_not_overlap():
    with pytest.raises(ValueError, match=r"codes \[9\] are both counted and excluded"):
        Indicator("x", "q1", (4, 9), (9,))


def test_weights_beyond_a_fixed_scale_are_summed_at_their_own():
    """Weights adding up to 3 x 2^28 (beyond the 2^29 of the old fixed scale 2^24) are summed
    at the edition's scale; the same weights forced to that old scale are refused, not rounded."""
    from pipeline.core.weight_scale import WeightScale
    from pipeline.estimate.partials import compute_partials

    con = duckdb.connect()
    rows = [{"population_id": "a", "weight": 2.0**28, "q1": 4, "sex": None} for _ in range(3)]
    result = cells(estimate(con, table(con, rows), Design("weight"), [SATISFIED], TREE))
    assert result[("a", "totaal", "totaal")]["share"] == 100.0
    with pytest.raises(ValueError, match="not its edition's"):
        source = table(con, rows)
        compute_partials(con, source, Design("weight"), [SATISFIED], scale=WeightScale(24))


def test_a_row_with_too_many_respondents_for_the_packed_counts_is_refused(monkeypatch):
    """The two counts share one sum; a row of more respondents than the shift allows is an
    error (shown with the shift lowered to 4: the real one is 2^26)."""
    from pipeline.estimate import partials

    monkeypatch.setattr(partials, "COUNT_SHIFT", 4)
    con = duckdb.connect()
    source = table(con, equal_weights([4, 5, 1]))
    assert (
        cells(estimate(con, source, Design("weight"), [SATISFIED], TREE))[
            ("a", "totaal", "totaal")
        ]["respondents_counted"]
        == 2
    )
    source = table(con, equal_weights([4, 5, 1, 2]))
    with pytest.raises(ValueError, match="respondents in one PSU"):
        estimate(con, source, Design("weight"), [SATISFIED], TREE)
