"""The plan of an edition's respondent data, made in the flow before any row is read: the
columns of every file from its footer (readable, the same in every file, the right types), each
column by its role, the row checks on them, and one FilePart per file for part.py; or, when no
file can be checked, the outcome that says why. The merge (merge.py) reads the plan too."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.checks.microdata.id_key import IdKey
from pipeline.checks.microdata.part import SQL, FilePart, RowCheck
from pipeline.checks.microdata.report import (
    ROLES,
    MicrodataCheck,
    PublicProblem,
    column_difference,
    problems_of,
    type_name,
)
from pipeline.core.breakdowns import UNKNOWN
from pipeline.core.report import Problem
from pipeline.core.sql import IDENTIFIER, sql_text
from pipeline.ingest.microdata import DESIGN_KEYS, MicrodataSpec

FIXED = ("respondent_id", "population_id")


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
    id_key: IdKey | None = None,
) -> MicrodataPlan:
    """The columns of every file (footers only), their roles and the row checks: one part per
    file, each with `id_key`, the validation's key of the id hashes (a fresh one when none is
    given: the hashes of two plans never match)."""
    id_key = id_key or IdKey.fresh()
    files = spec.parquet_files()
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
            usable.get("fpc") if units else None,
            usable.get("weight"),
            cap,
            file_rows(path),
            id_key,
        )
        for path in files
    )
    return MicrodataPlan(spec, shown, names, layout, items, parts)


def file_rows(path: Path) -> int:
    """The rows of a Parquet file, from its footer."""
    import pyarrow.parquet as pq

    return pq.read_metadata(path).num_rows


def local_names(spec: MicrodataSpec, files: list[Path], shown: str) -> dict[str, str]:
    """{path as DuckDB names it: the file as the report shows it} (a folder's files by name)."""
    if spec.path.is_dir():
        return {str(path): f"{shown.rstrip('/')}/{spec.origin(path).name}" for path in files}
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
            rows = con.execute(sql_text(SQL, "file_columns"), {"file": str(path)}).fetchall()
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
    required.update({role: getattr(spec, role) for role in DESIGN_KEYS})
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
