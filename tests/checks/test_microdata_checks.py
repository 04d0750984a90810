"""The microdata checks on real Parquet files (pyarrow) in real DuckDB: each rule fires on a small
hand-built file, a clean synthetic file gives no problem, problems naming respondents are capped,
and no respondent id or value reaches the public view."""

from __future__ import annotations

import json
import math

import pyarrow as pa
import pytest

from pipeline.checks.microdata.report import PublicProblem
from pipeline.synth import write_project
from tests.checks.respondent_files import (
    SHOWN,
    base,
    changed,
    checked,
    run,
    write,
)
from tests.synth.readers import SOURCE, rows, spec


def named(check, rule: str) -> list[tuple[str | None, str | None]]:
    """(column, respondent id) of the local problems of `rule` that name a respondent."""
    return [(p.column, p.value) for p in check.local if p.rule == rule and p.value is not None]


def test_the_base_file_is_clean(tmp_path):
    check = run(write(tmp_path / "r.parquet", base()))
    assert check.valid and check.counts == {} and check.local == ()
    assert check.ignored == () and check.skipped_items == () and check.skipped_breakdowns == ()


@pytest.mark.parametrize(
    ("columns", "rule", "expected"),
    [
        (
            {"population_id": ["rijk", "rijk", "gemeenten_55plus", "gemeenten", None, "gemeenten"]},
            "microdata-unknown-population",
            [("population_id", "r3"), ("population_id", "r5")],
        ),
        (
            {"leeftijd": ["65plus", None, "25_34", "tot25", "totaal", "25_34"]},
            "microdata-unknown-breakdown-value",
            [("leeftijd", "r1"), ("leeftijd", "r5")],
        ),
        (
            {"v001": [1, 9, None, 7, 2, 3], "v002": [1, 9, 3, None, 1, 0]},
            "microdata-code-outside-scale",
            [("v002", "r2"), ("v001", "r4"), ("v002", "r6")],
        ),
        (
            {"respondent_id": ["r1", "r2", "r1", "r4", "r2", "r6"]},
            "microdata-duplicate-respondent",
            [("respondent_id", "r1"), ("respondent_id", "r2")],
        ),
        (
            {"respondent_id": ["r1", None, "r3", "r4", "r5", "r6"]},
            "microdata-respondent-id-missing",
            [],
        ),
        (
            {"weight": [1.5, None, 1.0, math.nan, 1.0, 2.5]},
            "microdata-weight-missing",
            [("weight", "r2"), ("weight", "r4")],
        ),
        (
            {"weight": [0.0, 2.0, -1.0, 3.25, math.inf, 2.5]},
            "microdata-weight-not-positive",
            [("weight", "r1"), ("weight", "r3"), ("weight", "r5")],
        ),
        (
            {"psu": [1, 2, None, 3, 4, 3]},
            "microdata-design-value-missing",
            [("psu", "r3")],
        ),
    ],
)
def test_each_row_rule_fires_and_names_its_respondents(tmp_path, columns, rule, expected):
    check = run(write(tmp_path / "r.parquet", changed(**columns)))
    count = len(expected) or 1
    assert check.counts == {rule: count}
    assert named(check, rule) == expected
    assert all(p.file == SHOWN and p.row is None for p in check.local)


def test_a_missing_respondent_id_is_named_by_its_row(tmp_path):
    check = run(write(tmp_path / "r.parquet", changed(respondent_id=["r1", None, *"3456"])))
    (problem,) = check.local
    assert problem.value is None and "row 2 of the file" in problem.message


def test_an_fpc_must_be_a_positive_number(tmp_path):
    data = {**base(), "fpc": pa.array([10.0, 10.0, 10.0, 0.0, None, 8.0])}
    check = run(write(tmp_path / "r.parquet", data), fpc="fpc")
    assert check.counts == {"microdata-fpc-not-positive": 2}
    assert named(check, "microdata-fpc-not-positive") == [("fpc", "r4"), ("fpc", "r5")]


def test_a_stratum_with_a_single_psu(tmp_path):
    check = run(write(tmp_path / "r.parquet", changed(psu=[1, 2, 1, 3, 3, 3])))
    assert check.counts == {"microdata-single-psu-stratum": 1}
    (problem,) = check.local
    assert (problem.column, problem.value) == ("stratum", "s2")
    assert "single PSU" in problem.message


def test_a_single_psu_sampled_with_certainty_is_no_problem(tmp_path):
    """Stratum s2's one PSU is its whole population (fpc 1): R's survey gives it zero variance
    and no lonely-PSU error. With fpc 2 (half its PSUs sampled) it stays a problem, whose
    message says what the rule is and how to fix it."""
    data = changed(psu=[1, 2, 1, 3, 3, 3])
    certain = write(tmp_path / "certain.parquet", {**data, "fpc": pa.array([4.0] * 3 + [1.0] * 3)})
    assert run(certain, fpc="fpc").valid
    lonely = write(tmp_path / "lonely.parquet", {**data, "fpc": pa.array([4.0] * 3 + [2.0] * 3)})
    check = run(lonely, fpc="fpc")
    assert check.counts == {"microdata-single-psu-stratum": 1}
    (public,) = check.public_problems()
    assert "not sampled with certainty" in public.message
    assert "merge it with a similar stratum" in public.message
    assert "microdata.fpc" in public.message


def test_without_psu_a_stratum_of_one_respondent_is_a_single_psu(tmp_path):
    path = write(tmp_path / "r.parquet", changed(stratum=["s1", "s1", "s1", "s2", "s2", "s3"]))
    check = run(path, psu=None)
    assert check.counts == {"microdata-single-psu-stratum": 1}
    (problem,) = check.local
    assert problem.value == "s3" and "single respondent" in problem.message
    assert "single PSU" in run(path).local[0].message  # with psu: one PSU, named so


def test_missing_or_wrongly_typed_columns(tmp_path):
    data = base()
    del data["population_id"]
    data["weight"] = pa.array(["1.5", "2", "1", "3", "1", "2"])
    data["v002"] = pa.array([1.0, 2.0, 3.0, None, 1.0, 2.0])
    check = run(write(tmp_path / "r.parquet", data), psu="cluster")
    # a column that is there with the wrong type is no missing column
    assert check.counts == {"microdata-missing-column": 2, "microdata-column-type": 2}
    messages = sorted(p.message for p in check.public_problems())
    assert messages == [
        "the file has no population_id column population_id",
        "the file has no psu column cluster",
        "the item column v002 is DOUBLE; it must be an integer answer code",
        "the weight column weight is VARCHAR; it must be a floating-point number (double)",
    ]
    # what can still be checked is checked: v001 and the breakdown, the respondent ids
    assert (
        "microdata-code-outside-scale"
        in run(
            write(tmp_path / "s.parquet", {**data, "v001": pa.array([8] * 6, pa.int8())}),
            psu="cluster",
        ).counts
    )


def test_unreadable_inputs(tmp_path):
    text = tmp_path / "text.parquet"
    text.write_text("respondent_id,population_id\nr1,rijk\n", encoding="utf-8")
    assert run(text).counts == {"microdata-unreadable": 1}
    assert run(tmp_path / "nowhere.parquet").counts == {"microdata-unreadable": 1}
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("no parquet here", encoding="utf-8")
    check = run(tmp_path / "empty")
    assert [p.message for p in check.public_problems()] == ["a folder without Parquet files"]
    folder = tmp_path / "parts"
    write(folder / "part-0.parquet", base())
    other = base()
    other["extra"] = pa.array(list("abcdef"))
    write(folder / "part-1.parquet", other)
    check = run(folder)
    assert check.counts == {"microdata-unreadable": 1}
    (local,) = [p for p in check.local if p.file != SHOWN]
    assert local.file == f"{SHOWN}/part-1.parquet" and "adds extra" in local.message


def test_a_folder_of_parts_names_the_part_of_each_respondent(tmp_path):
    folder = tmp_path / "parts"
    write(folder / "part-0.parquet", base())
    ids = [f"p{i}" for i in range(6)]
    write(folder / "part-1.parquet", changed(respondent_id=ids, population_id=["x", *["rijk"] * 5]))
    check = run(folder)
    assert check.counts == {"microdata-unknown-population": 1}
    assert [(p.file, p.value) for p in check.local] == [(f"{SHOWN}/part-1.parquet", "p0")]
    assert [p.file for p in check.public] == [SHOWN]


def test_other_columns_are_ignored_and_absent_items_skipped(tmp_path):
    data = {**base(), "Opmerking": pa.array(list("abcdef")), "postcode": pa.array(list("abcdef"))}
    del data["v002"], data["leeftijd"]
    check = run(write(tmp_path / "r.parquet", data))
    assert check.valid
    assert check.ignored == ("Opmerking", "postcode")
    assert check.skipped_items == ("v002",) and check.skipped_breakdowns == ("leeftijd",)
    assert check.public_view()["ignored_columns"] == ["Opmerking", "postcode"]


def test_a_clean_synthetic_file_gives_no_problem(tmp_path):
    project = tmp_path / "synth"
    write_project(SOURCE, project, 3_000, seed=3, items=30, partitions=2)
    scales: dict[str, set[int]] = {}
    for row in rows(project, "scales.csv"):
        scales.setdefault(row["scale_id"], set()).add(int(row["code"]))
    items = {row["item_id"]: scales[row["scale_id"]] for row in rows(project, "items.csv")}
    breakdowns: dict[str, set[str]] = {}
    for row in rows(project, "breakdowns.csv"):
        breakdowns.setdefault(row["breakdown_id"], set()).add(row["value"])
    populations = rows(project, "populations.csv")
    parents = {row["parent_id"] for row in populations}
    leaves = {
        row["population_id"]
        for row in populations
        if not row["breakdown_id"] and row["population_id"] not in parents
    }
    microdata = spec(project)
    check = checked(microdata, "raw/2024/microdata", leaves, items, breakdowns)
    assert len(microdata.files()) == 2
    assert check.valid and check.local == () and check.ignored == ()
    assert check.skipped_items == () and check.skipped_breakdowns == ()
    # and the same file with one respondent outside its leaves is not clean
    fewer = leaves - {sorted(leaves)[0]}
    check = checked(microdata, "m", fewer, items, breakdowns)
    assert set(check.counts) == {"microdata-unknown-population"}


@pytest.mark.parametrize("rule", ["microdata-duplicate-respondent", "microdata-unknown-population"])
def test_problems_naming_respondents_are_capped(tmp_path, rule):
    ids = [f"r{i:02d}" for i in range(25)]
    if rule == "microdata-duplicate-respondent":
        data = {"respondent_id": pa.array(ids + ids), "population_id": pa.array(["rijk"] * 50)}
    else:
        data = {"respondent_id": pa.array(ids), "population_id": pa.array(["elders"] * 25)}
    data["weight"] = pa.array([1.0] * len(data["respondent_id"]))
    check = run(write(tmp_path / "r.parquet", data), strata=None, psu=None)
    assert check.counts == {rule: 25}
    assert [p.value for p in check.local if p.value] == ids[:20]
    (more,) = [p for p in check.local if p.value is None]
    assert more.message == "and 5 more (25 in all)" and more.rule == rule


SECRETS = ("R-SECRET-0042", "POP-SECRET", "AGE-SECRET", "STRATUM-SECRET", "-4242.4242", "117")


def test_no_respondent_id_or_value_reaches_the_public_view(tmp_path):
    """One respondent breaks every row rule (twice: so its id is a duplicate too) in a stratum of
    its own with a single PSU; its id and values are in the local problems only."""
    secret = {
        "respondent_id": ["R-SECRET-0042", "R-SECRET-0042", None],
        "population_id": ["POP-SECRET", "POP-SECRET", "rijk"],
        "stratum": ["STRATUM-SECRET", "STRATUM-SECRET", "s1"],
        "psu": [4242, 4242, 1],
        "weight": [math.nan, -4242.4242, 1.0],
        "leeftijd": ["AGE-SECRET", "AGE-SECRET", None],
        "v001": [117, 117, None],
        "v002": [None, 117, None],
    }
    data = {name: pa.array(a.to_pylist() + secret[name], a.type) for name, a in base().items()}
    data["fpc"] = pa.array([10.0] * 6 + [-4242.4242, math.nan, 10.0])
    check = run(write(tmp_path / "r.parquet", data), fpc="fpc")
    assert set(check.counts) == {
        "microdata-duplicate-respondent",
        "microdata-respondent-id-missing",
        "microdata-unknown-population",
        "microdata-unknown-breakdown-value",
        "microdata-weight-missing",
        "microdata-weight-not-positive",
        "microdata-fpc-not-positive",
        "microdata-code-outside-scale",
        "microdata-single-psu-stratum",
    }
    local = json.dumps([p.record() for p in check.local])
    assert all(secret in local for secret in SECRETS)
    public = json.dumps(check.public_view()) + json.dumps(check.counts) + repr(check)
    public += json.dumps([p.record() for p in check.public_problems()])
    assert not [secret for secret in SECRETS if secret in public]
    assert all(p.row is None and p.value is None for p in check.public_problems())


def test_a_duplicate_secret_id_stays_local(tmp_path):
    ids = ["R-SECRET-0042", "r2", "r3", "r4", "r5", "R-SECRET-0042"]
    check = run(write(tmp_path / "r.parquet", changed(respondent_id=ids)))
    assert check.counts == {"microdata-duplicate-respondent": 1}
    assert [p.value for p in check.local] == ["R-SECRET-0042"]
    assert "R-SECRET-0042" not in json.dumps(check.public_view()) + repr(check)


def test_a_public_problem_has_no_field_for_a_respondent_value():
    with pytest.raises(ValueError, match="count"):
        PublicProblem(SHOWN, "microdata-weight-missing", "weight", count="R-SECRET-0042")
    with pytest.raises(ValueError, match="kind"):
        PublicProblem(SHOWN, "R-SECRET-0042 has no weight")
    with pytest.raises(ValueError, match="type name"):
        PublicProblem(SHOWN, "wrong-type", "weight", role="weight", found="'R-SECRET-0042'")
    with pytest.raises(TypeError):
        PublicProblem(SHOWN, "microdata-weight-missing", value="R-SECRET-0042")  # type: ignore[call-arg]
