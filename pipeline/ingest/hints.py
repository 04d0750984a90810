"""Hints: how to fix a problem, where the validator can tell.

Each function returns the text of one hint (or None when it knows none): the closest existing
code and the code list to add a new one to, the allowed values in words, the `files:` line that
declares how a file is written, the key that was meant, the folder name to use.
"""

from __future__ import annotations

import csv
import difflib
import io
import itertools
import re
from pathlib import Path

from pipeline.core.paths import EDITION_PATTERN
from pipeline.ingest.limits import csv_field_limit

# Delimiters a file may be written with besides the comma, in the order they are tried.
OTHER_DELIMITERS = (";", "\t", "|")
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
MAX_LISTED = 8  # codes listed by name when nothing is close


def closest(value: str, candidates: list[str]) -> str | None:
    """The candidate most like `value` (difflib), when one is close enough to be a typo."""
    found = difflib.get_close_matches(str(value), [str(c) for c in candidates], n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(value: str, candidates: list[str]) -> str | None:
    match = closest(value, candidates)
    return f"did you mean {match!r}?" if match else None


def unknown_code(value: str, codes: list[str], codelist: str) -> str:
    """For a code missing from its code list: the code that was probably meant, and where a new
    one is added."""
    match = closest(value, codes)
    if match:
        return f"did you mean {match!r}? or add it to {codelist}"
    if codes and len(codes) <= MAX_LISTED:
        return f"add it to {codelist}, or use one of: {', '.join(codes)}"
    return f"add it to {codelist}"


def allowed_values(column: str, values: list[str], labels: dict[str, str], about: str) -> str:
    """'status must be one of A (Normal value), E (Estimated value), M (Missing value)'.

    `labels` come from the code list of the column when it has one; otherwise `about` (the
    English part of the schema's description) says what the values mean.
    """
    words = ", ".join(f"{v} ({labels[v]})" if labels.get(v) else str(v) for v in values)
    text = f"{column} must be one of {words}"
    return f"{text}: {about}" if about and not labels else text


def english(description: str) -> str:
    """The English half of a schema description ('Dutch. / English.')."""
    return description.rsplit(" / ", 1)[-1].strip() if description else ""


def number(value: str) -> str | None:
    """For a cell that is not a number: the number it was probably meant to be."""
    if DECIMAL_COMMA.match(value or ""):
        return f"write {value.replace(',', '.')} (a decimal point, not a comma)"
    return None


def key(name: str, allowed: list[str]) -> str:
    """For a misspelled key: the key meant, and every key allowed."""
    meant = did_you_mean(name, allowed)
    listed = f"allowed: {', '.join(allowed)}"
    return f"{meant} {listed}" if meant else listed


def edition_folder(name: str, existing: set[str]) -> str:
    """For a badly named edition folder: the name to use, from the year its name holds."""
    digits = re.sub(r"\D", "", name)
    if EDITION_PATTERN.fullmatch(digits):
        if digits in existing:
            return f"raw/{digits}/ exists already: merge the two or remove this folder"
        return f"rename it to raw/{digits}/"
    return "rename it to the edition's year, four digits: raw/<year>/"


# Declarations: how a file seems to be written


def sniffed_dialect(data: bytes, expected: list[str], numbers: list[str]) -> dict[str, str]:
    """The declaration that would read `data` as a file with the `expected` header: the
    encoding (cp1252 when the bytes are not UTF-8 but are Windows-1252), the delimiter when the
    first line splits into the expected names by it, and a decimal comma when a number column
    holds one. Empty when nothing fits."""
    found: dict[str, str] = {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return {}
        found["encoding"] = "cp1252"
    text = text.removeprefix("\ufeff")
    delimiter = sniffed_delimiter(text, expected)
    if delimiter:
        found["delimiter"] = delimiter
        if has_decimal_comma(text, delimiter, numbers):
            found["decimal"] = ","
    return found


def first_line(text: str) -> str:
    """The text up to its first line break (of any kind the csv module knows)."""
    return re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]


def records(text: str, delimiter: str, count: int | None = None) -> list[list[str]]:
    """The first `count` (or all) records of a CSV text split by `delimiter`, however long a
    cell (the file's cells were measured by its own delimiter, not by this one)."""
    with csv_field_limit(len(text) + 1):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return list(itertools.islice(reader, count))


def header(text: str, delimiter: str) -> list[str]:
    return next(iter(records(text, delimiter, 1)), [])


def sniffed_delimiter(text: str, expected: list[str]) -> str | None:
    """The delimiter by which the header of `text` holds more of the expected names than by a
    comma (and at least half of them), or None."""
    wanted = set(expected)
    by_comma = len(wanted & set(header(text, ",")))
    for delimiter in OTHER_DELIMITERS:
        found = len(wanted & set(header(text, delimiter)))
        if found > by_comma and found * 2 >= len(wanted):
            return delimiter
    return None


def has_decimal_comma(text: str, delimiter: str, numbers: list[str]) -> bool:
    """Whether a number column of the text holds a number with a decimal comma."""
    head, *rows = records(text, delimiter) or [[]]
    columns = [i for i, name in enumerate(head) if name in numbers]
    return any(DECIMAL_COMMA.match(row[i]) for row in rows for i in columns if i < len(row))


def declaration(name: str, dialect: dict[str, str]) -> str:
    """The `files:` line of edition.yaml for `dialect`, as a steward would write it."""
    shown = {",": '","', ";": '";"', "\t": '"\\t"', "|": '"|"', ".": '"."'}
    parts = ", ".join(f"{k}: {shown.get(v, v)}" for k, v in dialect.items())
    return f"files: {{{name}: {{{parts}}}}}"


def declare(name: str, dialect: dict[str, str], edition_yaml: str) -> str:
    return f"add to {edition_yaml}: {declaration(name, dialect)}"


def resave_codelist(path: Path | str) -> str:
    return f"save {path} as UTF-8 CSV with a comma (in Excel: CSV UTF-8)"
