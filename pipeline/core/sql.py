"""SQL: the texts of a stage's `sql/` folder (one loader for every stage), and the names and
texts written into SQL itself. Values go in as bound parameters everywhere; a column or table
name cannot be bound, so it is checked against one pattern and then quoted (quote_identifier),
and a text written into a file of SQL (views.sql, a release's search path) is quoted as a
literal (sql_literal)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,62}")


@cache
def sql_text(package: str, name: str) -> str:
    """The SQL of <package>/sql/<name>.sql without its comment lines (a branch of a UNION ALL
    repeats its text once per check: the comments are said once, in the file)."""
    text = sql_file(package, name)
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))


@cache
def sql_fragments(package: str, name: str) -> dict[str, str]:
    """The named pieces of <package>/sql/<name>.sql, each under a `-- name: <piece>` line:
    {piece: its SQL without comment lines}."""
    pieces: dict[str, list[str]] = {}
    current = None
    for line in sql_file(package, name).splitlines():
        if line.startswith("-- name: "):
            current = line.removeprefix("-- name: ").strip()
            pieces[current] = []
        elif current is not None and not line.startswith("--"):
            pieces[current].append(line)
    return {piece: "\n".join(lines).strip() for piece, lines in pieces.items()}


def sql_file(package: str, name: str) -> str:
    """The text of <package>/sql/<name>.sql as it is, comments included."""
    return resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def check_identifier(name: str, role: str) -> str:
    """The name itself when it matches ^[a-z][a-z0-9_]{0,62}$; else a ValueError naming it."""
    if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
        raise ValueError(
            f"{role} {name!r} is not a valid identifier: it must match ^[a-z][a-z0-9_]{{0,62}}$"
        )
    return name


def quote_identifier(name: str, role: str) -> str:
    """The checked name as a quoted SQL identifier ("name")."""
    return f'"{check_identifier(name, role)}"'


def sql_literal(text: str) -> str:
    """A SQL string literal (single quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"
