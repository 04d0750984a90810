"""edition.yaml's `microdata:` section and the rules for synthetic respondents, on real files:
a synthetic project written by `werkdata synth`, and a copy of the real project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.checks.microdata.section import section_problems
from pipeline.core.paths import Project
from pipeline.orchestrate.runner import validate_local
from pipeline.synth import write_project
from tests.helpers import REPO, copy_project

SOURCE = Project.at(REPO)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synthetic") / "project"
    write_project(SOURCE, out, 600, seed=3, items=4)
    return out


def rules(problems) -> list[tuple[str | None, str]]:
    return [(p.column, p.rule) for p in problems]


def test_a_synthetic_project_is_valid_and_its_spec_is_read(synthetic):
    report, inputs = validate_local(Project.at(synthetic))
    assert report.problems == []
    (spec,) = inputs.microdata.values()
    assert spec.synthetic is True
    assert spec.weight == "weight"
    assert [p.name for p in spec.files()] == ["respondents.parquet"]


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("not a mapping", [("microdata", "microdata-section")]),
        ({"weight": "weight", "synthetic": True}, [("microdata.path", "microdata-section")]),
        (
            {"path": "microdata", "weight": "weight", "synthetic": "yes"},
            [("microdata.synthetic", "microdata-section")],
        ),
        (
            {"path": "microdata", "weight": "Weight!", "synthetic": False},
            [("microdata.weight", "microdata-section")],
        ),
        (
            {"path": "microdata", "weight": "w", "synthetic": False, "psus": "psu"},
            [("microdata.psus", "microdata-section")],
        ),
        (
            {"path": "nowhere.parquet", "weight": "w", "synthetic": False},
            [("microdata.path", "microdata-section")],
        ),
    ],
)
def test_each_broken_section_is_named(tmp_path, section, expected):
    (tmp_path / "microdata").mkdir()
    (tmp_path / "microdata" / "part.parquet").write_bytes(b"")
    assert rules(section_problems("raw/2024/edition.yaml", {"microdata": section}, tmp_path)) == (
        expected
    )


def test_a_good_section_has_no_problem(tmp_path):
    (tmp_path / "microdata").mkdir()
    (tmp_path / "microdata" / "part.parquet").write_bytes(b"")
    section = {"path": "microdata", "weight": "w", "strata": "s", "psu": "p", "synthetic": False}
    assert section_problems("f", {"microdata": section}, tmp_path) == []


def add_synthetic_edition(project: Project, synthetic: Path) -> None:
    """A 2025 edition in `project` holding the synthetic project's respondents."""
    edition = project.raw / "2025"
    edition.mkdir()
    source = synthetic / "raw" / "2024"
    shutil.copytree(source / "microdata", edition / "microdata")
    meta = yaml.safe_load((source / "edition.yaml").read_text(encoding="utf-8"))
    (edition / "edition.yaml").write_text(yaml.safe_dump(meta), encoding="utf-8")


def test_synthetic_respondents_are_refused_beside_real_figures(tmp_path, synthetic):
    project = copy_project(tmp_path / "real")
    add_synthetic_edition(project, synthetic)
    report, inputs = validate_local(project)
    assert inputs is None
    synthetic_rules = [p for p in report.problems if p.rule == "synthetic-microdata"]
    messages = [p.message for p in synthetic_rules]
    assert any("holds real figures" in m for m in messages), report.to_text()
    assert any("dataset title" in m for m in messages), report.to_text()
    assert all(p.file == "raw/2025/edition.yaml" for p in synthetic_rules)
