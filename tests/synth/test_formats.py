"""`werkdata synth --format`: the same respondents as Parquet, SPSS, Stata and CSV. Each agency
file is read back with pyreadstat (or Python's csv module), turned into the contract by the
`columns:` and `codes:` that synth wrote into edition.yaml, and compared with the Parquet
frame of the same seed; its labels and its user-missing declaration are compared with the
project's code lists."""

from __future__ import annotations

import csv
import math
import os
import subprocess

import pyarrow.parquet as pq
import pyreadstat
import pytest
import yaml

from pipeline.core.errors import WerkdataError
from pipeline.synth import write_project
from tests.synth.readers import REPO, SOURCE, rows

RESPONDENTS = 600
ITEMS = 5  # the three calibrated items and two (sensitive) fillers
FORMATS = ("parquet", "sav", "dta", "csv")


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    """One synthetic project per format, all of the same seed."""
    base = tmp_path_factory.mktemp("formats")
    return {
        f: write_project(SOURCE, base / f, RESPONDENTS, seed=3, items=ITEMS, file_format=f)
        for f in FORMATS
    }


def microdata(project) -> dict:
    text = (project.edition / "edition.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["microdata"]


def contract_rows(section: dict, file_rows: list[dict]) -> list[dict]:
    """Rows of an agency file as contract rows: columns renamed by `columns:`, codes replaced by
    `codes:`, the design columns under the synthetic Parquet's names; a missing number (NaN,
    empty) is None and whole numbers are ints."""
    design = {section["weight"]: "weight", section["strata"]: "stratum", section["psu"]: "psu"}
    names = {**section["columns"], **design}
    result = []
    for row in file_rows:
        out = {}
        for column, value in row.items():
            name = names[column]
            if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
                value = None
            elif name in section["codes"]:
                value = section["codes"][name][int(value)]
            elif name not in ("weight", "stratum"):
                value = int(value)
            out[name] = value
        result.append(out)
    return result


def parquet_rows(projects) -> list[dict]:
    return pq.read_table(projects["parquet"].files[0]).to_pylist()


def read_stat(project, reader):
    """Rows and metadata of the first file, user-missing codes kept as their code."""
    frame, meta = reader(str(project.files[0]), user_missing=True)
    return frame.to_dict("records"), meta


def read_stat_file(path) -> list[dict]:
    return pyreadstat.read_sav(str(path), user_missing=True)[0].to_dict("records")


def test_spss_holds_the_same_respondents_with_labels_and_user_missing_dont_know(projects):
    project = projects["sav"]
    file_rows, meta = read_stat(project, pyreadstat.read_sav)
    section = microdata(project)
    assert contract_rows(section, file_rows) == parquet_rows(projects)
    items = {item_column: section["columns"][item_column] for item_column in meta.column_names
             if section["columns"].get(item_column, "").startswith("v")}  # fmt: skip
    assert len(items) == ITEMS
    labels = {row["item_id"]: row for row in rows(project.root, "items.csv")}
    for column, item_id in items.items():
        assert meta.column_names_to_labels[column] == labels[item_id]["label_nl"]
        assert meta.variable_value_labels[column] == scale_labels(project, item_id)
        assert meta.missing_ranges[column] == [{"lo": 9.0, "hi": 9.0}]
    # "weet niet" is present as its code, not as an empty value
    assert any(row[column] == 9 for row in file_rows for column in items)
    sectors = meta.variable_value_labels["Sector"]
    leaves = {r["population_id"]: r["label_nl"] for r in rows(project.root, "populations.csv")}
    assert all(sectors[code] == leaves[value]
               for code, value in section["codes"]["population_id"].items())  # fmt: skip
    assert meta.readstat_variable_types["Gewicht"] == "double"


def scale_labels(project, item_id: str) -> dict[float, str]:
    """{code: label_nl} of the item's scale in the project's scales.csv."""
    (scale,) = [r["scale_id"] for r in rows(project.root, "items.csv") if r["item_id"] == item_id]
    return {
        float(r["code"]): r["label_nl"]
        for r in rows(project.root, "scales.csv")
        if r["scale_id"] == scale
    }


def test_stata_holds_the_same_respondents_with_dont_know_a_labelled_code(projects):
    project = projects["dta"]
    file_rows, meta = read_stat(project, pyreadstat.read_dta)
    section = microdata(project)
    assert contract_rows(section, file_rows) == parquet_rows(projects)
    for column, item_id in section["columns"].items():
        if item_id.startswith("v"):
            labels = {int(k): v for k, v in meta.variable_value_labels[column].items()}
            assert labels == {int(k): v for k, v in scale_labels(project, item_id).items()}
            assert labels[9] == "Weet niet"
            assert item_id not in meta.missing_user_values
    assert meta.readstat_variable_types["Gewicht"] == "double"


def test_csv_holds_the_same_respondents_and_weights_read_back_exactly(projects):
    project = projects["csv"]
    section = microdata(project)
    dialect = section["csv"]
    assert dialect == {"delimiter": ";", "decimal": ",", "encoding": "cp1252"}
    with project.files[0].open(encoding=dialect["encoding"], newline="") as handle:
        file_rows = list(csv.DictReader(handle, delimiter=dialect["delimiter"]))
    for row in file_rows:
        row["Gewicht"] = float(row["Gewicht"].replace(dialect["decimal"], "."))
    assert contract_rows(section, file_rows) == parquet_rows(projects)


def test_the_mapping_names_every_file_column_and_quotes_every_contract_value(projects):
    """`columns:` maps every file column but the design's; every contract value of `codes:` is
    text as YAML reads it (25_34 unquoted would be the number 2534); Parquet keeps no mapping."""
    for f in ("sav", "dta", "csv"):
        section = microdata(projects[f])
        design = [section[k] for k in ("weight", "strata", "psu")]
        assert sorted([*section["columns"], *design]) == sorted(file_columns(projects[f])), f
        values = [v for codes in section["codes"].values() for v in codes.values()]
        assert "25_34" in values and all(isinstance(v, str) for v in values), f
        assert section["synthetic"] is True and section["path"].endswith(f"respondents.{f}")
    assert set(microdata(projects["parquet"])) == {"path", "weight", "strata", "psu", "synthetic"}


def file_columns(project) -> list[str]:
    path = project.files[0]
    if path.suffix == ".csv":
        return path.read_text(encoding="cp1252").split("\n", 1)[0].split(";")
    reader = pyreadstat.read_sav if path.suffix == ".sav" else pyreadstat.read_dta
    return reader(str(path), metadataonly=True)[1].column_names


def test_partitions_of_an_agency_format_hold_the_same_respondents(projects, tmp_path):
    parts = write_project(SOURCE, tmp_path / "p", RESPONDENTS, seed=3, items=ITEMS,
                          partitions=2, file_format="sav")  # fmt: skip
    assert [f.name for f in parts.files] == ["part-000.sav", "part-001.sav"]
    assert microdata(parts)["path"] == "microdata"
    file_rows = [row for f in parts.files for row in read_stat_file(f)]
    assert contract_rows(microdata(parts), file_rows) == parquet_rows(projects)


def test_an_unknown_format_is_refused(tmp_path):
    with pytest.raises(WerkdataError, match="--format must be one of parquet, sav, dta, csv"):
        write_project(SOURCE, tmp_path / "x", RESPONDENTS, seed=3, items=ITEMS, file_format="xlsx")
    assert not (tmp_path / "x").exists()


def test_make_demo_passes_its_format_to_synth():
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    result = subprocess.run(
        ["make", "-n", "demo", "DEMO_FORMAT=sav", "DEMO=/tmp/nowhere"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (synth,) = [line for line in result.stdout.splitlines() if " synth " in line]
    assert "--format sav" in synth and "--out /tmp/nowhere" in synth
