"""The same synthetic respondents written by `werkdata synth --format` as Parquet (the contract's
names) and as SPSS, Stata and CSV (an agency's layout: its own column names, coded populations
and breakdowns, value labels, "weet niet" user-missing in SPSS, a `;`/`,` cp1252 CSV), mapped by
the `columns:` and `codes:` that synth writes into edition.yaml, publish byte-identical data
files on the local path (the Prefect path: tests/flows/test_agency_file_flow.py). And the code
lists `werkdata draft-codelists` drafts from that SPSS file inside its project, with the mapping
it drafts, validate the file after review."""

from __future__ import annotations

import csv
import shutil

import pyreadstat
import pytest
import yaml

from flows.cli import main
from pipeline.core.paths import Project
from pipeline.orchestrate.runner import publish_local, validate_local
from pipeline.synth import write_project
from tests.helpers import REPO
from tests.ingest.agency_files import data_files

pytestmark = pytest.mark.slow  # four synthetic projects published (~1 s each)

FORMATS = ("parquet", "sav", "dta", "csv")


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> dict[str, Project]:
    """One synthetic edition (seed 11, 400 respondents, 8 items) in every format, published."""
    root = tmp_path_factory.mktemp("formats")
    out = {}
    for file_format in FORMATS:
        written = write_project(
            Project.at(REPO), root / file_format, 400, seed=11, items=8, file_format=file_format
        )
        project = Project.at(written.root)
        assert publish_local(project).status == "published", file_format
        out[file_format] = project
    return out


@pytest.mark.parametrize("file_format", FORMATS[1:])
def test_every_format_publishes_the_data_files_of_the_parquet_file(projects, file_format):
    reference = data_files(projects["parquet"])
    assert len(reference) > 20
    assert data_files(projects[file_format]) == reference


def test_the_agency_files_are_not_the_contracts_layout(projects):
    """The formats differ where an agency's file differs: its names, mapped in edition.yaml."""
    section = yaml.safe_load(
        next((projects["sav"].raw).glob("*/edition.yaml")).read_text(encoding="utf-8")
    )["microdata"]
    assert section["columns"]["Sector"] == "population_id"
    assert section["weight"] == "Gewicht"
    assert all(isinstance(value, str) for value in section["codes"]["population_id"].values())


def test_drafted_code_lists_validate_the_spss_file_after_review(projects, tmp_path, capsys):
    """The agency's file also holds a labelled column the survey does not publish (`Regio`).
    Review as a steward does it: delete the rows drafted for it (its item, its scale, its
    mapping) and set `sensitive`; then the drafted items, scales and breakdowns replace the
    project's, the drafted mapping replaces synth's, and the SPSS file validates."""
    project = Project.at(shutil.copytree(projects["sav"].root, tmp_path / "sav"))
    lists = project.raw / "codelists"
    (spss,) = project.raw.glob("*/microdata/*.sav")
    with_region(spss)
    out = tmp_path / "draft"
    breakdowns = "Leeftijd,Dienstjaren,Geslacht"
    code = main(["--root", str(project.root), "draft-codelists", str(spss), "--out", str(out),
                 "--population", "Sector", "--id", "RespNr", "--weight", "Gewicht",
                 "--breakdowns", breakdowns])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    sensitive = {r["item_id"] for r in rows(lists / "items.csv") if r["sensitive"] == "true"}
    items = rows(out / "items.csv")
    (region,) = [row for row in items if row["item_id"] == "regio"]
    items.remove(region)  # review: not an item of the survey
    for row in items:  # review: the steward marks the sensitive items
        row["sensitive"] = str(row["item_id"] in sensitive).lower()
    write_rows(lists / "items.csv", items)
    scales = [row for row in rows(out / "scales.csv") if row["scale_id"] != region["scale_id"]]
    write_rows(lists / "scales.csv", scales)
    shutil.copyfile(out / "breakdowns.csv", lists / "breakdowns.csv")
    edition = spss.parent.parent / "edition.yaml"
    meta = yaml.safe_load(edition.read_text(encoding="utf-8"))
    drafted = yaml.safe_load((out / "microdata.yaml").read_text(encoding="utf-8"))["microdata"]
    assert drafted["columns"].pop("Regio") == "regio"  # review: its mapping goes too
    for key in ("columns", "codes"):
        meta["microdata"][key] = drafted[key]
    edition.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    report, inputs = validate_local(project)
    assert not report.problems and inputs is not None, report
    # and the review matters: a drafted scale whose label the file contradicts is caught
    scales = rows(lists / "scales.csv")
    scales[0]["label_nl"] = scales[0]["label_nl"] + " (gewijzigd)"
    write_rows(lists / "scales.csv", scales)
    report, inputs = validate_local(project)
    assert inputs is None
    assert any(p.rule == "microdata-labels" for p in report.problems), report


def with_region(spss) -> None:
    """The SPSS file rewritten with one more labelled column, `Regio` (codes 1-3), its
    dictionary (labels, user-missing codes) kept."""
    frame, meta = pyreadstat.read_sav(str(spss), user_missing=True)
    frame["Regio"] = [float(1 + k % 3) for k in range(len(frame))]
    value_labels = dict(meta.variable_value_labels)
    value_labels["Regio"] = {1.0: "Noord", 2.0: "Midden", 3.0: "Zuid"}
    labels = [*(meta.column_names_to_labels[c] for c in meta.column_names), "Regio"]
    pyreadstat.write_sav(
        frame,
        str(spss),
        column_labels=labels,
        variable_value_labels=value_labels,
        missing_ranges=meta.missing_ranges,
    )


def rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path, table: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
