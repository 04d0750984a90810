"""The merge of an edition's FileResults in the flow: counts added, the first broken rows over all
files, duplicate respondent ids across files, the strata with a single PSU over all files and
the weights too small beside the edition's total."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from pipeline.checks.microdata.part import SQL, FileResult
from pipeline.checks.microdata.plan import Layout, MicrodataPlan
from pipeline.checks.microdata.report import (
    MicrodataCheck,
    PublicProblem,
    more_problem,
    more_problems,
    problems_of,
    row_message,
)
from pipeline.core.certainty import SELF_REPRESENTING
from pipeline.core.report import Problem
from pipeline.core.sql import quote_identifier, sql_fragments, sql_text
from pipeline.core.weight_scale import edition_scale, merged_binades
from pipeline.ingest.microdata import MicrodataSpec


def merge_microdata(
    con: duckdb.DuckDBPyConnection, planned: MicrodataPlan, results: list[FileResult]
) -> MicrodataCheck:
    """The edition's check from its files' results (in the order of the parts): counts added,
    the first `cap` broken rows per rule over all files, duplicate ids across files and the
    strata with a single PSU over all files."""
    if planned.outcome is not None:
        return planned.outcome
    layout, shown, names = planned.layout, planned.shown, planned.names
    failed = [(names.get(r.path, shown), r.failed) for r in results if r.failed is not None]
    if failed:  # a file whose rows DuckDB could not read: its checks are incomplete
        public = [PublicProblem(file, "unreadable-rows") for file, _ in failed]
        local = tuple(problems_of(public))
        return MicrodataCheck(shown, tuple(public), local, errors=tuple(failed))
    cap = planned.parts[0].cap if planned.parts else 0
    totals: dict[tuple[str, str], int] = {}
    for result in results:
        for rule, column, n in result.counted:
            totals[(rule, column)] = totals.get((rule, column), 0) + n
    counted = [(rule, column, n) for (rule, column), n in sorted(totals.items())]
    public = list(layout.problems)
    local = problems_of(layout.problems)
    public += [PublicProblem(shown, rule, column, n) for rule, column, n in counted]
    local += named_rows(results, counted, shown, names, planned.items, cap)
    too_small = weights_too_small(layout, results, shown, names)
    public += too_small
    local += problems_of(too_small)
    files = {"files": [part.path for part in planned.parts]}
    duplicates, errors = ([], []), []
    try:
        if repeated_hash(results):  # an id seen twice (or a 128-bit collision): confirm, exactly
            duplicates = duplicate_ids(con, layout, files, shown, names, cap)
        single = single_psu_strata(con, planned.spec, results, shown, cap)
    except duckdb.Error as error:  # the files changed or broke since their parts read them
        unreadable = PublicProblem(shown, "unreadable-rows")
        duplicates, single = ([unreadable], problems_of([unreadable])), ([], [])
        errors.append((shown, f"{type(error).__name__}: {error}"))
    for found, problems in (duplicates, single):
        public += found
        local += problems
    return MicrodataCheck(
        shown,
        tuple(public),
        tuple(local),
        tuple(layout.ignored),
        tuple(layout.skipped_items),
        tuple(layout.skipped_breakdowns),
        tuple(errors),
    )


def named_rows(
    results: list[FileResult],
    counted: list[tuple[str, str, int]],
    shown: str,
    names: dict[str, str],
    items: dict[str, set[int]],
    cap: int,
) -> list[Problem]:
    """The first `cap` broken rows per rule over all files (by file, row, column; respondent
    ids: local only), and "and N more"."""
    rows = sorted(
        (row for result in results for row in result.first),
        key=lambda row: (row[0], row[2], row[3], row[1]),
    )
    problems, shown_per_rule = [], {}
    for rule, column, file, file_row, respondent_id, value in rows:
        if shown_per_rule.get(rule, 0) >= cap:
            continue
        message = row_message(rule, column, value, file_row, items)
        problems.append(Problem(names.get(file, shown), None, column, respondent_id, rule, message))
        shown_per_rule[rule] = shown_per_rule.get(rule, 0) + 1
    return problems + more_problems(counted, shown_per_rule, shown)


def weights_too_small(
    layout: Layout, results: list[FileResult], shown: str, names: dict[str, str]
) -> list[PublicProblem]:
    """Per file, how many of its weights are too small beside the edition's total to keep 6
    significant digits at the edition's scale (pipeline/core/weight_scale.py), from every
    file's binades."""
    column = layout.usable.get("weight")
    found = {result.path: result.weights for result in results if result.weights is not None}
    if column is None or not found:
        return []
    scale = edition_scale(merged_binades(found.values()))
    return [
        PublicProblem(names.get(path, shown), "weight-range", column, count)
        for path, binades in found.items()
        if (count := scale.too_small(binades))
    ]


def repeated_hash(results: list[FileResult]) -> bool:
    """Whether any hash occurs twice over all files: always so when an id repeats (equal ids
    hash equal under the one key of the validation); for two different ids only by a collision
    of 128 bits, which duplicate_ids would then clear."""
    empty = np.empty((0, 2), np.uint64)
    hashes = np.concatenate([r.id_hashes for r in results] or [empty])
    high = np.sort(hashes[:, 0])
    if not np.any(high[1:] == high[:-1]):  # no high half repeats (a sort of one column: fast)
        return False
    ranked = hashes[np.lexsort((hashes[:, 1], hashes[:, 0]))]
    return bool(np.any((ranked[1:] == ranked[:-1]).all(axis=1)))


def duplicate_ids(
    con: duckdb.DuckDBPyConnection,
    layout: Layout,
    source: dict,
    shown: str,
    names: dict[str, str],
    cap: int,
) -> tuple[list[PublicProblem], list[Problem]]:
    """respondent_id values that occur more than once: the count, then the first `cap`."""
    column = layout.usable.get("respondent_id")
    if column is None:
        return [], []
    quoted = quote_identifier(column, "respondent_id column")
    sql = sql_text(SQL, "repeated_id_count").format(respondent_id=quoted)
    ((total,),) = con.execute(sql, source).fetchall()
    if not total:
        return [], []
    rule = "microdata-duplicate-respondent"
    public = [PublicProblem(shown, rule, column, total)]
    rows = []
    if cap > 0:
        sql = sql_text(SQL, "repeated_ids").format(respondent_id=quoted)
        rows = con.execute(sql, {**source, "cap": cap}).fetchall()
    local = [
        Problem(names.get(first["file"], shown), None, column, rid, rule, f"occurs {times} times")
        for rid, times, first in rows
    ]
    if total > len(rows):
        local.append(more_problem(shown, rule, total - len(rows), total))
    return public, local


def single_psu_strata(
    con: duckdb.DuckDBPyConnection,
    spec: MicrodataSpec,
    results: list[FileResult],
    shown: str,
    cap: int,
) -> tuple[list[PublicProblem], list[Problem]]:
    """Strata with a single PSU (a single respondent when there is no psu column) over all
    files, from each file's respondents per stratum x PSU (a stratum's PSUs may be split over
    files), but for strata sampled with certainty; value = the stratum (NULL: the one stratum
    without strata)."""
    tables = [result.units for result in results if result.units is not None]
    if not tables:
        return [], []
    counted = sql_fragments(SQL, "fragments")["psus" if spec.psu else "respondents"]
    sql = sql_text(SQL, "single_psu_strata").format(units=counted)
    con.register("file_units", pa.concat_tables(tables))
    try:
        params = {"cap": max(cap, 1), "self_representing": SELF_REPRESENTING}
        rows = con.execute(sql, params).fetchall()
    finally:
        con.unregister("file_units")
    if not rows:
        return [], []
    total = rows[0][0]
    kind = "single-psu" if spec.psu else "single-respondent"
    column = spec.strata or spec.psu
    public = PublicProblem(shown, kind, column, total)
    unit = "PSU" if spec.psu else "respondent"
    local = [
        Problem(
            shown,
            None,
            column,
            value,
            public.rule,
            f"stratum {value!r} has a single {unit} ({n} respondent(s)), not sampled with certainty"
            if spec.strata
            else f"the design has a single {unit} ({n} respondent(s)), not sampled with certainty",
        )
        for _, value, n in rows[:cap]
    ]
    if total > len(local):
        local.append(more_problem(shown, public.rule, total - len(local), total))
    return [public], local
