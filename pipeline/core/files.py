"""Writes one table as CSV and Parquet, byte-stable for the same rows, writes JSON records, lists
and hashes files, and gives each file's record (path, bytes, sha256, media type)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

# Cells a spreadsheet would run as a formula (OWASP "CSV injection"); see neutralise().
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(text: str) -> str:
    """Prefix a text cell that a spreadsheet would read as a formula with an apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: object) -> str:
    """One cell as CSV text: empty for null, integral numbers without '.0', dates as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


def csv_line(cells: list[str]) -> str:
    """One CSV record ending in LF; a cell holding a comma, quote, CR or LF is quoted.

    The writer is given CRLF as its terminator so that every Python quotes a cell with a bare CR
    (with LF alone, Python before 3.11.9 left it unquoted: CPython gh-67044); the CRLF it ends
    the record with is then replaced by LF.
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()[:-2] + "\n"


def column_cells(column: pa.ChunkedArray) -> list[str]:
    """One column as CSV text cells, as csv_cell writes each (one loop per column: the big
    tables have hundreds of thousands of cells)."""
    values = column.to_pylist()
    kind = column.type
    if pa.types.is_floating(kind):
        return ["" if v is None else (str(int(v)) if v.is_integer() else repr(v)) for v in values]
    if pa.types.is_integer(kind):
        return ["" if v is None else str(v) for v in values]
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return ["" if v is None else neutralise(v) for v in values]
    return [csv_cell(v) for v in values]


def has_cr(table: pa.Table) -> bool:
    """Whether a text cell of the table holds a carriage return."""
    return any(
        (pa.types.is_string(column.type) or pa.types.is_large_string(column.type))
        and pc.any(pc.match_substring(column, "\r")).as_py()
        for column in table.columns
    )


def csv_bytes(table: pa.Table) -> bytes:
    """The table as UTF-8 CSV with a header row and LF line ends (csv_line's quoting)."""
    rows = list(zip(*(column_cells(column) for column in table.columns), strict=True))
    if has_cr(table):  # a CRLF inside a cell must stay: one record at a time
        lines = [csv_line(table.schema.names)] + [csv_line(list(row)) for row in rows]
        return "".join(lines).encode("utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # see csv_line for why CRLF
    writer.writerow(table.schema.names)
    writer.writerows(rows)
    # no cell holds a CR, so every CRLF is a record's end
    return buffer.getvalue().replace("\r\n", "\n").encode("utf-8")


def write_csv(table: pa.Table, path: Path) -> None:
    path.write_bytes(csv_bytes(table))


def write_parquet(table: pa.Table, path: Path) -> None:
    """Parquet with the field metadata of the Arrow schema; no timestamp, so bytes are stable."""
    pq.write_table(table, path, compression="zstd", write_statistics=True)


def json_bytes(data: object) -> bytes:
    """JSON as every record of a release is written: indented, UTF-8, ending in a newline."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def relative_files(folder: Path, base: Path) -> list[str]:
    """Every file under `folder`, as a sorted POSIX path relative to `base`."""
    return sorted(p.relative_to(base).as_posix() for p in folder.rglob("*") if p.is_file())


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# The media type of every kind of file a release holds, by suffix (IANA names; Parquet's since
# 2024). A suffix not listed is application/octet-stream.
MEDIA_TYPES = {
    ".csv": "text/csv",
    ".parquet": "application/vnd.apache.parquet",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".ttl": "text/turtle",
    ".html": "text/html",
    ".md": "text/markdown",
    ".sql": "application/sql",
}


def media_type(rel: str) -> str:
    """The media type of a file by its suffix (see MEDIA_TYPES)."""
    return MEDIA_TYPES.get(Path(rel).suffix.lower(), "application/octet-stream")


def file_record(folder: Path, rel: str) -> dict:
    """The record of file `rel` (a POSIX path) under `folder`: the one place a release's file is
    measured, for datapackage.json, SHA256SUMS, the landing page and DCAT."""
    path = folder / rel
    return {
        "path": rel,
        "bytes": path.stat().st_size,
        "sha256": sha256_file(path),
        "mediatype": media_type(rel),
    }


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """Flush every file and the folder itself to disk before the folder is renamed into place."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_dir():
            fsync_dir(path)
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    fsync_dir(folder)
