"""A small synthetic project whose respondents carry markers that must never be published
(distinctive ids and weights), and the check that a published folder holds none of them."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.paths import Project
from pipeline.synth import write_project
from tests.conftest import REPO

MARKER = "werkdata-respondent-"
RESPONDENT_COLUMNS = {"respondent_id", "weight", "stratum", "psu", "fpc"}


def marked_project(out: Path, respondents: int = 1500, items: int = 6) -> Project:
    """A synthetic project with string respondent ids `werkdata-respondent-NNNNNN`."""
    write_project(Project.at(REPO), out, respondents, seed=5, items=items)
    (path,) = (out / "raw" / "2024" / "microdata").glob("*.parquet")
    table = pq.read_table(path)
    ids = pa.array([f"{MARKER}{i:06d}" for i in range(table.num_rows)])
    pq.write_table(table.set_column(0, "respondent_id", ids), path)
    return Project.at(out)


def leaks(project: Project) -> list[str]:
    """Every way respondent-level data shows in project.published: a marked id or an exact
    weight in any file's bytes, a respondent or item column in any table, a file that is a copy
    of the respondent file, an estimate from fewer than 10 respondents."""
    (source,) = (project.raw / "2024" / "microdata").glob("*.parquet")
    respondents = pq.read_table(source)
    weights = [repr(w).encode() for w in respondents["weight"].to_pylist()[:300]]
    items = {name for name in respondents.column_names if name.startswith("v")}
    raw_bytes = source.read_bytes()
    found = []
    files = [p for p in project.published.rglob("*") if p.is_file()]
    assert files, "nothing was published"
    for path in files:
        data = path.read_bytes()
        shown = path.relative_to(project.published).as_posix()
        if MARKER.encode() in data:
            found.append(f"{shown}: a respondent id")
        found += [f"{shown}: the weight {w.decode()}" for w in weights if w in data]
        if data == raw_bytes:
            found.append(f"{shown}: a copy of the respondent file")
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            columns = set(table.column_names) & (RESPONDENT_COLUMNS | items)
            found += [f"{shown}: the column {c}" for c in sorted(columns)]
            if path.name == "estimates.parquet":
                found += estimate_leaks(shown, table)
    return found


def estimate_leaks(shown: str, table: pa.Table) -> list[str]:
    """A published estimate of fewer than 10 respondents, or a suppressed one (status Q) that
    still shows a number."""
    found = []
    for row in table.to_pylist():
        if row["status"] == "Q":
            shown_numbers = [
                c for c in ("value", "ci_low", "ci_high", "respondents") if row[c] is not None
            ]
            if shown_numbers:
                found.append(f"{shown}: a suppressed cell shows {', '.join(shown_numbers)}")
        elif row["respondents"] is None or row["respondents"] < 10:
            found.append(f"{shown}: an estimate of {row['respondents']} respondents")
        if len(found) >= 3:
            break
    return found
