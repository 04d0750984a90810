"""Respondent files checked in validation: counts in the report, respondent ids only in the
local log, a file only its owner can read, whose path the terminal shows
(tests/flows/test_publish_flow.py: not in Prefect either)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pyarrow.parquet as pq

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

    temporary = tmp_path / "tmp"  # the run's own temporary folder, to search afterwards
    temporary.mkdir()
    result = run_werkdata(
        "--root",
        str(project.root),
        "publish",
        "--local",
        cwd=tmp_path,
        env={"TMPDIR": str(temporary)},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # the terminal names the local log, never a respondent
    assert f"named in {local_log(project).relative_to(tmp_path)} " in result.stderr
    assert MARKER not in result.stdout + result.stderr
    assert repeated in local_log(project).read_text(encoding="utf-8")
    assert not project.published.exists() or not any(project.published.rglob("*.parquet"))
    files = [p for p in temporary.rglob("*") if p.is_file()]
    assert [p for p in files if MARKER.encode() in p.read_bytes()] == []


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_only_its_owner_can_read_the_local_log(tmp_path):
    """The log is .werkdata/log/microdata-problems.txt, 0600 in folders 0700, even when
    .werkdata/ was made readable by all before; the log of earlier versions (in .werkdata/,
    0644) is removed."""
    project = marked_project(tmp_path / "synthetic", respondents=1000, items=3)
    state = project.root / ".werkdata"
    state.mkdir(mode=0o755)
    state.chmod(0o755)
    former = state / "microdata-problems.txt"
    former.write_text("werkdata-respondent-000004\n", encoding="utf-8")
    former.chmod(0o644)
    repeated = break_respondents(project)

    validate_local(project)

    path = local_log(project)
    assert path == project.root / ".werkdata" / "log" / "microdata-problems.txt"
    assert repeated in path.read_text(encoding="utf-8")
    assert (mode(state), mode(path.parent), mode(path)) == (0o700, 0o700, 0o600)
    assert not former.exists()


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


def test_a_csv_export_of_the_respondents_validates_and_a_broken_file_is_one_line(tmp_path):
    """The demo's own respondents exported as CSV validate as they are; a file that is no
    Parquet file is reported once, in the report, and no local log claims to name anyone."""
    project = marked_project(tmp_path / "synthetic", respondents=1000, items=3)
    (parquet,) = (project.raw / "2024" / "microdata").glob("*.parquet")
    parquet.with_suffix(".csv").write_text(
        pq.read_table(parquet).to_pandas().to_csv(index=False), encoding="utf-8"
    )
    parquet.write_bytes(b"respondent_id,weight\n1,2\n")  # a CSV file named .parquet
    report, _ = validate_local(project)
    assert [(p.rule, p.message) for p in report.problems] == [
        ("microdata-unreadable", "not a readable Parquet file")
    ]
    assert not local_log(project).exists()
    edition = project.raw / "2024" / "edition.yaml"
    edition.write_text(
        edition.read_text(encoding="utf-8").replace(parquet.name, "respondents.csv"),
        encoding="utf-8",
    )
    parquet.unlink()
    report, inputs = validate_local(project)
    assert report.problems == []
    assert inputs.microdata[2024].parquet_files()[0].parent.name == "cache"
