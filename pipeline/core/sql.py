"""SQL quoting, for the few places that write a name or a text into SQL itself (views.sql, a
release's search path); everywhere else values are bound parameters."""

from __future__ import annotations


def sql_literal(text: str) -> str:
    """A SQL string literal (single quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def quoted(name: str) -> str:
    """A SQL identifier in double quotes."""
    return '"' + name.replace('"', '""') + '"'
