"""Published estimates rounded as presentation (D10): Python's round(x, decimals) on the
double, once, where the engine's cells become the estimates table; `decimals` from werkdata.toml
(0..6, else refused naming werkdata.toml) and stated in datapackage.json. A small project with
respondent data published with `decimals = 2` holds no number with more decimals; its standard
errors (percentage points, rounded as the value) and degrees of freedom (integers) are empty
exactly where the value is, and are the ones its intervals were computed with."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.build.transform import rounded
from pipeline.core.errors import RawDataInvalid
from pipeline.core.paths import Project
from pipeline.disclose import DisclosureConfig
from pipeline.orchestrate.plan import disclosure_settings
from pipeline.orchestrate.runner import publish_local
from tests.respondents import marked_project

# Doubles whose rounding a shortcut (x * 10**d, rounded half up or half even) gets wrong, or
# that sit on a half: Python's round works on the double's exact decimal value.
TRICKY = [0.15, 2.675, 12.25, 99.95, 33.333333333333336, 66.66666666666667, 0.05, 100.0, None]


def cells(values: list) -> pa.Table:
    return pa.table(
        {
            "respondents": pa.array([10] * len(values), pa.int64()),
            "share": pa.array(values, pa.float64()),
            "ci_low": pa.array(values, pa.float64()),
            "ci_high": pa.array(values, pa.float64()),
            "se": pa.array(values, pa.float64()),
            "df": pa.array([3] * len(values), pa.int64()),
        }
    )


@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_value_and_interval_are_rounded_as_python_rounds_the_double(decimals):
    out = rounded(cells(TRICKY), decimals)
    expected = [None if x is None else round(x, decimals) for x in TRICKY]
    for name in ("share", "ci_low", "ci_high", "se"):
        assert out[name].to_pylist() == expected
    assert out["respondents"].to_pylist() == [10] * len(TRICKY)
    assert out["df"].to_pylist() == [3] * len(TRICKY)
    assert out.schema == cells(TRICKY).schema


def test_decimals_is_an_integer_from_0_to_6():
    assert DisclosureConfig().decimals == 1
    assert DisclosureConfig(decimals=0).decimals == 0 and DisclosureConfig(decimals=6)
    for bad in (-1, 7, 1.5, "1", True):
        with pytest.raises(ValueError, match="decimals must be an integer from 0 to 6"):
            DisclosureConfig(decimals=bad)
    assert DisclosureConfig(decimals=3).to_json()["decimals"] == 3


def test_a_bad_decimals_is_refused_naming_werkdata_toml(tmp_path: Path):
    (tmp_path / "werkdata.toml").write_text("[disclosure]\ndecimals = 7\n", encoding="utf-8")
    with pytest.raises(RawDataInvalid) as refused:
        disclosure_settings(Project.at(tmp_path))
    (problem,) = refused.value.report.problems
    assert (problem.file, problem.column, problem.rule) == (
        "werkdata.toml",
        "disclosure",
        "disclosure-settings",
    )
    assert "decimals must be an integer from 0 to 6, got 7" in problem.message


@pytest.fixture(scope="module")
def two_decimals(tmp_path_factory) -> Path:
    """The latest release of a small project with respondent data and `decimals = 2`."""
    project = marked_project(tmp_path_factory.mktemp("rounding") / "synthetic", 1500, 4)
    toml = project.root / "werkdata.toml"
    text = toml.read_text(encoding="utf-8")
    assert "\ndecimals = 1 " in text  # the repository's setting, copied with the project
    toml.write_text(text.replace("\ndecimals = 1 ", "\ndecimals = 2 "), encoding="utf-8")
    return publish_local(project).folder


def decimals_of(text: str) -> int:
    return len(text.partition(".")[2])


@pytest.mark.slow  # a publish of 1,500 respondents (~2 s)
def test_no_published_estimate_holds_more_decimals_than_stated(two_decimals: Path):
    package = json.loads((two_decimals / "datapackage.json").read_text(encoding="utf-8"))
    assert package["disclosure"]["decimals"] == 2
    with (two_decimals / "data" / "estimates.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for name in ("value", "ci_low", "ci_high", "se"):
        numbers = [r[name] for r in rows if r[name]]
        assert numbers and max(map(decimals_of, numbers)) == 2, name  # as stated, not fewer
    assert all("." not in r[name] for r in rows for name in ("respondents", "df"))
    table = pq.read_table(two_decimals / "data" / "estimates.parquet")
    for name in ("value", "ci_low", "ci_high", "se"):
        values = [v for v in table[name].to_pylist() if v is not None]
        assert values and all(round(v, 2) == v for v in values), name
    for name in ("respondents", "df"):
        assert pa.types.is_integer(table.schema.field(name).type), name


@pytest.mark.slow  # the publish of test_no_published_estimate_holds_more_decimals_than_stated
def test_se_and_df_are_published_where_the_value_is_and_make_its_interval(two_decimals: Path):
    """`se` and `df` are empty exactly where `value` is (suppressed cells, cells nobody
    answered); a cell has an interval exactly when its df is above 0; and the logit interval
    made from the published value, se (in percentage points) and df is the published one, up to
    the rounding to 2 decimals (where 10 <= value <= 90 and df >= 3, so t <= 3.2)."""
    from scipy import special  # inside: pipeline/estimate/scipy_import.py

    rows = pq.read_table(two_decimals / "data" / "estimates.parquet").to_pylist()
    assert any(r["status"] == "Q" for r in rows)
    for row in rows:
        empty = row["value"] is None
        assert (row["se"] is None, row["df"] is None) == (empty, empty), row
        if not empty:
            assert (row["ci_low"] is None) == (row["df"] == 0), row
    inner = [r for r in rows if r["value"] and 10 <= r["value"] <= 90 and r["df"] >= 3]
    assert len(inner) > 20 and all(r["se"] > 0 for r in inner)
    for row in inner:
        p, se = row["value"] / 100, row["se"] / 100
        half = special.stdtrit(row["df"], 0.975) * se / (p * (1 - p))
        centre = math.log(p / (1 - p))
        for bound, published in ((centre - half, row["ci_low"]), (centre + half, row["ci_high"])):
            assert abs(100 / (1 + math.exp(-bound)) - published) <= 0.05, row
