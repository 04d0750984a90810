"""Names that go into SQL as identifiers: checked against one pattern, then quoted."""

from __future__ import annotations

import re

IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,62}")


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
