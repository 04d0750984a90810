"""Checks of edition.yaml's `microdata:` section (README, "Respondent data"): its keys, the
type of each value, and that its path holds Parquet files. The respondents themselves are
checked elsewhere; this reads no respondent file."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.report import Problem
from pipeline.core.sql import IDENTIFIER
from pipeline.ingest import hints
from pipeline.ingest.microdata import DESIGN_KEYS, KEYS, REQUIRED, MicrodataSpec, microdata_spec

RULE = "microdata-section"


def section_problems(file: str, meta: object, folder: Path) -> list[Problem]:
    """Every problem of the `microdata:` section of one edition.yaml ([] without a section)."""
    if not isinstance(meta, dict) or "microdata" not in meta:
        return []
    section = meta["microdata"]
    if not isinstance(section, dict):
        return [problem(file, None, "microdata must be a mapping of keys to values")]
    problems = [
        Problem(
            file,
            None,
            f"microdata.{key}",
            None,
            RULE,
            f"microdata has no key {key!r}; allowed: {', '.join(KEYS)}",
            hint=hints.did_you_mean(str(key), list(KEYS)),
        )
        for key in sorted(set(map(str, section)) - set(KEYS))
    ]
    problems += [
        problem(file, key, f"microdata needs {key!r}")
        for key in REQUIRED
        if section.get(key) in (None, "")
    ]
    if "synthetic" in section and not isinstance(section["synthetic"], bool):
        problems.append(problem(file, "synthetic", "synthetic must be true or false"))
    for key in DESIGN_KEYS:
        value = section.get(key)
        if value not in (None, "") and not (isinstance(value, str) and IDENTIFIER.fullmatch(value)):
            message = f"{key} must be a column name matching ^[a-z][a-z0-9_]{{0,62}}$"
            problems.append(problem(file, key, message, value))
    path = section.get("path")
    if path not in (None, "") and not isinstance(path, str):
        problems.append(problem(file, "path", "path must be a file or folder name"))
    elif isinstance(path, str) and path and not problems:
        spec = microdata_spec(meta, folder)
        if not spec.path.exists():
            problems.append(problem(file, "path", "no such file or folder", path))
        elif not spec.files():
            problems.append(problem(file, "path", "a folder without .parquet files", path))
    return problems


def checked_spec(file: str, meta: object, folder: Path) -> tuple[MicrodataSpec | None, list]:
    """The section's spec when it has no problem, and its problems."""
    problems = section_problems(file, meta, folder)
    return (None if problems else microdata_spec(meta, folder)), problems


def problem(file: str, key: str | None, message: str, value: object = None) -> Problem:
    column = f"microdata.{key}" if key else "microdata"
    shown = None if value is None else str(value)
    return Problem(file, None, column, shown, RULE, message)
