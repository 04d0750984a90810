"""index.html: the landing page of a release, and of the dataset (the latest release's page).

One self-contained file: inline CSS, the key figures as inline SVG bar charts drawn here (no
JavaScript, no fonts or anything else fetched), each with a text alternative and its figures
as a table; the editions, the data dictionary from the schemas, every download with its size
and sha256, the changelog, how to cite, the licence and a DuckDB one-liner. Dutch first, English
beside it. Everything shown is escaped, and the page depends only on the release (its version
and `created`), so the same release gives the same bytes.

The dataset's index.html is the latest release's page with every relative link prefixed by the
version folder (a `<base href>` would send the in-page links away from the page) and a line
saying it is the latest version, with the list of versions from the catalog."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from pipeline.render.landing.charts import charts_section
from pipeline.render.landing.html import PAGE, e, en, en_block, file_info, rows
from pipeline.render.landing.sections import (
    cite_section,
    conclusions_section,
    dictionary_section,
    downloads_section,
    duckdb_section,
    editions_section,
    glance,
    sources_section,
    versions_section,
)
from pipeline.render.protocol import Release

# The page's stylesheet, inlined into every page (the page loads nothing else).
CSS = resources.files(__name__).joinpath("style.css").read_text(encoding="utf-8")

FORMAT = 1


LABEL = "index.html (landing page with charts)"


ROOT_MARK = "<!-- werkdata:root -->"


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
    short = meta["short_names"]
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
        f'<p class="eyebrow">Open data · {e(short["publisher"])} · Werkonderzoek</p>',
        f"<h1>{e(title_nl)} {en(title_en)}</h1>",
        f'<p class="meta">Versie <strong>{e(release.version)}</strong> · gemaakt {e(day)} · '
        f"edities {e(', '.join(map(str, editions)))} · licentie {e(short['licence'])} "
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
