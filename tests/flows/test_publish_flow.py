"""The real Prefect publish flow: no release from invalid input, and an artifact that names the
problem (tests/flows/test_plan.py compares the flow with the local path)."""

from __future__ import annotations

import json
import stat

import pytest

from pipeline.core.errors import RawDataInvalid
from pipeline.orchestrate.disclosure_report import report_path
from tests.flows.outputs import read_artifact
from tests.flows.test_disclosure_report import RULE_WORD
from tests.helpers import copy_project

pytestmark = pytest.mark.slow  # real Prefect flows


def test_flow_with_invalid_input_publishes_nothing(prefect_harness, tmp_path):
    from flows.publish_flow import publish_flow

    project = copy_project(tmp_path / "bad")
    findings = project.raw / "2024" / "findings.csv"
    findings.write_text(
        findings.read_text(encoding="utf-8").replace(
            "openbaar_bestuur,tevreden_organisatie,68,",
            "openbaar_bestuur,tevreden_organisatie,168,",
        ),
        encoding="utf-8",
    )
    with pytest.raises(RawDataInvalid) as caught:
        publish_flow(root=str(project.root))

    assert [(p.file, p.row, p.column, p.rule) for p in caught.value.report.errors] == [
        ("raw/2024/findings.csv", 2, "value", "constraint-error")
    ]
    assert list(project.published.iterdir()) == []
    artifact = read_artifact("werkdata-validation")
    assert "raw/2024/findings.csv" in artifact.data


def test_the_flow_publishes_aggregates_only(prefect_harness, tmp_path):
    """Respondent data through the Prefect flow: only aggregates reach published/, and the
    flow's release artifact names no respondent."""
    from flows.publish_flow import publish_flow
    from tests.respondents import MARKER, leaks, marked_project

    project = marked_project(tmp_path / "synthetic")
    outcome = publish_flow(root=str(project.root))
    assert outcome["status"] == "published"
    assert outcome["rows"]["estimates"] > 100
    assert leaks(project) == []
    assert MARKER not in read_artifact("werkdata-release").data
    progress = read_artifact("werkdata-progress")  # the flow's progress artifact, at the end
    assert progress.type == "progress" and float(progress.data) == 100.0
    assert MARKER not in (progress.description or "")
    # why each cell was suppressed: in the local report only, never in what Prefect keeps
    report = report_path(project.root).read_text(encoding="utf-8").splitlines()
    assert len(report) > 1 and stat.S_IMODE(report_path(project.root).stat().st_mode) == 0o600
    kept = [json.dumps(outcome), read_artifact("werkdata-release").data, progress.description]
    for text in (t or "" for t in kept):
        assert not RULE_WORD.search(text.encode()) and "disclosure-report" not in text
        assert not any(line in text for line in report[1:50])


def test_the_flow_sends_prefect_counts_never_respondent_ids(prefect_harness, tmp_path):
    from flows.publish_flow import publish_flow
    from tests.respondents import MARKER, break_respondents, marked_project

    project = marked_project(tmp_path / "synthetic", respondents=1000, items=3)
    repeated = break_respondents(project)
    with pytest.raises(RawDataInvalid) as raised:
        publish_flow(root=str(project.root))
    assert MARKER not in raised.value.report.to_json()
    artifact = read_artifact("werkdata-validation").data
    assert "microdata-duplicate-respondent" in artifact
    assert MARKER not in artifact and repeated not in artifact
    assert not project.published.exists() or not any(project.published.rglob("*.parquet"))
