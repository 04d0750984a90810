"""Finds the raw inputs (code lists and edition folders) and reads them into typed rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pipeline.core.paths import EDITION_PATTERN, Project
from pipeline.core.schemas import CODELISTS, raw_inputs
from pipeline.ingest.microdata import MicrodataSpec

Row = dict[str, object]


@dataclass
class Edition:
    """One edition folder: its year and the raw files it holds, by file name."""

    year: int
    folder: Path
    files: dict[str, Path]
    # Where each file's rows came from, when that is not `files[name]` itself (a declared
    # dialect is read from a staging copy; reports name the original).
    origins: dict[str, Path] = field(default_factory=dict)
    dialects: dict = field(default_factory=dict)
    # edition.yaml as loaded (None when missing or unreadable), read once for every check, and
    # the problems of reading it
    meta: object = None
    meta_problems: list = field(default_factory=list)

    def origin(self, name: str) -> Path:
        return self.origins.get(name, self.files[name])


@dataclass
class RawInputs:
    """Every raw table as typed rows; per-edition tables carry an `edition` column.

    `places[table][i]` is the (file, spreadsheet row) row i came from, for reports.
    `refused[table][i]` names the columns of row i that the file checks refused (a cell that
    is not of its type or breaks a constraint); the rules leave those cells alone, so a problem
    is reported once. Inputs that passed validation have none.
    """

    tables: dict[str, list[Row]] = field(default_factory=dict)
    places: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)
    refused: dict[str, list[frozenset[str]]] = field(default_factory=dict)
    # Each edition's respondent data, by year, for the editions whose edition.yaml has a
    # `microdata:` section (pipeline/ingest/microdata.py); respondent rows never enter `tables`.
    microdata: dict[int, MicrodataSpec] = field(default_factory=dict)

    def add(
        self,
        table: str,
        rows: list[Row],
        places: list[tuple[str, int | None]],
        refused: list[frozenset[str]] | None = None,
    ) -> None:
        self.tables.setdefault(table, []).extend(rows)
        self.places.setdefault(table, []).extend(places)
        self.refused.setdefault(table, []).extend(refused or [frozenset()] * len(rows))

    def estimation_tree(self) -> dict[str, str | None]:
        """The population tree of estimation as parent links: the populations that are parts
        of the tree, not subgroups (a subgroup names a breakdown value)."""
        return {
            row["population_id"]: row["parent_id"] or None
            for row in self.tables.get("populations", [])
            if not row.get("breakdown_id")
        }

    def breakdown_values(self) -> dict[str, tuple[str, ...]]:
        """Each breakdown's listed values, sorted (onbekend and totaal are implicit)."""
        values: dict[str, set[str]] = {}
        for row in self.tables.get("breakdowns", []):
            values.setdefault(row["breakdown_id"], set()).add(row["value"])
        return {b: tuple(sorted(v)) for b, v in sorted(values.items())}

    def refused_in(self, table: str) -> list[frozenset[str]]:
        """The refused columns of every row of `table` (none for rows added without them)."""
        refused = self.refused.get(table, [])
        return refused + [frozenset()] * (len(self.tables.get(table, [])) - len(refused))


def display_path(project: Project, path: Path) -> str:
    """A path as reports show it: relative to the folder that holds raw/ (so
    'raw/2024/findings.csv')."""
    try:
        return path.resolve().relative_to(project.raw.parent).as_posix()
    except ValueError:
        return path.name


def codelist_files(project: Project) -> dict[str, Path]:
    return {table: project.codelists / f"{table}.csv" for table in CODELISTS}


def find_editions(project: Project) -> tuple[list[Edition], list[tuple[Path, str]]]:
    """Edition folders with a valid year as name, and (folder, reason) for every other folder."""
    editions, rejected = [], []
    known = raw_inputs(project.schemas)
    for folder in project.edition_dirs():
        if not EDITION_PATTERN.fullmatch(folder.name):
            rejected.append((folder, "an edition folder is named by its four-digit year"))
            continue
        files = {name: folder / name for name in known if (folder / name).is_file()}
        editions.append(Edition(int(folder.name), folder, files))
    return editions, rejected


def plain(value: object) -> object:
    """A frictionless cell as a plain Python value (Decimal -> float)."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def yaml_cell(value: object) -> str:
    """A YAML scalar as the text a CSV cell would hold, so one schema checks both."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
