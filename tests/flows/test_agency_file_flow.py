"""An agency's SPSS file (its own column names, coded populations, value labels, "weet niet"
user-missing) through the real Prefect flow publishes the data files that the same respondents,
as the contract's Parquet file read in place, publish on the local path; the flow's publish
leaves in the cache only the typed copy it read, which only its owner can read."""

from __future__ import annotations

import stat

import pytest

from pipeline.core.paths import Project
from pipeline.orchestrate.runner import publish_local
from pipeline.synth import write_project
from tests.helpers import REPO
from tests.ingest.agency_files import agency_project, data_files

pytestmark = pytest.mark.slow  # a real Prefect flow and a local publish


def test_an_spss_file_through_the_flow_publishes_the_parquet_files_data(prefect_harness, tmp_path):
    from flows.publish_flow import publish_flow

    synthetic = tmp_path / "synthetic"
    write_project(Project.at(REPO), synthetic, 600, seed=3, items=4)
    reference = Project.at(synthetic)
    assert publish_local(reference).status == "published"
    spss = agency_project(synthetic, tmp_path / "sav", "sav")
    cache = spss.root / ".werkdata" / "cache"
    cache.mkdir(parents=True)
    (cache / f"{'0' * 64}.parquet").write_bytes(b"an entry of an earlier file")
    assert publish_flow(root=str(spss.root))["status"] == "published"
    assert data_files(spss) == data_files(reference)
    (entry,) = cache.iterdir()  # the entry this publish read, and no other
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
