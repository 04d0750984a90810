"""index.html: the landing page of a release, and of the dataset (the latest release's page).

One self-contained file: inline CSS, the key figures as inline SVG bar charts drawn here (no
JavaScript, no fonts or anything else fetched), each with a text alternative and its figures
as a table; the editions, the data dictionary from the schemas, every download with its size
and sha256, the changelog, how to cite, the licence and a DuckDB one-liner. Dutch first, English
beside it. Everything shown is escaped, and the page depends only on the release (its version
and `created`), so the same release gives the same bytes.

The dataset's index.html is the latest release's page with every relative link prefixed by the
version folder (a `<base href>` would send the in-page links away from the page) and a line
saying it is the latest version, with the list of versions from the catalog.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from collections import defaultdict
from html import escape
from pathlib import Path

from pipeline.render.protocol import Release

FORMAT = 1
LABEL = "index.html (landing page with charts)"
PAGE = "index.html"
ROOT_MARK = "<!-- werkdata:root -->"

# Bar colours by edition, the newest first; each has a contrast of at least 4.5:1 on white.
EDITION_COLOURS = ("#154273", "#0b7a6f", "#b34d00", "#6a4c93", "#5c5c5c")
UNKNOWN = "onbekend / not known"

# The chart's geometry in SVG units (the drawing scales with the width of its column).
WIDTH = 400
LEFT = 4  # the edition's year
X0 = 44  # where 0 % is
SPAN = 300  # the length of 100 %
INSIDE = 52  # a value label longer than the room right of its bar goes inside the bar
ROW = 24

OTHER_FILES = {
    "datapackage.json": (
        "Beschrijving van het pakket: tabellen, kolommen, bronnen (Frictionless Data Package)",
        "Package descriptor: tables, columns, sources (Frictionless Data Package)",
    ),
    "views.sql": (
        "DuckDB-views op de Parquet-bestanden, met omschrijvingen",
        "DuckDB views over the Parquet files, with descriptions",
    ),
    "README.md": ("Leesmij bij deze versie", "Read me of this version"),
    "CHANGELOG.md": ("Wijzigingen in deze versie", "Changes in this version"),
    "changes.json": ("Wijzigingen, machineleesbaar", "Changes, machine-readable"),
    "validation.json": ("Verslag van de controles op de invoer", "Report of the input checks"),
}
KINDS = {
    "knelpunt": ("Knelpunten", "Bottlenecks"),
    "actiepunt": ("Actiepunten", "Action points"),
}


def e(value: object) -> str:
    """Text or attribute value, escaped (quotes too)."""
    return escape("" if value is None else str(value), quote=True)


def en(text: str, tag: str = "span", block: bool = False) -> str:
    """English beside the Dutch: marked as English for screen readers, set in a quieter tone
    (on a line of its own when `block`)."""
    cls = "en block" if block else "en"
    return f'<{tag} lang="en" class="{cls}">{e(text)}</{tag}>'


def en_block(text: str) -> str:
    return en(text, block=True)


def both(text: str, block: bool = True) -> str:
    """A schema text 'Nederlands / English' as Dutch plus marked English (else as it is)."""
    if text.count(" / ") == 1:
        nl, english = text.split(" / ")
        return f"{e(nl)} {en(english, block=block)}"
    return e(text)


def number(value: float, decimals: int = 1) -> str:
    """A number the Dutch way: 37.903 and 14,3."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,"))


def percent(value: float) -> str:
    return f"{number(value)}%"


def size(n: int) -> str:
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{number(round(n / 1000, 1))} kB"
    return f"{number(round(n / 1_000_000, 1))} MB"


def change(pp: float) -> str:
    sign = "+" if pp > 0 else ("\u2212" if pp < 0 else "±")
    return f"{sign}{number(abs(pp))} pp"


def key(row: dict) -> str:
    return f"{row['edition']}/{row['population_id']}/{row['indicator_id']}"


def rows(release: Release, table: str) -> list[dict]:
    t = release.tables.get(table)
    return t.to_pylist() if t is not None else []


def file_info(release: Release, files: dict[str, dict], rel: str) -> dict | None:
    """Size and sha256 of a file of the release: from `files`, else from the folder itself
    (datapackage.json and the other metadata are written before the generators run)."""
    if rel in files:
        return files[rel]
    path = release.folder / rel
    if not path.is_file():
        return None
    data = path.read_bytes()
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


# --- charts -----------------------------------------------------------------------------------


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


# --- the other sections -----------------------------------------------------------------------


def glance(release: Release) -> str:
    findings = rows(release, "findings")
    editions = sorted({r["edition"] for r in rows(release, "editions")})
    themes = {r["theme_id"] for r in findings}
    indicators = {r["indicator_id"] for r in findings}
    missing = sum(1 for r in findings if r["value"] is None)
    tiles = [
        (str(len(editions)), "edities", "editions", " · ".join(map(str, editions))),
        (str(len(findings)), "cijfers", "figures", f"{len(indicators)} uitspraken / statements"),
        (str(len(themes)), "thema's", "themes", "elk met een grafiek / each with a chart"),
        (str(missing), "onbekend", "not known", "status M: geen getal / no number"),
    ]
    return (
        '<ul class="tiles">'
        + "".join(
            f'<li><span class="big">{e(n)}</span> <span class="what">{e(nl)} {en(english)}</span>'
            f'<span class="sub">{e(sub)}</span></li>'
            for n, nl, english, sub in tiles
        )
        + "</ul>"
    )


def conclusions_section(release: Release) -> str:
    items = rows(release, "conclusions")
    if not items:
        return ""
    charted = {f["theme_id"] for f in rows(release, "findings")}  # a theme with a chart
    out = [
        '<section id="conclusies" aria-labelledby="conclusies-kop">',
        f'<h2 id="conclusies-kop">Conclusies {en("Conclusions")}</h2>',
    ]
    for edition in sorted({c["edition"] for c in items}, reverse=True):
        out.append('<div class="columns">')
        for kind in sorted({c["kind"] for c in items if c["edition"] == edition}, reverse=True):
            nl, english = KINDS.get(kind, (kind, kind))
            out.append(f"<div><h3>{e(nl)} {edition} {en(english)}</h3><ol>")
            for c in sorted(
                (c for c in items if c["edition"] == edition and c["kind"] == kind),
                key=lambda c: c["position"],
            ):
                link = ""
                if c.get("theme_id") in charted:
                    link = (
                        f' <a class="to-chart" href="#thema-{e(c["theme_id"])}">'
                        "→ grafiek / chart</a>"
                    )
                out.append(f"<li>{e(c['text_nl'])}{link} {en_block(c['text_en'])}</li>")
            out.append("</ol></div>")
        out.append("</div>")
    out.append("</section>")
    return "".join(out)


def known(value: object, fmt=str) -> str:
    return e(fmt(value)) if value not in (None, "") else f'<span class="unknown">{UNKNOWN}</span>'


def editions_section(release: Release) -> str:
    findings = rows(release, "findings")
    cards = []
    for ed in sorted(rows(release, "editions"), key=lambda r: r["edition"]):
        own = [f for f in findings if f["edition"] == ed["edition"]]
        missing = sum(1 for f in own if f["value"] is None)
        fieldwork = ed.get("fieldwork_nl")
        date = ed.get("publication_date")
        facts = [
            ("Uitgevoerd door", "Carried out by", e(ed.get("carried_out_by"))),
            ("Veldwerk", "Fieldwork", known(fieldwork)),
            ("Respondenten", "Respondents", known(ed.get("respondents"), number)),
            ("Respons", "Response rate", known(ed.get("response_rate"), percent)),
            ("Uitgenodigd", "Invited", known(ed.get("invited_label"))),
            ("Gepubliceerd", "Published", known(date.isoformat() if date else None)),
            (
                "In dit pakket",
                "In this package",
                e(
                    (f"{len(own)} cijfers / figures" if len(own) != 1 else "1 cijfer / figure")
                    + (f", {missing} onbekend / not known" if missing else "")
                ),
            ),
        ]
        notes = ""
        if ed.get("notes_nl") or ed.get("notes_en"):
            notes = (
                f"<details><summary>Opmerkingen {en('Notes')}</summary>"
                f"<p>{e(ed.get('notes_nl') or '')}</p>{en(ed.get('notes_en') or '', 'p')}"
                "</details>"
            )
        cards.append(
            f'<article class="edition" id="editie-{e(ed["edition"])}">'
            f'<h3><span class="year">{e(ed["edition"])}</span> {e(ed["title_nl"])}</h3>'
            f'<p class="en-title">{en(ed["title_en"])}</p><dl>'
            + "".join(f"<dt>{e(nl)} {en(english)}</dt><dd>{v}</dd>" for nl, english, v in facts)
            + f"</dl>{notes}</article>"
        )
    return (
        '<section id="edities" aria-labelledby="edities-kop">'
        f'<h2 id="edities-kop">Edities {en("Editions")}</h2>'
        f'<div class="editions">{"".join(cards)}</div></section>'
    )


def downloads_section(release: Release, files: dict[str, dict]) -> str:
    entries: list[tuple[str, str]] = []  # (path, what it is, as HTML)
    for res in release.descriptor.get("resources", []):
        title = res.get("schema", {}).get("title") or res.get("title", "")
        kind = "CSV (spreadsheet)" if res["format"] == "csv" else "Parquet (DuckDB, pandas, R)"
        entries.append((res["path"], f"{e(title)} · {e(kind)}"))
    for rel, (nl, english) in OTHER_FILES.items():
        entries.append((rel, f"{e(nl)} {en(english, block=True)}"))
    listed = {rel for rel, _ in entries}
    entries += [(rel, f"Ander bestand {en('Other file')}") for rel in sorted(files.keys() - listed)]
    body = []
    for rel, what in entries:
        info = file_info(release, files, rel)
        if info is None:
            continue
        body.append(
            f'<tr class="download" data-path="{e(rel)}" data-bytes="{info["bytes"]}" '
            f'data-sha256="{e(info["sha256"])}">'
            f'<th scope="row"><a href="{e(rel)}" download>{e(rel)}</a>'
            f'<span class="what">{what}</span></th>'
            f'<td class="num">{e(size(info["bytes"]))}<br>'
            f'<span class="bytes">{info["bytes"]} bytes</span></td>'
            f'<td><code class="sha">{e(info["sha256"])}</code></td></tr>'
        )
    return (
        '<section id="downloads" aria-labelledby="downloads-kop">'
        f'<h2 id="downloads-kop">Downloads {en("Downloads")}</h2>'
        "<p>Elke tabel staat er twee keer in: als CSV (UTF-8, voor spreadsheets) en als Parquet "
        "(voor DuckDB en andere analyse-software). Controleer een download met de sha256; "
        '<a href="SHA256SUMS">SHA256SUMS</a> bevat die van alle bestanden '
        "(<code>sha256sum -c SHA256SUMS</code>). "
        + en_block(
            "Every table is here twice: CSV (UTF-8, for spreadsheets) and Parquet (for DuckDB "
            "and other analysis tools). Check a download against its sha256; SHA256SUMS lists "
            "that of every file."
        )
        + "</p>"
        '<div class="scroll"><table class="downloads"><thead><tr>'
        f'<th scope="col">Bestand {en("File")}</th>'
        f'<th scope="col">Grootte {en("Size")}</th><th scope="col">SHA-256</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div></section>"
    )


def example_indicator(release: Release) -> str:
    """The indicator with the most known figures (for the DuckDB example)."""
    counts: dict[str, int] = defaultdict(int)
    for r in rows(release, "findings"):
        if r["value"] is not None:
            counts[r["indicator_id"]] += 1
    if not counts:
        return "tevreden_organisatie"
    return min(counts, key=lambda i: (-counts[i], i))


# Shell commands shown on the page ({ind}: an indicator code); never run here.
ONE_LINER = (
    'duckdb -c "SELECT edition, population_id, value, status '
    "FROM 'data/findings.parquet' WHERE indicator_id = '{ind}' ORDER BY population_id, edition\""
)
PYTHON = (
    "import duckdb\n"
    "duckdb.sql(\"FROM 'data/findings.parquet' WHERE indicator_id = '{ind}'\").show()"
)
VIEWS = "duckdb -init views.sql"
VIEWS_EXAMPLE = "SELECT * FROM findings;"


def duckdb_section(release: Release) -> str:
    ind = example_indicator(release).replace("'", "''")
    return (
        '<section id="duckdb" aria-labelledby="duckdb-kop">'
        f'<h2 id="duckdb-kop">Direct aan de slag met DuckDB {en("Query it with DuckDB")}</h2>'
        f"<p>In de map van versie {e(release.version)}, in een terminal: "
        + en_block(f"In the folder of version {release.version}, in a terminal:")
        + "</p>"
        f'<pre class="copy" tabindex="0"><code>{e(ONE_LINER.replace("{ind}", ind))}</code></pre>'
        "<p>Alle tabellen als views, met hun omschrijvingen (daarna bijvoorbeeld "
        f"<code>{e(VIEWS_EXAMPLE)}</code>): "
        + en_block("Every table as a view, with its descriptions:")
        + "</p>"
        f'<pre class="copy" tabindex="0"><code>{e(VIEWS)}</code></pre>'
        f"<p>Of in Python {en('Or in Python')}:</p>"
        f'<pre class="copy" tabindex="0"><code>{e(PYTHON.replace("{ind}", ind))}</code></pre>'
        "</section>"
    )


def field_row(field: dict) -> str:
    extra = []
    if "unit" in field:
        extra.append(f"eenheid / unit: {field['unit']}")
    constraints = field.get("constraints", {})
    if "enum" in constraints:
        extra.append("waarden / values: " + ", ".join(map(str, constraints["enum"])))
    if constraints.get("required"):
        extra.append("verplicht / required")
    more = f'<span class="small block">{e("; ".join(extra))}</span>' if extra else ""
    return (
        f'<tr><th scope="row"><code>{e(field["name"])}</code>'
        f'<span class="title">{both(field.get("title", ""))}</span></th>'
        f"<td>{e(field['type'])}</td><td>{both(field.get('description', ''))}{more}</td></tr>"
    )


def dictionary_section(release: Release) -> str:
    parts = []
    for res in release.descriptor.get("resources", []):
        if res["format"] != "csv":
            continue
        schema = res.get("schema", {})
        name = res["name"]
        pk = ", ".join(schema.get("primaryKey", []))
        opened = " open" if name == "findings" else ""
        fields = schema.get("fields", [])
        parts.append(
            f'<details class="table-doc" id="tabel-{e(name)}"{opened}>'
            f"<summary><code>{e(name)}</code> — {both(schema.get('title', ''), block=False)} "
            f'<span class="small">({len(fields)} kolommen / columns)</span></summary>'
            f"<p>{both(schema.get('description', ''))}</p>"
            + (f"<p>Sleutel {en('Key')}: <code>{e(pk)}</code></p>" if pk else "")
            + '<div class="scroll"><table class="dictionary"><thead><tr>'
            f'<th scope="col">Kolom {en("Column")}</th><th scope="col">Type</th>'
            f'<th scope="col">Omschrijving {en("Description")}</th></tr></thead><tbody>'
            + "".join(field_row(f) for f in fields)
            + "</tbody></table></div></details>"
        )
    return (
        '<section id="woordenboek" aria-labelledby="woordenboek-kop">'
        f'<h2 id="woordenboek-kop">Gegevenswoordenboek {en("Data dictionary")}</h2>'
        "<p>Elke tabel en elke kolom, uit de schema's van dit pakket. "
        + en_block("Every table and column, from the package's schemas.")
        + "</p>"
        + "".join(parts)
        + "</section>"
    )


def sources_section(release: Release) -> str:
    items = []
    for s in rows(release, "sources"):
        date = s.get("published_date")
        when = f", {date.isoformat()}" if date else ""
        items.append(
            f'<li id="bron-{e(s["source_id"])}"><a href="{e(s["url"])}" rel="external">'
            f"{e(s['title'])}</a> — {e(s['publisher'])}{e(when)} "
            f'<code class="small">{e(s["source_id"])}</code></li>'
        )
    if not items:
        return ""
    return (
        '<section id="bronnen" aria-labelledby="bronnen-kop">'
        f'<h2 id="bronnen-kop">Bronnen {en("Sources")}</h2>'
        "<p>Elk cijfer noemt zijn bron (kolom <code>source_id</code>). "
        + en_block("Every figure names its source.")
        + f'</p><ul class="sources">{"".join(items)}</ul></section>'
    )


def inline_markdown(text: str) -> str:
    text = e(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)


def markdown(text: str) -> str:
    """The changelog's simple markdown (headings, lists, paragraphs) as HTML, all escaped."""
    out: list[str] = []
    in_list = False
    for line in text.splitlines():
        if line.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{inline_markdown(line[2:])}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if not line.strip():
            continue
        heading = re.match(r"(#{1,4}) (.*)", line)
        if heading:
            level = min(len(heading.group(1)) + 2, 6)
            out.append(f"<h{level}>{inline_markdown(heading.group(2))}</h{level}>")
        else:
            out.append(f"<p>{inline_markdown(line)}</p>")
    if in_list:
        out.append("</ul>")
    return "".join(out)


def versions_section(release: Release) -> str:
    earlier = []
    for entry in reversed(release.history):
        v = entry.get("version", "")
        page = release.folder.parent / v / PAGE
        target = f"../{v}/{PAGE}" if page.is_file() else f"../{v}/README.md"
        earlier.append(
            f'<li><a href="{e(target)}">{e(v)}</a> — {e((entry.get("created") or "")[:10])}: '
            f"{e(entry.get('reason') or '')}</li>"
        )
    history = (
        f"<h3>Eerdere versies {en('Earlier versions')}</h3><ul>{''.join(earlier)}</ul>"
        if earlier
        else ""
    )
    return (
        '<section id="wijzigingen" aria-labelledby="wijzigingen-kop">'
        f'<h2 id="wijzigingen-kop">Wijzigingen {en("Changelog")}</h2>'
        f'<div class="changelog">{markdown(release.changelog)}</div>{history}'
        f'<p><a href="../{PAGE}">De nieuwste versie</a> {en("The latest version")}</p>'
        "</section>"
    )


def cite_section(release: Release) -> str:
    citation = release.meta.get("citation", "{version}").format(version=release.version)
    licence = (release.meta.get("licenses") or [{}])[0]
    url = licence.get("path", "https://creativecommons.org/publicdomain/zero/1.0/")
    return (
        '<section id="citeren" aria-labelledby="citeren-kop">'
        f'<h2 id="citeren-kop">Citeren en licentie {en("How to cite and licence")}</h2>'
        f'<pre class="copy cite" tabindex="0"><code>{e(citation)}</code></pre>'
        f"<p><strong>Licentie {en('Licence')}: CC0 1.0</strong> — "
        f'<a href="{e(url)}" rel="license external">'
        f"{e(licence.get('title', 'Creative Commons Zero v1.0 Universal'))}</a>. "
        "Vrij te gebruiken, ook zonder bronvermelding; noem de bron wel graag. "
        + en_block("Free to use, even without attribution; please do cite the source.")
        + "</p></section>"
    )


# --- the page ---------------------------------------------------------------------------------

CSS = """
:root{--ink:#1b1b1b;--muted:#4d4d4d;--navy:#154273;--line:#d0d5dc;--soft:#f2f5f8;
--link:#0b4f9c}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,
sans-serif;color:var(--ink);background:#fff;line-height:1.5;font-size:1rem}
a{color:var(--link);text-underline-offset:2px}
a:focus-visible,summary:focus-visible,pre:focus-visible{outline:3px solid #f5a623;
outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;
padding:.5rem;z-index:2}
.wrap{max-width:1100px;margin:0 auto;padding:0 1rem}
header.top{background:var(--navy);color:#fff;padding:1.5rem 0 1.25rem}
header.top a{color:#fff}
header.top .banner a{color:var(--link)}
.eyebrow{margin:0;font-size:.85rem;letter-spacing:.04em;text-transform:uppercase;opacity:.9}
h1{margin:.25rem 0 .25rem;font-size:clamp(1.5rem,4vw,2.3rem);line-height:1.2}
h1 .en{display:block;font-size:.6em;font-weight:400;opacity:.9;color:#fff}
.meta{margin:.5rem 0 0;font-size:.95rem}
.banner{margin:.75rem 0 0;padding:.5rem .75rem;background:#fff;color:var(--ink);
border-radius:4px;font-size:.95rem}
.banner a{color:var(--link)}
nav.toc{border-bottom:1px solid var(--line);background:var(--soft)}
nav.toc ul{list-style:none;margin:0 auto;padding:.5rem 1rem;display:flex;flex-wrap:wrap;
gap:.25rem 1.1rem;max-width:1100px}
nav.toc a{font-size:.95rem}
main section{padding:1.5rem 0 .5rem;border-bottom:1px solid var(--line)}
h2{font-size:1.5rem;margin:0 0 .75rem;color:var(--navy)}
h2 .en,h3 .en{font-weight:400;font-size:.75em}
h3{font-size:1.1rem;margin:1rem 0 .25rem}
.en{color:var(--muted)}
.block{display:block}
.columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));
gap:0 2rem}
.lead{max-width:70ch}
.tiles{list-style:none;padding:0;margin:1rem 0;display:grid;
grid-template-columns:repeat(auto-fit,minmax(min(100%,200px),1fr));gap:.75rem}
.tiles li{background:var(--soft);border-left:4px solid var(--navy);padding:.6rem .8rem}
.tiles .big{font-size:2rem;font-weight:700;color:var(--navy);line-height:1.1}
.tiles .what{font-weight:600}
.tiles .sub{display:block;font-size:.85rem;color:var(--muted)}
.to-chart{font-size:.85rem;white-space:nowrap}
.quick a{display:inline-block;margin:.25rem .5rem .25rem 0;padding:.35rem .7rem;
border:1px solid var(--navy);border-radius:4px;text-decoration:none;font-weight:600}
.legend{list-style:none;padding:.5rem .75rem;margin:.75rem 0;display:flex;flex-wrap:wrap;
gap:.4rem 1.25rem;background:var(--soft);border-radius:4px;font-size:.95rem}
.swatch{display:inline-block;width:1.6rem;height:.9rem;margin-right:.4rem;
vertical-align:-.1rem;border-radius:2px}
.swatch.estimated{background:rgba(21,66,115,.4);outline:1.5px solid var(--navy);
outline-offset:-1.5px}
.marker{display:inline-grid;place-items:center;width:1.1rem;height:1.1rem;margin-right:.4rem;
border:1.5px dashed #555;border-radius:50%;font-size:.75rem;font-weight:700;color:#333}
.charts{columns:440px 2;column-gap:1.25rem}
.chart-card{break-inside:avoid;margin:0 0 1.25rem;padding:.75rem 1rem 1rem;
border:1px solid var(--line);border-radius:6px}
.chart-card h3{margin:0;color:var(--navy);font-size:1.2rem}
.chart-card h3 .en{display:block;font-size:.8em}
.chart-note{margin:.1rem 0 .4rem;font-size:.85rem;color:var(--muted)}
svg.chart{display:block;width:100%;max-width:470px;height:auto;overflow:visible}
svg.chart text{font-family:inherit;fill:var(--ink)}
svg.chart .c-ind{font-size:15px;font-weight:600}
svg.chart .c-en{font-size:13px;fill:#555;font-style:italic}
svg.chart .c-pop{font-size:13px;fill:#154273;font-weight:600}
svg.chart .c-year{font-size:13px;fill:#333}
svg.chart .c-val{font-size:14px;font-weight:700}
svg.chart .c-val.inside{fill:#fff}
svg.chart .c-unknown{font-size:13px;font-style:italic;fill:#555}
svg.chart .c-q{font-size:11px;font-weight:700;fill:#333}
svg.chart .c-marker{fill:#fff;stroke:#555;stroke-width:1.5;stroke-dasharray:3 2}
svg.chart .c-grid{stroke:#e2e5e9;stroke-width:1}
svg.chart .c-base{stroke:#8a8f96;stroke-width:1}
svg.chart .c-axis{font-size:12px;fill:#555}
svg.chart rect.bar{stroke-width:0}
svg.chart rect.estimated{fill-opacity:.35;stroke-width:1.5}
details{margin:.5rem 0}
summary{cursor:pointer;color:var(--link)}
.figures summary{font-size:.9rem}
.figures table{min-width:600px}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
thead th{background:var(--soft);border-bottom:2px solid var(--navy)}
td.num{white-space:nowrap}
.missing-cell{font-style:italic;color:#555}
.unknown{font-style:italic;color:#555}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
code.sha{font-size:.78rem;word-break:break-all;display:inline-block;max-width:32ch}
.downloads th .what{display:block;font-weight:400;font-size:.85rem}
.downloads th a{font-weight:700;word-break:break-word}
.bytes,.small{font-size:.8rem;color:var(--muted)}
pre.copy{background:#0f2c4d;color:#fff;padding:.75rem 1rem;border-radius:4px;
overflow-x:auto;white-space:pre-wrap;word-break:break-word}
pre.copy code{user-select:all}
pre.cite{background:var(--soft);color:var(--ink);border-left:4px solid var(--navy)}
.editions{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,320px),1fr));
gap:1rem}
.edition{border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem}
.edition h3{margin:0}.edition .year{color:var(--navy);font-size:1.3rem;margin-right:.25rem}
.en-title{margin:0 0 .5rem}
.edition dl{display:grid;grid-template-columns:minmax(7rem,auto) 1fr;gap:.2rem .75rem;
margin:0;font-size:.92rem}
.edition dt{font-weight:600}.edition dt .en{display:block;font-weight:400;font-size:.85em}
.edition dd{margin:0}
.table-doc{border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem}
.table-doc summary{font-weight:600}
.dictionary th[scope=row]{width:30%}
.dictionary th[scope=row] code{word-break:break-word}
.dictionary .title{display:block;font-weight:400;font-size:.85rem}
.sources li{margin:.3rem 0}
.changelog{background:var(--soft);padding:.5rem 1rem;border-radius:4px}
.changelog h3{margin-top:.5rem}
footer{padding:1.5rem 0 2rem;font-size:.9rem;color:var(--muted)}
@media (max-width:600px){body{font-size:.98rem}main section{padding-top:1.1rem}
.chart-card{padding:.6rem .6rem .8rem}}
@media print{nav.toc,.skip{display:none}.charts{columns:auto}}
"""

SECTIONS = (
    ("over", "Over", "About"),
    ("cijfers", "Kerncijfers", "Key figures"),
    ("conclusies", "Conclusies", "Conclusions"),
    ("edities", "Edities", "Editions"),
    ("downloads", "Downloads", "Downloads"),
    ("duckdb", "DuckDB", "DuckDB"),
    ("woordenboek", "Woordenboek", "Dictionary"),
    ("bronnen", "Bronnen", "Sources"),
    ("wijzigingen", "Wijzigingen", "Changes"),
    ("citeren", "Citeren", "Cite"),
)


def page(release: Release, files: dict[str, dict]) -> str:
    meta = release.meta
    title_nl = meta.get("title_nl", release.descriptor.get("title", ""))
    title_en = meta.get("title_en", "")
    desc_nl = meta.get("description_nl", "")
    desc_en = meta.get("description_en", "")
    editions = sorted({r["edition"] for r in rows(release, "editions")})
    day = (release.created or "")[:10]
    conclusions = conclusions_section(release)
    sources = sources_section(release)
    toc = "".join(
        f'<li><a href="#{sid}">{e(nl)}</a></li>'
        for sid, nl, _ in SECTIONS
        if (sid != "conclusies" or conclusions) and (sid != "bronnen" or sources)
    )
    quick = [
        f'<a href="{e(rel)}" download>{e(rel.rsplit("/", 1)[-1])}</a>'
        for rel in ("data/findings.csv", "data/findings.parquet", "datapackage.json")
        if file_info(release, files, rel)
    ]
    body = [
        "<!doctype html>",
        '<html lang="nl">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light">',
        f"<title>{e(title_nl)} — versie {e(release.version)} / {e(title_en)}</title>",
        f'<meta name="description" content="{e(desc_nl)} / {e(desc_en)}">',
        f'<meta name="generator" content="werkdata landing {FORMAT}">',
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f'<a class="skip" href="#inhoud">Naar de inhoud {en("Skip to content")}</a>',
        '<header class="top"><div class="wrap">',
        '<p class="eyebrow">Open data · Ministerie van BZK · Werkonderzoek</p>',
        f"<h1>{e(title_nl)} {en(title_en)}</h1>",
        f'<p class="meta">Versie <strong>{e(release.version)}</strong> · gemaakt {e(day)} · '
        f"edities {e(', '.join(map(str, editions)))} · licentie CC0 1.0 "
        f'<span lang="en">(version {e(release.version)}, created {e(day)}, '
        f"editions {e(', '.join(map(str, editions)))})</span></p>",
        ROOT_MARK,
        "</div></header>",
        f'<nav class="toc" aria-label="Op deze pagina / On this page"><ul>{toc}</ul></nav>',
        '<main id="inhoud" class="wrap">',
        '<section id="over" aria-labelledby="over-kop">',
        f'<h2 id="over-kop">Over deze gegevens {en("About this data")}</h2>',
        f'<div class="columns"><p>{e(desc_nl)}</p>{en(desc_en, "p")}</div>',
        glance(release),
        f'<p class="quick">Direct downloaden {en("Download now", "span")} '
        f"{' '.join(quick)} <a href='#downloads'>alle bestanden / all files</a></p>",
        "</section>",
        charts_section(release),
        conclusions,
        editions_section(release),
        downloads_section(release, files),
        duckdb_section(release),
        dictionary_section(release),
        sources,
        versions_section(release),
        cite_section(release),
        "</main>",
        '<footer class="wrap"><p>Gemaakt door werkdata uit versie '
        f"{e(release.version)} van het pakket ({e(release.created)}). Deze pagina laadt niets "
        "van internet en werkt ook als bestand. "
        + en_block(
            f"Made by werkdata from version {release.version} of the package. This page loads "
            "nothing from the internet and also works as a file."
        )
        + "</p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(body) + "\n"


def release_files(release: Release, files: dict[str, dict]) -> dict[str, bytes]:
    return {PAGE: page(release, files).encode("utf-8")}


# --- the dataset's page -----------------------------------------------------------------------

RELATIVE_HREF = re.compile(r'href="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)([^"]*)"')


def root_page(text: str, latest: str, catalog: dict, root: Path) -> str:
    """The latest release's page, its relative links made relative to the dataset's folder,
    with a line saying so and the list of every version."""
    text = RELATIVE_HREF.sub(lambda m: f'href="{latest}/{m.group(1)}"', text)
    items = []
    for entry in reversed(catalog.get("versions", [])):
        v = entry["version"]
        target = PAGE if (root / v / PAGE).is_file() else "README.md"
        items.append(f'<a href="{e(v)}/{target}">{e(v)}</a>')
    banner = (
        f'<p class="banner">Dit is de nieuwste versie, <strong>{e(latest)}</strong>. Vaste link '
        f'naar deze versie: <a href="{e(latest)}/{PAGE}">{e(latest)}/{PAGE}</a>. '
        f'Alle versies: {", ".join(items)} (<a href="catalog.json">catalog.json</a>). '
        + en_block(
            f"This is the latest version, {latest}; every version is listed in catalog.json."
        )
        + "</p>"
    )
    return text.replace(ROOT_MARK, banner, 1)


def root_files(root: Path, catalog: dict) -> dict[str, bytes]:
    latest = catalog.get("latest")
    source = root / latest / PAGE if latest else None
    if source is None or not source.is_file():
        return {}  # a latest release from before the landing page: no page to show
    text = root_page(source.read_text(encoding="utf-8"), latest, catalog, root)
    return {PAGE: text.encode("utf-8")}
