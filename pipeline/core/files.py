"""Writes one table as CSV and Parquet, byte-stable for the same rows, writes JSON records, lists
and hashes files, and gives each file's record (path, bytes, sha256, media type)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
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


def quoted_cell(cell: str) -> str:
    """A cell as the csv module's minimal quoting writes it: quoted, quotes doubled, when it
    holds a comma, a quote, a CR or an LF. A bare CR is always quoted, which the csv module
    before Python 3.11.9 did not do with LF as its terminator (CPython gh-67044)."""
    if "," in cell or '"' in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_line(cells: list[str]) -> str:
    """One CSV record of text cells, ending in LF; a lone empty cell is written `""`, as the csv
    module writes it, so that the record is not an empty line."""
    if cells == [""]:
        return '""\n'
    return ",".join(map(quoted_cell, cells)) + "\n"


def column_cells(column: pa.ChunkedArray) -> list[str]:
    """One column as the cells of its CSV records: as csv_cell writes each value, quoted where
    quoted_cell quotes it (numbers and dates never are). One loop per column: the big tables
    have hundreds of thousands of cells; a text column's few distinct values are written once
    each."""
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        encoded = column.combine_chunks().dictionary_encode()
        texts = [quoted_cell(neutralise(v)) for v in encoded.dictionary.to_pylist()]
        lookup = np.array([*texts, ""], dtype=object)
        return lookup[encoded.indices.fill_null(len(texts)).to_numpy()].tolist()
    values = column.to_pylist()
    if pa.types.is_floating(kind):
        return ["" if v is None else (str(int(v)) if v.is_integer() else repr(v)) for v in values]
    if pa.types.is_integer(kind):
        return ["" if v is None else str(v) for v in values]
    if pa.types.is_boolean(kind) or pa.types.is_date(kind):
        return [csv_cell(v) for v in values]
    return [quoted_cell(csv_cell(v)) for v in values]


def csv_bytes(table: pa.Table) -> bytes:
    """The table as UTF-8 CSV with a header row and LF line ends: cells quoted column by column
    and joined, the bytes of the csv module's writer in a fraction of its time (its quoting looks
    at every character of every record)."""
    columns = [column_cells(column) for column in table.columns]
    if len(columns) == 1:  # a lone empty cell, as csv_line writes it
        columns = [['""' if cell == "" else cell for cell in columns[0]]]
    records = "".join(f"{record}\n" for record in map(",".join, zip(*columns, strict=True)))
    return (csv_line(table.schema.names) + records).encode("utf-8")


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
