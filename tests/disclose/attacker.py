"""An outside attacker of the published estimates, written apart from disclosure control: it
imports nothing of `pipeline.disclose` or `pipeline.orchestrate.disclosure` (an import-linter
contract in pyproject.toml), so a mistake there cannot hide here.

It knows only what anyone can download from a release folder: the estimates rows, the published
`populations`, `indicators`, `items` and `conf_statuses` tables and the `disclosure` settings of
`datapackage.json`. The model is the one of docs/disclosure.md: weights are equal within every
cell, so a published share times its respondents is the number who answered a counted code,
known up to the rounding of the published value (half a unit of its last decimal; full precision
when no `decimals` is stated), never better. Unknowns, per cell that is not published
(`conf_status` other than F): the respondents n of each item (one n shared by the item's
indicators) and each indicator's counted count, integers with 0 <= counted <= n. Equations, for n
and for every counted count: at every breakdown cell the children sum to their parent, and in
every node the values of a breakdown (`onbekend` included) sum to `totaal`. Mixed-integer
programs (`scipy.optimize.milp`) give the exact minimum and maximum of every unknown cell's n,
counted and not counted (n - counted); `violations` lists where those ranges are narrower than
the guarantee, and every published `conf_status` that tells more than F or C.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from scipy.optimize import Bounds, LinearConstraint, milp

TOTAL = "totaal"
FLAGS = frozenset({"F", "C"})  # the only conf_status values that say nothing of the reason
# A published count is an integer within this much of share x respondents / 100: room for the
# floating point of the share, far below one respondent.
SLACK = 1e-6

Cell = tuple[str, str, str]  # population_id, breakdown_id, breakdown_value


@dataclass(frozen=True)
class Release:
    """What the attacker reads. rows: estimates rows (dicts with population_id, breakdown_id,
    breakdown_value, indicator_id, value, respondents, conf_status and, in a release, edition).
    parents: population -> parent (None at the root); indicators: indicator_id -> (item_id,
    count codes, exclude codes); decimals: of the published values, None for full precision."""

    rows: list[dict] = field(repr=False)
    parents: Mapping[str, str | None]
    indicators: Mapping[str, tuple[str, frozenset[int], frozenset[int]]]
    sensitive: frozenset[str]
    threshold: int
    sensitive_threshold: int
    decimals: int | None
    conf_statuses: frozenset[str]


@dataclass(frozen=True)
class Range:
    """The exact range, over every integer table consistent with the release, of one unknown:
    `what` is "n" (of an item: `subject` is the item_id), "counted" or "not counted" (of an
    indicator: `subject` is the indicator_id). high is math.inf when nothing bounds it."""

    edition: object
    cell: Cell
    subject: str
    what: str
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


def codes(text: object) -> frozenset[int]:
    """'4 5' as {4, 5}."""
    return frozenset(int(code) for code in str(text or "").split())


def read_release(folder: Path) -> Release:
    """A published release folder (`published/<dataset>/<version>`) as the attacker sees it."""
    data = folder / "data"

    def table(name: str) -> list[dict]:
        return pq.read_table(data / f"{name}.parquet").to_pylist()

    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    settings = package.get("disclosure", {})
    populations = [row for row in table("populations") if not row.get("breakdown_id")]
    return Release(
        rows=table("estimates"),
        parents={row["population_id"]: row["parent_id"] or None for row in populations},
        indicators={
            row["indicator_id"]: (
                row["item_id"],
                codes(row["count_codes"]),
                codes(row["exclude_codes"]),
            )
            for row in table("indicators")
            if row.get("item_id")
        },
        sensitive=frozenset(
            row["item_id"] for row in table("items") if row["sensitive"] in (True, "true")
        ),
        threshold=settings.get("threshold", 10),
        sensitive_threshold=settings.get("sensitive_threshold", 5),
        decimals=settings.get("decimals"),
        conf_statuses=frozenset(row["conf_status"] for row in table("conf_statuses")),
    )


def counted_bounds(value: float | None, n: int, decimals: int | None) -> tuple[int, int]:
    """The integers `counted` can be in a published cell of n respondents and share `value`:
    value x n / 100, widened by half a unit of the last published decimal."""
    if value is None:
        return 0, n
    half = 0.0 if decimals is None else 0.5 * 10.0**-decimals
    low = math.ceil((value - half) * n / 100 - SLACK)
    high = math.floor((value + half) * n / 100 + SLACK)
    return max(low, 0), min(high, n)


class Program:
    """The integer unknowns of one edition and item, their bounds and linear equations."""

    def __init__(self) -> None:
        self.index: dict[tuple, int] = {}
        self.low: list[float] = []
        self.high: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def variable(self, name: tuple, low: float = 0, high: float = math.inf) -> int:
        self.index[name] = len(self.low)
        self.low.append(low)
        self.high.append(high)
        return self.index[name]

    def constrain(self, terms: dict[int, float], low: float, high: float) -> None:
        self.rows.append((terms, low, high))

    def extremes(self, objective: dict[int, float]) -> tuple[float, float]:
        """The minimum and maximum of sum(objective) over the integer points."""
        size = len(self.low)
        matrix = np.zeros((len(self.rows), size))
        for r, (terms, _, _) in enumerate(self.rows):
            for column, coefficient in terms.items():
                matrix[r, column] += coefficient
        constraints = LinearConstraint(
            matrix, [row[1] for row in self.rows], [row[2] for row in self.rows]
        )
        c = np.zeros(size)
        for column, coefficient in objective.items():
            c[column] = coefficient
        out = []
        for sign in (1, -1):
            result = milp(
                sign * c,
                integrality=np.ones(size),
                bounds=Bounds(self.low, self.high),
                constraints=constraints,
            )
            if result.status == 3:  # unbounded
                out.append(-sign * math.inf)
            elif result.status != 0:
                raise ValueError(f"the release contradicts the model: {result.message}")
            else:
                out.append(sign * round(result.fun))
        return out[0], out[1]


def item_program(release: Release, rows: list[dict], item: str) -> tuple[Program, list[tuple]]:
    """The program of one item in one edition and the unknowns to range: ("n", cell) for the
    item, ("counted", cell, indicator) for each of its indicators, at every unpublished cell."""
    indicators = sorted(i for i, (it, _, _) in release.indicators.items() if it == item)
    mine = [row for row in rows if row["indicator_id"] in indicators]
    by_key = {
        (
            row["population_id"],
            row["breakdown_id"],
            row["breakdown_value"],
            row["indicator_id"],
        ): row
        for row in mine
    }
    nodes = sorted({row["population_id"] for row in mine})
    columns = sorted({(row["breakdown_id"], row["breakdown_value"]) for row in mine})
    program, unknown = Program(), []
    for node in nodes:
        for b, v in columns:
            cell = (node, b, v)
            rows_here = [by_key.get((*cell, i)) for i in indicators]
            published = [row for row in rows_here if row and row["conf_status"] == "F"]
            if published:
                n = published[0]["respondents"]
                n_var = program.variable(("n", cell), n, n)
            else:
                n_var = program.variable(("n", cell))
                unknown.append(("n", cell))
            for indicator, row in zip(indicators, rows_here, strict=True):
                if row and row["conf_status"] == "F":
                    low, high = counted_bounds(row["value"], row["respondents"], release.decimals)
                    c_var = program.variable(("counted", cell, indicator), low, high)
                else:
                    c_var = program.variable(("counted", cell, indicator))
                    unknown.append(("counted", cell, indicator))
                program.constrain({c_var: 1, n_var: -1}, -math.inf, 0)
            relate_indicators(release, program, cell, indicators, n_var)
    add_sums(program, release.parents, nodes, columns)
    return program, unknown


def relate_indicators(release, program, cell, indicators, n_var) -> None:
    """What the indicators' code sets say about each other (same exclusions): counted codes
    nested -> counted counts ordered; disjoint -> they sum to at most n."""
    for k, first in enumerate(indicators):
        for second in indicators[k + 1 :]:
            _, codes1, excluded1 = release.indicators[first]
            _, codes2, excluded2 = release.indicators[second]
            if excluded1 != excluded2:
                continue
            a = program.index[("counted", cell, first)]
            b = program.index[("counted", cell, second)]
            if codes1 <= codes2:
                program.constrain({a: 1, b: -1}, -math.inf, 0)
            elif codes2 <= codes1:
                program.constrain({b: 1, a: -1}, -math.inf, 0)
            elif not codes1 & codes2:
                program.constrain({a: 1, b: 1, n_var: -1}, -math.inf, 0)


def add_sums(program: Program, parents, nodes: list[str], columns: list[tuple[str, str]]) -> None:
    """For n and every counted count: children sum to their parent at every breakdown cell, and
    a breakdown's values sum to totaal in every node."""
    names = {name[0:1] + name[2:] for name in program.index}  # ("n",), ("counted", indicator)
    children = {node: [c for c in nodes if parents.get(c) == node] for node in nodes}
    groups = []
    for node in nodes:
        for b, v in columns:
            if children[node]:
                groups.append(((node, b, v), [(child, b, v) for child in children[node]]))
        for b in sorted({b for b, _ in columns if b != TOTAL}):
            parts = [(node, b, v) for bb, v in columns if bb == b]
            groups.append(((node, TOTAL, TOTAL), parts))
    for name in names:
        for total, parts in groups:
            terms = {program.index[(name[0], total, *name[1:])]: 1.0}
            for part in parts:
                column = program.index[(name[0], part, *name[1:])]
                terms[column] = terms.get(column, 0.0) - 1.0
            program.constrain(terms, 0, 0)


def by_edition(rows: Iterable[dict]) -> dict[object, list[dict]]:
    out: dict[object, list[dict]] = {}
    for row in rows:
        out.setdefault(row.get("edition"), []).append(row)
    return out


def ranges(release: Release) -> list[Range]:
    """The exact range of n, counted and not counted of every unpublished cell."""
    out = []
    items = sorted({item for item, _, _ in release.indicators.values()})
    for edition, rows in sorted(by_edition(release.rows).items(), key=lambda e: str(e[0])):
        for item in items:
            program, unknown = item_program(release, rows, item)
            for name in unknown:
                if name[0] == "n":
                    low, high = program.extremes({program.index[name]: 1})
                    out.append(Range(edition, name[1], item, "n", low, high))
                    continue
                counted = program.index[name]
                n = program.index[("n", name[1])]
                low, high = program.extremes({counted: 1})
                out.append(Range(edition, name[1], name[2], "counted", low, high))
                low, high = program.extremes({n: 1, counted: -1})
                out.append(Range(edition, name[1], name[2], "not counted", low, high))
    return out


def violations(release: Release) -> list[str]:
    """Every breach of the guarantee of docs/disclosure.md the attacker finds: of the ranges and
    of the flags."""
    return range_violations(release) + flag_violations(release)


def range_violations(release: Release) -> list[str]:
    """An unpublished cell whose n ranges over less than the threshold, or, of a sensitive item,
    whose counted or not counted count ranges over less than the sensitive threshold."""
    found = []
    for r in ranges(release):
        item = r.subject if r.what == "n" else release.indicators[r.subject][0]
        if r.what == "n":
            width = release.threshold
        elif item in release.sensitive:
            width = release.sensitive_threshold
        else:
            continue  # a non-sensitive item's answer counts only narrow the others
        if r.width < width:
            found.append(
                f"{r.edition} {'/'.join(r.cell)} {r.subject}: {r.what} in [{r.low:g}, {r.high:g}],"
                f" narrower than {width}"
            )
    return found


def flag_violations(release: Release) -> list[str]:
    """Every estimates row whose conf_status is neither F nor C: it tells why a cell was
    suppressed (too few respondents, a sensitive rule, or another cell's protection)."""
    key = ("population_id", "breakdown_id", "breakdown_value", "indicator_id")
    return [
        f"{row.get('edition')} {'/'.join(row[k] for k in key)}: conf_status {row['conf_status']}"
        for row in release.rows
        if row["conf_status"] not in FLAGS
    ]
