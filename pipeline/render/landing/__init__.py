"""index.html: the landing page of a release, and of the dataset (the latest release's page).

One self-contained file: inline CSS, the key figures as inline SVG bar charts (no JavaScript,
no fonts or anything else fetched), each with a text alternative and its figures as a table; the
estimates computed from respondents' answers with their intervals, when the release has any; the
editions, the data dictionary from the schemas, every download with its size and sha256, the
changelog, how to cite, the licence and a DuckDB one-liner; for synthetic data, a banner saying
so first; in its head the schema.org Dataset as JSON-LD, for search engines
(`pipeline.render.dcat.schemaorg`). Dutch first, English beside it. The markup lives in Jinja2
templates (templates/, one per section, page.html the frame), rendered with autoescape, so
every value shown is escaped; this package computes the view records and the charts' geometry.
The page depends only on the release (its version and `created`), so the same release gives
the same bytes.

The dataset's index.html is the latest release's page with every relative link prefixed by the
version folder (a base URL would send the in-page links away from the page), a line saying
it is the latest version, with the list of versions from the catalog (templates/banner.html),
and the JSON-LD of the stable dataset instead of the version's."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jinja2

from pipeline.render import templating
from pipeline.render.dcat import schemaorg
from pipeline.render.landing import estimates_view, sections
from pipeline.render.landing.charts import charts_view
from pipeline.render.landing.text import PAGE, UNKNOWN, rows
from pipeline.render.protocol import Release

# The page's stylesheet, inlined into every page (the page loads nothing else).
CSS = resources.files(__name__).joinpath("style.css").read_text(encoding="utf-8")


# Added to it only on a page with estimates or synthetic data (so no other page changes).
MICRODATA_CSS = resources.files(__name__).joinpath("microdata.css").read_text(encoding="utf-8")

# 3: the estimates section and the synthetic-data banner
# 4: the example indicator in every population, suppressed cells in words
# 5: every suppressed cell in the same words; the attacker model, guarantee and rounding stated
# 6: the schema.org Dataset as JSON-LD in the head
FORMAT = 6


LABEL = "index.html (landing page with charts)"


# Where page.html leaves room for the dataset page's banner (a comment, invisible in a release).
ROOT_MARK = "<!-- werkdata:root -->"


# Around the JSON-LD (templates/jsonld.html), which the dataset page replaces.
DATASET_MARKS = ("<!-- werkdata:schema.org -->", "<!-- /werkdata:schema.org -->")


SECTIONS = (
    ("over", "Over"),
    ("cijfers", "Kerncijfers"),
    ("schattingen", "Schattingen"),
    ("conclusies", "Conclusies"),
    ("edities", "Edities"),
    ("downloads", "Downloads"),
    ("duckdb", "DuckDB"),
    ("woordenboek", "Woordenboek"),
    ("bronnen", "Bronnen"),
    ("wijzigingen", "Wijzigingen"),
    ("citeren", "Citeren"),
)


def template(name: str) -> jinja2.Template:
    """A template of templates/, from the one environment of pipeline/render."""
    return templating.environment(__name__).get_template(name)


def page_view(release: Release, files: dict[str, dict]) -> dict:
    """Everything page.html and its sections show, as plain values."""
    meta = release.meta
    conclusions = sections.conclusions(release)
    sources = sections.sources(release)
    estimates = estimates_view.estimates(release)
    charts = charts_view(release)
    shown = {
        "cijfers": bool(charts["cards"]),  # a release of respondent data alone has no findings
        "conclusies": bool(conclusions),
        "bronnen": bool(sources),
        "schattingen": estimates is not None,
    }
    synthetic = "synthetisch" in meta.get("title_nl", "").casefold()
    years = sorted({r["edition"] for r in rows(release, "editions")})
    return {
        "format": FORMAT,
        "css": CSS,
        "extra_css": MICRODATA_CSS if estimates is not None or synthetic else "",
        "synthetic": synthetic,
        "unknown": UNKNOWN,
        "version": release.version,
        "created": release.created,
        "day": (release.created or "")[:10],
        "title_nl": meta.get("title_nl", release.descriptor.get("title", "")),
        "title_en": meta.get("title_en", ""),
        "description_nl": meta.get("description_nl", ""),
        "description_en": meta.get("description_en", ""),
        "publisher": meta["short_names"]["publisher"],
        "licence": meta["short_names"]["licence"],
        "years": ", ".join(map(str, years)),
        "toc": [{"id": sid, "nl": nl} for sid, nl in SECTIONS if shown.get(sid, True)],
        "glance": sections.glance(release),
        "quick": sections.quick_downloads(release, files),
        "charts": charts,
        "estimates": estimates,
        "conclusions": conclusions,
        "editions": sections.editions(release),
        "downloads": sections.downloads(release, files),
        "duckdb": sections.duckdb(release),
        "dictionary": sections.dictionary(release),
        "sources": sources,
        "versions": sections.versions(release),
        "cite": sections.cite(release),
        "jsonld": schemaorg.release_dataset(release, files),
    }


def page(release: Release, files: dict[str, dict]) -> str:
    return template("page.html").render(page_view(release, files))


def release_files(release: Release, files: dict[str, dict]) -> dict[str, bytes]:
    return {PAGE: page(release, files).encode("utf-8")}


RELATIVE_HREF = re.compile(r'href="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)([^"]*)"')


def root_page(text: str, latest: str, catalog: dict, root: Path) -> str:
    """The latest release's page, its relative links made relative to the dataset's folder,
    with a line saying so and the list of every version."""
    text = RELATIVE_HREF.sub(lambda m: f'href="{latest}/{m.group(1)}"', text)
    versions = []
    for entry in reversed(catalog.get("versions", [])):
        v = entry["version"]
        target = PAGE if (root / v / PAGE).is_file() else "README.md"
        versions.append({"version": v, "href": f"{v}/{target}"})
    banner = template("banner.html").render(latest=latest, page=PAGE, versions=versions)
    return dataset_jsonld(text.replace(ROOT_MARK, banner.rstrip("\n"), 1))


def dataset_jsonld(text: str) -> str:
    """The page with the JSON-LD of its release replaced by that of the stable dataset
    (`schemaorg.dataset_page`); a page from before the JSON-LD is returned as it is."""
    start_mark, end_mark = DATASET_MARKS
    start = text.find(start_mark)
    closing = text.find(end_mark, max(start, 0))
    if start < 0 or closing < 0:
        return text
    end = closing + len(end_mark)
    block = text[start:end]
    # The JSON is the block's only braces: tojson escapes nothing else into them.
    described = json.loads(block[block.index("{") : block.rindex("}") + 1])
    stable = template("jsonld.html").render(jsonld=schemaorg.dataset_page(described))
    return text[:start] + stable + text[end:]


def root_files(root: Path, catalog: dict) -> dict[str, bytes]:
    latest = catalog.get("latest")
    source = root / latest / PAGE if latest else None
    if source is None or not source.is_file():
        return {}  # a latest release from before the landing page: no page to show
    text = root_page(source.read_text(encoding="utf-8"), latest, catalog, root)
    return {PAGE: text.encode("utf-8")}
