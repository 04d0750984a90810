"""Declared input dialects: a Dutch Excel export and an .xlsx sheet publish exactly the bytes of
the UTF-8 original; undeclared deviations and broken declarations are refused, never guessed."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from flows.cli import main
from pipeline.ingest import limits
from pipeline.orchestrate.runner import publish_local, validate_local
from tests.helpers import copy_project, run_werkdata

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
    report, inputs = validate_local(project)
    assert inputs is None
    return [(p.file, p.row, p.column, p.value, p.rule) for p in report.sorted()]


def test_undeclared_cp1252_is_refused_not_guessed(project):
    findings = project.raw / "2024" / "findings.csv"
    text = findings.read_text(encoding="utf-8").replace("Sectorsnede", "Sectorsnede (à)")
    findings.write_bytes(text.encode("cp1252"))
    assert problems(project) == [(F24, 13, None, "0xe0", "encoding-error")]


def hinted_declaration(hint: str) -> str:
    """The `files:` line a hint says to add to edition.yaml, as YAML to append."""
    prefix = "add to raw/2024/edition.yaml: "
    assert hint.startswith(prefix), hint
    return hint.removeprefix(prefix) + "\n"


def test_undeclared_semicolons_are_one_problem_with_the_declaration_to_add(project):
    """Nine missing columns and one unknown 'population_id;indicator_id;...' used to be
    reported; it is one problem, whose hint, added to edition.yaml, makes the file valid."""
    findings = project.raw / "2024" / "findings.csv"
    dutch_excel_export(findings)
    findings.write_bytes(findings.read_bytes().decode("cp1252").encode("utf-8"))
    report, _ = validate_local(project)
    header = (
        "population_id;indicator_id;value;status;value_label;confidence;source_id;statement_nl;note"
    )
    assert [(p.file, p.row, p.column, p.value, p.rule) for p in report.problems] == [
        (F24, 1, None, header, "undeclared-delimiter")
    ]
    (problem,) = report.problems
    assert problem.message == "the header is separated by ';'; a file without a declaration by ','"
    assert problem.hint == (
        'add to raw/2024/edition.yaml: files: {findings.csv: {delimiter: ";", decimal: ","}}'
    )
    declare(project, hinted_declaration(problem.hint))
    assert validate_local(project)[0].problems == []


def test_a_semicolon_file_without_decimals_is_not_told_to_declare_a_decimal_comma(project):
    findings = project.raw / "2024" / "findings.csv"
    rows = [row for row in rows_of(findings) if "." not in row[2]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(rows)
    findings.write_text(buffer.getvalue(), encoding="utf-8")
    (problem,) = validate_local(project)[0].problems
    assert problem.hint == 'add to raw/2024/edition.yaml: files: {findings.csv: {delimiter: ";"}}'


def test_an_undeclared_dutch_excel_export_gets_the_whole_declaration(project, original):
    findings = project.raw / "2024" / "findings.csv"
    text = findings.read_text(encoding="utf-8").replace("Sectorsnede", "Sectorsnede (à)")
    findings.write_text(text, encoding="utf-8")
    dutch_excel_export(findings)
    (problem,) = validate_local(project)[0].problems
    assert (problem.rule, problem.hint) == (
        "encoding-error",
        "add to raw/2024/edition.yaml: "
        'files: {findings.csv: {encoding: cp1252, delimiter: ";", decimal: ","}}',
    )
    declare(project, hinted_declaration(problem.hint))
    assert validate_local(project)[0].problems == []


def test_a_code_list_in_another_dialect_is_told_how_to_save_it(project):
    path = project.codelists / "themes.csv"
    path.write_bytes(path.read_text(encoding="utf-8").replace(",", ";").encode("cp1252"))
    (problem,) = validate_local(project)[0].problems
    assert (problem.file, problem.rule, problem.hint) == (
        "raw/codelists/themes.csv",
        "undeclared-delimiter",
        "save raw/codelists/themes.csv as UTF-8 CSV with a comma (in Excel: CSV UTF-8)",
    )


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
        ("files:\n  findings.csv: {guess: true}\n", "files.findings.csv has no key 'guess'"),
        ("files:\n  other.csv: {encoding: cp1252}\n", "is not a raw file of an edition"),
    ],
)
def test_broken_declarations_are_refused(project, declaration, message):
    declare(project, declaration)
    report, inputs = validate_local(project)
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


# Every key of a declaration gets a report line, never an exception

KEYS = "decimal, delimiter, encoding, sheet, workbook"


@pytest.mark.parametrize(
    ("declaration", "column", "value", "message", "hint"),
    [
        (
            '{delimiter: [";"]}',
            "files.findings.csv.delimiter",
            None,
            "delimiter must be text, not a list",
            'delimiter is a comma ",", a semicolon ";", a bar "|"',
        ),
        (
            '{decimal: {",": "."}}',
            "files.findings.csv.decimal",
            None,
            "decimal must be text, not a mapping",
            'decimal is "." (a point) or "," (a comma)',
        ),
        (
            '{delimeter: ";"}',
            "files.findings.csv.delimeter",
            None,
            "files.findings.csv has no key 'delimeter'",
            f"did you mean 'delimiter'? allowed: {KEYS}",
        ),
        (
            "{workbook: findings.xlsx, sheet: 2024}",
            "files.findings.csv.sheet",
            "2024",
            "sheet must be text, not a int",
            'quote it: sheet: "2024"',
        ),
        (
            "{encoding: rot13}",
            "files.findings.csv.encoding",
            "rot13",
            "the encoding 'rot13' is not one a raw file may use",
            "encoding is one of utf-8, cp1252, latin-1, latin-9",
        ),
        (
            "{encoding: [cp1252], delimiter: {a: b}, guess: 1}",
            "files.findings.csv",
            None,
            None,
            None,
        ),
    ],
    ids=["list-delimiter", "mapping-decimal", "misspelled-key", "number-sheet", "rot13", "all"],
)
def test_every_declared_key_is_checked(project, declaration, column, value, message, hint):
    declare(project, f"files:\n  findings.csv: {declaration}\n")
    report, inputs = validate_local(project)
    assert inputs is None
    if message is None:  # three wrong keys: three report lines
        assert [p.message for p in report.sorted()] == [
            "delimiter must be text, not a mapping",
            "encoding must be text, not a list",
            "files.findings.csv has no key 'guess'",
        ]
        return
    assert [
        (p.file, p.row, p.column, p.value, p.rule, p.message, p.hint) for p in report.problems
    ] == [("raw/2024/edition.yaml", None, column, value, "dialect", message, hint)]
    assert main(["--root", str(project.root), "validate"]) == 1


@pytest.mark.parametrize(
    "declaration", ['{delimiter: [";"]}', '{decimal: {",": "."}}'], ids=["list", "mapping"]
)
def test_werkdata_validate_exits_1_on_a_declaration_of_the_wrong_type(project, declaration):
    declare(project, f"files:\n  findings.csv: {declaration}\n")
    result = run_werkdata("validate", cwd=project.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "raw/2024/edition.yaml\n  column files.findings.csv.de" in result.stderr


# Limits, checked before a parser can trip


def test_limits_are_checked_on_the_bytes_before_parsing(project, monkeypatch):
    findings = project.raw / "2024" / "findings.csv"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.replace("68%", "68\x00%"), encoding="utf-8")
    assert problems(project) == [(F24, 2, None, None, "nul-byte")]
    findings.write_text(text.replace(",1 op de 7,", "," + "x" * 10_001 + ","), encoding="utf-8")
    assert problems(project) == [
        (F24, 3, "value_label", "xxxxxxxxxxxxxxxxxxxx...", "field-too-long")
    ]
    findings.write_text(text, encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", findings.stat().st_size - 1)
    assert problems(project) == [(F24, None, None, None, "file-too-large")]


def test_a_cell_above_the_csv_modules_own_limit_is_a_report_line(project):
    """200,000 characters is above the csv module's field limit (131,072), which used to raise
    `_csv.Error` before the 10,000-character rule could speak."""
    findings = project.raw / "2024" / "findings.csv"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.replace(",1 op de 7,", "," + "x" * 200_000 + ","), encoding="utf-8")
    result = run_werkdata("validate", cwd=project.root)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "invalid: 1 problem(s) in 1 file(s)\n"
        "\n"
        "raw/2024/findings.csv\n"
        "  row 3, column value_label, value 'xxxxxxxxxxxxxxxxxxxx...': [field-too-long] "
        "200000 characters; the limit is 10000\n"
    )


def test_rows_and_cells_per_row_are_limited(project, monkeypatch):
    findings = project.raw / "2024" / "findings.csv"
    text = findings.read_text(encoding="utf-8")
    last = text.splitlines()[-1]
    findings.write_text(text + f"{last}\n" * 10, encoding="utf-8")  # 27 rows, header included
    monkeypatch.setattr(limits, "MAX_ROWS", 25)  # the longest other file has 22
    assert problems(project) == [(F24, 26, None, None, "too-many-rows")]
    monkeypatch.undo()
    findings.write_text(text.replace(",1 op de 7,", ",1 op de 7" + "," * 100), encoding="utf-8")
    assert problems(project) == [(F24, 3, None, None, "too-many-cells")]


def test_a_huge_file_is_refused_without_being_read(project):
    """A sparse file of 2 GB: refused by its size, and read not at all (the test would run out
    of time and memory otherwise)."""
    findings = project.raw / "2024" / "findings.csv"
    with findings.open("r+b") as handle:
        handle.truncate(2_000_000_000)
    assert problems(project) == [(F24, None, None, None, "file-too-large")]


def test_mixed_scales_are_refused(project):
    findings = project.raw / "2024" / "findings.csv"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.replace(",67,A,67 procent", ",0.67,A,67 procent"), encoding="utf-8")
    assert problems(project) == [(F24, 15, "value", "0.67", "percentage-not-fraction")]


# Workbooks: checked as a zip before openpyxl opens them

XLSX = "raw/2024/findings.xlsx"


def declared_workbook(project, sheet: str = "Bevindingen") -> Path:
    """findings.csv as the sheet `sheet` of findings.xlsx, declared in edition.yaml."""
    findings = project.raw / "2024" / "findings.csv"
    xlsx = project.raw / "2024" / "findings.xlsx"
    as_workbook(findings, xlsx, sheet)
    findings.unlink()
    declare(project, "files:\n  findings.csv: {workbook: findings.xlsx, sheet: Bevindingen}\n")
    return xlsx


def rewrite_part(xlsx: Path, name: str, change) -> None:
    """Replace one part of the zip by `change(its bytes)`."""
    with zipfile.ZipFile(xlsx) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[name] = change(parts[name])
    with zipfile.ZipFile(xlsx, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


def test_a_long_cell_in_a_workbook_is_a_report_line(project):
    xlsx = declared_workbook(project)
    book = load_workbook(xlsx)
    book["Bevindingen"]["E3"] = "x" * 10_001
    book.save(xlsx)
    assert problems(project) == [
        (XLSX, 3, "value_label", "xxxxxxxxxxxxxxxxxxxx...", "field-too-long")
    ]


def test_workbook_sheets_parts_and_unpacked_size_are_limited(project, monkeypatch):
    xlsx = declared_workbook(project)
    book = load_workbook(xlsx)
    book.create_sheet("Extra")
    book.save(xlsx)
    monkeypatch.setattr(limits, "MAX_SHEETS", 1)
    report, _ = validate_local(project)
    assert [(p.file, p.rule, p.message) for p in report.problems] == [
        (XLSX, "file-too-large", "2 sheets; the limit is 1")
    ]
    monkeypatch.setattr(limits, "MAX_WORKBOOK_PARTS", 5)
    assert problems(project) == [(XLSX, None, None, None, "file-too-large")]
    monkeypatch.undo()
    monkeypatch.setattr(limits, "MAX_WORKBOOK_UNPACKED_BYTES", 1_000)
    assert problems(project) == [(XLSX, None, None, None, "file-too-large")]


def test_a_workbook_declaring_an_xml_document_type_is_refused(project):
    """Excel writes no DOCTYPE; entity definitions are how XML expansion attacks work."""
    xlsx = declared_workbook(project)
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    rewrite_part(xlsx, "xl/worksheets/sheet1.xml", lambda data: bomb + data)
    report, _ = validate_local(project)
    assert [(p.file, p.rule, p.message) for p in report.problems] == [
        (
            XLSX,
            "workbook-error",
            "xl/worksheets/sheet1.xml declares an XML document type; save it again with Excel",
        )
    ]


def test_a_workbook_that_is_not_a_zip_is_a_report_line(project):
    xlsx = declared_workbook(project)
    xlsx.write_bytes(b"PK\x03\x04 not really a zip")
    assert problems(project) == [(XLSX, None, None, None, "workbook-error")]


def test_a_misspelled_sheet_names_the_sheet_meant(project):
    declared_workbook(project, sheet="bevindingen")
    report, _ = validate_local(project)
    assert [(p.rule, p.value, p.hint) for p in report.problems] == [
        ("missing-sheet", "Bevindingen", "did you mean 'bevindingen'?")
    ]
