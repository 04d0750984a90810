"""An agency's SPSS, Stata or CSV file (its own column names, coded populations, value labels
where the format has them, "weet niet" user-missing in SPSS) through the real Prefect flow
publishes the data files that the same respondents, as the contract's Parquet file read in
place, publish on the local path; the flow's publish leaves in the cache only the typed copy it
read, which only its owner can read."""

from __future__ import annotations

import stat

import pytest

from pipeline.core.paths import Project
from pipeline.orchestrate.runner import publish_local
from pipeline.synth import write_project
from tests.helpers import REPO
from tests.ingest.agency_files import agency_project, data_files

pytestmark = pytest.mark.slow  # a real Prefect flow and a local publish


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Project, dict[str, bytes]]:
    """The synthetic respondents as the contract's Parquet file, published on the local path."""
    synthetic = tmp_path_factory.mktemp("agency") / "synthetic"
    write_project(Project.at(REPO), synthetic, 600, seed=3, items=4)
    project = Project.at(synthetic)
    assert publish_local(project).status == "published"
    return project, data_files(project)


@pytest.mark.parametrize("file_format", ["sav", "dta", "csv"])
def test_an_agency_file_through_the_flow_publishes_the_parquet_files_data(
    prefect_harness, reference, tmp_path, file_format
):
    from flows.publish_flow import publish_flow

    synthetic, published = reference
    agency = agency_project(synthetic.root, tmp_path / file_format, file_format)
    cache = agency.root / ".werkdata" / "cache"
    cache.mkdir(parents=True)
    (cache / f"{'0' * 64}.parquet").write_bytes(b"an entry of an earlier file")
    assert publish_flow(root=str(agency.root))["status"] == "published"
    assert data_files(agency) == published
    (entry,) = cache.iterdir()  # the entry this publish read, and no other
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
