"""The sections of the landing page after the charts: at a glance, conclusions, editions,
downloads, DuckDB, the data dictionary, sources, versions and how to cite."""

from __future__ import annotations

from collections import defaultdict

from pipeline.render.landing.html import (
    PAGE,
    both,
    e,
    en,
    en_block,
    file_info,
    known,
    markdown,
    number,
    percent,
    rows,
    size,
)
from pipeline.render.protocol import Release

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
    """The indicator with the most known figures (for the DuckDB example); the dataset file's
    example indicator when no figure is known."""
    counts: dict[str, int] = defaultdict(int)
    for r in rows(release, "findings"):
        if r["value"] is not None:
            counts[r["indicator_id"]] += 1
    if not counts:
        return release.meta["example"]["indicator_id"]
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
    url = licence["path"]
    short = release.meta["short_names"]["licence"]
    return (
        '<section id="citeren" aria-labelledby="citeren-kop">'
        f'<h2 id="citeren-kop">Citeren en licentie {en("How to cite and licence")}</h2>'
        f'<pre class="copy cite" tabindex="0"><code>{e(citation)}</code></pre>'
        f"<p><strong>Licentie {en('Licence')}: {e(short)}</strong> — "
        f'<a href="{e(url)}" rel="license external">'
        f"{e(licence['title'])}</a>. "
        "Vrij te gebruiken, ook zonder bronvermelding; noem de bron wel graag. "
        + en_block("Free to use, even without attribution; please do cite the source.")
        + "</p></section>"
    )
