"""Published estimates rounded as presentation (D10): Python's round(x, decimals) on the
double, once, where the engine's cells become the estimates table; `decimals` from werkdata.toml
(0..6, else refused naming werkdata.toml) and stated in datapackage.json. A small project with
respondent data published with `decimals = 2` holds no number with more decimals."""

from __future__ import annotations

import csv
import json
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
        }
    )


@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_value_and_interval_are_rounded_as_python_rounds_the_double(decimals):
    out = rounded(cells(TRICKY), decimals)
    expected = [None if x is None else round(x, decimals) for x in TRICKY]
    for name in ("share", "ci_low", "ci_high"):
        assert out[name].to_pylist() == expected
    assert out["respondents"].to_pylist() == [10] * len(TRICKY)
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
    numbers = [r[c] for r in rows for c in ("value", "ci_low", "ci_high") if r[c]]
    assert numbers and max(map(decimals_of, numbers)) == 2  # the stated decimals, not fewer
    assert all("." not in r["respondents"] for r in rows)
    table = pq.read_table(two_decimals / "data" / "estimates.parquet")
    for name in ("value", "ci_low", "ci_high"):
        values = [v for v in table[name].to_pylist() if v is not None]
        assert values and all(round(v, 2) == v for v in values), name
    assert pa.types.is_integer(table.schema.field("respondents").type)
