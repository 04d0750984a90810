"""No respondent-level column or row reaches published/ (README, "Respondent data"): a marked
synthetic project published on the local path (tests/flows/test_publish_flow.py does the same
through Prefect)."""

from __future__ import annotations

import hashlib
import json

import pyarrow.parquet as pq

from pipeline.orchestrate.runner import publish_local
from tests.respondents import MARKER, leaks, marked_project


def test_the_local_path_publishes_aggregates_only(tmp_path):
    project = marked_project(tmp_path / "synthetic")
    result = publish_local(project)
    assert result.status == "published"
    assert leaks(project) == []
    estimates = pq.read_table(result.folder / "data" / "estimates.parquet")
    assert estimates.num_rows > 100  # the check looked at real estimates
    validation = (result.folder / "validation.json").read_text(encoding="utf-8")
    assert MARKER not in validation
    record = json.loads(validation)
    assert record["valid"] is True
    # one hash over all inputs, no per-file record; the raw CSV and YAML files checked are named
    assert "inputs" not in record and len(record["inputs_sha256"]) == 64
    assert record["checked"] and all(n.endswith((".csv", ".yaml")) for n in record["checked"])


def test_the_check_finds_a_leak(tmp_path):
    """The check itself fails when a respondent id or column is published."""
    project = marked_project(tmp_path / "synthetic", respondents=1000, items=3)
    publish_local(project)
    (source,) = (project.raw / "2024" / "microdata").glob("*.parquet")
    latest = (project.published / "werkonderzoek" / "latest").resolve()
    (latest / "data" / "extra.parquet").write_bytes(source.read_bytes())
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    (latest / "extra.txt").write_text(f"{digest}  raw/2024/microdata/respondents.parquet\n")
    found = leaks(project)
    assert any("respondent id" in f for f in found)
    assert any("the column respondent_id" in f for f in found)
    assert any("copy of the respondent file" in f for f in found)
    shown = f"werkonderzoek/{latest.name}/extra.txt"
    assert f"{shown}: the respondent file's sha256" in found
    assert f"{shown}: the respondent file's name respondents.parquet" in found
    assert f"{shown}: the respondent file's name raw/2024/microdata" in found
