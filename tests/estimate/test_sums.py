"""The sums of runs of rows (a sparse product) equal adding the rows one by one, for every
dtype the estimation sums; segments found from codes equal those found by comparing keys; and
the numpy pass refuses a group too large for its 32-bit counts."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest

from pipeline.core.weight_scale import WeightScale
from pipeline.estimate import Design, Indicator, bincount_pass
from pipeline.estimate.partials import bincount_partials
from pipeline.estimate.variance import per_group, segments, summed_runs
from tests.estimate import synthetic


def added_one_by_one(values: np.ndarray, order: np.ndarray, where: np.ndarray) -> np.ndarray:
    """The reference: each run's rows added in order, starting from its first row."""
    ends = [*where[1:], len(order)]
    runs = []
    for start, end in zip(where, ends, strict=True):
        total = values[order[start]].copy()
        for row in order[start + 1 : end]:
            total = total + values[row]
        runs.append(total)
    return np.array(runs, dtype=values.dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.int64])
def test_summed_runs_add_the_rows_in_order(dtype):
    rng = np.random.default_rng(3)
    values = rng.integers(-1_000, 1_000, size=(40, 7)).astype(dtype)
    order = rng.permutation(np.repeat(np.arange(40), 3))  # every row in three runs
    where = np.array([0, 1, 5, 6, 30, 31, 90, 119])
    found = summed_runs(values, order, where)
    assert found.dtype == values.dtype
    assert np.array_equal(found, added_one_by_one(values, order, where))


def test_summed_runs_of_fractions_are_bit_for_bit_the_sequential_sums():
    """Floats that are not integers: the order of adding shows in the last bits."""
    rng = np.random.default_rng(4)
    values = rng.normal(size=(500, 3)) * 10.0 ** rng.integers(-8, 8, size=(500, 1))
    order = rng.permutation(500)
    where = np.sort(rng.choice(np.arange(1, 500), 40, replace=False))
    where = np.concatenate([[0], where])
    assert np.array_equal(summed_runs(values, order, where), added_one_by_one(values, order, where))


def test_summed_runs_of_python_integers_beyond_2_53():
    values = np.array([[2**60], [2**60 + 1], [3]], dtype=object)
    found = summed_runs(values, np.array([2, 0, 1]), np.array([0, 1]))
    assert found.tolist() == [[3], [2**61 + 1]]


def test_no_rows_sum_to_no_runs_and_one_dimension_works():
    assert summed_runs(np.zeros((0, 4)), np.zeros(0, np.int64), np.zeros(0, np.int64)).shape == (
        0,
        4,
    )
    assert per_group(np.array([1.0, 2.0, 4.0]), np.array([0, 2])).tolist() == [3.0, 4.0]


def test_segments_from_codes_match_the_keys():
    """Rows sorted by (cell, stratum): groups start where either changes, cells where the cell
    changes; a stratum code repeated in the next cell still starts a group."""
    codes = np.array(
        [
            [0, 0, 0, 0],
            [0, 0, 0, 0],
            [0, 0, 0, 1],
            [0, 0, 1, 1],  # a new cell with the previous row's stratum
            [1, 0, 1, 1],
            [1, 0, 1, 2],
        ]
    )
    seg = segments(codes)
    assert seg.groups.tolist() == [0, 2, 3, 4, 5]
    assert seg.cells.tolist() == [0, 2, 3]
    assert seg.group_of_row.tolist() == [0, 0, 1, 2, 3, 4]
    assert seg.cell_of_row.tolist() == [0, 0, 0, 1, 2, 2]
    assert segments(np.zeros((0, 4), np.int64)).groups.tolist() == []


def test_a_group_beyond_32_bit_counts_is_refused(monkeypatch):
    monkeypatch.setattr(bincount_pass, "COUNT_LIMIT", 5)
    con = duckdb.connect()
    con.register("respondents", synthetic.respondent_table(5_000, 2, seed=2))
    design = Design("weight", strata="stratum", psu="psu")
    indicators = [Indicator("a_q000", "q000", (4, 5), (9,))]
    with pytest.raises(ValueError, match="more than 5 respondents in one PSU"):
        bincount_partials(
            con, "respondents", design, indicators, [], "population_id", WeightScale(24)
        )
