"""Checks of edition.yaml's `microdata:` section (README, "Respondent data"): its keys, the
type of each value (the `columns:`, `codes:`, `missing:` and `csv:` maps included), and that
its path holds respondent files of one format. The respondents themselves are checked
elsewhere; this reads no respondent file."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from pipeline.core.report import Problem
from pipeline.core.sql import IDENTIFIER
from pipeline.ingest import hints
from pipeline.ingest.microdata import (
    CSV_KEYS,
    DESIGN_KEYS,
    FILE_COLUMN,
    FORMATS,
    KEYS,
    REQUIRED,
    MicrodataSpec,
    file_format,
    microdata_spec,
)

RULE = "microdata-section"
STATA_MISSING = re.compile(r"\.[a-z]")


def section_problems(file: str, meta: object, folder: Path) -> list[Problem]:
    """Every problem of the `microdata:` section of one edition.yaml ([] without a section)."""
    if not isinstance(meta, dict) or "microdata" not in meta:
        return []
    section = meta["microdata"]
    if not isinstance(section, dict):
        return [problem(file, None, "microdata must be a mapping of keys to values")]
    problems = [
        Problem(
            file,
            None,
            f"microdata.{key}",
            None,
            RULE,
            f"microdata has no key {key!r}; allowed: {', '.join(KEYS)}",
            hint=hints.did_you_mean(str(key), list(KEYS)),
        )
        for key in sorted(set(map(str, section)) - set(KEYS))
    ]
    problems += [
        problem(file, key, f"microdata needs {key!r}")
        for key in REQUIRED
        if section.get(key) in (None, "")
    ]
    if "synthetic" in section and not isinstance(section["synthetic"], bool):
        problems.append(problem(file, "synthetic", "synthetic must be true or false"))
    for key in DESIGN_KEYS:
        value = section.get(key)
        if value not in (None, "") and not (
            isinstance(value, str) and FILE_COLUMN.fullmatch(value)
        ):
            message = f"{key} must name a column of the file (letters, digits, _; 64 at most)"
            problems.append(problem(file, key, message, value))
    problems += columns_problems(file, section.get("columns"))
    problems += codes_problems(file, section.get("codes"))
    problems += missing_problems(file, section.get("missing"))
    problems += csv_problems(file, section.get("csv"))
    path = section.get("path")
    if path not in (None, "") and not isinstance(path, str):
        problems.append(problem(file, "path", "path must be a file or folder name"))
    elif isinstance(path, str) and path and not problems:
        problems += path_problems(file, microdata_spec(meta, folder), path)
    return problems


def path_problems(file: str, spec: MicrodataSpec, path: str) -> list[Problem]:
    """The path must be a respondent file of a known format, or a folder of files of one."""
    known = ", ".join(sorted(FORMATS))
    if not spec.path.exists():
        return [problem(file, "path", "no such file or folder", path)]
    if spec.path.is_file() and file_format(spec.path) is None:
        return [problem(file, "path", f"a respondent file is one of {known}", path)]
    files = spec.files()
    if not files:
        return [problem(file, "path", f"a folder without respondent files ({known})", path)]
    formats = sorted({file_format(p) for p in files})
    if len(formats) > 1:
        message = f"a folder holds files of one format, not {' and '.join(formats)}"
        return [problem(file, "path", message, path)]
    return []


def columns_problems(file: str, columns: object) -> list[Problem]:
    """`columns:` maps file column names to contract names (respondent_id, population_id, a
    breakdown_id, an item_id)."""
    if columns is None:
        return []
    if not isinstance(columns, dict):
        return [problem(file, "columns", "columns must map file columns to contract names")]
    problems = []
    for source, target in columns.items():
        if not (isinstance(source, str) and FILE_COLUMN.fullmatch(source)):
            message = "a key of columns must be a column name of the file"
            problems.append(problem(file, "columns", message, source))
        if not (isinstance(target, str) and IDENTIFIER.fullmatch(target)):
            message = (
                f"columns maps {source!r} to a contract name: respondent_id, population_id, a "
                "breakdown_id or an item_id (^[a-z][a-z0-9_]{0,62}$)"
            )
            problems.append(problem(file, f"columns.{source}", message, target))
    return problems


def codes_problems(file: str, codes: object) -> list[Problem]:
    """`codes:` maps a contract column to {file code: contract value}; a contract value is
    text (YAML reads 25_34 as the number 2534: it must be quoted)."""
    if codes is None:
        return []
    if not isinstance(codes, dict):
        return [problem(file, "codes", "codes must map contract columns to {code: value}")]
    problems = []
    for column, mapping in codes.items():
        key = f"codes.{column}"
        if not isinstance(mapping, dict) or not mapping:
            problems.append(problem(file, key, "each column of codes maps {file code: value}"))
            continue
        for code, value in mapping.items():
            if isinstance(code, bool) or not isinstance(code, int | float | str):
                message = "a file code is a number or a text"
                problems.append(problem(file, key, message, code))
            if not isinstance(value, str) or not value:
                message = f"the contract value of code {code!r} must be text, not {value!r}"
                hint = (
                    f"write it in quotes, {code}: '...': YAML reads an unquoted 25_34 as the "
                    "number 2534"
                )
                problems.append(Problem(file, None, f"microdata.{key}", None, RULE, message, hint))
    return problems


def missing_problems(file: str, missing: object) -> list[Problem]:
    """`missing:` maps Stata's extended missing values (.a to .z) to answer codes."""
    if missing is None:
        return []
    if not isinstance(missing, dict):
        return [problem(file, "missing", "missing must map .a .. .z to answer codes")]
    return [
        problem(file, "missing", "missing maps a Stata missing value (.a .. .z) to a code", key)
        for key, code in missing.items()
        if not (isinstance(key, str) and STATA_MISSING.fullmatch(key))
        or isinstance(code, bool)
        or not isinstance(code, int)
    ]


def csv_problems(file: str, dialect: object) -> list[Problem]:
    """`csv:` declares a respondent CSV file's delimiter, decimal mark and encoding."""
    if dialect is None:
        return []
    if not isinstance(dialect, dict):
        return [problem(file, "csv", f"csv must be a mapping of {', '.join(CSV_KEYS)}")]
    problems = [
        problem(file, f"csv.{key}", f"csv has no key {key!r}; allowed: {', '.join(CSV_KEYS)}")
        for key in dialect
        if key not in CSV_KEYS
    ]
    delimiter = dialect.get("delimiter", ",")
    if not (isinstance(delimiter, str) and len(delimiter) == 1 and delimiter not in "\r\n\"'"):
        problems.append(problem(file, "csv.delimiter", "delimiter must be one character"))
    if dialect.get("decimal", ".") not in (".", ","):
        problems.append(problem(file, "csv.decimal", "decimal must be '.' or ','"))
    encoding = dialect.get("encoding", "utf-8")
    try:
        codecs.lookup(str(encoding))
    except LookupError:
        problems.append(problem(file, "csv.encoding", "not an encoding Python knows", encoding))
    if not problems and dialect.get("decimal", ".") == delimiter:
        problems.append(problem(file, "csv.decimal", "decimal and delimiter must differ"))
    return problems


def checked_spec(file: str, meta: object, folder: Path) -> tuple[MicrodataSpec | None, list]:
    """The section's spec when it has no problem, and its problems."""
    problems = section_problems(file, meta, folder)
    return (None if problems else microdata_spec(meta, folder)), problems


def problem(file: str, key: str | None, message: str, value: object = None) -> Problem:
    column = f"microdata.{key}" if key else "microdata"
    shown = None if value is None else str(value)
    return Problem(file, None, column, shown, RULE, message)
