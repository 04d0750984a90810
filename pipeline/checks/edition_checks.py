"""Checks of edition.yaml: read once within limits, then every key checked for its name, its
type and its value against the editions Table Schema (and `files:` by pipeline/ingest/dialects.py).
Each problem is a report line; none is an exception."""

from __future__ import annotations

import datetime as dt
import math

import yaml
from frictionless import Resource, Schema

from pipeline.checks.table_checks import error_problem
from pipeline.core.paths import Project
from pipeline.core.report import Problem, Report
from pipeline.core.schemas import raw_file_schema, raw_inputs, table_schema
from pipeline.ingest import dialects, hints
from pipeline.ingest.inputs import Edition, display_path, plain, yaml_cell
from pipeline.ingest.limits import MAX_FIELD_CHARS
from pipeline.ingest.safe_yaml import read_yaml

# What a single value of edition.yaml may be (a date is read as one by YAML).
SCALARS = (str, int, float, bool, dt.date)


def load_meta(project: Project, edition: Edition) -> None:
    """Read the edition's edition.yaml once into `edition.meta`, its problems (a YAML error, a
    broken limit) into `edition.meta_problems`."""
    path = edition.files.get("edition.yaml")
    if path is None:
        return
    try:
        edition.meta = read_yaml(path)
    except yaml.YAMLError as exc:
        edition.meta_problems = [yaml_problem(display_path(project, path), exc)]


def yaml_problem(file: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = getattr(exc, "line", None) or (mark.line + 1 if mark else None)
    return Problem(
        file, line, None, None, getattr(exc, "rule", "yaml-error"), " ".join(str(exc).split())
    )


def declared_dialects(project: Project, edition: Edition) -> tuple[dict, list[Problem]]:
    """The dialects edition.yaml declares, and the problems of the declarations."""
    path = edition.folder / "edition.yaml"
    allowed = {n for n in raw_inputs(project.schemas) if n.endswith(".csv")}
    return dialects.declarations(edition.meta, display_path(project, path), allowed)


def edition_metadata(project: Project, editions: list[Edition], report: Report) -> list[dict]:
    """Check every edition.yaml against the editions schema; return the rows of the good ones."""
    schema = checked_schema(project)
    names = [f["name"] for f in schema["fields"] if f["name"] != "edition"]
    rows = []
    for edition in editions:
        path = edition.files.get("edition.yaml")
        if path is None:
            continue
        file = display_path(project, path)
        report.checked.append(file)
        if edition.meta_problems:
            report.extend(edition.meta_problems)
            continue
        data = edition.meta
        if not isinstance(data, dict):
            message = "edition.yaml must hold a mapping of keys to values"
            report.extend([Problem(file, None, None, None, "yaml-error", message)])
            continue
        problems = key_problems(file, data, names) + value_problems(file, data, names)
        reported = {p.column for p in problems}
        row, cell_problems = typed_row(file, {**data, "edition": edition.year}, schema, reported)
        problems += cell_problems
        report.extend(problems)
        if not problems:
            rows.append(row)
    return rows


def checked_schema(project: Project) -> dict:
    """The schema an edition.yaml is read by: its own fields after the edition, whose value is
    the folder's name, so that frictionless checks the edition's constraints too."""
    schema = raw_file_schema(project.schemas, "edition.yaml")
    fields = table_schema(project.schemas, "editions")["fields"]
    edition = next(f for f in fields if f["name"] == "edition")
    return {**schema, "fields": [edition, *schema["fields"]]}


def key_problems(file: str, data: dict, names: list[str]) -> list[Problem]:
    """A problem for every key that edition.yaml may not have, with the key probably meant."""
    allowed = [*names, "files", "microdata"]
    return [
        Problem(
            file,
            None,
            key,
            None,
            "unknown-key",
            f"edition.yaml has no key {key!r}; allowed: {', '.join(allowed)}",
            hint=hints.did_you_mean(key, allowed),
        )
        for key in sorted(set(map(str, data)) - set(allowed))
    ]


def value_problems(file: str, data: dict, names: list[str]) -> list[Problem]:
    """A problem for every value that is not one value of text, a finite number or a date, that
    is too long, or that UTF-8 cannot store."""
    problems = []
    for name in names:
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, SCALARS):
            kind = dialects.kind(value)
            message = f"{name} must be a single value, not {kind}"
            problems.append(Problem(file, None, name, None, "type-error", message))
        elif isinstance(value, float) and not math.isfinite(value):
            message = f"{name} must be a finite number, not {value}"
            problems.append(Problem(file, None, name, str(value), "type-error", message))
        elif isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            message = f"{len(value)} characters; the limit is {MAX_FIELD_CHARS}"
            problems.append(
                Problem(file, None, name, f"{value[:20]}...", "field-too-long", message)
            )
        elif isinstance(value, str) and not storable(value):
            message = "holds a character UTF-8 cannot store (a lone surrogate)"
            problems.append(Problem(file, None, name, None, "encoding-error", message))
    return problems


def storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def typed_row(file: str, data: dict, schema: dict, reported: set) -> tuple[dict, list[Problem]]:
    """The values of edition.yaml typed by the editions schema (as frictionless reads a CSV
    row), and a problem for each value that breaks it; keys in `reported` are left out."""
    names = [f["name"] for f in schema["fields"]]
    cells = ["" if n in reported else yaml_cell(data.get(n)) for n in names]
    (row,) = Resource(data=[names, cells], schema=Schema.from_descriptor(schema)).read_rows()
    problems = []
    for e in row.errors:
        if getattr(e, "field_name", None) in reported:
            continue
        p = error_problem(file, e, {"name": "editions", "schema": schema})
        problems.append(Problem(p.file, None, p.column, p.value, p.rule, p.message, hint=p.hint))
    return {n: plain(row[n]) for n in names}, problems
