"""The limits on raw inputs, checked on the bytes before any parser sees them.

A parser given hostile input may raise, hang or fill memory; every check here runs first, on
bounded reads, and turns what it finds into problems. The numbers are generous for the survey's
files (the largest has 22 rows of under 300 characters) and small enough that validation of any
input stays within seconds.
"""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from pipeline.core.report import Problem

MAX_FILE_BYTES = 20_000_000  # a CSV file or a workbook, as stored
MAX_FIELD_CHARS = 10_000  # one cell of a CSV file or a sheet, one value of edition.yaml
MAX_ROWS = 100_000  # rows of one CSV file or sheet, the header included
MAX_CELLS_PER_ROW = 100  # cells of one row (the widest raw file has 9 columns)
MAX_YAML_BYTES = 100_000  # one edition.yaml
MAX_YAML_DEPTH = 20  # lists and mappings inside each other in edition.yaml
MAX_YAML_NODES = 10_000  # values of edition.yaml, every alias counted as what it repeats
MAX_WORKBOOK_UNPACKED_BYTES = 50_000_000  # every part of an .xlsx (a zip) together, unpacked
MAX_WORKBOOK_PARTS = 1_000  # files inside an .xlsx
MAX_SHEETS = 50  # sheets of one workbook

# An XML document type declaration, as UTF-8 and UTF-16 write it.
DOCTYPES = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
# Problems after which the rest of a file is not read.
SHAPE_STOPS = {"too-many-rows", "too-many-cells"}


def too_large(file: str, size: int, limit: int, what: str = "bytes") -> Problem:
    return Problem(file, None, None, None, "file-too-large", f"{size} {what}; the limit is {limit}")


def read_bounded(
    path: Path, file: str, limit: int | None = None
) -> tuple[bytes | None, list[Problem]]:
    """The bytes of `path`, or a problem when it holds more than `limit` (MAX_FILE_BYTES when
    not given): never more than `limit` + 1 bytes are read, whatever the file claims."""
    limit = MAX_FILE_BYTES if limit is None else limit
    size = path.stat().st_size
    if size > limit:
        return None, [too_large(file, size, limit)]
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew since stat
        return None, [too_large(file, len(data), limit)]
    return data, []


@contextlib.contextmanager
def csv_field_limit(limit: int) -> Iterator[None]:
    """Let the csv module read fields of up to `limit` characters (its default, 131,072, raises
    on a longer one); our own, smaller cell limit is checked on what it reads."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, limit))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def byte_problems(file: str, data: bytes, encoding: str, delimiter: str = ",") -> list[Problem]:
    """Size, NUL bytes, undecodable bytes, then the shape limits (rows, cells per row, cell
    length); each problem names the spreadsheet row, and a long cell its column."""
    if len(data) > MAX_FILE_BYTES:
        return [too_large(file, len(data), MAX_FILE_BYTES)]
    if b"\x00" in data:
        row = data[: data.index(b"\x00")].count(b"\n") + 1
        return [Problem(file, row, None, None, "nul-byte", "the file holds a NUL byte")]
    try:
        text = data.decode(encoding)
    except UnicodeError as exc:
        start = getattr(exc, "start", 0)
        row = data[:start].count(b"\n") + 1
        bad = data[start : start + 1].hex()
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
    return shape_problems(file, text.removeprefix("\ufeff"), delimiter)


def shape_problems(file: str, text: str, delimiter: str) -> list[Problem]:
    """Rows, cells per row and cell length of a decoded CSV text, read with a field limit no
    cell can reach (the whole text), so the csv module never raises on a long one."""
    problems: list[Problem] = []
    header: list[str] = []
    with csv_field_limit(len(text) + 1):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, row in enumerate(reader, start=1):
            header = row if number == 1 else header
            found = row_limit_problems(file, number, row, header)
            problems += found
            if any(p.rule in SHAPE_STOPS for p in found):
                break  # the rest of the file is not read
    return problems


def row_limit_problems(file: str, number: int, row: list, header: list[str]) -> list[Problem]:
    """The limits one row of a file or sheet breaks (its cells as text)."""
    if number > MAX_ROWS:
        return [Problem(file, number, None, None, "too-many-rows", f"the limit is {MAX_ROWS} rows")]
    if len(row) > MAX_CELLS_PER_ROW:
        return [
            Problem(
                file,
                number,
                None,
                None,
                "too-many-cells",
                f"{len(row)} cells; the limit is {MAX_CELLS_PER_ROW} per row",
            )
        ]
    return [
        Problem(
            file,
            number,
            column_name(header, i) if number > 1 else None,
            f"{cell[:20]}...",
            "field-too-long",
            f"{len(cell)} characters; the limit is {MAX_FIELD_CHARS}",
        )
        for i, cell in enumerate(row)
        if len(cell) > MAX_FIELD_CHARS
    ]


def column_name(header: list[str], index: int) -> str:
    """The header's name of column `index`, or its number when the header is shorter."""
    if index < len(header) and header[index] and len(header[index]) <= 100:
        return header[index]
    return f"column {index + 1}"


def workbook_problems(path: Path, file: str) -> list[Problem]:
    """What must hold before openpyxl may open an .xlsx: its size, a readable zip, the number
    of parts and sheets, their unpacked size (as the zip declares it: Python's zip reader
    stops at the declared size), and no XML document type (entity definitions)."""
    data, problems = read_bounded(path, file)
    if data is None:
        return problems
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # hostile bytes raise many kinds of error in zipfile: all data
        return [Problem(file, None, None, None, "workbook-error", f"not an .xlsx file ({exc})")]
    with archive:
        parts = archive.infolist()
        sheets = [p for p in parts if p.filename.startswith("xl/worksheets/sheet")]
        unpacked = sum(p.file_size for p in parts)
        if len(parts) > MAX_WORKBOOK_PARTS:
            return [too_large(file, len(parts), MAX_WORKBOOK_PARTS, "parts inside the zip")]
        if len(sheets) > MAX_SHEETS:
            return [too_large(file, len(sheets), MAX_SHEETS, "sheets")]
        if unpacked > MAX_WORKBOOK_UNPACKED_BYTES:
            return [too_large(file, unpacked, MAX_WORKBOOK_UNPACKED_BYTES, "bytes unpacked")]
        return doctype_problems(archive, parts, file)


def doctype_problems(archive: zipfile.ZipFile, parts: list, file: str) -> list[Problem]:
    """A problem when a part of the workbook declares an XML document type (in UTF-8 or
    UTF-16): Excel never writes one, and entity definitions are how XML expansion attacks
    work. Every part is read, whatever its name: openpyxl follows the workbook's own links."""
    for part in parts:
        try:
            with archive.open(part) as handle:
                found = contains(handle, DOCTYPES)
        except Exception as exc:  # a bad CRC, a compression method or stream zipfile refuses
            message = f"cannot unpack {part.filename} ({exc})"
            return [Problem(file, None, None, None, "workbook-error", message)]
        if found:
            message = f"{part.filename} declares an XML document type; save it again with Excel"
            return [Problem(file, None, None, None, "workbook-error", message)]
    return []


def contains(handle: io.BufferedIOBase, needles: tuple[bytes, ...], chunk: int = 1 << 20) -> bool:
    """Whether the stream holds one of `needles`, read in chunks (a match may span two)."""
    longest = max(map(len, needles))
    tail = b""
    while block := handle.read(chunk):
        window = tail + block
        if any(needle in window for needle in needles):
            return True
        tail = window[-longest:]
    return False
