"""Declared input dialects: a Dutch Excel export and an .xlsx sheet publish exactly the bytes of
the UTF-8 original; undeclared deviations and broken declarations are refused, never guessed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.checks.validate import validate_raw
from pipeline.ingest import dialects
from pipeline.orchestrate.runner import publish_local
from tests.conftest import copy_project

F24 = "raw/2024/findings.csv"


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def declare(project, text: str) -> None:
    yaml_path = project.raw / "2024" / "edition.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8") + text, encoding="utf-8")


def dutch_excel_export(path: Path) -> None:
    """Rewrite a canonical findings.csv as Excel NL saves it: cp1252, ';', decimal comma."""
    rows = rows_of(path)
    value = rows[0].index("value")
    for row in rows[1:]:
        row[value] = row[value].replace(".", ",")
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp1252"))


def as_workbook(csv_path: Path, xlsx_path: Path, sheet: str) -> None:
    """The same table as a workbook sheet, numbers stored as numbers."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    rows = rows_of(csv_path)
    value = rows[0].index("value")
    ws.append(rows[0])
    for row in rows[1:]:
        cells: list = list(row)
        cells[value] = float(row[value]) if row[value] else None
        ws.append(cells)
    book.save(xlsx_path)


def data_bytes(project) -> dict[str, bytes]:
    folder = project.published / "werkonderzoek" / "1.0.0" / "data"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> dict[str, bytes]:
    project = copy_project(tmp_path_factory.mktemp("original") / "project")
    publish_local(project)
    return data_bytes(project)


def test_declared_dutch_excel_export_publishes_identical_bytes(project, tmp_path):
    # A note with characters that differ between cp1252 and UTF-8, in both copies.
    utf8 = copy_project(tmp_path / "utf8")
    for copy in (project, utf8):
        findings = copy.raw / "2024" / "findings.csv"
        text = findings.read_text(encoding="utf-8")
        findings.write_text(text.replace("Sectorsnede", "Sectorsnede (2 à 3 jaar; €)"), "utf-8")
    dutch_excel_export(project.raw / "2024" / "findings.csv")
    exported = (project.raw / "2024" / "findings.csv").read_bytes()
    assert b";" in exported and b"14,3" in exported and "€".encode("cp1252") in exported
    declare(project, 'files:\n  findings.csv: {encoding: cp1252, delimiter: ";", decimal: ","}\n')
    publish_local(project)
    publish_local(utf8)
    assert data_bytes(project) == data_bytes(utf8)
    assert "2 à 3 jaar; €".encode() in data_bytes(project)["findings.csv"]


def test_declared_xlsx_sheet_publishes_identical_bytes(project, original):
    findings = project.raw / "2024" / "findings.csv"
    as_workbook(findings, project.raw / "2024" / "findings.xlsx", "Bevindingen")
    findings.unlink()
    declare(project, "files:\n  findings.csv: {workbook: findings.xlsx, sheet: Bevindingen}\n")
    publish_local(project)
    assert data_bytes(project) == original


def problems(project) -> list[tuple]:
    report, inputs = validate_raw(project)
    assert inputs is None
    return [(p.file, p.row, p.column, p.value, p.rule) for p in report.sorted()]


def test_undeclared_cp1252_is_refused_not_guessed(project):
    findings = project.raw / "2024" / "findings.csv"
    text = findings.read_text(encoding="utf-8").replace("Sectorsnede", "Sectorsnede (à)")
    findings.write_bytes(text.encode("cp1252"))
    assert problems(project) == [(F24, 13, None, "0xe0", "encoding-error")]


def test_undeclared_semicolons_are_refused(project):
    findings = project.raw / "2024" / "findings.csv"
    rows = rows_of(findings)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(rows)
    findings.write_text(buffer.getvalue(), encoding="utf-8")
    found = problems(project)
    assert sorted(p[4] for p in found) == ["missing-column"] * 9 + ["unknown-column"]
    assert {p[1] for p in found} == {1}


def test_a_point_under_a_declared_decimal_comma_is_refused(project):
    findings = project.raw / "2024" / "findings.csv"
    dutch_excel_export(findings)
    findings.write_bytes(findings.read_bytes().replace(b";14,3;", b";14.3;"))
    declare(project, 'files:\n  findings.csv: {encoding: cp1252, delimiter: ";", decimal: ","}\n')
    assert problems(project) == [(F24, 3, "value", "14.3", "decimal-mismatch")]


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        ("files:\n  findings.csv: {encoding: klingon}\n", "unknown encoding 'klingon'"),
        ("files:\n  findings.csv: {delimiter: x}\n", "delimiter must be one of"),
        ('files:\n  findings.csv: {decimal: ",", delimiter: ","}\n', "must differ"),
        ("files:\n  findings.csv: {workbook: f.xlsx}\n", "a workbook needs a sheet"),
        ("files:\n  findings.csv: {workbook: ../f.xlsx, sheet: a}\n", "name of an .xlsx"),
        ("files:\n  findings.csv: {guess: true}\n", "a dialect has only these keys"),
        ("files:\n  other.csv: {encoding: cp1252}\n", "is not a raw file of an edition"),
    ],
)
def test_broken_declarations_are_refused(project, declaration, message):
    declare(project, declaration)
    report, inputs = validate_raw(project)
    assert inputs is None
    [problem] = report.errors
    assert (problem.file, problem.rule) == ("raw/2024/edition.yaml", "dialect")
    assert message in problem.message


def test_a_declared_workbook_that_is_missing_or_lacks_the_sheet(project):
    declare(project, "files:\n  findings.csv: {workbook: findings.xlsx, sheet: Bevindingen}\n")
    assert problems(project) == [
        (F24, None, None, None, "ambiguous-source"),
        ("raw/2024/findings.xlsx", None, None, None, "missing-file"),
    ]
    as_workbook(project.raw / "2024" / "findings.csv", project.raw / "2024" / "findings.xlsx", "X")
    (project.raw / "2024" / "findings.csv").unlink()
    assert problems(project) == [
        ("raw/2024/findings.xlsx", None, None, "Bevindingen", "missing-sheet"),
    ]


def test_a_declared_workbook_beside_the_csv_is_ambiguous(project):
    as_workbook(project.raw / "2024" / "findings.csv", project.raw / "2024" / "findings.xlsx", "S")
    declare(project, "files:\n  findings.csv: {workbook: findings.xlsx, sheet: S}\n")
    assert problems(project) == [(F24, None, None, None, "ambiguous-source")]


def test_limits_are_checked_on_the_bytes_before_parsing(project, monkeypatch):
    findings = project.raw / "2024" / "findings.csv"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.replace("68%", "68\x00%"), encoding="utf-8")
    assert problems(project) == [(F24, 2, None, None, "nul-byte")]
    findings.write_text(text.replace(",1 op de 7,", "," + "x" * 10_001 + ","), encoding="utf-8")
    assert problems(project) == [(F24, 3, None, "xxxxxxxxxxxxxxxxxxxx...", "field-too-long")]
    findings.write_text(text, encoding="utf-8")
    monkeypatch.setattr(dialects, "MAX_FILE_BYTES", findings.stat().st_size - 1)
    assert problems(project) == [(F24, None, None, None, "file-too-large")]


def test_mixed_scales_are_refused(project):
    findings = project.raw / "2024" / "findings.csv"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.replace(",67,A,67 procent", ",0.67,A,67 procent"), encoding="utf-8")
    assert problems(project) == [(F24, 15, "value", "0.67", "percentage-not-fraction")]
