"""The refresh flow under the Prefect test harness: a run with a change publishes, the next
run finds nothing changed; each leaves an artifact saying which."""

from __future__ import annotations

import pytest

from pipeline.release.records import versions
from tests.flows.outputs import read_artifact
from tests.helpers import copy_project

pytestmark = pytest.mark.slow  # real Prefect flows


def test_refresh_publishes_a_change_then_finds_none(prefect_harness, tmp_path):
    from flows.refresh_flow import refresh_flow

    project = copy_project(tmp_path / "project")
    first = refresh_flow(root=str(project.root))
    first_artifact = read_artifact("werkdata-refresh").data
    second = refresh_flow(root=str(project.root))
    second_artifact = read_artifact("werkdata-refresh").data

    assert (first["status"], first["version"]) == ("published", "1.0.0")
    assert "raw/2024/findings.csv" in first["changed"]
    assert first_artifact.startswith("# Refresh: published 1.0.0")
    assert second == {
        "status": "unchanged",
        "version": "1.0.0",
        "summary": "unchanged (latest is 1.0.0)",
        "changed": [],
    }
    assert second_artifact.startswith("# Refresh: nothing changed")
    assert versions(project.published / "werkonderzoek") == ["1.0.0"]
