"""A small synthetic project whose respondents carry markers that must never be published
(distinctive ids and weights), the check that a published folder holds none of them, a way
to break its respondent file, and a way to put it in a git work tree."""

from __future__ import annotations

import atexit
import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.paths import Project
from pipeline.synth import write_project
from tests.helpers import REPO

MARKER = "werkdata-respondent-"
RESPONDENT_COLUMNS = {"respondent_id", "weight", "stratum", "psu", "fpc"}


# Each size of marked project is written once per test process, here, and copied for every test
# that asks for it: a test writes into its own copy.
MADE = Path(tempfile.mkdtemp(prefix="werkdata-marked-"))
atexit.register(shutil.rmtree, MADE, ignore_errors=True)


def marked_project(out: Path, respondents: int = 1500, items: int = 6) -> Project:
    """A synthetic project with string respondent ids `werkdata-respondent-NNNNNN`, in `out`
    (a copy of the one made first for this size)."""
    made = MADE / f"{respondents}-{items}"
    if not made.exists():
        building = MADE / f"{respondents}-{items}.building"
        write_project(Project.at(REPO), building, respondents, seed=5, items=items)
        (path,) = (building / "raw" / "2024" / "microdata").glob("*.parquet")
        table = pq.read_table(path)
        ids = pa.array([f"{MARKER}{i:06d}" for i in range(table.num_rows)])
        pq.write_table(table.set_column(0, "respondent_id", ids), path)
        building.rename(made)
    shutil.copytree(made, out)
    return Project.at(out)


def break_respondents(project) -> str:
    """Give respondent 4's id to respondent 5 and respondent 7 a negative weight; return the
    repeated id."""
    (path,) = (project.raw / "2024" / "microdata").glob("*.parquet")
    table = pq.read_table(path)
    ids = table["respondent_id"].to_pylist()
    ids[5] = ids[4]
    weights = table["weight"].to_pylist()
    weights[7] = -1.0
    table = table.set_column(0, "respondent_id", pa.array(ids))
    table = table.set_column(table.schema.get_field_index("weight"), "weight", pa.array(weights))
    pq.write_table(table, path)
    return ids[4]


MARKER_ITEM = "v_merkteken"
MARKER_CODES = (7919, 7927)  # primes no other scale or count uses: an answer is recognisable


def add_marker_item(project: Project) -> None:
    """Add the item MARKER_ITEM, on a scale of the codes MARKER_CODES and estimated as the
    indicator `merkteken`, to the code lists and the respondent file: every respondent answers
    one of the two codes, about one in ten leaves it empty."""
    codelists = project.raw / "codelists"
    low, high = MARKER_CODES
    append_lines(
        codelists / "scales.csv",
        f"merkteken,{low},Merkteken laag,Marker low",
        f"merkteken,{high},Merkteken hoog,Marker high",
    )
    append_lines(
        codelists / "items.csv", f"{MARKER_ITEM},Merktekenvraag,Marker question,merkteken,false"
    )
    theme = (codelists / "themes.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    append_lines(
        codelists / "indicators.csv",
        f"merkteken,{theme},Kiest het hoge merkteken,Chooses the high marker,percent,"
        f"higher_is_better,{MARKER_ITEM},{high},",
    )
    (path,) = (project.raw / "2024" / "microdata").glob("*.parquet")
    table = pq.read_table(path)
    answers = [None if i % 10 == 3 else MARKER_CODES[(i * 7) % 11 % 2] for i in range(len(table))]
    pq.write_table(table.append_column(MARKER_ITEM, pa.array(answers, pa.int16())), path)


def append_lines(path: Path, *lines: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")


def leaks(project: Project) -> list[str]:
    """Every way respondent-level data shows in project.published: a marked id or an exact
    weight in any file's bytes, a respondent or item column in any table, a file that is a copy
    of the respondent file, an estimate from fewer than 10 respondents; and the respondent
    file named (its name or folder) or its sha256, which would confirm a copy of it."""
    (source,) = (project.raw / "2024" / "microdata").glob("*.parquet")
    respondents = pq.read_table(source)
    weights = [repr(w).encode() for w in respondents["weight"].to_pylist()[:300]]
    items = {name for name in respondents.column_names if name.startswith("v")}
    raw_bytes = source.read_bytes()
    names = [source.name, f"raw/{source.parent.relative_to(project.raw).as_posix()}"]
    digest = hashlib.sha256(raw_bytes).hexdigest()
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
        found += [f"{shown}: the respondent file's name {n}" for n in names if n.encode() in data]
        if digest.encode() in data.lower():
            found.append(f"{shown}: the respondent file's sha256")
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
            numbers = ("value", "ci_low", "ci_high", "se", "df", "respondents")
            shown_numbers = [c for c in numbers if row[c] is not None]
            if shown_numbers:
                found.append(f"{shown}: a suppressed cell shows {', '.join(shown_numbers)}")
        elif row["respondents"] is None or row["respondents"] < 10:
            found.append(f"{shown}: an estimate of {row['respondents']} respondents")
        if len(found) >= 3:
            break
    return found


def git(root: Path, *args: str) -> None:
    """Run `git -C root args...`; raise if it fails."""
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def in_git(project: Project) -> Project:
    """`project` made a git work tree with the repository's .gitignore."""
    git(project.root, "init", "-q")
    shutil.copy2(REPO / ".gitignore", project.root / ".gitignore")
    return project


def moved_respondents(project: Project, path: str) -> Project:
    """The edition's respondent file moved to `path` (relative to raw/2024/), edition.yaml
    pointing there."""
    edition = project.raw / "2024"
    (edition / path).parent.mkdir(parents=True, exist_ok=True)
    (edition / "microdata" / "respondents.parquet").rename(edition / path)
    if not any((edition / "microdata").iterdir()):
        (edition / "microdata").rmdir()  # else an unexpected folder in the edition
    yaml = edition / "edition.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace("path: microdata/respondents.parquet", f"path: {path}"), "utf-8")
    return project


CERTAINTY_STRATUM = "rijk_hoge_colleges"  # a leaf of the synthetic tree, 20 respondents at 600


def one_psu_stratum(project: Project, fpc: float) -> None:
    """Make CERTAINTY_STRATUM a single PSU with `fpc` (1: sampled with certainty), give every
    other stratum's PSUs an fpc of 1,000, and declare the fpc column in edition.yaml."""
    (path,) = (project.raw / "2024" / "microdata").glob("*.parquet")
    table = pl.from_arrow(pq.read_table(path))
    single = pl.col("stratum") == CERTAINTY_STRATUM
    table = table.with_columns(
        pl.when(single).then(pl.lit("hc")).otherwise(pl.col("psu").cast(pl.String)).alias("psu"),
        pl.when(single).then(fpc).otherwise(1000.0).alias("fpc"),
    )
    table.write_parquet(path)
    edition = project.raw / "2024" / "edition.yaml"
    text = edition.read_text(encoding="utf-8").replace("  psu: psu\n", "  psu: psu\n  fpc: fpc\n")
    edition.write_text(text, encoding="utf-8")


def scale_weights(project: Project, factor: float) -> None:
    """Multiply every respondent's weight by `factor` (the weights' unit changed)."""
    (path,) = (project.raw / "2024" / "microdata").glob("*.parquet")
    table = pq.read_table(path)
    column = table.schema.get_field_index("weight")
    weights = pa.array(table["weight"].to_numpy() * factor)
    pq.write_table(table.set_column(column, "weight", weights), path)
