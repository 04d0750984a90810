"""Helpers of the synth tests: a synthetic project written from the repository, read back the
way the contract's readers would (code lists as CSV, edition.yaml's `microdata:` section)."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from pipeline.core.paths import Project
from pipeline.estimate import Design, Indicator, PopulationTree
from pipeline.ingest.microdata import MicrodataSpec, microdata_spec
from tests.helpers import REPO

SOURCE = Project.at(REPO)


def rows(project: Path, name: str) -> list[dict[str, str]]:
    with (project / "raw" / "codelists" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def spec(project: Path) -> MicrodataSpec:
    edition = project / "raw" / "2024"
    meta = yaml.safe_load((edition / "edition.yaml").read_text(encoding="utf-8"))
    result = microdata_spec(meta, edition)
    assert result is not None
    return result


def design(project: Path) -> Design:
    s = spec(project)
    return Design(s.weight, strata=s.strata, psu=s.psu, fpc=s.fpc)


def tree(project: Path) -> PopulationTree:
    """The estimation tree: the populations without a breakdown (subgroups are not in it)."""
    return PopulationTree(
        {
            row["population_id"]: row["parent_id"] or None
            for row in rows(project, "populations.csv")
            if not row["breakdown_id"]
        }
    )


def indicators(project: Path) -> list[Indicator]:
    """The indicators with an item, as the engine takes them."""
    return [
        Indicator(
            row["indicator_id"],
            row["item_id"],
            tuple(int(c) for c in row["count_codes"].split()),
            tuple(int(c) for c in row["exclude_codes"].split()),
        )
        for row in rows(project, "indicators.csv")
        if row["item_id"]
    ]


def real_national_figures() -> dict[str, float]:
    """The repository's real 2024 national figures (openbaar_bestuur, status A or E)."""
    with (REPO / "raw" / "2024" / "findings.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row["indicator_id"]: float(row["value"])
            for row in csv.DictReader(handle)
            if row["population_id"] == "openbaar_bestuur"
            and row["status"] in ("A", "E")
            and row["value"]
        }
