"""The checks of one respondent file, run where the file is read (a Dask worker, on a cluster):
a FilePart (a path, the row checks, the design's column names and the validation's id key) in, a
FileResult (counts, the first broken rows, a keyed hash per respondent_id, respondents per
stratum x PSU, the weights' binades) out. Each row check is one branch of a UNION ALL: its
condition from sql/fragments.sql, its values bound."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa

from pipeline.checks.microdata.id_key import IdKey
from pipeline.core.sql import quote_identifier, sql_fragments, sql_text
from pipeline.core.weight_scale import binades, merged_binades

SQL = "pipeline.checks.microdata"  # its queries: pipeline/checks/microdata/sql/<name>.sql
BATCH_ROWS = 131_072  # weights read at a time (1 MB)


@dataclass(frozen=True)
class RowCheck:
    """One row rule on one column: `allowed` is the list its condition binds, if any."""

    rule: str
    column: str
    allowed: tuple | None = None


@dataclass(frozen=True)
class FilePart:
    """The checks of one respondent file, as a worker gets them: a path and column names,
    never respondents (small and picklable), and the validation's secret key of the id hashes
    (its repr hides it)."""

    path: str
    checks: tuple[RowCheck, ...]
    respondent_id: str | None
    stratum: str | None  # the strata column, when the single-PSU check applies
    psu: str | None
    units: bool  # whether the single-PSU check applies (the design has strata or a psu)
    fpc: str | None  # the fpc column, when the single-PSU check applies (certainty strata)
    weight: str | None  # the weight column, when usable: its weights' binades
    cap: int
    respondents: int  # rows of the file (its footer), for progress
    id_key: IdKey


@dataclass(frozen=True)
class FileResult:
    """What one file's checks send back: counts, the first `cap` broken rows per rule (their
    respondent ids go to the local log only), a keyed 128-bit hash of every respondent_id (for
    the duplicate check across files: rows x 2 unsigned 64-bit halves) and the respondents per
    stratum x PSU."""

    path: str
    counted: tuple[tuple[str, str, int], ...]
    first: tuple[tuple, ...]  # (rule, column, file, file_row, respondent_id, value)
    id_hashes: np.ndarray
    units: pa.Table | None
    # per binary exponent of the weights, their count and exact sum (weight_scale.binades):
    # what the merge needs to find the weights too small beside the edition's total. A binade of
    # one weight holds that weight: left out of repr, as `failed`
    weights: dict[int, tuple[int, int]] | None = field(default=None, repr=False)
    # DuckDB's error when the file's rows could not be read or checked (it may quote a value:
    # for the local error log only); the other fields are then empty
    failed: str | None = field(default=None, repr=False)


def check_file(part: FilePart, con: duckdb.DuckDBPyConnection | None = None) -> FileResult:
    """The checks of one file, by DuckDB where the file is read (a worker, on a cluster); when
    DuckDB fails on its rows, an empty result with the error's text in `failed` (returned, not
    raised: a task's exception is recorded by Prefect, and the text may quote a value)."""
    own = con is None
    con = duckdb.connect(":memory:") if own else con
    try:
        source = {"files": [part.path]}
        counted = count_broken(con, list(part.checks), source)
        first = first_rows(con, list(part.checks), counted, source, part)
        return FileResult(
            part.path,
            tuple(counted),
            tuple(first),
            id_hashes(con, part, source),
            file_units(con, part, source),
            weight_binades(con, part, source),
        )
    except duckdb.Error as error:
        empty = np.empty((0, 2), dtype=np.uint64)
        failed = f"{type(error).__name__}: {error}"
        return FileResult(part.path, (), (), empty, None, failed=failed)
    finally:
        if own:
            con.close()


def count_broken(
    con: duckdb.DuckDBPyConnection, checks: list[RowCheck], source: dict
) -> list[tuple[str, str, int]]:
    """(rule, column, rows) for every check that some row breaks, in one query."""
    if not checks:
        return []
    params = dict(source)
    template = sql_text(SQL, "broken_count_branch")
    branches = [branch_sql(template, k, check, params) for k, check in enumerate(checks)]
    sql = sql_text(SQL, "broken_counts").format(branches="\nUNION ALL\n".join(branches))
    return con.execute(sql, params).fetchall()


def first_rows(
    con: duckdb.DuckDBPyConnection,
    checks: list[RowCheck],
    counted: list[tuple[str, str, int]],
    source: dict,
    part: FilePart,
) -> list[tuple]:
    """The first `cap` broken rows per rule of the checks the counts found broken: (rule,
    column, file, file_row, respondent_id, value)."""
    broken = {(rule, column) for rule, column, _ in counted}
    fired = [check for check in checks if (check.rule, check.column) in broken]
    if not fired or part.cap < 1:
        return []
    params = {**source, "cap": part.cap}
    respondent = part.respondent_id
    fields = {"respondent_id": quote_identifier(respondent, "column") if respondent else "NULL"}
    template = sql_text(SQL, "first_broken_rows_branch")
    branches = [branch_sql(template, k, c, params, **fields) for k, c in enumerate(fired)]
    sql = sql_text(SQL, "first_broken_rows").format(branches="\nUNION ALL\n".join(branches))
    return con.execute(sql, params).fetchall()


def id_hashes(con: duckdb.DuckDBPyConnection, part: FilePart, source: dict) -> np.ndarray:
    """HMAC-SHA256 under the part's key, truncated to 128 bits, of the respondent_id of every
    row that has one, as rows x 2 unsigned 64-bit halves (no rows without the column): what the
    duplicate check across files needs, in place of the ids."""
    if part.respondent_id is None:
        return np.empty((0, 2), dtype=np.uint64)
    quoted = quote_identifier(part.respondent_id, "respondent_id column")
    sql = sql_text(SQL, "id_hashes").format(respondent_id=quoted)
    halves = con.execute(sql, {**source, **part.id_key.pads()}).fetchnumpy()
    return np.column_stack([halves["high"], halves["low"]]).astype(np.uint64, copy=False)


def file_units(con: duckdb.DuckDBPyConnection, part: FilePart, source: dict) -> pa.Table | None:
    """Respondents per stratum x PSU of one file (psu NULL without a psu column) and the range
    of their fpc (NULL without one), when the single-PSU check applies."""
    if not part.units:
        return None
    stratum = quote_identifier(part.stratum, "strata column") if part.stratum else "NULL"
    psu = quote_identifier(part.psu, "psu column") if part.psu else "NULL"
    fpc = quote_identifier(part.fpc, "fpc column") if part.fpc else "NULL"
    sql = sql_text(SQL, "respondents_per_psu").format(stratum=stratum, psu=psu, fpc=fpc)
    return con.sql(sql, params=source).to_arrow_table()


def weight_binades(
    con: duckdb.DuckDBPyConnection, part: FilePart, source: dict
) -> dict[int, tuple[int, int]] | None:
    """The binades of the file's weights (weight_scale.binades), read in record batches; None
    without a usable weight column."""
    if part.weight is None:
        return None
    sql = sql_text(SQL, "weights").format(weight=quote_identifier(part.weight, "weight column"))
    reader = con.sql(sql, params=source).to_arrow_reader(BATCH_ROWS)
    found = [binades(batch.column(0).to_numpy(zero_copy_only=False)) for batch in reader]
    return merged_binades(found)


def branch_sql(template: str, index: int, check: RowCheck, params: dict, **fields: str) -> str:
    """One branch of a UNION ALL for `check`, its rule, column and list bound in params."""
    params[f"r{index}"] = check.rule
    params[f"c{index}"] = check.column
    allowed = ""
    if check.allowed is not None:
        params[f"a{index}"] = list(check.allowed)
        allowed = f"$a{index}"
    column = quote_identifier(check.column, "microdata column")
    condition = sql_fragments(SQL, "fragments")[check.rule].format(column=column, allowed=allowed)
    return template.format(k=index, condition=condition, column=column, **fields)
