"""Declared input dialects: an edition may say in edition.yaml how a raw file is written, and
that file is then decoded in Python into a UTF-8, comma-separated staging copy before any check.

    files:
      findings.csv: {encoding: cp1252, delimiter: ";", decimal: ","}   # a Dutch Excel export
      findings.csv: {workbook: findings.xlsx, sheet: Findings}         # a sheet of a workbook

Nothing is guessed: an undeclared encoding, delimiter or decimal comma fails validation (with a
hint saying what to declare). Every key of a declaration is checked for its type and value; the
limits of pipeline/ingest/limits.py are checked on the bytes, or the zip, before any parser sees
them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.report import Problem
from pipeline.ingest import hints
from pipeline.ingest.limits import (
    MAX_CELLS_PER_ROW,
    SHAPE_STOPS,
    byte_problems,
    read_bounded,
    row_limit_problems,
    workbook_problems,
)

KEYS = ("decimal", "delimiter", "encoding", "sheet", "workbook")
DELIMITERS = {",": "a comma", ";": "a semicolon", "\t": 'a tab ("\\t")', "|": "a bar"}
DECIMALS = {".": "a point", ",": "a comma"}
# Encodings a raw file may declare, by their codecs name, as a steward writes them.
ENCODINGS = {"utf-8": "utf-8", "cp1252": "cp1252", "iso8859-1": "latin-1", "iso8859-15": "latin-9"}


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
    """The dialects an edition.yaml declares under `files`, by raw file name, and a problem for
    every key that is not right (a declaration with a problem is not used)."""
    if not isinstance(data, dict) or data.get("files") is None:
        return {}, []
    declared = data["files"]
    if not isinstance(declared, dict):
        example = hints.declaration("findings.csv", {"encoding": "cp1252"})
        return {}, [
            Problem(
                file,
                None,
                "files",
                None,
                "dialect",
                "files must map raw file names to dialects",
                hint=f"for example {example}",
            )
        ]
    out, problems = {}, []
    for name, spec in declared.items():
        found = declaration_problems(file, name, spec, allowed)
        if found:
            problems += found
        else:
            out[name] = Dialect(**spec)
    return out, problems


def declaration_problems(file: str, name: object, spec: object, allowed: set[str]) -> list:
    """Every problem of one declaration `name: spec`, each placed at its key
    (`files.findings.csv.delimiter`)."""

    def problem(message: str, value=None, hint=None, key=None) -> Problem:
        column = f"files.{name}.{key}" if key is not None else f"files.{name}"
        return Problem(file, None, column, shown(value), "dialect", message, hint=hint)

    names = sorted(allowed)
    if not isinstance(name, str) or name not in allowed:
        meant = hints.did_you_mean(str(name), names)
        return [
            problem(f"{name!r} is not a raw file of an edition ({', '.join(names)})", None, meant)
        ]
    if not isinstance(spec, dict) or not spec:
        return [problem(f"a dialect maps one or more of {', '.join(KEYS)} to a value")]
    unknown = [
        problem(f"files.{name} has no key {key!r}", None, hints.key(str(key), list(KEYS)), key)
        for key in spec
        if key not in KEYS
    ]
    wrong = [
        p
        for key in KEYS
        if key in spec
        for p in value_problems(key, spec[key], functools.partial(problem, key=key))
    ]
    return unknown + wrong or combination_problems(spec, problem)


def value_problems(key: str, value: object, problem) -> list[Problem]:
    """The problem of one dialect value: not text, or not an allowed value."""
    if not isinstance(value, str):
        hint = f'quote it: {key}: "{value}"' if isinstance(value, int | float) else None
        return [problem(f"{key} must be text, not {kind(value)}", value, hint or words(key))]
    if key == "encoding":
        try:
            known = codecs.lookup(value).name
        except LookupError:
            return [problem(f"unknown encoding {value!r}", value, words(key))]
        if known not in ENCODINGS:
            return [
                problem(f"the encoding {value!r} is not one a raw file may use", value, words(key))
            ]
    if key == "delimiter" and value not in DELIMITERS:
        return [problem(f"delimiter must be one of {sorted(DELIMITERS)}", value, words(key))]
    if key == "decimal" and value not in DECIMALS:
        return [problem("decimal must be '.' or ','", value, words(key))]
    if key == "workbook" and ("/" in value or "\\" in value or not value.endswith(".xlsx")):
        return [problem("workbook is the name of an .xlsx file in the edition folder", value)]
    if key == "sheet" and not value.strip():
        return [problem("sheet is the name of a sheet of the workbook", value)]
    return []


def combination_problems(spec: dict, problem) -> list[Problem]:
    """Problems of keys that are right one by one but not together."""
    if spec.get("decimal") == spec.get("delimiter", ","):
        return [problem("decimal and delimiter must differ")]
    if ("workbook" in spec) != ("sheet" in spec):
        return [problem("a workbook needs a sheet, and a sheet a workbook")]
    if "workbook" in spec and set(spec) - {"workbook", "sheet"}:
        return [problem("a workbook declares only workbook and sheet")]
    return []


def words(key: str) -> str | None:
    """The allowed values of a dialect key, in words."""
    if key == "encoding":
        return f"encoding is one of {', '.join(ENCODINGS.values())}"
    if key == "delimiter":
        return "delimiter is " + ", ".join(f'{w} "{d}"' for d, w in DELIMITERS.items() if d != "\t")
    if key == "decimal":
        return 'decimal is "." (a point) or "," (a comma)'
    return None


def kind(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def shown(value: object) -> str | None:
    """A declared value as a report shows it: scalars as text, lists and mappings not at all."""
    if value is None or isinstance(value, dict | list):
        return None
    return str(value)[:100]


# Staging: a declared file as a canonical CSV


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


def workbook_rows(path: Path, sheet: str, file: str) -> tuple[list[list[str]], list[Problem]]:
    """The rows of one sheet as text (numbers in their shortest form, dates as ISO 8601), read
    as a stream and stopped at the first row that breaks a limit."""
    from openpyxl import load_workbook  # only a declared workbook needs it (~0.2 s to import)

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet not in book.sheetnames:
            message = f"the workbook has no sheet {sheet!r}"
            hint = hints.did_you_mean(sheet, book.sheetnames[:MAX_CELLS_PER_ROW])
            return [], [Problem(file, None, None, sheet, "missing-sheet", message, hint=hint)]
        worksheet = book[sheet]
        worksheet.reset_dimensions()  # a sheet's stated size is not trusted to pad its rows
        rows: list[list[str]] = []
        problems: list[Problem] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            wide = len(values) > MAX_CELLS_PER_ROW
            row = list(values) if wide else [cell_text(v) for v in values]
            found = row_limit_problems(file, number, row, rows[0] if rows else [])
            problems += found
            if any(p.rule in SHAPE_STOPS for p in found):
                break
            rows.append(row)
        return rows, problems
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


def sheet_rows(source: Path, file: str, dialect: Dialect) -> tuple[list, list[Problem]]:
    """The rows of a declared workbook's sheet, or the problems that stop it being read."""
    problems = workbook_problems(source, file)
    if problems:
        return [], problems
    try:
        rows, problems = workbook_rows(source, dialect.sheet or "", file)
    except Exception as exc:  # a broken workbook is a data problem, not a crash
        return [], [Problem(file, None, None, None, "workbook-error", " ".join(str(exc).split()))]
    while rows and not any(rows[-1]):
        rows.pop()  # a sheet's formatted but empty trailing rows
    return rows, problems


def text_rows(source: Path, file: str, dialect: Dialect) -> tuple[list, list[Problem]]:
    """The rows of a declared CSV file, decoded with its dialect, after the byte checks."""
    data, problems = read_bounded(source, file)
    if data is None:
        return [], problems
    problems = byte_problems(file, data, dialect.encoding, dialect.delimiter)
    if problems:
        return [], problems
    text = data.decode(dialect.encoding).removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)), []


def stage(source: Path, file: str, dialect: Dialect, schema: dict, target: Path) -> list[Problem]:
    """Write `source` as a canonical UTF-8 CSV to `target`; problems instead when it cannot be."""
    read = sheet_rows if dialect.workbook else text_rows
    rows, problems = read(source, file, dialect)
    if problems:
        return problems
    if dialect.decimal == "," and rows:
        numbers = {f["name"] for f in schema["fields"] if f["type"] == "number"}
        columns = [i for i, name in enumerate(rows[0]) if name in numbers]
        rows, problems = decimal_point(rows, columns, file)
        if problems:
            return problems
    target.write_bytes(canonical_csv(rows))
    return []
