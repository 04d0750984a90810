"""The SQL of the respondent checks: the texts of pipeline/checks/sql/, the named conditions of
microdata_fragments.sql, and one branch of a UNION ALL per row check with its values bound."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from pipeline.core.identifiers import quote_identifier


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
