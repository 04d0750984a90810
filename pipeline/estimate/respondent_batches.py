"""The respondents the numpy pass sums, as record batches of about BATCH_ROWS rows: the key
columns of respondents.sql (population, stratum, PSU, weight, fpc, breakdowns) and the answers.

From Parquet files the answer columns are read by pyarrow, not through DuckDB: DuckDB gives a
row group one thread, pyarrow decodes its columns side by side (bench/estimate_profile.py times
both reads; the figures are in docs/performance.md). DuckDB still computes the key columns,
which are few and carry the SQL's rules (fixed-point weights, `onbekend`). The two reads go
through the same files in the same order; their batches are cut to the same rows here, and a
difference in the number of rows is an error, never a silent shift.

A table name, or files whose answer columns are not all present with one type in every file,
are read through DuckDB whole (respondents.sql with the answer columns).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

# Rows per record batch: each batch costs a pass over every finest group's sums, so fewer and
# larger are faster; larger batches held more memory (docs/performance.md).
BATCH_ROWS = 131_072


def joined(reader: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The reader's record batches joined into batches of at least BATCH_ROWS rows (the last
    may have fewer, and none has none): a reader may yield one per row group or so."""
    waiting, waiting_rows = [], 0
    for batch in reader:
        waiting.append(batch)
        waiting_rows += batch.num_rows
        if waiting_rows >= BATCH_ROWS:
            yield one_batch(waiting)
            waiting, waiting_rows = [], 0
    if waiting_rows:
        yield one_batch(waiting)


def one_batch(batches: list[pa.RecordBatch]) -> pa.RecordBatch:
    """The batches as one (a single batch as it is: no copy)."""
    if len(batches) == 1:
        return batches[0]
    return pa.Table.from_batches(batches).combine_chunks().to_batches()[0]


def answer_files(paths: Sequence[Path], items: Sequence[str]) -> bool:
    """Whether pyarrow can read the answer columns of these files as one table: every file has
    every item under that exact name, with the same type as in the first file."""
    types = None
    for path in paths:
        schema = pq.read_schema(path)
        if not all(item in schema.names for item in items):
            return False
        found = [schema.field(item).type for item in items]
        if types is not None and found != types:
            return False
        types = found
    return True


def answers(paths: Sequence[Path], items: Sequence[str]) -> Iterator[pa.RecordBatch]:
    """The answer columns of the files, in file and row order."""
    for path in paths:
        with pq.ParquetFile(path) as file:
            yield from file.iter_batches(batch_size=BATCH_ROWS, columns=list(items))


def side_by_side(
    keys: Iterator[pa.RecordBatch], answer_batches: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """Each answer batch with the key rows that belong to it (the same positions of the same
    files), as one batch: key columns first."""
    waiting: list[pa.RecordBatch] = []
    waiting_rows = 0
    for batch in answer_batches:
        while waiting_rows < batch.num_rows:
            more = next(keys, None)
            if more is None:
                raise ValueError(
                    "the key columns ended before the answers: a file changed while read"
                )
            waiting.append(more)
            waiting_rows += more.num_rows
        table = pa.Table.from_batches(waiting).combine_chunks()
        key = table.slice(0, batch.num_rows).to_batches()[0]  # joined() yields no empty batch
        rest = table.slice(batch.num_rows)
        waiting, waiting_rows = rest.to_batches(), rest.num_rows
        yield pa.RecordBatch.from_arrays(
            [*key.columns, *batch.columns], names=[*key.schema.names, *batch.schema.names]
        )
    if waiting_rows + sum(more.num_rows for more in keys):
        raise ValueError("the answers ended before the key columns: a file changed while read")


def respondent_batches(
    con: duckdb.DuckDBPyConnection,
    keys_sql: str,
    full_sql: str,
    params: dict,
    paths: Sequence[Path] | None,
    items: Sequence[str],
) -> Iterator[pa.RecordBatch]:
    """The respondents in batches of about BATCH_ROWS rows. `keys_sql` is respondents.sql
    without the answer columns, `full_sql` with them (`params` binds both); `paths` are the
    Parquet files they read (None: a table)."""
    if paths is None or not answer_files(paths, items):
        yield from joined(con.sql(full_sql, params=params).to_arrow_reader(BATCH_ROWS))
        return
    keys = iter(con.sql(keys_sql, params=params).to_arrow_reader(BATCH_ROWS))
    yield from side_by_side(keys, joined(answers(paths, items)))
