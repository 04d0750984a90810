"""Readers of respondent files as survey agencies deliver them: Parquet, SPSS (.sav, .zsav),
Stata (.dta) and CSV. Each gives the file's layout first (column names, which are numbers, the
variable and value labels, SPSS's user-missing codes, the rows), read from the file's header or
footer only, so that the limits are checked before any row is parsed; then its rows in chunks
of Arrow arrays under the file's own column names, read as the file holds them:

- SPSS and Stata by pyreadstat: numbers as doubles, SPSS user-missing codes kept as their code
  (`user_missing=True`: "don't know" stays 9 for `exclude_codes` to decide, never becomes
  empty); a Stata extended missing value (.a .. .z) comes apart, as its letter, in `extended`.
- CSV by DuckDB (no extension needed), every column as text (the mapping types it from the
  contract); a file in another encoding is first decoded in Python, in streamed chunks, into
  a UTF-8 copy that only its owner can read.
- Parquet by pyarrow, in record batches.

A file that cannot be read raises FileUnreadable, whose message names the kind of failure and
never the library's text (it may quote a value); that text is kept for the local error log.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from pipeline.core.private_files import FILE_MODE
from pipeline.core.sql import sql_text
from pipeline.ingest.microdata import FILE_COLUMN, CsvDialect

SQL = "pipeline.ingest"  # its queries: pipeline/ingest/sql/<name>.sql
# ~32 MB of doubles per chunk, whatever the file's width: a chunk is held about four times at
# once (the reader's frame, its Arrow arrays, the typed arrays, the Parquet writer's pages);
# 12,000,000 cells took 531 MB at peak on 200,000 x 150, this 265 MB, in the same time
CELLS_PER_CHUNK = 4_000_000
DECODE_BYTES = 1 << 20  # bytes of a non-UTF-8 CSV decoded at a time
# Part of every cache entry's name (microdata_cache.py): raise it when what a reader or the
# mapping makes of a file changes, so that no entry typed the old way is read again.
READER_VERSION = "werkdata-microdata-read-1"


class FileUnreadable(Exception):
    """A respondent file that cannot be read: `public` says how, without a value from the file;
    `detail` is the reader's own text, for the local error log only."""

    def __init__(self, public: str, detail: str = "") -> None:
        super().__init__(public)
        self.public = public
        self.detail = detail


@dataclass(frozen=True)
class FileLayout:
    """A respondent file as its header or footer describes it (no row read)."""

    names: tuple[str, ...]
    numeric: frozenset[str]  # the columns that hold numbers (a CSV file: none, all are text)
    rows: int | None  # None when the header does not say
    variable_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict] = field(default_factory=dict)  # column -> {code: label}


@dataclass
class Chunk:
    """Rows of a file: {column: array}, and for Stata, {column: the letter of each extended
    missing value (null elsewhere)} for the columns that hold one."""

    columns: dict[str, pa.Array]
    extended: dict[str, pa.Array] = field(default_factory=dict)


def chunk_rows(width: int) -> int:
    """Rows per chunk for a file of `width` columns (at least 1,000)."""
    return max(1_000, CELLS_PER_CHUNK // max(width, 1))


def read_layout(path: Path, fmt: str, dialect: CsvDialect) -> FileLayout:
    """The layout of one file of format `fmt` (parquet, sav, dta, csv)."""
    with unreadable_as(fmt, dialect):
        if fmt == "parquet":
            return parquet_layout(path)
        if fmt in ("sav", "dta"):
            return labelled_layout(path, fmt)
        return csv_layout(path, dialect)


@contextmanager
def unreadable_as(fmt: str, dialect: CsvDialect) -> Iterator[None]:
    """Any error of the readers as FileUnreadable: its public message names the format's
    problem, its detail (for the local log only) the library's own text."""
    try:
        yield
    except FileUnreadable:
        raise
    except UnicodeDecodeError as error:
        raise FileUnreadable(
            f"its text is not in the declared encoding {dialect.encoding}", repr(error)
        ) from None
    except Exception as error:  # the libraries raise many kinds; the kind is all we show
        detail = f"{type(error).__name__}: {error}"
        if fmt in ("sav", "dta") and READSTAT_ENCODING_ERROR in str(error):
            raise FileUnreadable(WRONG_ENCODING, detail) from None
        raise FileUnreadable(not_readable(fmt), detail) from None


# readstat's words when a label or text of an SPSS or Stata file is not in the encoding the file
# declares (a file written by one program as UTF-8 and patched by another in cp1252, say).
READSTAT_ENCODING_ERROR = "Unable to convert string to the requested encoding"
WRONG_ENCODING = (
    "a label or text is not in the encoding the file declares; save the file again in the "
    "program that made it (SPSS: Unicode mode; Stata 14 or later writes UTF-8)"
)


def not_readable(fmt: str) -> str:
    return {
        "parquet": "not a readable Parquet file",
        "sav": "not a readable SPSS file (truncated, or not .sav)",
        "dta": "not a readable Stata file (truncated, or not .dta)",
        "csv": "not a readable CSV file",
    }[fmt]


def parquet_layout(path: Path) -> FileLayout:
    import pyarrow.parquet as pq

    metadata = pq.read_metadata(path)
    schema = metadata.schema.to_arrow_schema()
    numeric = frozenset(f.name for f in schema if is_number(f.type))
    return FileLayout(tuple(schema.names), numeric, metadata.num_rows)


def is_number(data_type: pa.DataType) -> bool:
    return (
        pa.types.is_integer(data_type)
        or pa.types.is_floating(data_type)
        or (pa.types.is_decimal(data_type))
    )


def labelled_layout(path: Path, fmt: str) -> FileLayout:
    """SPSS or Stata: names, types, labels and rows from the file's dictionary."""
    import pyreadstat

    reader = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
    _, meta = reader(str(path), metadataonly=True, user_missing=True)
    # readstat cuts a value label short at the first byte its declared encoding cannot decode
    # ('caf\xe9' in a UTF-8 file reads as 'caf'): the labels read again as bytes (latin1 maps
    # every byte to one character) must decode in the declared encoding
    _, raw = reader(str(path), metadataonly=True, user_missing=True, encoding="latin1")
    if not decodes(labels_of(raw), meta.file_encoding):
        raise FileUnreadable(WRONG_ENCODING, f"not {meta.file_encoding}")
    types = meta.readstat_variable_types
    numeric = frozenset(name for name in meta.column_names if types.get(name) != "string")
    return FileLayout(
        tuple(meta.column_names),
        numeric,
        meta.number_rows,
        {name: label for name, label in meta.column_names_to_labels.items() if label},
        {name: dict(labels) for name, labels in meta.variable_value_labels.items()},
    )


def labels_of(meta: object) -> list[str]:
    """Every variable label and value label of a file's dictionary."""
    texts = [label for label in meta.column_names_to_labels.values() if label]
    texts += [t for labels in meta.variable_value_labels.values() for t in labels.values()]
    return [text for text in texts if isinstance(text, str)]


def decodes(latin1_texts: list[str], encoding: str | None) -> bool:
    """Whether texts read as latin1 are, as bytes, valid in `encoding`. Not judged: an encoding
    Python does not know, and a file whose reader ignored the latin1 request (a character
    beyond latin1 came back: the reader decoded it itself)."""
    try:
        for text in latin1_texts:
            text.encode("latin1").decode(encoding or "utf-8")
    except UnicodeDecodeError:
        return False
    except (LookupError, UnicodeEncodeError):
        return True
    return True


def csv_layout(path: Path, dialect: CsvDialect) -> FileLayout:
    """A CSV file's header (decoded in its declared encoding) and its lines, counted in
    streamed blocks (a quoted line break would count one row more: the limit is a bound)."""
    import csv

    with path.open(encoding=dialect.encoding, newline="") as handle:
        header = next(csv.reader(handle, delimiter=dialect.delimiter), None)
    if not header:
        raise FileUnreadable("an empty CSV file, without a header")
    header[0] = header[0].removeprefix("\ufeff")
    lines, last = 0, b"\n"
    with path.open("rb") as handle:
        while block := handle.read(DECODE_BYTES):
            lines += block.count(b"\n")
            last = block[-1:]
    rows = lines - (1 if last == b"\n" else 0)
    return FileLayout(tuple(header), frozenset(), rows)


def read_chunks(
    path: Path, fmt: str, layout: FileLayout, wanted: list[str], dialect: CsvDialect
) -> Iterator[Chunk]:
    """The `wanted` columns of the file's rows, chunk by chunk (a CSV file: UTF-8, see
    utf8_source). FileUnreadable when the rows cannot be read."""
    rows = chunk_rows(len(wanted))
    with unreadable_as(fmt, dialect):
        if fmt == "parquet":
            yield from parquet_chunks(path, wanted, rows)
        elif fmt in ("sav", "dta"):
            yield from labelled_chunks(path, fmt, wanted, rows)
        else:
            yield from csv_chunks(path, layout, wanted, dialect, rows)


def parquet_chunks(path: Path, wanted: list[str], rows: int) -> Iterator[Chunk]:
    import pyarrow.parquet as pq

    handle = pq.ParquetFile(path)
    for batch in handle.iter_batches(batch_size=rows, columns=wanted):
        yield Chunk({name: batch.column(name) for name in wanted})


def labelled_chunks(path: Path, fmt: str, wanted: list[str], rows: int) -> Iterator[Chunk]:
    """SPSS or Stata rows by pyreadstat, user-missing codes kept."""
    import pyreadstat

    reader = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
    chunks = pyreadstat.read_file_in_chunks(
        reader,
        str(path),
        chunksize=rows,
        usecols=wanted,
        user_missing=True,
        disable_datetime_conversion=True,
    )
    for frame, _ in chunks:
        chunk = Chunk({})
        for name in wanted:
            series = frame[name]
            if series.dtype == object:  # Stata: numbers with extended missing letters
                letters = series.map(lambda v: v if isinstance(v, str) else None)
                numbers = series.map(lambda v: None if isinstance(v, str) else v)
                chunk.columns[name] = pa.array(numbers.astype("float64"), from_pandas=True)
                chunk.extended[name] = pa.array(letters, pa.string(), from_pandas=True)
            else:
                chunk.columns[name] = pa.Array.from_pandas(series)
        yield chunk


def csv_chunks(path: Path, layout: FileLayout, wanted: list[str], dialect: CsvDialect, rows: int):
    """A UTF-8 CSV file's rows by DuckDB, every column as text (utf8_source first for a file
    in another encoding)."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        params = csv_params(path, layout, dialect)
        reader = con.sql(sql_text(SQL, "csv_rows"), params=params).to_arrow_reader(rows)
        for batch in reader:
            yield Chunk({name: batch.column(layout.names.index(name)) for name in wanted})
    finally:
        con.close()


def csv_params(path: Path, layout: FileLayout, dialect: CsvDialect) -> dict[str, object]:
    """The bound values of csv_rows.sql: the file, its declared delimiter, every column as text."""
    return {
        "file": str(path),
        "delimiter": dialect.delimiter,
        "columns": {name: "VARCHAR" for name in layout.names},
    }


def utf8_source(path: Path, dialect: CsvDialect, work: Path) -> Path:
    """`path` itself when it is UTF-8, else its decoded copy in `work` (the caller removes it)."""
    if codecs.lookup(dialect.encoding).name == "utf-8":
        return path
    return decoded_copy(path, dialect.encoding, work)


def csv_whole_numbers(
    source: Path, layout: FileLayout, names: list[str], dialect: CsvDialect
) -> frozenset[str]:
    """Which of `names` (file columns matching FILE_COLUMN) hold whole numbers only in the
    UTF-8 CSV file `source`: one scan of those columns."""
    import duckdb

    if not names:
        return frozenset()
    checks = ", ".join(
        f"bool_and({quoted(name)} IS NULL OR regexp_full_match({quoted(name)}, "
        f"'-?(0|[1-9][0-9]{{0,17}})')) AS {quoted(name)}"
        for name in names
    )
    query = sql_text(SQL, "csv_whole_numbers").format(checks=checks, rows=sql_text(SQL, "csv_rows"))
    con = duckdb.connect(":memory:")
    try:
        row = con.execute(query, csv_params(source, layout, dialect))
        found = row.fetchone()
    except duckdb.Error as error:
        raise FileUnreadable(not_readable("csv"), f"{type(error).__name__}: {error}") from None
    finally:
        con.close()
    return frozenset(name for name, whole in zip(names, found, strict=True) if whole)


def quoted(name: str) -> str:
    """A file column's name as a quoted SQL identifier; only names FILE_COLUMN allows (no
    quote character) are ever passed."""
    if not FILE_COLUMN.fullmatch(name):
        raise ValueError(f"{name!r} is not a column name werkdata quotes")
    return f'"{name}"'


def decoded_copy(path: Path, encoding: str, work: Path) -> Path:
    """`path` decoded from `encoding` into a UTF-8 file in `work` (0600), block by block."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    fd, name = tempfile.mkstemp(dir=work, prefix=".decoded-", suffix=".csv")
    try:
        with os.fdopen(fd, "wb") as out, path.open("rb") as handle:
            os.fchmod(out.fileno(), FILE_MODE)
            while block := handle.read(DECODE_BYTES):
                out.write(decoder.decode(block).encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)
