"""Declared input dialects: an edition may say in edition.yaml how a raw file is written, and
that file is then decoded in Python into a UTF-8, comma-separated staging copy before any check.

    files:
      findings.csv: {encoding: cp1252, delimiter: ";", decimal: ","}   # a Dutch Excel export
      findings.csv: {workbook: findings.xlsx, sheet: Findings}         # a sheet of a workbook

Nothing is guessed: an undeclared encoding, delimiter or decimal comma fails validation. The
limits below are checked on the bytes before any parser sees them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.report import Problem

MAX_FILE_BYTES = 20_000_000
MAX_FIELD_CHARS = 10_000
KEYS = {"encoding", "delimiter", "decimal", "workbook", "sheet"}
DELIMITERS = {",", ";", "\t", "|"}
DECIMALS = {".", ","}


@dataclass(frozen=True)
class Dialect:
    """How one raw file is written; the defaults are the canonical UTF-8 CSV."""

    encoding: str = "utf-8"
    delimiter: str = ","
    decimal: str = "."
    workbook: str | None = None
    sheet: str | None = None

    @property
    def canonical(self) -> bool:
        return self == Dialect()


def declarations(data: object, file: str, allowed: set[str]) -> tuple[dict, list[Problem]]:
    """The dialects an edition.yaml declares under `files`, by raw file name, and any problem."""
    if not isinstance(data, dict) or data.get("files") is None:
        return {}, []
    declared = data["files"]
    if not isinstance(declared, dict):
        return {}, [
            Problem(file, None, "files", None, "dialect", "files must map names to dialects")
        ]
    out, problems = {}, []
    for name, spec in declared.items():
        problem = dialect_problem(name, spec, allowed)
        if problem:
            problems.append(Problem(file, None, f"files.{name}", None, "dialect", problem))
        else:
            out[name] = Dialect(**spec)
    return out, problems


def dialect_problem(name: object, spec: object, allowed: set[str]) -> str | None:
    """Why a declaration is not usable, or None."""
    if name not in allowed:
        return f"{name!r} is not a raw file of an edition ({', '.join(sorted(allowed))})"
    if not isinstance(spec, dict) or not spec or set(spec) - KEYS:
        return f"a dialect has only these keys: {', '.join(sorted(KEYS))}"
    if "encoding" in spec:
        try:
            codecs.lookup(str(spec["encoding"]))
        except LookupError:
            return f"unknown encoding {spec['encoding']!r}"
    if spec.get("delimiter", ",") not in DELIMITERS:
        return f"delimiter must be one of {sorted(DELIMITERS)}"
    if spec.get("decimal", ".") not in DECIMALS:
        return "decimal must be '.' or ','"
    if spec.get("decimal") == spec.get("delimiter", ","):
        return "decimal and delimiter must differ"
    if ("workbook" in spec) != ("sheet" in spec):
        return "a workbook needs a sheet, and a sheet a workbook"
    if "workbook" in spec:
        workbook = str(spec["workbook"])
        if "/" in workbook or "\\" in workbook or not workbook.endswith(".xlsx"):
            return "workbook is the name of an .xlsx file in the edition folder"
        if set(spec) - {"workbook", "sheet"}:
            return "a workbook declares only workbook and sheet"
    return None


def byte_problems(file: str, data: bytes, encoding: str) -> list[Problem]:
    """Limits and encoding, checked on the bytes: size, NUL bytes, undecodable bytes, huge
    fields; each problem names the spreadsheet row."""
    if len(data) > MAX_FILE_BYTES:
        return [
            Problem(
                file,
                None,
                None,
                None,
                "file-too-large",
                f"{len(data)} bytes; the limit is {MAX_FILE_BYTES}",
            )
        ]
    if b"\x00" in data:
        row = data[: data.index(b"\x00")].count(b"\n") + 1
        return [Problem(file, row, None, None, "nul-byte", "the file holds a NUL byte")]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 1].hex()
        return [
            Problem(
                file,
                row,
                None,
                f"0x{bad}",
                "encoding-error",
                f"not valid {encoding}; declare the file's encoding in edition.yaml",
            )
        ]
    problems = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        for cell in row:
            if len(cell) > MAX_FIELD_CHARS:
                problems.append(
                    Problem(
                        file,
                        number,
                        None,
                        f"{cell[:20]}...",
                        "field-too-long",
                        f"{len(cell)} characters; the limit is {MAX_FIELD_CHARS}",
                    )
                )
    return problems


def canonical_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def decimal_point(
    rows: list[list[str]], number_columns: list[int], file: str
) -> tuple[list[list[str]], list[Problem]]:
    """Decimal commas to points in number columns; a point there is refused (a group mark?)."""
    problems = []
    out = [rows[0]] if rows else []
    for number, row in enumerate(rows[1:], start=2):
        cells = list(row)
        for i in number_columns:
            if i < len(cells) and "." in cells[i]:
                problems.append(
                    Problem(
                        file,
                        number,
                        rows[0][i],
                        cells[i],
                        "decimal-mismatch",
                        "the dialect declares a decimal comma; a point is not allowed in a number",
                    )
                )
            elif i < len(cells):
                cells[i] = cells[i].replace(",", ".")
        out.append(cells)
    return out, problems


def workbook_rows(path: Path, sheet: str) -> list[list[str]]:
    """The rows of one sheet as text, numbers in their shortest form, dates as ISO 8601."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet not in book.sheetnames:
            raise KeyError(sheet)
        return [[cell_text(v) for v in row] for row in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def stage(source: Path, file: str, dialect: Dialect, schema: dict, target: Path) -> list[Problem]:
    """Write `source` as a canonical UTF-8 CSV to `target`; problems instead when it cannot be."""
    number_columns_by_name = {f["name"] for f in schema["fields"] if f["type"] == "number"}
    if dialect.workbook:
        try:
            rows = workbook_rows(source, dialect.sheet or "")
        except KeyError:
            return [
                Problem(
                    file,
                    None,
                    None,
                    dialect.sheet,
                    "missing-sheet",
                    f"the workbook has no sheet {dialect.sheet!r}",
                )
            ]
        except Exception as exc:  # a broken workbook is a data problem, not a crash
            return [Problem(file, None, None, None, "workbook-error", " ".join(str(exc).split()))]
        while rows and not any(rows[-1]):
            rows.pop()  # a sheet's formatted but empty trailing rows
    else:
        data = source.read_bytes()
        problems = byte_problems(file, data, dialect.encoding)
        if problems:
            return problems
        text = data.decode(dialect.encoding).removeprefix("\ufeff")
        rows = list(csv.reader(io.StringIO(text), delimiter=dialect.delimiter))
    if dialect.decimal == "," and rows:
        columns = [i for i, name in enumerate(rows[0]) if name in number_columns_by_name]
        rows, problems = decimal_point(rows, columns, file)
        if problems:
            return problems
    target.write_bytes(canonical_csv(rows))
    return []
