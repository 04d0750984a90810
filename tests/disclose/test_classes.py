"""The answer classes of an item (pipeline/disclose/classes.py): the atoms of its indicators'
count-code sets, from the engine's respondents and counted answers per cell."""

from __future__ import annotations

import pyarrow as pa
import pytest

from pipeline.core.errors import RawDataInvalid
from pipeline.disclose.classes import cell_classes, item_classes
from pipeline.estimate import Indicator, PopulationTree
from pipeline.orchestrate.disclosure import disclosure_table


def test_one_indicator_gives_counted_and_the_rest():
    plan = item_classes("q1", {"i1": (4, 5)}, {"i1": (9,)})
    assert plan.counts(50, {"i1": 20}) == (20, 30)


def test_disjoint_indicators_give_each_set_and_the_answers_in_none():
    plan = item_classes("q1", {"agree": (4, 5), "disagree": (1, 2)}, {})
    assert plan.counts(50, {"agree": 20, "disagree": 12}) == (12, 20, 18)


def test_nested_indicators_give_the_inner_set_and_the_outer_rest():
    plan = item_classes("q1", {"top": (5,), "top2": (4, 5)}, {})
    # classes: {4} = top2 - top, {5} = top, the rest = n - top2
    assert plan.counts(50, {"top": 7, "top2": 20}) == (13, 7, 30)


def test_a_set_equal_to_the_union_of_its_parts_is_no_class_of_its_own():
    plan = item_classes("q1", {"low": (1,), "high": (2,), "both": (1, 2)}, {})
    assert plan.counts(40, {"low": 10, "high": 5, "both": 15}) == (10, 5, 25)


def test_indicators_with_the_same_codes_are_one_class():
    plan = item_classes("q1", {"a": (4, 5), "b": (5, 4)}, {})
    assert plan.counts(30, {"a": 10, "b": 10}) == (10, 20)


def test_crossing_sets_are_refused_naming_the_item_and_indicators():
    with pytest.raises(ValueError, match=r"item q1: the count codes of indicators \w+ and \w+"):
        item_classes("q1", {"top2": (4, 5), "mid": (3, 4)}, {})


def test_indicators_excluding_different_codes_are_refused():
    with pytest.raises(ValueError, match="item q1: indicators a, b exclude different codes"):
        item_classes("q1", {"a": (1,), "b": (2,)}, {"a": (9,), "b": ()})


def test_counts_that_contradict_the_sets_are_refused_without_the_counts():
    plan = item_classes("q1", {"top": (5,), "top2": (4, 5)}, {})
    with pytest.raises(ValueError, match="item q1 contradict") as error:
        plan.counts(50, {"top": 21, "top2": 20})
    assert "21" not in str(error.value) and "20" not in str(error.value)


def test_cell_classes_keys_cells_by_item_and_sums_to_n():
    plan = item_classes("q1", {"i1": (1,), "i2": (2,)}, {})
    n = {("all", "totaal", "totaal", "i1"): 30, ("all", "totaal", "totaal", "i2"): 30}
    counted = {("all", "totaal", "totaal", "i1"): 10}  # i2 missing: nobody counted, 0
    out = cell_classes([plan], {"i1": "q1", "i2": "q1"}, n, counted)
    assert out == {("all", "totaal", "totaal", "q1"): (10, 0, 20)}


def test_the_publish_path_refuses_crossing_indicators_naming_the_file_and_item():
    cells = pa.table(
        {
            "population_id": ["all"],
            "breakdown_id": ["totaal"],
            "breakdown_value": ["totaal"],
            "indicator_id": ["top2"],
            "respondents": [30],
            "respondents_counted": [12],
        }
    )
    indicators = [Indicator("top2", "q1", (4, 5)), Indicator("mid", "q1", (3, 4))]
    with pytest.raises(RawDataInvalid) as refused:
        disclosure_table(cells, PopulationTree({"all": None}), {}, indicators, set())
    (problem,) = refused.value.report.problems
    assert (problem.file, problem.column) == ("raw/codelists/indicators.csv", "count_codes")
    assert "item q1" in problem.message and "mid and top2" in problem.message
