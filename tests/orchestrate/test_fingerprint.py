"""The input fingerprint covers respondent files, inside raw/ and outside it; a release records
only its one hash, which says "unchanged" or not."""

from __future__ import annotations

import json
import shutil

import yaml

from pipeline.orchestrate.fingerprint import UNKNOWN_WHICH, fingerprint, input_changes
from tests.respondents import marked_project


def test_respondent_files_inside_and_outside_raw_count(tmp_path):
    project = marked_project(tmp_path / "synthetic", respondents=1000, items=3)
    inside = fingerprint(project)
    assert "raw/2024/microdata/respondents.parquet" in inside["files"]

    elsewhere = tmp_path / "held-elsewhere"
    shutil.move(project.raw / "2024" / "microdata", elsewhere)
    meta_path = project.raw / "2024" / "edition.yaml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["microdata"]["path"] = str(elsewhere / "respondents.parquet")
    meta_path.write_text(yaml.safe_dump(meta), encoding="utf-8")
    outside = fingerprint(project)
    name = "raw/2024/microdata:respondents.parquet"  # no local folder in a published record
    assert outside["files"][name] == inside["files"]["raw/2024/microdata/respondents.parquet"]
    assert not any(str(tmp_path) in key for key in outside["files"])

    data = (elsewhere / "respondents.parquet").read_bytes()
    (elsewhere / "respondents.parquet").write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    assert fingerprint(project)["files"][name] != outside["files"][name]
    assert fingerprint(project)["sha256"] != outside["sha256"]


def test_one_recorded_hash_says_unchanged_or_changed(project, tmp_path):
    root = tmp_path / "published" / "werkonderzoek"
    (root / "1.0.0").mkdir(parents=True)
    (root / "latest").symlink_to("1.0.0")
    record = root / "1.0.0" / "validation.json"
    current = fingerprint(project)
    record.write_text(json.dumps({"valid": True, "inputs_sha256": current["sha256"]}))
    assert input_changes(project, root) == (current, None)
    record.write_text(json.dumps({"valid": True, "inputs_sha256": "0" * 64}))
    assert input_changes(project, root) == (current, [UNKNOWN_WHICH])
