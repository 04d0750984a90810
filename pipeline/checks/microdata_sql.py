"""The SQL of the respondent checks: the named conditions of sql/microdata_fragments.sql, and one
branch of a UNION ALL per row check with its values bound (the texts load through
pipeline.core.sql)."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.sql import quote_identifier, sql_fragments

SQL = "pipeline.checks"  # its queries: pipeline/checks/sql/<name>.sql


def fragments() -> dict[str, str]:
    """The named pieces of sql/microdata_fragments.sql: {name: its SQL}."""
    return sql_fragments(SQL, "microdata_fragments")


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
