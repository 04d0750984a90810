"""The view records of the landing page's sections after the charts: at a glance, estimates,
conclusions, editions, downloads, DuckDB, the data dictionary, sources, versions and how to
cite. Each function returns plain values for its template in templates/, which hold the markup."""

from __future__ import annotations

from collections import defaultdict

from pipeline.render.landing.text import (
    PAGE,
    file_info,
    known,
    markdown_blocks,
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


def glance(release: Release) -> list[dict]:
    """The tiles at a glance: a count, what it counts (Dutch, English) and a line below; with
    estimates, their count (instead of the findings' tiles when there are no findings)."""
    findings = rows(release, "findings")
    editions = sorted({r["edition"] for r in rows(release, "editions")})
    themes = {r["theme_id"] for r in findings}
    indicators = {r["indicator_id"] for r in findings}
    missing = sum(1 for r in findings if r["value"] is None)
    tiles = [
        (len(editions), "edities", "editions", " · ".join(map(str, editions))),
        (len(findings), "cijfers", "figures", f"{len(indicators)} uitspraken / statements"),
        (len(themes), "thema's", "themes", "elk met een grafiek / each with a chart"),
        (missing, "onbekend", "not known", "status M: geen getal / no number"),
    ]
    table = release.tables.get("estimates")
    if table is not None and table.num_rows:  # figures computed from respondents' answers
        tiles = tiles if findings else tiles[:1]
        n = len(set(table.column("indicator_id").to_pylist()))
        tiles.append((number(table.num_rows), "schattingen", "estimates", f"{n} indicatoren"))
    return [{"n": n, "nl": nl, "en": en, "sub": sub} for n, nl, en, sub in tiles]


def conclusions(release: Release) -> list[dict]:
    """The conclusions by edition (newest first), each by kind, in their order; a conclusion
    whose theme has a chart links to it (`theme_id`, else None). Empty without conclusions."""
    items = rows(release, "conclusions")
    charted = {f["theme_id"] for f in rows(release, "findings")}  # a theme with a chart
    out = []
    for edition in sorted({c["edition"] for c in items}, reverse=True):
        kinds = []
        for kind in sorted({c["kind"] for c in items if c["edition"] == edition}, reverse=True):
            nl, english = KINDS.get(kind, (kind, kind))
            own = sorted(
                (c for c in items if c["edition"] == edition and c["kind"] == kind),
                key=lambda c: c["position"],
            )
            points = [
                {
                    "text_nl": c["text_nl"],
                    "text_en": c["text_en"],
                    "chart": c["theme_id"] if c.get("theme_id") in charted else None,
                }
                for c in own
            ]
            kinds.append({"nl": nl, "en": english, "points": points})
        out.append({"edition": edition, "kinds": kinds})
    return out


def editions(release: Release) -> list[dict]:
    """One card per edition: its facts (Dutch, English, value or None for not known), its
    notes and how many of the package's figures are its own."""
    findings = rows(release, "findings")
    cards = []
    for ed in sorted(rows(release, "editions"), key=lambda r: r["edition"]):
        own = [f for f in findings if f["edition"] == ed["edition"]]
        missing = sum(1 for f in own if f["value"] is None)
        date = ed.get("publication_date")
        counted = f"{len(own)} cijfers / figures" if len(own) != 1 else "1 cijfer / figure"
        facts = [
            ("Uitgevoerd door", "Carried out by", ed.get("carried_out_by") or ""),
            ("Veldwerk", "Fieldwork", known(ed.get("fieldwork_nl"))),
            ("Respondenten", "Respondents", known(ed.get("respondents"), number)),
            ("Respons", "Response rate", known(ed.get("response_rate"), percent)),
            ("Uitgenodigd", "Invited", known(ed.get("invited_label"))),
            ("Gepubliceerd", "Published", known(date.isoformat() if date else None)),
            (
                "In dit pakket",
                "In this package",
                counted + (f", {missing} onbekend / not known" if missing else ""),
            ),
        ]
        cards.append(
            {
                "edition": ed["edition"],
                "title_nl": ed["title_nl"],
                "title_en": ed["title_en"],
                "facts": [{"nl": nl, "en": en, "value": v} for nl, en, v in facts],
                "notes_nl": ed.get("notes_nl") or "",
                "notes_en": ed.get("notes_en") or "",
            }
        )
    return cards


def download(path: str, what: str, what_en: str | None = None, en_block: bool = False) -> dict:
    return {"path": path, "what": what, "what_en": what_en, "en_block": en_block}


def downloads(release: Release, files: dict[str, dict]) -> list[dict]:
    """Every file of the release with its record: the tables' files first, then the metadata,
    then any other file a generator wrote before this page. `what` says what it is (with
    `what_en` beside it, on its own line when `en_block`)."""
    entries: list[dict] = []
    for res in release.descriptor.get("resources", []):
        title = res.get("schema", {}).get("title") or res.get("title", "")
        kind = "CSV (spreadsheet)" if res["format"] == "csv" else "Parquet (DuckDB, pandas, R)"
        entries.append(download(res["path"], f"{title} · {kind}"))
    for rel, (nl, english) in OTHER_FILES.items():
        entries.append(download(rel, nl, english, en_block=True))
    listed = {entry["path"] for entry in entries}
    entries += [
        download(rel, "Ander bestand", "Other file") for rel in sorted(files.keys() - listed)
    ]
    out = []
    for entry in entries:
        info = file_info(release, files, entry["path"])
        if info is not None:
            n = info["bytes"]
            out.append({**entry, "bytes": n, "size": size(n), "sha256": info["sha256"]})
    return out


def quick_downloads(release: Release, files: dict[str, dict]) -> list[str]:
    """The files offered at the top of the page, those the release has."""
    wanted = ("data/findings.csv", "data/findings.parquet", "datapackage.json")
    return [rel for rel in wanted if file_info(release, files, rel)]


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


def duckdb(release: Release) -> dict:
    """The commands of the DuckDB section, with the example indicator quoted as SQL text."""
    ind = example_indicator(release).replace("'", "''")
    return {
        "one_liner": ONE_LINER.replace("{ind}", ind),
        "views": VIEWS,
        "views_example": VIEWS_EXAMPLE,
        "python": PYTHON.replace("{ind}", ind),
    }


def field_notes(field: dict) -> str:
    """A column's unit, allowed values and whether it is required, as one line ("" if none)."""
    extra = []
    if "unit" in field:
        extra.append(f"eenheid / unit: {field['unit']}")
    constraints = field.get("constraints", {})
    if "enum" in constraints:
        extra.append("waarden / values: " + ", ".join(map(str, constraints["enum"])))
    if constraints.get("required"):
        extra.append("verplicht / required")
    return "; ".join(extra)


def dictionary(release: Release) -> list[dict]:
    """Every table of the package (its CSV resource) with its schema's texts and columns."""
    tables = []
    for res in release.descriptor.get("resources", []):
        if res["format"] != "csv":
            continue
        schema = res.get("schema", {})
        fields = [
            {
                "name": f["name"],
                "type": f["type"],
                "title": f.get("title", ""),
                "description": f.get("description", ""),
                "notes": field_notes(f),
            }
            for f in schema.get("fields", [])
        ]
        tables.append(
            {
                "name": res["name"],
                "title": schema.get("title", ""),
                "description": schema.get("description", ""),
                "key": ", ".join(schema.get("primaryKey", [])),
                "open": res["name"] == "findings",
                "fields": fields,
            }
        )
    return tables


def sources(release: Release) -> list[dict]:
    """The sources the figures name, with their publication date where known."""
    out = []
    for s in rows(release, "sources"):
        date = s.get("published_date")
        out.append(
            {
                "source_id": s["source_id"],
                "url": s["url"],
                "title": s["title"],
                "publisher": s["publisher"],
                "when": f", {date.isoformat()}" if date else "",
            }
        )
    return out


def versions(release: Release) -> dict:
    """The changelog as blocks, and every earlier version (newest first) with a link to its
    page, or to its README when it has no page."""
    earlier = []
    for entry in reversed(release.history):
        v = entry.get("version", "")
        has_page = (release.folder.parent / v / PAGE).is_file()
        earlier.append(
            {
                "version": v,
                "href": f"../{v}/{PAGE}" if has_page else f"../{v}/README.md",
                "day": (entry.get("created") or "")[:10],
                "reason": entry.get("reason") or "",
            }
        )
    return {"changelog": markdown_blocks(release.changelog), "earlier": earlier, "page": PAGE}


def cite(release: Release) -> dict:
    """The citation of this version and its licence, from the dataset file."""
    licence = (release.meta.get("licenses") or [{}])[0]
    return {
        "citation": release.meta.get("citation", "{version}").format(version=release.version),
        "url": licence["path"],
        "title": licence["title"],
        "short": release.meta["short_names"]["licence"],
    }
