"""The local report of why each cell was suppressed (D9), through `werkdata publish --local` run
in this process on a small project with respondent data: the file is 0600 and holds the rule
of every cell of the pattern `protect` chose; the published files and the command's output hold
no reason, the output only the report's path, once. (The Prefect path: the flow test in
tests/flows/test_publish_flow.py checks the same report and that the flow's return value and
artifacts hold no reason.)"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import pipeline.orchestrate.disclosure
from flows import cli
from pipeline.core.paths import Project
from pipeline.orchestrate.disclosure_report import COLUMNS, report_path, write_report
from tests.respondents import marked_project

# A rule named as a word of its own (D1, D2, D3, D7, D11; D8 names the audit in validation.json).
RULE_WORD = re.compile(rb"(?<![\w#])D(?:[1237]|11)(?!\w)")
TEXT_FILES = {".csv", ".json", ".md", ".html", ".sql", ".ttl", ".jsonld"}


@dataclass
class Published:
    project: Project
    patterns: list[dict]  # every pattern protect returned in the run
    output: str  # the command's stdout and stderr
    report: list[dict]


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Published:
    project = marked_project(tmp_path_factory.mktemp("report") / "synthetic", 1500, 4)
    patterns = []
    real = pipeline.orchestrate.disclosure.protect_pattern

    def spy(table, config):
        protected = real(table, config)
        patterns.append(dict(protected.pattern))
        return protected

    out, err = io.StringIO(), io.StringIO()
    with (
        pytest.MonkeyPatch.context() as mp,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        mp.setattr(pipeline.orchestrate.disclosure, "protect_pattern", spy)
        code = cli.main(["--root", str(project.root), "publish", "--local"])
    assert code == 0, err.getvalue()
    with report_path(project.root).open(encoding="utf-8", newline="") as handle:
        report = list(csv.DictReader(handle))
    return Published(project, patterns, out.getvalue() + err.getvalue(), report)


@pytest.mark.slow  # the module's publish of 1,500 respondents (~2 s)
def test_the_report_is_readable_by_its_owner_only(published: Published):
    path = report_path(published.project.root)
    assert path == published.project.root / ".werkdata" / "disclosure-report.csv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@pytest.mark.slow  # the module's publish of 1,500 respondents (~2 s)
def test_every_row_names_the_rule_the_pattern_gave_its_cell(published: Published):
    (pattern,) = published.patterns  # one edition
    assert pattern, "the small project suppresses some cells"
    rows = published.report
    assert list(rows[0]) == list(COLUMNS)
    assert {r["edition"] for r in rows} == {"2024"} and {r["table"] for r in rows} == {"estimates"}
    found = {tuple(r[c] for c in COLUMNS[2:6]): r["rule"] for r in rows}
    assert len(found) == len(rows)
    assert found == pattern
    assert set(found.values()) <= {"D1", "D2", "D3", "D7", "D8"}
    assert {"D1", "D3"} <= set(found.values()), "the small project has small cells and their guards"
    keys = [tuple(r[c] for c in COLUMNS[:6]) for r in rows]
    assert keys == sorted(keys)


@pytest.mark.slow  # the module's publish of 1,500 respondents (~2 s)
def test_the_published_estimates_flag_exactly_the_reported_cells_c(published: Published):
    folder = published.project.dataset_dir() / "latest"
    rows = pq.read_table(folder / "data" / "estimates.parquet").to_pylist()
    key = ("population_id", "breakdown_id", "breakdown_value", "indicator_id")
    flagged = {tuple(r[c] for c in key) for r in rows if r["conf_status"] == "C"}
    assert flagged == set(published.patterns[0])
    assert {r["conf_status"] for r in rows} == {"C", "F"}
    assert all(r["status"] == "Q" for r in rows if r["conf_status"] == "C")


@pytest.mark.slow  # the module's publish of 1,500 respondents (~2 s)
def test_no_reason_is_published(published: Published):
    root = published.project.published
    files = [p for p in root.rglob("*") if p.is_file()]
    assert any(p.name == "estimates.csv" for p in files)
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".parquet":
            assert "rule" not in pq.read_schema(path).names, path
        elif path.suffix in TEXT_FILES:
            assert not RULE_WORD.search(data), path
            assert b"disclosure-report" not in data, path
        if path.suffix == ".csv":
            header = data.split(b"\n", 1)[0].decode().split(",")
            assert "rule" not in header, path


@pytest.mark.slow  # the module's publish of 1,500 respondents (~2 s)
def test_the_command_prints_the_reports_path_once_and_no_reason(published: Published):
    output = published.output
    assert output.count("disclosure-report.csv") == 1
    line = next(x for x in output.splitlines() if "disclosure-report.csv" in x)
    assert line.endswith(".werkdata/disclosure-report.csv (readable by you only; never published)")
    assert not RULE_WORD.search(output.encode())
    for row in published.report[:200]:
        assert f"{row['indicator_id']},{row['rule']}" not in output


def test_each_publish_that_estimates_replaces_the_report_whole(tmp_path: Path):
    key = ("a", "totaal", "totaal", "i1")
    write_report(tmp_path, {2024: {key: "D1"}, 2022: {key: "D3"}})
    write_report(tmp_path, {2024: {("b", "totaal", "totaal", "i1"): "D7"}})
    text = report_path(tmp_path).read_text(encoding="utf-8")
    assert text == (
        "edition,table,population_id,breakdown_id,breakdown_value,indicator_id,rule\n"
        "2024,estimates,b,totaal,totaal,i1,D7\n"
    )
    assert stat.S_IMODE(report_path(tmp_path).stat().st_mode) == 0o600
