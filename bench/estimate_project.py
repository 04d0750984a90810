"""What the estimate benchmark reads of a synthetic project: its indicators, estimation tree,
breakdowns and design, straight from raw/. Of the pipeline it imports the breakdowns' `totaal`
and `onbekend` and the engine's choice of the weights' fixed-point scale: the floor and pandas
otherwise stand apart from the engine they are measured against."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

# the breakdowns' whole-population and unknown values, as the pipeline defines them once
from pipeline.core.breakdowns import TOTAL, UNKNOWN

# the engine's fixed-point weights (the scale cancels in a share): the floor and pandas sum the
# same rounded weights, so their shares can be held to the published ones at 1e-9 points
from pipeline.estimate.partials import source_binades, source_scale

__all__ = ["TOTAL", "UNKNOWN", "weight_factor"]
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def quoted(name: str) -> str:
    """A checked, double-quoted SQL identifier."""
    if not IDENTIFIER.match(name):
        raise ValueError(f"not an identifier: {name!r}")
    return f'"{name}"'


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    item_id: str
    count_codes: tuple[int, ...]
    exclude_codes: tuple[int, ...]


@dataclass(frozen=True)
class Project:
    """The respondent file, design columns, indicators (with an item), the estimation tree as
    (leaf, node) pairs, and the breakdowns of one synthetic project."""

    respondents: Path
    weight: str
    strata: str
    psu: str
    indicators: tuple[Indicator, ...]
    ancestry: tuple[tuple[str, str], ...]
    breakdowns: tuple[str, ...]
    parents: dict


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def codes(text: str) -> tuple[int, ...]:
    return tuple(int(code) for code in (text or "").split())


def load(root: Path) -> Project:
    """The project at root, with its one edition (the synthetic generator writes one)."""
    (edition,) = sorted(root.glob("raw/*/edition.yaml"))
    micro = yaml.safe_load(edition.read_text(encoding="utf-8"))["microdata"]
    codelists = root / "raw" / "codelists"
    indicators = tuple(
        Indicator(
            r["indicator_id"], r["item_id"], codes(r["count_codes"]), codes(r["exclude_codes"])
        )
        for r in sorted(rows(codelists / "indicators.csv"), key=lambda r: r["indicator_id"])
        if r.get("item_id")
    )
    parents = {
        r["population_id"]: r["parent_id"] or None
        for r in rows(codelists / "populations.csv")
        if not r.get("breakdown_id")
    }
    inner = {parent for parent in parents.values() if parent}
    ancestry = []
    for leaf in sorted(node for node in parents if node not in inner):
        node = leaf
        while node is not None:
            ancestry.append((leaf, node))
            node = parents[node]
    breakdowns = tuple(sorted({r["breakdown_id"] for r in rows(codelists / "breakdowns.csv")}))
    return Project(
        respondents=edition.parent / micro["path"],
        weight=micro["weight"],
        strata=micro["strata"],
        psu=micro["psu"],
        indicators=indicators,
        ancestry=tuple(ancestry),
        breakdowns=breakdowns,
        parents=parents,
    )


def weight_factor(project: Project) -> float:
    """The factor (a power of two) by which the engine multiplies the project's weights before
    rounding them to integers: its edition's scale (pipeline/core/weight_scale.py)."""
    import duckdb

    con = duckdb.connect()
    try:
        found = source_binades(con, project.respondents, project.weight)
    finally:
        con.close()
    return source_scale([found], project.weight).factor
