"""A CSV table of more than FRICTIONLESS_ROWS rows (the estimates) is read back at staging
instead of being checked by frictionless cell by cell: the read-back holds every real table
equal, catches a wrong cell, and the package it publishes still passes frictionless whole."""

from __future__ import annotations

import pytest

import pipeline.release.publish as publishing
from pipeline.core import files
from pipeline.core.errors import BuildFailed
from pipeline.orchestrate.runner import publish_local
from pipeline.release.verify import frictionless_problems
from tests.respondents import marked_project


def test_every_real_table_read_back_equals_the_table_built(project, monkeypatch):
    """With the limit at 0, every CSV table of the real data is read back, not frictionless'd:
    labels, dates, empty and missing cells all come back as built."""
    monkeypatch.setattr(publishing, "FRICTIONLESS_ROWS", 0)
    assert publish_local(project).status == "published"


def test_a_wrong_cell_in_a_large_table_is_refused(project, monkeypatch):
    monkeypatch.setattr(publishing, "FRICTIONLESS_ROWS", 0)
    real_writer = files.write_csv

    def off_by_one(table, path):  # a writer bug: the last digit of a number changed
        real_writer(table, path)
        if path.name == "findings.csv":
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(",68,", ",69,", 1), encoding="utf-8")

    monkeypatch.setattr(files, "write_csv", off_by_one)
    with pytest.raises(BuildFailed, match=r"data/findings\.csv: rows differ"):
        publish_local(project)
    assert not (project.dataset_dir() / "1.0.0").exists()


@pytest.mark.slow
def test_a_package_with_estimates_passes_frictionless_whole(tmp_path, monkeypatch):
    """What a portal runs: frictionless on every resource, CSV and Parquet, estimates included
    (more rows than the limit, so staging read them back). The limit is lowered to 2,000 rows,
    so that 10 items (3,400 rows) make a table over it: the read-back's path is tested, not the
    scale (80 items, over the real limit of 20,000, took ~25 s of the suite)."""
    monkeypatch.setattr(publishing, "FRICTIONLESS_ROWS", 2_000)
    project = marked_project(tmp_path / "synthetic", items=10)
    result = publish_local(project)
    rows = result.rows["estimates"]
    assert rows > publishing.FRICTIONLESS_ROWS
    assert frictionless_problems(result.folder) == []
