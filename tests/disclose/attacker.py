"""An outside attacker of the published estimates, written apart from disclosure control: it
imports nothing of `pipeline.disclose` or `pipeline.orchestrate.disclosure` (an import-linter
contract in pyproject.toml), so a mistake there cannot hide here.

It knows only what anyone can download from the releases of a dataset: the estimates rows, the
published `populations`, `indicators`, `items` and `conf_statuses` tables and the `disclosure`
settings of `datapackage.json`, of one release folder (`read_release`) or of all of them
together (`read_releases`: a cell published by any release is known). A revision of an edition
(`revision`, `differencing_violations`): the new release read together with the cells an earlier
release published that have not changed since, and the cells published by both compared.

The model is the one of docs/disclosure.md: weights are equal within every cell, so a published
share times its respondents is the number who answered a counted code, known up to the rounding
of the published value (half a unit of its last decimal; full precision when no `decimals` is
stated), never better. Unknowns, per cell that no release publishes (`conf_status` F): the
respondents n of each item (one n shared by the item's
indicators) and each indicator's counted count, integers with 0 <= counted <= n. Equations, for n
and for every counted count: at every breakdown cell the children sum to their parent, and in
every node the values of a breakdown (`onbekend` included) sum to `totaal`.

`ranges` gives the exact minimum and maximum of every unknown cell's n, counted and not counted
(n - counted) with `scipy.optimize.milp`: the LP relaxation first, whose optimum is the integer
optimum when its solution is integral, else the mixed-integer program. `violations` lists where
the ranges are narrower than the guarantee, and every published `conf_status` that tells more
than F or C. To spare solves it takes a range as wide enough when two integer tables it has
already found (the optima of other unknowns) differ by the width there; a violation is only
ever reported from an unknown's two exact optima.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

TOTAL = "totaal"
FLAGS = frozenset({"F", "C"})  # the only conf_status values that say nothing of the reason
# A published count is an integer within this much of share x respondents / 100: room for the
# floating point of the share, far below one respondent.
SLACK = 1e-6
SEED_CAP = 1e6  # larger than any count of the tests' releases

Cell = tuple[str, str, str]  # population_id, breakdown_id, breakdown_value


@dataclass(frozen=True)
class Release:
    """What the attacker reads. rows: estimates rows (dicts with population_id, breakdown_id,
    breakdown_value, indicator_id, value, respondents, conf_status and, in a release, edition;
    read from several releases, each row also holds the `decimals` of its release).
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
    """The range of one unknown over the integer tables consistent with the release: `what` is
    "n" (of an item: `subject` is the item_id), "counted" or "not counted" (of an indicator:
    `subject` is the indicator_id). exact: low and high are the minimum and maximum (high is
    math.inf when nothing bounds it); otherwise they are its values in two consistent tables,
    so the true range is at least as wide."""

    edition: object
    cell: Cell
    subject: str
    what: str
    low: float
    high: float
    exact: bool = True

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


def read_releases(dataset: Path) -> Release:
    """Every release folder of a dataset (`published/<dataset>/<version>`) read together: the
    rows of all, each with its release's decimals; the metadata of the newest."""
    folders = sorted(
        (
            folder
            for folder in dataset.iterdir()
            if not folder.is_symlink() and (folder / "datapackage.json").is_file()
        ),
        key=lambda folder: tuple(int(part) for part in folder.name.split(".")),
    )
    releases = [read_release(folder) for folder in folders]
    rows = [{**row, "decimals": r.decimals} for r in releases for row in r.rows]
    return replace(releases[-1], rows=rows)


def counted_bounds(value: float | None, n: int, decimals: int | None) -> tuple[int, int]:
    """The integers `counted` can be in a published cell of n respondents and share `value`:
    value x n / 100, widened by half a unit of the last published decimal."""
    if value is None:
        return 0, n
    half = 0.0 if decimals is None else 0.5 * 10.0**-decimals
    low = math.ceil((float(value) - half) * n / 100 - SLACK)
    high = math.floor((float(value) + half) * n / 100 + SLACK)
    return max(low, 0), min(high, n)


class Program:
    """The integer unknowns of one edition and item, their bounds and linear equations."""

    def __init__(self) -> None:
        self.index: dict[tuple, int] = {}
        self.low: list[float] = []
        self.high: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self._constraints: LinearConstraint | None = None

    def variable(self, name: tuple, low: float = 0, high: float = math.inf) -> int:
        self.index[name] = len(self.low)
        self.low.append(low)
        self.high.append(high)
        return self.index[name]

    def constrain(self, terms: dict[int, float], low: float, high: float) -> None:
        self.rows.append((terms, low, high))

    def constraints(self) -> LinearConstraint:
        if self._constraints is None:  # built once, after the last constrain()
            matrix = np.zeros((len(self.rows), len(self.low)))
            for r, (terms, _, _) in enumerate(self.rows):
                for column, coefficient in terms.items():
                    matrix[r, column] += coefficient
            lows, highs = [row[1] for row in self.rows], [row[2] for row in self.rows]
            self._constraints = LinearConstraint(csr_array(matrix), lows, highs)
        return self._constraints

    def run(self, objective: np.ndarray, integral: bool, cap: float):
        size = len(self.low)
        return milp(
            objective,
            integrality=np.full(size, 1 if integral else 0),
            bounds=Bounds(self.low, np.minimum(self.high, cap)),
            constraints=self.constraints(),
        )

    def minimum(
        self, objective: dict[int, float], cap: float = math.inf
    ) -> tuple[int | float, np.ndarray | None]:
        """The minimum of sum(objective) over the integer points (with no unknown over `cap`)
        and a point attaining it (-inf and None when unbounded below). ValueError when there is
        no integer point."""
        c = np.zeros(len(self.low))
        for column, coefficient in objective.items():
            c[column] = coefficient
        result = self.run(c, False, cap)
        if result.status == 0 and np.all(np.abs(result.x - np.round(result.x)) < SLACK):
            point = np.round(result.x)  # an integral LP optimum is the integer optimum
        elif result.status in (0, 1):
            result = self.run(c, True, cap)
            if result.status != 0:
                raise ValueError(f"no integer table fits the release: {result.message}")
            point = np.round(result.x)
        elif result.status == 3 or self.run(np.zeros(len(c)), True, cap).status == 0:
            return -math.inf, None  # HiGHS may say only "infeasible or unbounded"
        else:
            raise ValueError(f"the release contradicts the model: {result.message}")
        if not self.holds(point):  # a witness is checked, not taken on trust
            raise ValueError("the solver returned a table that breaks the release's equations")
        return round(float(c @ point)), point

    def holds(self, point: np.ndarray) -> bool:
        """Whether an integer point keeps every bound and every equation exactly."""
        sums = self.constraints().A @ point
        return bool(
            np.all(point >= np.array(self.low))
            and np.all(point <= np.array(self.high))
            and np.all(sums >= self.constraints().lb)
            and np.all(sums <= self.constraints().ub)
        )


def item_program(release: Release, rows: list[dict], item: str) -> tuple[Program, list[tuple]]:
    """The program of one item in one edition and the unknowns to range: ("n", cell) for the
    item, ("counted", cell, indicator) for each of its indicators, at every unpublished cell."""
    indicators = sorted(i for i, (it, _, _) in release.indicators.items() if it == item)
    mine = [row for row in rows if row["indicator_id"] in indicators]
    published: dict[tuple, list[dict]] = {}  # (cell, indicator) -> its published rows
    for row in mine:
        if row["conf_status"] == "F":
            cell = (row["population_id"], row["breakdown_id"], row["breakdown_value"])
            published.setdefault((cell, row["indicator_id"]), []).append(row)
    nodes = sorted({row["population_id"] for row in mine})
    columns = sorted({(row["breakdown_id"], row["breakdown_value"]) for row in mine})
    program, unknown = Program(), []
    for node in nodes:
        for b, v in columns:
            cell = (node, b, v)
            known = [row for i in indicators for row in published.get((cell, i), [])]
            if known:  # every release that publishes the cell gives its n
                ns = [row["respondents"] for row in known]
                n_var = program.variable(("n", cell), max(ns), min(ns))
            else:
                n_var = program.variable(("n", cell))
                unknown.append(("n", cell))
            for indicator in indicators:
                if rows_here := published.get((cell, indicator)):
                    low, high = known_counted(rows_here, release.decimals)
                    c_var = program.variable(("counted", cell, indicator), low, high)
                else:
                    c_var = program.variable(("counted", cell, indicator))
                    unknown.append(("counted", cell, indicator))
                program.constrain({c_var: 1, n_var: -1}, -math.inf, 0)
            relate_indicators(release, program, cell, indicators, n_var)
    families = [("n",), *(("counted", indicator) for indicator in indicators)]
    add_sums(program, release.parents, nodes, columns, families)
    return program, unknown


def known_counted(rows: list[dict], decimals: int | None) -> tuple[int, int]:
    """The counted counts every published row of one cell and indicator allows (each read with
    its own release's decimals, else `decimals`)."""
    bounds = [
        counted_bounds(row["value"], row["respondents"], row.get("decimals", decimals))
        for row in rows
    ]
    return max(low for low, _ in bounds), min(high for _, high in bounds)


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


def add_sums(program: Program, parents, nodes, columns, families: list[tuple]) -> None:
    """For every family of unknowns (("n",) and ("counted", indicator)): children sum to their
    parent at every breakdown cell, and a breakdown's values sum to totaal in every node."""
    children = {node: [c for c in nodes if parents.get(c) == node] for node in nodes}
    groups = []
    for node in nodes:
        for b, v in columns:
            if children[node]:
                groups.append(((node, b, v), [(child, b, v) for child in children[node]]))
        for b in sorted({b for b, _ in columns if b != TOTAL}):
            parts = [(node, b, v) for bb, v in columns if bb == b]
            groups.append(((node, TOTAL, TOTAL), parts))
    for kind, *indicator in families:
        for total, parts in groups:
            terms = {program.index[(kind, total, *indicator)]: 1.0}
            for part in parts:
                column = program.index[(kind, part, *indicator)]
                terms[column] = terms.get(column, 0.0) - 1.0
            program.constrain(terms, 0, 0)


def by_edition(rows: Iterable[dict]) -> dict[object, list[dict]]:
    out: dict[object, list[dict]] = {}
    for row in rows:
        out.setdefault(row.get("edition"), []).append(row)
    return out


def unknowns(release: Release, program: Program, names: list[tuple], item: str):
    """(edition-free Range fields, objective, width the guarantee asks) of every unknown."""
    sensitive = item in release.sensitive
    for name in names:
        if name[0] == "n":
            yield (name[1], item, "n"), {program.index[name]: 1.0}, release.threshold
            continue
        counted, n = program.index[name], program.index[("n", name[1])]
        width = release.sensitive_threshold if sensitive else 0
        yield (name[1], name[2], "counted"), {counted: 1.0}, width
        yield (name[1], name[2], "not counted"), {n: 1.0, counted: -1.0}, width


def seeds(program: Program, names: list[tuple]) -> list[np.ndarray]:
    """Consistent tables far apart, to show many ranges wide at once: every unknown as small as
    it can be; then every n and counted count as large as they can be, and every n as large and
    counted count as small (none over SEED_CAP, so that none is unbounded: any consistent table
    is a witness, optimal or not)."""
    n = {program.index[name]: 1.0 for name in names if name[0] == "n"}
    counted = {program.index[name]: 1.0 for name in names if name[0] == "counted"}
    _, small = program.minimum({**n, **counted})
    _, large = program.minimum({k: -1.0 for k in (*n, *counted)}, SEED_CAP)
    _, uncounted = program.minimum({**{k: -1.0 for k in n}, **counted}, SEED_CAP)
    return [point for point in (small, large, uncounted) if point is not None]


def value_at(point: np.ndarray, objective: dict[int, float]) -> float:
    return sum(coefficient * point[column] for column, coefficient in objective.items())


def ranges(release: Release, exact: bool = True) -> list[Range]:
    """The range of n, counted and not counted of every unpublished cell: exact, or (exact
    False) exact only where the tables already found do not show the width of the guarantee."""
    out = []
    items = sorted({item for item, _, _ in release.indicators.values()})
    for edition, rows in sorted(by_edition(release.rows).items(), key=lambda e: str(e[0])):
        for item in items:
            program, names = item_program(release, rows, item)
            if not names:
                continue  # every cell of the item published (or the item not estimated)
            points = [] if exact else seeds(program, names)
            for (cell, subject, what), objective, width in unknowns(release, program, names, item):
                if not exact and width == 0:
                    continue  # nothing to show: only a sensitive item's classes have a width
                seen = [value_at(point, objective) for point in points]
                if not exact and seen and max(seen) - min(seen) >= width:
                    out.append(Range(edition, cell, subject, what, min(seen), max(seen), False))
                    continue
                low, lowest = program.minimum(objective)
                high, highest = program.minimum({k: -c for k, c in objective.items()})
                points += [point for point in (lowest, highest) if point is not None]
                out.append(Range(edition, cell, subject, what, low, -high))
    return out


def violations(release: Release) -> list[str]:
    """Every breach of the guarantee of docs/disclosure.md the attacker finds: of the ranges and
    of the flags."""
    return range_violations(release) + flag_violations(release)


def range_violations(release: Release) -> list[str]:
    """An unpublished cell whose n ranges over less than the threshold, or, of a sensitive item,
    whose counted or not counted count ranges over less than the sensitive threshold (exact
    ranges only: a range shown wide enough by two tables is wide enough)."""
    found = []
    for r in ranges(release, exact=False):
        judged = r.what == "n" or release.indicators[r.subject][0] in release.sensitive
        width = release.threshold if r.what == "n" else release.sensitive_threshold
        if judged and r.width < width:
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


KEY = ("population_id", "breakdown_id", "breakdown_value", "indicator_id")


def key_of(row: Mapping) -> tuple:
    return (row.get("edition"), *(row[k] for k in KEY))


def reading_of(row: Mapping, decimals: int | None) -> tuple[int, int]:
    """The published cell's respondents n and its counted count, when the rounding of the value
    pins the count to one integer (else -1: not read)."""
    low, high = counted_bounds(row["value"], row["respondents"], decimals)
    return row["respondents"], low if low == high else -1


def revision(earlier: Release, new: Release, unchanged: Iterable[tuple]) -> Release:
    """The new release as the attacker who also holds the earlier one sees it at best: its own
    rows, plus the earlier release's published rows of the cells in `unchanged` ((edition,
    population_id, breakdown_id, breakdown_value, indicator_id) that have not changed: the
    attacker's best case is guessing that right), each row with its release's decimals."""
    keep = set(unchanged)
    rows = [{**row, "decimals": new.decimals} for row in new.rows]
    rows += [
        {**row, "decimals": earlier.decimals}
        for row in earlier.rows
        if row["conf_status"] == "F" and key_of(row) in keep
    ]
    return replace(new, rows=rows)


def differencing_violations(earlier: Release, new: Release) -> list[str]:
    """Every cell both releases publish whose respondents differ by 1 to threshold - 1, or
    (a sensitive item, counts read exactly) whose counted or not-counted count differs by 1 to
    sensitive_threshold - 1: subtracting one release from the other shows so few people."""
    before = {key_of(row): row for row in earlier.rows if row["conf_status"] == "F"}
    found = []
    for row in new.rows:
        old = before.get(key_of(row))
        if row["conf_status"] != "F" or old is None:
            continue
        (n1, c1), (n2, c2) = reading_of(old, earlier.decimals), reading_of(row, new.decimals)
        moved = [(abs(n2 - n1), new.threshold, "respondents")]
        if new.indicators[row["indicator_id"]][0] in new.sensitive and -1 not in (c1, c2):
            small = new.sensitive_threshold
            moved += [(abs(c2 - c1), small, "counted"), (abs(n2 - c2 - n1 + c1), small, "not")]
        for change, width, what in moved:
            if 0 < change < width:
                found.append(f"{'/'.join(map(str, key_of(row)))}: {what} changed by {change}")
    return found
