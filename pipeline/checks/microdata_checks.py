"""Validation of an edition's respondent data at scale: DuckDB queries over the Parquet file(s),
derived from the code lists (leaf populations, item scales, breakdown values) and edition.yaml's
design columns. Nothing loops over respondents in Python.

Three steps, so that the work on the rows runs where each file is read (a Dask worker, on a
cluster) and only small results come back:
- plan_microdata (the flow): the columns of every file from its footer (readable, the same in
  every file, the right types) and the row checks; one FilePart per file.
- check_file (per file): one counting query over every row rule and column (a UNION ALL of
  one-column filtered counts, which DuckDB pushes into the Parquet scan); for the rules it found
  broken only, their first rows; a 64-bit hash of each respondent_id; respondents per stratum x
  PSU.
- merge_microdata (the flow): counts added, the first rows over all files, duplicate ids across
  files (a repeated hash, confirmed by an exact GROUP BY only then) and strata with a single PSU
  over all files.
What comes back separates the respondent ids (local) from the counts (public): see
pipeline/checks/microdata_report.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from pipeline.checks.microdata_report import (
    ROLES,
    MicrodataCheck,
    PublicProblem,
    column_difference,
    more_problem,
    more_problems,
    row_message,
    type_name,
)
from pipeline.core.identifiers import IDENTIFIER, quote_identifier
from pipeline.core.report import Problem
from pipeline.ingest.microdata import MicrodataSpec

UNKNOWN = "onbekend"  # a breakdown's implicit value: an empty value counts as it too
FIXED = ("respondent_id", "population_id")


@cache
def sql_text(name: str) -> str:
    """The SQL of pipeline/checks/sql/<name>.sql without its comment lines (a branch of a UNION
    ALL repeats its text once per check: the comments are said once, in the file)."""
    folder = resources.files("pipeline.checks").joinpath("sql")
    text = folder.joinpath(f"{name}.sql").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))


@cache
def fragments() -> dict[str, str]:
    """The named pieces of sql/microdata_fragments.sql: {name: its SQL}."""
    pieces: dict[str, list[str]] = {}
    current = None
    folder = resources.files("pipeline.checks").joinpath("sql")
    for line in folder.joinpath("microdata_fragments.sql").read_text(encoding="utf-8").splitlines():
        if line.startswith("-- name: "):
            current = line.removeprefix("-- name: ").strip()
            pieces[current] = []
        elif current is not None and not line.startswith("--"):
            pieces[current].append(line)
    return {name: "\n".join(lines).strip() for name, lines in pieces.items()}


@dataclass(frozen=True)
class RowCheck:
    """One row rule on one column: `allowed` is the list its condition binds, if any."""

    rule: str
    column: str
    allowed: tuple | None = None


@dataclass
class Layout:
    """The columns of the file by role, as the checks may use them."""

    usable: dict[str, str]  # role (respondent_id, population_id, weight, ...) -> column
    items: list[str]
    breakdowns: list[str]
    ignored: list[str]
    skipped_items: list[str]
    skipped_breakdowns: list[str]
    problems: list[PublicProblem]


def check_microdata(
    con: duckdb.DuckDBPyConnection,
    spec: MicrodataSpec,
    shown: str,
    leaves: set[str],
    items: dict[str, set[int]],
    breakdowns: dict[str, set[str]],
    cap: int = 20,
) -> MicrodataCheck:
    """Every problem of the respondent data of `spec`, reported under the name `shown`, in this
    process: the plan from the footers, each file's checks in turn, then their merge.

    `leaves`: the leaf population ids; `items`: item_id -> the codes of its scale;
    `breakdowns`: breakdown_id -> its listed values (an empty value and `onbekend` are its
    implicit unknown value). At most `cap` problems per rule name a respondent.
    """
    planned = plan_microdata(con, spec, shown, leaves, items, breakdowns, cap)
    return merge_microdata(con, planned, [check_file(part) for part in planned.parts])


@dataclass(frozen=True)
class FilePart:
    """The checks of one respondent file, as a worker gets them: a path and column names,
    never respondents (small and picklable)."""

    path: str
    checks: tuple[RowCheck, ...]
    respondent_id: str | None
    stratum: str | None  # the strata column, when the single-PSU check applies
    psu: str | None
    units: bool  # whether the single-PSU check applies (the design has strata or a psu)
    cap: int
    respondents: int  # rows of the file (its footer), for progress


@dataclass(frozen=True)
class FileResult:
    """What one file's checks send back: counts, the first `cap` broken rows per rule (their
    respondent ids go to the local log only), a 64-bit hash of every respondent_id (for the
    duplicate check across files) and the respondents per stratum x PSU."""

    path: str
    counted: tuple[tuple[str, str, int], ...]
    first: tuple[tuple, ...]  # (rule, column, file, file_row, respondent_id, value)
    id_hashes: np.ndarray
    units: pa.Table | None


@dataclass(frozen=True)
class MicrodataPlan:
    """An edition's respondent data as planned from the files' footers: the parts to check, or
    the `outcome` when no file can be checked (unreadable, or differing columns)."""

    spec: MicrodataSpec
    shown: str
    names: dict[str, str]
    layout: Layout | None
    items: dict[str, set[int]]
    parts: tuple[FilePart, ...] = ()
    outcome: MicrodataCheck | None = None


def plan_microdata(
    con: duckdb.DuckDBPyConnection,
    spec: MicrodataSpec,
    shown: str,
    leaves: set[str],
    items: dict[str, set[int]],
    breakdowns: dict[str, set[str]],
    cap: int = 20,
) -> MicrodataPlan:
    """The columns of every file (footers only), their roles and the row checks: one part per
    file."""
    files = spec.files()
    names = local_names(spec, files, shown)
    columns, unreadable, notes = read_columns(con, files, spec, shown, names)
    if columns is None:
        outcome = MicrodataCheck(shown, tuple(unreadable), tuple(notes + problems_of(unreadable)))
        return MicrodataPlan(spec, shown, names, None, items, outcome=outcome)
    layout = column_layout(spec, columns, shown, items, breakdowns)
    checks = tuple(row_checks(layout, leaves, items, breakdowns))
    usable = layout.usable
    units = bool(spec.strata or spec.psu) and all(
        role in usable for role in ("strata", "psu") if getattr(spec, role)
    )
    parts = tuple(
        FilePart(
            str(path),
            checks,
            usable.get("respondent_id"),
            usable.get("strata") if units else None,
            usable.get("psu") if units else None,
            units,
            cap,
            file_rows(path),
        )
        for path in files
    )
    return MicrodataPlan(spec, shown, names, layout, items, parts)


def file_rows(path: Path) -> int:
    """The rows of a Parquet file, from its footer."""
    import pyarrow.parquet as pq

    return pq.read_metadata(path).num_rows


def check_file(part: FilePart, con: duckdb.DuckDBPyConnection | None = None) -> FileResult:
    """The checks of one file, by DuckDB where the file is read (a worker, on a cluster)."""
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
        )
    finally:
        if own:
            con.close()


def merge_microdata(
    con: duckdb.DuckDBPyConnection, planned: MicrodataPlan, results: list[FileResult]
) -> MicrodataCheck:
    """The edition's check from its files' results (in the order of the parts): counts added,
    the first `cap` broken rows per rule over all files, duplicate ids across files and the
    strata with a single PSU over all files."""
    if planned.outcome is not None:
        return planned.outcome
    layout, shown, names = planned.layout, planned.shown, planned.names
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
    files = {"files": [part.path for part in planned.parts]}
    duplicates = ([], [])
    if repeated_hash(results):  # an id seen twice (or a rare hash collision): confirm, exactly
        duplicates = duplicate_ids(con, layout, files, shown, names, cap)
    single = single_psu_strata(con, planned.spec, results, shown, cap)
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
    )


def problems_of(public: list[PublicProblem]) -> list[Problem]:
    return [problem.problem() for problem in public]


def local_names(spec: MicrodataSpec, files: list[Path], shown: str) -> dict[str, str]:
    """{path as DuckDB names it: the file as the report shows it} (a folder's files by name)."""
    if spec.path.is_dir():
        return {str(path): f"{shown.rstrip('/')}/{path.name}" for path in files}
    return {str(path): shown for path in files}


def read_columns(
    con: duckdb.DuckDBPyConnection,
    files: list[Path],
    spec: MicrodataSpec,
    shown: str,
    names: dict[str, str],
) -> tuple[dict[str, str] | None, list[PublicProblem], list[Problem]]:
    """The columns {name: DuckDB type} that every file has, or None with the problems why
    there are none: a missing path, a folder without Parquet files, a file that is no Parquet
    file, files with different columns (named locally, file by file)."""
    if not spec.path.exists():
        return None, [PublicProblem(shown, "unreadable-missing")], []
    if not files:
        return None, [PublicProblem(shown, "unreadable-empty-folder")], []
    schemas, broken = [], []
    for path in files:
        try:
            rows = con.execute(sql_text("microdata_columns"), {"file": str(path)}).fetchall()
        except duckdb.Error:
            broken.append(PublicProblem(names[str(path)], "unreadable-not-parquet"))
            continue
        schemas.append((path, dict(rows)))
    if broken:
        return None, broken, []
    first_path, first = schemas[0]
    differ = [path for path, columns in schemas if list(columns.items()) != list(first.items())]
    if differ:
        notes = [
            Problem(
                names[str(path)],
                None,
                None,
                None,
                "microdata-unreadable",
                f"its columns differ from those of {Path(first_path).name}: "
                + column_difference(first, columns),
            )
            for path, columns in schemas
            if path in differ
        ]
        return None, [PublicProblem(shown, "unreadable-columns", count=len(differ))], notes
    return first, [], []


def column_layout(
    spec: MicrodataSpec,
    columns: dict[str, str],
    shown: str,
    items: dict[str, set[int]],
    breakdowns: dict[str, set[str]],
) -> Layout:
    """Each column by its role, a problem for each required column that is absent or of the
    wrong type, the columns ignored and the code lists' items and breakdowns skipped."""
    required = {role: role for role in FIXED}
    required.update({role: getattr(spec, role) for role in ("weight", "strata", "psu", "fpc")})
    usable, problems = {}, []
    for role, name in required.items():
        if name is None:
            continue
        if name not in columns or not IDENTIFIER.fullmatch(name):
            problems.append(PublicProblem(shown, "missing-column", name, role=role))
        elif problem := type_problem(shown, name, columns[name], role):
            problems.append(problem)
        else:
            usable[role] = name
    found: dict[str, list[str]] = {"item": [], "breakdown": []}
    skipped: dict[str, list[str]] = {"item": [], "breakdown": []}
    for role, known in (("item", items), ("breakdown", breakdowns)):
        for name in sorted(known):
            if name not in columns or not IDENTIFIER.fullmatch(name):
                skipped[role].append(name)
            elif problem := type_problem(shown, name, columns[name], role):
                problems.append(problem)
            else:
                found[role].append(name)
    taken = {*required.values(), *items, *breakdowns}
    return Layout(
        usable,
        found["item"],
        found["breakdown"],
        [name for name in columns if name not in taken],
        skipped["item"],
        skipped["breakdown"],
        problems,
    )


def type_problem(shown: str, name: str, duckdb_type: str, role: str) -> PublicProblem | None:
    if duckdb_type in ROLES[role][0]:
        return None
    return PublicProblem(shown, "wrong-type", name, role=role, found=type_name(duckdb_type))


def row_checks(
    layout: Layout,
    leaves: set[str],
    items: dict[str, set[int]],
    breakdowns: dict[str, set[str]],
) -> list[RowCheck]:
    """Every row rule on every usable column it applies to."""
    usable = layout.usable
    checks = []
    if "respondent_id" in usable:
        checks.append(RowCheck("microdata-respondent-id-missing", usable["respondent_id"]))
    if "population_id" in usable:
        population = usable["population_id"]
        checks.append(RowCheck("microdata-unknown-population", population, tuple(sorted(leaves))))
    for name in layout.breakdowns:
        allowed = tuple(sorted({*breakdowns[name], UNKNOWN}))
        checks.append(RowCheck("microdata-unknown-breakdown-value", name, allowed))
    if "weight" in usable:
        checks.append(RowCheck("microdata-weight-missing", usable["weight"]))
        checks.append(RowCheck("microdata-weight-not-positive", usable["weight"]))
    for role in ("strata", "psu"):
        if role in usable:
            checks.append(RowCheck("microdata-design-value-missing", usable[role]))
    if "fpc" in usable:
        checks.append(RowCheck("microdata-fpc-not-positive", usable["fpc"]))
    for name in layout.items:
        checks.append(RowCheck("microdata-code-outside-scale", name, tuple(sorted(items[name]))))
    return checks


def branch_sql(template: str, index: int, check: RowCheck, params: dict, **fields: str) -> str:
    """One branch of a UNION ALL for `check`, its rule, column and list bound in params."""
    params[f"r{index}"] = check.rule
    params[f"c{index}"] = check.column
    allowed = ""
    if check.allowed is not None:
        params[f"a{index}"] = list(check.allowed)
        allowed = f"$a{index}"
    column = quote_identifier(check.column, "microdata column")
    condition = fragments()[check.rule].format(column=column, allowed=allowed)
    return template.format(k=index, condition=condition, column=column, **fields)


def count_broken(
    con: duckdb.DuckDBPyConnection, checks: list[RowCheck], source: dict
) -> list[tuple[str, str, int]]:
    """(rule, column, rows) for every check that some row breaks, in one query."""
    if not checks:
        return []
    params = dict(source)
    template = sql_text("microdata_count")
    branches = [branch_sql(template, k, check, params) for k, check in enumerate(checks)]
    sql = sql_text("microdata_counts").format(branches="\nUNION ALL\n".join(branches))
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
    template = sql_text("microdata_first")
    branches = [branch_sql(template, k, c, params, **fields) for k, c in enumerate(fired)]
    sql = sql_text("microdata_firsts").format(branches="\nUNION ALL\n".join(branches))
    return con.execute(sql, params).fetchall()


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


def id_hashes(con: duckdb.DuckDBPyConnection, part: FilePart, source: dict) -> np.ndarray:
    """A 64-bit hash of the respondent_id of every row that has one (empty without the column):
    what the duplicate check across files needs, in place of the ids."""
    if part.respondent_id is None:
        return np.empty(0, dtype=np.uint64)
    quoted = quote_identifier(part.respondent_id, "respondent_id column")
    sql = sql_text("microdata_id_hashes").format(respondent_id=quoted)
    hashes = con.execute(sql, source).fetchnumpy()["id_hash"]
    return np.asarray(hashes, dtype=np.uint64)


def repeated_hash(results: list[FileResult]) -> bool:
    """Whether any hash occurs twice over all files: always so when an id repeats (equal ids
    hash equal); rarely also for two different ids, which duplicate_ids then clears."""
    hashes = np.sort(np.concatenate([r.id_hashes for r in results] or [np.empty(0, np.uint64)]))
    return bool(np.any(hashes[1:] == hashes[:-1]))


def file_units(con: duckdb.DuckDBPyConnection, part: FilePart, source: dict) -> pa.Table | None:
    """Respondents per stratum x PSU of one file (psu NULL without a psu column), when the
    single-PSU check applies."""
    if not part.units:
        return None
    stratum = quote_identifier(part.stratum, "strata column") if part.stratum else "NULL"
    psu = quote_identifier(part.psu, "psu column") if part.psu else "NULL"
    sql = sql_text("microdata_units").format(stratum=stratum, psu=psu)
    return con.sql(sql, params=source).to_arrow_table()


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
    sql = sql_text("microdata_duplicates").format(respondent_id=quoted)
    ((total,),) = con.execute(sql, source).fetchall()
    if not total:
        return [], []
    rule = "microdata-duplicate-respondent"
    public = [PublicProblem(shown, rule, column, total)]
    rows = []
    if cap > 0:
        sql = sql_text("microdata_duplicate_ids").format(respondent_id=quoted)
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
    files); value = the stratum (NULL: the one stratum without strata)."""
    tables = [result.units for result in results if result.units is not None]
    if not tables:
        return [], []
    counted = fragments()["psus" if spec.psu else "respondents"]
    sql = sql_text("microdata_single_psu").format(units=counted)
    con.register("file_units", pa.concat_tables(tables))
    try:
        rows = con.execute(sql, {"cap": max(cap, 1)}).fetchall()
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
            f"stratum {value!r} has a single {unit} ({n} respondent(s))"
            if spec.strata
            else f"the design has a single {unit} ({n} respondent(s))",
        )
        for _, value, n in rows[:cap]
    ]
    if total > len(local):
        local.append(more_problem(shown, public.rule, total - len(local), total))
    return [public], local
