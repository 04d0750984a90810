"""The key figures as bar charts, one per theme, and the national estimates as a dot chart with
interval whiskers, each with its figures as a table. This module computes; the templates
`cijfers.html` and `schattingen.html` draw. `chart` returns the geometry of one theme's inline
SVG in SVG units (it scales with the width of its column) as records of numbers: bars, markers
for missing figures, labels, grid lines and axis ticks; `interval_chart` whiskers and dots."""

from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from typing import ClassVar

from pipeline.render.landing.text import (
    UNKNOWN,
    change,
    estimate_key,
    fixed,
    key,
    number,
    percent,
    rows,
)
from pipeline.render.protocol import Release

# Bar colours by edition, the newest first; each has a contrast of at least 4.5:1 on white.
EDITION_COLOURS = ("#154273", "#0b7a6f", "#b34d00", "#6a4c93", "#5c5c5c")


# The chart's geometry in SVG units (the drawing scales with the width of its column).
WIDTH = 400


LEFT = 4  # the edition's year


X0 = 44  # where 0 % is


SPAN = 300  # the length of 100 %


INSIDE = 52  # a value label longer than the room right of its bar goes inside the bar


ROW = 24


BAR_HEIGHT = ROW - 8


MARKER_RADIUS = 7.5


GRID_TICKS = (0, 25, 50, 75, 100)


AXIS_TICKS = (0, 50, 100)


@dataclass(frozen=True)
class Label:
    """A line of text at (x, y); `anchor` is the SVG text-anchor ("" for the start)."""

    x: float
    y: float
    text: str
    cls: str
    anchor: str = ""
    kind: ClassVar[str] = "label"


@dataclass(frozen=True)
class Bar:
    """A known figure: a bar from x to x + width, and its value label."""

    key: str
    x: float
    y: float
    width: float
    height: float
    colour: str
    estimated: bool
    label: Label
    kind: ClassVar[str] = "bar"


@dataclass(frozen=True)
class Missing:
    """A figure that is not known: a marker at (cx, cy) with a question mark and a label."""

    key: str
    cx: float
    cy: float
    r: float
    mark: Label
    label: Label
    kind: ClassVar[str] = "missing"


@dataclass(frozen=True)
class GridLine:
    """A vertical line at x from y1 to y2; `base` for the 0 % line."""

    x: float
    y1: float
    y2: float
    base: bool


@dataclass
class IndicatorMarks:
    """Everything drawn for one indicator, in drawing order."""

    indicator_id: str
    marks: list[Label | Bar | Missing] = field(default_factory=list)


@dataclass
class Chart:
    """One theme's chart: its size, its text alternative and what it draws."""

    theme_id: str
    width: float
    height: float
    title: str
    desc: str
    grid: list[GridLine]
    indicators: list[IndicatorMarks]
    axis: list[Label]

    @property
    def title_id(self) -> str:
        return f"grafiek-{self.theme_id}-titel"

    @property
    def desc_id(self) -> str:
        return f"grafiek-{self.theme_id}-uitleg"


def bar(row: dict, y: float, colour: str) -> tuple[Bar, str]:
    """The bar of a known figure in the row starting at y, and the figure as the text says it."""
    mid = y + ROW / 2
    value = min(max(float(row["value"]), 0.0), 100.0)
    width = SPAN * value / 100
    estimated = row["status"] == "E"
    text = ("≈ " if estimated else "") + percent(row["value"])
    if X0 + width + 5 + INSIDE > WIDTH:  # no room right of the bar: inside it
        cls = "c-val" if estimated else "c-val inside"
        label = Label(X0 + width - 5, mid + 4.5, text, cls, "end")
    else:
        label = Label(X0 + width + 5, mid + 4.5, text, "c-val")
    drawn = Bar(key(row), X0, y + 4, width, BAR_HEIGHT, colour, estimated, label)
    return drawn, f"{row['edition']} {text}" + (" (geschat)" if estimated else "")


def missing(row: dict, y: float) -> Missing:
    mid = y + ROW / 2
    return Missing(
        key(row),
        X0 + 10,
        mid,
        MARKER_RADIUS,
        Label(X0 + 10, mid + 4, "?", "c-q", "middle"),
        Label(X0 + 24, mid + 4.5, UNKNOWN, "c-unknown"),
    )


def chart(
    theme: dict,
    indicators: list[dict],
    findings: dict[str, list[dict]],
    populations: dict[str, dict],
    colours: dict[int, str],
) -> Chart:
    """One theme's chart: horizontal bars by indicator, population and edition on a 0-100 %
    scale, a missing figure as a marker and a label; its title and desc are its text."""
    grid: list[GridLine] = []
    groups: list[IndicatorMarks] = []
    said: list[str] = []
    y = 4.0
    for ind in indicators:
        group = IndicatorMarks(ind["indicator_id"])
        groups.append(group)
        for line in textwrap.wrap(ind["label_nl"], 44):
            y += 19
            group.marks.append(Label(LEFT, y, line, "c-ind"))
        for line in textwrap.wrap(ind["label_en"], 54):
            y += 16.5
            group.marks.append(Label(LEFT, y, line, "c-en"))
        parts = []
        by_population: dict[str, list[dict]] = defaultdict(list)
        for row in findings[ind["indicator_id"]]:
            by_population[row["population_id"]].append(row)
        for pid in sorted(by_population, key=list(populations).index):
            y += 8
            for line in textwrap.wrap(populations[pid]["label_nl"], 47):
                y += 16
                group.marks.append(Label(LEFT, y, line, "c-pop"))
            y += 6
            top = y
            figures = []
            for row in sorted(by_population[pid], key=lambda r: r["edition"]):
                group.marks.append(Label(LEFT, y + ROW / 2 + 4.5, str(row["edition"]), "c-year"))
                if row["value"] is None:
                    group.marks.append(missing(row, y))
                    figures.append(f"{row['edition']} {UNKNOWN}")
                else:
                    drawn, said_as = bar(row, y, colours[row["edition"]])
                    group.marks.append(drawn)
                    figures.append(said_as)
                y += ROW
            grid += [GridLine(X0 + SPAN * t / 100, top, y, t == 0) for t in GRID_TICKS]
            parts.append(f"{populations[pid]['label_nl']}: {', '.join(figures)}")
        said.append(f"{ind['label_nl']} — {'; '.join(parts)}.")
        y += 14
    y += 4
    axis = [Label(X0 + SPAN * t / 100, y + 8, f"{t}%", "c-axis", "middle") for t in AXIS_TICKS]
    count = sum(len(findings[i["indicator_id"]]) for i in indicators)
    title = (
        f"Staafdiagram / Bar chart: {theme['label_nl']} / {theme['label_en']}. "
        f"{count} cijfers in procent (0 tot 100) per indicator, populatie en editie."
    )
    return Chart(theme["theme_id"], WIDTH, y + 16, title, " ".join(said), grid, groups, axis)


def table_rows(indicators: list[dict], findings: dict[str, list[dict]]) -> list[dict]:
    """The figures of a chart as the rows of its table; `value` None for a figure not known."""
    out = []
    for ind in indicators:
        for row in findings[ind["indicator_id"]]:
            value = None
            if row["value"] is not None:
                value = percent(row["value"])
                if row["status"] == "E":
                    value = f"≈ {value} ({row['status']})"
            moved = ""
            if row.get("change_pp") is not None:
                moved = f"{change(row['change_pp'])} t.o.v. {row.get('change_from_edition')}"
            out.append(
                {
                    "key": key(row),
                    "indicator": ind["label_nl"],
                    "population": row["population_label_nl"],
                    "edition": row["edition"],
                    "value": value,
                    "value_label": row.get("value_label") or "",
                    "moved": moved,
                    "source_id": row["source_id"],
                }
            )
    return out


def grouped_findings(release: Release, populations: dict[str, dict]) -> dict[str, list[dict]]:
    """The findings by indicator, each by population (in code-list order) and edition."""
    findings: dict[str, list[dict]] = defaultdict(list)
    for row in sorted(
        rows(release, "findings"),
        key=lambda r: (
            r["indicator_id"],
            list(populations).index(r["population_id"]),
            r["edition"],
        ),
    ):
        findings[row["indicator_id"]].append(row)
    return findings


def charts_view(release: Release) -> dict:
    """What cijfers.html shows: the legend and one card per theme with figures (chart, table)."""
    themes = rows(release, "themes")
    indicators = rows(release, "indicators")
    populations = {p["population_id"]: p for p in rows(release, "populations")}
    statuses = {s["status"]: s for s in rows(release, "statuses")}
    findings = grouped_findings(release, populations)
    editions = sorted(
        {r["edition"] for r in rows(release, "editions")}
        | {r["edition"] for r in rows(release, "findings")}
    )
    colours = {
        ed: EDITION_COLOURS[i % len(EDITION_COLOURS)] for i, ed in enumerate(reversed(editions))
    }
    counted: dict[str, int] = defaultdict(int)
    for r in rows(release, "findings"):
        counted[r["theme_id"]] += r["value"] is not None
    cards = []
    # The themes with the most known figures first; those with only unknown ones last.
    for theme in sorted(themes, key=lambda t: -counted[t["theme_id"]]):
        own = [
            i
            for i in indicators
            if i["theme_id"] == theme["theme_id"] and findings[i["indicator_id"]]
        ]
        if not own:
            continue
        n = sum(len(findings[i["indicator_id"]]) for i in own)
        unknown = sum(1 for i in own for r in findings[i["indicator_id"]] if r["value"] is None)
        note = f"{n} cijfer / figure" if n == 1 else f"{n} cijfers / figures"
        note += f", waarvan {unknown} onbekend / not known" if unknown else ""
        cards.append(
            {
                "theme": theme,
                "note": note,
                "chart": chart(theme, own, findings, populations, colours),
                "rows": table_rows(own, findings),
            }
        )
    estimated = statuses.get("E", {}).get("label_nl", "Geschatte waarde")
    return {
        "legend": [{"edition": ed, "colour": colours[ed]} for ed in editions],
        "estimated": estimated.lower(),
        "cards": cards,
    }


# --- the estimates: a dot at each share and a whisker over its 95% interval ------------------

DOT_RADIUS = 4.5


CAP = 5  # half the height of a whisker's end


@dataclass(frozen=True)
class Interval:
    """An estimate: a whisker from x1 to x2 (its interval) at y with ends `cap` up and down, a
    dot of radius r at cx (the share) and its value label; not `reliable` for status U."""

    key: str
    x1: float
    x2: float
    y: float
    cap: float
    cx: float
    r: float
    reliable: bool
    label: Label
    kind: ClassVar[str] = "interval"


def at(share: float) -> float:
    """Where a share in percent is on the scale."""
    return X0 + SPAN * min(max(float(share), 0.0), 100.0) / 100


def interval(
    row: dict, y: float, suppressed: str, decimals: int = 1
) -> tuple[Interval | Label, str]:
    """The whisker of an estimate in the row starting at y (a label saying `suppressed` when
    it has no value), and the estimate as the text alternative says it, at `decimals`."""
    mid = y + ROW / 2
    if row["value"] is None:
        return Label(X0, mid + 4.5, suppressed, "c-unknown"), suppressed
    x1, x2 = at(row["ci_low"]), at(row["ci_high"])
    text = f"{fixed(row['value'], decimals)}%"
    if x2 + 6 + INSIDE > WIDTH:  # no room right of the interval: left of it
        label = Label(x1 - 6, mid + 4.5, text, "c-val", "end")
    else:
        label = Label(x2 + 6, mid + 4.5, text, "c-val")
    reliable = row["status"] != "U"
    drawn = Interval(
        estimate_key(row), x1, x2, mid, CAP, at(row["value"]), DOT_RADIUS, reliable, label
    )
    low, high = fixed(row["ci_low"], decimals), fixed(row["ci_high"], decimals)
    n = number(row["respondents"])
    said = f"{text} (95%: {low} tot {high}%, {n} respondenten"
    said += ")" if reliable else ", onbetrouwbaar)"
    return drawn, said


def interval_chart(
    edition: int,
    indicators: list[dict],
    estimates: dict[str, list[dict]],
    suppressed: str,
    decimals: int = 1,
) -> Chart:
    """The national estimates of one edition: per indicator its label, then per root
    population (named when there are several) a whisker over the 95% interval and a dot, the
    figures at `decimals`."""
    grid: list[GridLine] = []
    groups: list[IndicatorMarks] = []
    said: list[str] = []
    y = 4.0
    for ind in indicators:
        group = IndicatorMarks(ind["indicator_id"])
        groups.append(group)
        for line in textwrap.wrap(ind["label_nl"], 44):
            y += 19
            group.marks.append(Label(LEFT, y, line, "c-ind"))
        for line in textwrap.wrap(ind["label_en"], 54):
            y += 16.5
            group.marks.append(Label(LEFT, y, line, "c-en"))
        own = estimates[ind["indicator_id"]]
        parts = []
        for row in own:
            if len(own) > 1:
                y += 16
                group.marks.append(Label(LEFT, y, row["population_label_nl"], "c-pop"))
            y += 4
            grid += [GridLine(at(t), y, y + ROW, t == 0) for t in GRID_TICKS]
            drawn, said_as = interval(row, y, suppressed, decimals)
            group.marks.append(drawn)
            parts.append(f"{row['population_label_nl']}: {said_as}")
            y += ROW
        said.append(f"{ind['label_nl']} — {'; '.join(parts)}.")
        y += 10
    y += 4
    axis = [Label(at(t), y + 8, f"{t}%", "c-axis", "middle") for t in AXIS_TICKS]
    count = sum(len(estimates[i["indicator_id"]]) for i in indicators)
    title = (
        f"Puntdiagram / Dot chart: landelijke schattingen / national estimates {edition}. "
        f"{count} gewogen aandelen in procent (0 tot 100) met hun 95%-interval."
    )
    return Chart("schattingen", WIDTH, y + 16, title, " ".join(said), grid, groups, axis)
