"""Disclosure control on the publish path (docs/disclosure.md): the published estimates carry the
pattern, the audit is recorded, a pattern that fails the independent audit stops the publish,
and the settings stated in the package change the release."""

from __future__ import annotations

import json
import stat

import pyarrow.parquet as pq
import pytest

import pipeline.orchestrate.disclosure
from pipeline.core.errors import RawDataInvalid
from pipeline.disclose import Protected
from pipeline.orchestrate.runner import publish_local
from tests.respondents import leaks, marked_project


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    project = marked_project(tmp_path_factory.mktemp("disclosure") / "synthetic", 1500, 4)
    result = publish_local(project)
    return project, result.folder


def test_suppressed_cells_are_marked_and_the_audit_is_recorded(published):
    project, folder = published
    rows = pq.read_table(folder / "data" / "estimates.parquet").to_pylist()
    suppressed = [r for r in rows if r["status"] == "Q"]
    assert {r["conf_status"] for r in suppressed} == {"C"}  # one flag whatever the rule (D9)
    assert all(r["value"] is None and r["respondents"] is None for r in suppressed)
    assert {r["conf_status"] for r in rows if r["status"] != "Q"} == {"F"}
    assert leaks(project) == []
    record = json.loads((folder / "validation.json").read_text(encoding="utf-8"))["disclosure"]
    (audited,) = record["editions"].values()
    assert audited["passed"] is True and audited["failures"] == []
    assert audited["suppressed"] == len(suppressed)
    assert audited["class_cells"] >= 2 * len(suppressed)  # an indicator's item: 2 classes or more
    # how many cells were primary or added for the audit would tell why a cell is hidden (D9)
    assert not {"suppressed_primary", "suppressed_secondary", "rounds"} & set(audited)
    # the solver's counts and times depend on where the true counts lie: kept local only
    assert not {"lp_solves", "milp_solves", "components", "seconds", "audit_seconds"} & set(audited)
    local = project.root / ".werkdata" / "disclosure-audit.json"
    assert stat.S_IMODE(local.stat().st_mode) == 0o600
    (full,) = json.loads(local.read_text(encoding="utf-8")).values()
    assert full["lp_solves"] > 0 and full["suppressed"] == audited["suppressed"]
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["disclosure"]["threshold"] == 10
    assert package["disclosure"]["sensitive_threshold"] == 5


def test_every_cell_of_the_structure_has_a_row(published):
    """A cell nobody answered is published as suppressed, not left out: its absence would say
    that nobody in the group answered."""
    _, folder = published
    rows = pq.read_table(folder / "data" / "estimates.parquet").to_pylist()
    keys = {(r["population_id"], r["breakdown_id"], r["breakdown_value"]) for r in rows}
    indicators = {r["indicator_id"] for r in rows}
    assert len(rows) == len(keys) * len(indicators)


def test_a_pattern_that_fails_the_audit_is_refused_and_nothing_is_published(tmp_path, monkeypatch):
    """One suppressed child with its parent and siblings published: the audit, run on the final
    pattern by the publish path itself, sees the child recoverable and the publish stops."""
    project = marked_project(tmp_path / "synthetic", 1000, 3)
    chosen = {}

    def one_child(table, config):
        key = next(k for k in sorted(table.n) if table.parents[k[0]] and table.n[k] >= 10)
        chosen["key"] = key
        return Protected(pattern={key: "D1"}, record={})

    monkeypatch.setattr(pipeline.orchestrate.disclosure, "protect_pattern", one_child)
    with pytest.raises(RawDataInvalid) as refused:
        publish_local(project)
    (problem,) = refused.value.report.problems
    assert problem.rule == "disclosure-audit"
    assert "/".join(chosen["key"]) in problem.message
    assert not project.published.exists() or not any(project.published.rglob("*.parquet"))


def test_a_changed_threshold_makes_a_new_release_that_says_so(tmp_path):
    project = marked_project(tmp_path / "synthetic", 1000, 3)
    first = publish_local(project)
    set_threshold(project, "15")
    second = publish_local(project)
    assert (first.version, second.status) == ("1.0.0", "published")
    assert second.version != first.version
    package = json.loads((second.folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["disclosure"]["threshold"] == 15
    assert "disclosure" in (second.folder / "CHANGELOG.md").read_text(encoding="utf-8")
    rows = pq.read_table(second.folder / "data" / "estimates.parquet").to_pylist()
    assert all(r["respondents"] >= 15 for r in rows if r["status"] != "Q")


def test_a_bad_setting_is_a_clear_refusal(tmp_path):
    project = marked_project(tmp_path / "synthetic", 1000, 3)
    set_threshold(project, '"ten"')
    with pytest.raises(RawDataInvalid) as refused:
        publish_local(project)
    (problem,) = refused.value.report.problems
    assert (problem.file, problem.rule) == ("werkdata.toml", "disclosure-settings")
    assert "threshold" in problem.message


def set_threshold(project, value: str) -> None:
    """werkdata.toml's [disclosure] threshold (the copy of the repository's) set to `value`."""
    text = project.config_file.read_text(encoding="utf-8")
    assert text.count("\nthreshold = 10 ") == 1
    project.config_file.write_text(text.replace("\nthreshold = 10 ", f"\nthreshold = {value} "))
