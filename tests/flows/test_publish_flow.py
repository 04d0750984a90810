"""The real Prefect publish flow: same bytes as the local path, an artifact, and no release
from invalid input."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from pipeline.errors import RawDataInvalid
from pipeline.runner import publish_local
from tests.conftest import REAL_ROWS, copy_project


def data_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "data").iterdir())}


def read_artifact(key: str):
    """The newest artifact with `key`."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    async def latest():
        async with get_client() as client:
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
                sort=ArtifactSort.CREATED_DESC,
                limit=1,
            )
            return found[0] if found else None

    return asyncio.run(latest())


def test_flow_and_local_publish_identical_data_files(prefect_harness, tmp_path):
    from flows.publish_flow import publish_flow

    by_flow = copy_project(tmp_path / "flow")
    by_local = copy_project(tmp_path / "local")
    outcome = publish_flow(root=str(by_flow.root))
    local = publish_local(by_local)

    assert (outcome["status"], outcome["version"]) == ("published", "1.0.0")
    assert outcome["rows"] == REAL_ROWS
    assert data_files(Path(outcome["folder"])) == data_files(local.folder)
    assert len(data_files(local.folder)) == 16

    artifact = read_artifact("werkdata-release")
    assert artifact.type == "markdown"
    assert artifact.data.startswith("# werkonderzoek 1.0.0: published")
    assert "| findings | 28 |" in artifact.data


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
