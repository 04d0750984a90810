"""Respondent files checked in validation: counts in the report, respondent ids only on the
terminal and in the local log (tests/flows/test_publish_flow.py: not in Prefect either)."""

from __future__ import annotations

from pipeline.checks.microdata.editions import local_log
from pipeline.orchestrate.runner import validate_local
from tests.helpers import run_werkdata
from tests.respondents import MARKER, break_respondents, marked_project


def test_broken_respondents_are_counted_in_the_report_and_named_locally(tmp_path):
    project = marked_project(tmp_path / "synthetic", respondents=1000, items=3)
    repeated = break_respondents(project)
    report, inputs = validate_local(project)
    assert inputs is None
    assert sorted(p.rule for p in report.problems) == [
        "microdata-duplicate-respondent",
        "microdata-weight-not-positive",
    ]
    assert MARKER not in report.to_json()
    assert repeated in local_log(project).read_text(encoding="utf-8")

    result = run_werkdata("--root", str(project.root), "publish", "--local", cwd=tmp_path)
    assert result.returncode == 1
    assert repeated in result.stderr and "Traceback" not in result.stderr
    assert not project.published.exists() or not any(project.published.rglob("*.parquet"))


def test_the_local_log_goes_when_the_respondents_are_mended(tmp_path):
    project = marked_project(tmp_path / "synthetic", respondents=1000, items=3)
    (path,) = (project.raw / "2024" / "microdata").glob("*.parquet")
    good = path.read_bytes()
    break_respondents(project)
    validate_local(project)
    assert local_log(project).is_file()
    path.write_bytes(good)
    report, inputs = validate_local(project)
    assert report.problems == [] and inputs is not None
    assert not local_log(project).exists()
