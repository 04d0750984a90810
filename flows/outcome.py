"""What a publish says when it is done: the outcome, where the package is, and a DuckDB query
to try, written for the folder the user is in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core.paths import Project

if TYPE_CHECKING:
    from pipeline.release.publish import PublishResult

TRY_QUERY = (
    "SELECT edition, population_id, value, status FROM findings "
    "WHERE indicator_id = {indicator} ORDER BY edition"
)


# A release of respondent data alone (a synthetic project, say) has estimates and no findings.
TRY_ESTIMATES = (
    "SELECT population_id, value, ci_low, ci_high, respondents, status FROM estimates "
    "WHERE indicator_id = {indicator} AND breakdown_id = 'totaal' ORDER BY population_id"
)


def outcome_dict(result: PublishResult) -> dict:
    """A publish's result as plain JSON-able facts: the publish flow's return value, and what
    `print_outcome` reads on both publish paths."""
    return {
        "status": result.status,
        "version": result.version,
        "folder": str(result.folder),
        "summary": result.summary,
        "bump": result.bump,
        "rows": result.rows,
    }


def try_query(project: Project, rows: dict | None = None) -> str:
    """TRY_QUERY with the example indicator of the project's schemas/dataset.json; on the
    estimates when the release has estimates and no findings."""
    from pipeline.core.schemas import dataset_metadata
    from pipeline.core.sql import sql_literal

    indicator = sql_literal(dataset_metadata(project.schemas)["example"]["indicator_id"])
    rows = rows or {}
    if rows.get("estimates") and not rows.get("findings"):
        return TRY_ESTIMATES.format(indicator=indicator)
    return TRY_QUERY.format(indicator=indicator)


def shown_path(path: Path) -> Path:
    """`path` relative to the working folder when it is inside it (what a user types)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def folder_options(project: Project) -> str:
    """The options that point a command run from here at `project` (empty in its root)."""
    options = ""
    if project.root != Path.cwd().resolve():
        options += f" --root {shown_path(project.root)}"
    if project.published != project.root / "published":
        options += f" --published {shown_path(project.published)}"
    return options


def print_outcome(project: Project, outcome: dict) -> None:
    """What happened, where the package is, and a DuckDB query to try from this folder."""
    shown = shown_path(Path(outcome["folder"]))
    werkdata = shown_path(Path(sys.argv[0]).absolute()) if sys.argv[0] else "werkdata"
    python = shown_path(Path(sys.executable))
    if outcome["status"] == "published":
        print(f"published werkonderzoek {outcome['version']}: {outcome['summary']}")
    else:
        print(outcome["summary"])
    print(f"package: {shown}/datapackage.json")
    query = try_query(project, outcome.get("rows"))
    table = "estimates" if "FROM estimates" in query else "findings"
    parquet = f"{shown.parent}/latest/data/{table}.parquet"
    print("try:")
    print(f'  {werkdata}{folder_options(project)} query "{query}"')
    print(f'  {python} -c "import duckdb; duckdb.sql(\\"FROM \'{parquet}\' LIMIT 5\\").show()"')
