"""The key figures as inline SVG bar charts, one per theme, each with its figures as a table.

The geometry is computed here in SVG units; the drawing scales with the width of its column."""

from __future__ import annotations

import textwrap
from collections import defaultdict

from pipeline.render.landing.html import UNKNOWN, change, e, en, en_block, key, percent, rows
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


def svg_text(x: float, y: float, text: str, cls: str, anchor: str = "") -> str:
    extra = f' text-anchor="{anchor}"' if anchor else ""
    return f'<text x="{x:g}" y="{y:g}" class="{cls}"{extra}>{e(text)}</text>'


def chart(
    theme: dict,
    indicators: list[dict],
    findings: dict[str, list[dict]],
    populations: dict[str, dict],
    colours: dict[int, str],
) -> str:
    """One theme's SVG: horizontal bars by indicator, population and edition on a 0-100 %
    scale, a missing figure as a marker and a label; its title and desc are its text."""
    tid = theme["theme_id"]
    grid: list[str] = []
    marks: list[str] = []
    said: list[str] = []
    y = 4.0
    for ind in indicators:
        marks.append(f'<g class="indicator" data-indicator="{e(ind["indicator_id"])}">')
        for line in textwrap.wrap(ind["label_nl"], 44):
            y += 19
            marks.append(svg_text(LEFT, y, line, "c-ind"))
        for line in textwrap.wrap(ind["label_en"], 54):
            y += 16.5
            marks.append(svg_text(LEFT, y, line, "c-en"))
        parts = []
        by_population: dict[str, list[dict]] = defaultdict(list)
        for row in findings[ind["indicator_id"]]:
            by_population[row["population_id"]].append(row)
        for pid in sorted(by_population, key=list(populations).index):
            y += 8
            for line in textwrap.wrap(populations[pid]["label_nl"], 47):
                y += 16
                marks.append(svg_text(LEFT, y, line, "c-pop"))
            y += 6
            top = y
            figures = []
            for row in sorted(by_population[pid], key=lambda r: r["edition"]):
                mid = y + ROW / 2
                marks.append(svg_text(LEFT, mid + 4.5, str(row["edition"]), "c-year"))
                if row["value"] is None:
                    marks.append(
                        f'<g class="missing" data-key="{e(key(row))}">'
                        f'<circle cx="{X0 + 10}" cy="{mid:g}" r="7.5" class="c-marker"/>'
                        + svg_text(X0 + 10, mid + 4, "?", "c-q", "middle")
                        + svg_text(X0 + 24, mid + 4.5, UNKNOWN, "c-unknown")
                        + "</g>"
                    )
                    figures.append(f"{row['edition']} {UNKNOWN}")
                else:
                    value = min(max(float(row["value"]), 0.0), 100.0)
                    width = SPAN * value / 100
                    estimated = row["status"] == "E"
                    label = ("≈ " if estimated else "") + percent(row["value"])
                    marks.append(
                        f'<rect class="bar{" estimated" if estimated else ""}" '
                        f'data-key="{e(key(row))}" x="{X0}" y="{y + 4:g}" '
                        f'width="{width:.2f}" height="{ROW - 8}" rx="2" '
                        f'fill="{colours[row["edition"]]}" stroke="{colours[row["edition"]]}"/>'
                    )
                    if X0 + width + 5 + INSIDE > WIDTH:  # no room right of the bar: inside it
                        cls = "c-val" if estimated else "c-val inside"
                        marks.append(svg_text(X0 + width - 5, mid + 4.5, label, cls, "end"))
                    else:
                        marks.append(svg_text(X0 + width + 5, mid + 4.5, label, "c-val"))
                    figures.append(
                        f"{row['edition']} {label}" + (" (geschat)" if estimated else "")
                    )
                y += ROW
            for tick in (0, 25, 50, 75, 100):
                x = X0 + SPAN * tick / 100
                cls = "c-base" if tick == 0 else "c-grid"
                grid.append(f'<line x1="{x:g}" x2="{x:g}" y1="{top:g}" y2="{y:g}" class="{cls}"/>')
            parts.append(f"{populations[pid]['label_nl']}: {', '.join(figures)}")
        said.append(f"{ind['label_nl']} — {'; '.join(parts)}.")
        marks.append("</g>")
        y += 14
    y += 4
    axis = [svg_text(X0 + SPAN * t / 100, y + 8, f"{t}%", "c-axis", "middle") for t in (0, 50, 100)]
    height = y + 16
    title_id, desc_id = e(f"grafiek-{tid}-titel"), e(f"grafiek-{tid}-uitleg")
    count = sum(len(findings[i["indicator_id"]]) for i in indicators)
    title = (
        f"Staafdiagram / Bar chart: {theme['label_nl']} / {theme['label_en']}. "
        f"{count} cijfers in procent (0 tot 100) per indicator, populatie en editie."
    )
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:g}" role="img" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
        f'data-theme="{e(tid)}">'
        f'<title id="{title_id}">{e(title)}</title>'
        f'<desc id="{desc_id}">{e(" ".join(said))}</desc>'
        + "".join(grid)
        + "".join(marks)
        + "".join(axis)
        + "</svg>"
    )
    return svg


def figures_table(theme: dict, indicators: list[dict], findings: dict[str, list[dict]]) -> str:
    head = (
        "<tr><th scope='col'>Indicator</th><th scope='col'>Populatie "
        f"{en('Population')}</th><th scope='col'>Editie {en('Edition')}</th>"
        f"<th scope='col'>Waarde {en('Value')}</th><th scope='col'>Zoals gepubliceerd "
        f"{en('As published')}</th><th scope='col'>Verandering {en('Change')}</th>"
        f"<th scope='col'>Bron {en('Source')}</th></tr>"
    )
    body = []
    for ind in indicators:
        for row in findings[ind["indicator_id"]]:
            if row["value"] is None:
                value = f'<td class="missing-cell">{e(UNKNOWN)} (M)</td>'
            else:
                shown = percent(row["value"])
                if row["status"] != "A":
                    shown = f"≈ {shown} ({row['status']})" if row["status"] == "E" else shown
                value = f'<td class="num">{e(shown)}</td>'
            moved = ""
            if row.get("change_pp") is not None:
                moved = f"{change(row['change_pp'])} t.o.v. {row.get('change_from_edition')}"
            body.append(
                f'<tr data-key="{e(key(row))}"><th scope="row">{e(ind["label_nl"])}</th>'
                f"<td>{e(row['population_label_nl'])}</td><td>{e(row['edition'])}</td>{value}"
                f"<td>{e(row.get('value_label') or '')}</td><td>{e(moved)}</td>"
                f'<td><a href="#bron-{e(row["source_id"])}">{e(row["source_id"])}</a></td></tr>'
            )
    return (
        f"<details class='figures'><summary>De cijfers van “{e(theme['label_nl'])}” in een tabel "
        f"{en('The figures as a table')}</summary><div class='scroll'><table>"
        f"<caption>{e(theme['label_nl'])} {en(theme['label_en'])}</caption>"
        f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table></div></details>"
    )


def charts_section(release: Release) -> str:
    themes = rows(release, "themes")
    indicators = rows(release, "indicators")
    populations = {p["population_id"]: p for p in rows(release, "populations")}
    statuses = {s["status"]: s for s in rows(release, "statuses")}
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
    editions = sorted(
        {r["edition"] for r in rows(release, "editions")}
        | {r["edition"] for r in rows(release, "findings")}
    )
    colours = {
        ed: EDITION_COLOURS[i % len(EDITION_COLOURS)] for i, ed in enumerate(reversed(editions))
    }
    legend = [
        f'<li><span class="swatch" style="background:{colours[ed]}"></span>{ed}</li>'
        for ed in editions
    ]
    est = statuses.get("E", {}).get("label_nl", "Geschatte waarde")
    legend.append(
        f'<li><span class="swatch estimated"></span>≈ {e(est.lower())} {en("estimated")} (E)</li>'
    )
    legend.append(
        '<li><span class="marker" aria-hidden="true">?</span>'
        f"{e(UNKNOWN)} (M): geen staaf en geen nul {en('no bar and not zero')}</li>"
    )
    figures = []
    counted: dict[str, int] = defaultdict(int)
    for r in rows(release, "findings"):
        counted[r["theme_id"]] += r["value"] is not None
    # The themes with the most known figures first; those with only unknown ones last.
    for theme in sorted(themes, key=lambda t: -counted[t["theme_id"]]):
        own = [
            i
            for i in indicators
            if i["theme_id"] == theme["theme_id"] and findings[i["indicator_id"]]
        ]
        if not own:
            continue
        tid = e(theme["theme_id"])
        n = sum(len(findings[i["indicator_id"]]) for i in own)
        missing = sum(1 for i in own for r in findings[i["indicator_id"]] if r["value"] is None)
        note = f"{n} cijfer / figure" if n == 1 else f"{n} cijfers / figures"
        note += f", waarvan {missing} onbekend / not known" if missing else ""
        figures.append(
            f'<figure class="chart-card" id="thema-{tid}" data-theme="{tid}" '
            f'aria-labelledby="thema-{tid}-kop">'
            f'<h3 id="thema-{tid}-kop">{e(theme["label_nl"])} {en(theme["label_en"])}</h3>'
            f'<p class="chart-note">{e(note)}</p>'
            + chart(theme, own, findings, populations, colours)
            + figures_table(theme, own, findings)
            + "</figure>"
        )
    return (
        '<section id="cijfers" aria-labelledby="cijfers-kop">'
        f'<h2 id="cijfers-kop">Kerncijfers {en("Key figures")}</h2>'
        '<p class="lead">Per thema het aandeel medewerkers (0 tot 100%) per uitspraak, '
        "per populatie en per editie, zoals gepubliceerd. Vergelijk alleen binnen dezelfde "
        "populatie: gemeenten, openbaar bestuur en onderwijs zijn verschillende groepen. "
        + en_block(
            "Per theme the share of employees (0 to 100%) per statement, population and edition, "
            "as published. Compare within one population only."
        )
        + "</p>"
        f'<ul class="legend" aria-label="Legenda / Legend">{"".join(legend)}</ul>'
        f'<div class="charts">{"".join(figures)}</div></section>'
    )
