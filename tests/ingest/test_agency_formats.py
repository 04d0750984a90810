"""One set of respondents delivered as Parquet, SPSS, Stata and CSV, each with the agency's own
column names (a `columns:` map) and numerically coded populations (`codes:`), publishes the very
same data files as the contract-shaped Parquet file read in place: the normalising step
(pipeline/ingest/microdata_normalise.py) leaves nothing of the format behind."""

from __future__ import annotations

import csv
import shutil
import stat
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from pipeline.core.paths import Project
from pipeline.ingest.microdata import microdata_spec
from pipeline.ingest.microdata_map import Contract
from pipeline.ingest.microdata_normalise import normalise
from pipeline.orchestrate.runner import publish_local
from pipeline.synth import write_project
from tests.helpers import REPO
from tests.ingest.agency_files import agency_frame, point_edition_at, write_agency_file


def data_files(project: Project) -> dict[str, bytes]:
    """The published data files (CSV and Parquet of every table) of the latest release."""
    folder = project.dataset_dir() / "latest" / "data"
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def item_labels(project: Project) -> tuple[list[str], dict[str, dict[float, str]]]:
    """The items of the code lists, and each agency column's value labels from scales.csv."""
    lists = project.raw / "codelists"
    items = list(csv.DictReader((lists / "items.csv").open(encoding="utf-8")))
    scales = list(csv.DictReader((lists / "scales.csv").open(encoding="utf-8")))
    labels = {
        f"V{number}": {
            float(row["code"]): row["label_nl"]
            for row in scales
            if row["scale_id"] == item["scale_id"]
        }
        for number, item in enumerate(items, start=1)
    }
    return [item["item_id"] for item in items], labels


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """A small synthetic project: its respondents in one contract-shaped Parquet file."""
    root = tmp_path_factory.mktemp("agency") / "synthetic"
    write_project(Project.at(REPO), root, 600, seed=3, items=4)
    return root


def agency_project(reference_root: Path, target: Path, fmt: str) -> Project:
    """A copy of the reference project whose respondents are the agency's file in `fmt`."""
    shutil.copytree(reference_root / "raw", target / "raw")
    shutil.copytree(reference_root / "schemas", target / "schemas")
    shutil.copy2(reference_root / "werkdata.toml", target / "werkdata.toml")
    project = Project.at(target)
    folder = project.raw / "2024" / "microdata"
    (parquet,) = folder.glob("*.parquet")
    table = pq.read_table(parquet)
    parquet.unlink()
    items, labels = item_labels(project)
    frame, mapping = agency_frame(table, items)
    path = write_agency_file(frame, fmt, folder, labels)
    point_edition_at(project.raw / "2024" / "edition.yaml", f"microdata/{path.name}", mapping)
    return project


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


@pytest.mark.slow  # two publishes
def test_an_spss_file_with_its_own_names_and_codes_publishes_the_same_data_files(
    synthetic, tmp_path
):
    reference = Project.at(synthetic)
    assert publish_local(reference).status == "published"
    spss = agency_project(synthetic, tmp_path / "sav", "sav")
    cache = spss.root / ".werkdata" / "cache"
    cache.mkdir(parents=True)
    (cache / f"{'0' * 64}.parquet").write_bytes(b"an entry of an earlier file")
    assert publish_local(spss).status == "published"
    assert data_files(spss) == data_files(reference)
    (entry,) = cache.iterdir()  # the entry this publish read, no other; only its owner reads it
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


@pytest.fixture(scope="module")
def parquet_copy(synthetic, tmp_path_factory) -> pa.Table:
    """The typed copy of the agency's file written as Parquet."""
    return typed_copy(
        agency_project(synthetic, tmp_path_factory.mktemp("agency") / "pq", "parquet")
    )


@pytest.mark.parametrize("fmt", ["sav", "dta", "csv"])
def test_every_format_gives_the_same_typed_copy(synthetic, parquet_copy, tmp_path, fmt):
    """What the checks and the estimate read is the typed copy alone: equal copies publish
    equal files (the SPSS file's publish is compared above)."""
    assert parquet_copy.num_rows == 600
    assert typed_copy(agency_project(synthetic, tmp_path / fmt, fmt)).equals(
        parquet_copy, check_metadata=True
    )
