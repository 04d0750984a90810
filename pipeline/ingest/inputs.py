"""Finds the raw inputs (code lists and edition folders) and reads them into typed rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from pipeline.core.paths import EDITION_PATTERN, Project
from pipeline.core.schemas import CODELISTS, raw_inputs

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

    def origin(self, name: str) -> Path:
        return self.origins.get(name, self.files[name])


@dataclass
class RawInputs:
    """Every raw table as typed rows; per-edition tables carry an `edition` column.

    `places[table][i]` is the (file, spreadsheet row) row i came from, for reports.
    """

    tables: dict[str, list[Row]] = field(default_factory=dict)
    places: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)

    def add(self, table: str, rows: list[Row], places: list[tuple[str, int | None]]) -> None:
        self.tables.setdefault(table, []).extend(rows)
        self.places.setdefault(table, []).extend(places)


def display_path(project: Project, path: Path) -> str:
    """A path as reports show it: relative to the folder that holds raw/ (so 'raw/2024/x.csv')."""
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


class _SafeUniqueLoader(yaml.SafeLoader):
    """The safe loader, refusing a key that appears twice in a mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *anchor`, which the safe loader resolves itself
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # the safe loader reports an unhashable key itself
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found the key {key!r} twice",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path) -> object:
    """Parse a YAML file with the safe loader only: tags that build objects are refused, and so is
    a key given twice."""
    # S506 does not know that _SafeUniqueLoader is a SafeLoader
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeUniqueLoader)  # noqa: S506


def yaml_cell(value: object) -> str:
    """A YAML scalar as the text a CSV cell would hold, so one schema checks both."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
