"""One set of respondents delivered as Parquet, SPSS, Stata and CSV, each with the agency's own
column names (a `columns:` map) and numerically coded populations (`codes:`), gives one typed
copy (pipeline/ingest/microdata_normalise.py), the only thing the checks and the estimate read;
tests/flows/test_agency_file_flow.py publishes the SPSS file through the Prefect flow and finds
the data files of the contract-shaped Parquet file published in place."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from pipeline.core.paths import Project
from pipeline.ingest.microdata import microdata_spec
from pipeline.ingest.microdata_map import Contract
from pipeline.ingest.microdata_normalise import normalise
from pipeline.synth import write_project
from tests.helpers import REPO
from tests.ingest.agency_files import agency_project


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """A small synthetic project: its respondents in one contract-shaped Parquet file."""
    root = tmp_path_factory.mktemp("agency") / "synthetic"
    write_project(Project.at(REPO), root, 600, seed=3, items=4)
    return root


def typed_copy(project: Project) -> pa.Table:
    """The typed copy the normalising step makes of the project's respondent file, read back."""
    meta = yaml.safe_load((project.raw / "2024" / "edition.yaml").read_text(encoding="utf-8"))
    spec = microdata_spec(meta, project.raw / "2024")
    outcome = normalise(spec, str, contract_of(project), meta["microdata"], project.root / "c")
    assert outcome.problems == []
    (path,) = outcome.spec.parquet_files()
    return pq.read_table(path)


def contract_of(project: Project) -> Contract:
    """The code lists of the project as the respondent file is held to them."""
    lists = project.raw / "codelists"

    def rows(name: str) -> list[dict]:
        return list(csv.DictReader((lists / name).open(encoding="utf-8")))

    labels: dict[str, dict[int, str]] = {}
    for row in rows("scales.csv"):
        labels.setdefault(row["scale_id"], {})[int(row["code"])] = row["label_nl"]
    values: dict[str, set[str]] = {}
    for row in rows("breakdowns.csv"):
        values.setdefault(row["breakdown_id"], set()).add(row["value"])
    populations = rows("populations.csv")
    parents = {row["parent_id"] for row in populations}
    leaves = {row["population_id"] for row in populations if row["population_id"] not in parents}
    items = {row["item_id"]: labels[row["scale_id"]] for row in rows("items.csv")}
    return Contract(frozenset(leaves), items, {k: frozenset(v) for k, v in values.items()})


@pytest.fixture(scope="module")
def parquet_copy(synthetic, tmp_path_factory) -> pa.Table:
    """The typed copy of the agency's file written as Parquet."""
    return typed_copy(
        agency_project(synthetic, tmp_path_factory.mktemp("agency") / "pq", "parquet")
    )


@pytest.mark.parametrize("fmt", ["sav", "zsav", "dta", "csv"])
def test_every_format_gives_the_same_typed_copy(synthetic, parquet_copy, tmp_path, fmt):
    """What the checks and the estimate read is the typed copy alone: equal copies publish
    equal files (tests/flows/test_agency_file_flow.py publishes the SPSS file)."""
    assert parquet_copy.num_rows == 600
    assert typed_copy(agency_project(synthetic, tmp_path / fmt, fmt)).equals(
        parquet_copy, check_metadata=True
    )
