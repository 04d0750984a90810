"""What a release's portal metadata says, shared by the DCAT graph and the CKAN package:
identifiers, download URLs, dates in the portal's form, editions, version notes and the
distributions (one per file)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from pipeline.core.files import file_record
from pipeline.render.dcat.vocabulary import DATAPACKAGE, LANDING_PAGE
from pipeline.render.protocol import Release


def split_bilingual(text: str) -> tuple[str, str]:
    """("nl", "en") from the project's "Nederlands / English" texts; the whole text for both
    when it does not have exactly one separator."""
    parts = text.split(" / ")
    if len(parts) == 2 and all(p.strip() for p in parts):
        return parts[0].strip(), parts[1].strip()
    return text, text


def portal_time(timestamp: str) -> str:
    """An RFC 3339 UTC time ("...Z") as DCAT-AP-DONL writes it: YYYY-MM-DDThh:mm:ss."""
    return timestamp.removesuffix("Z")[:19]


def date_time(timestamp: str) -> Literal:
    return Literal(portal_time(timestamp), datatype=XSD.dateTime)


def version_iri(release: Release) -> URIRef:
    return URIRef(f"{stable_id(release)}/{release.version}")


def stable_id(release: Release) -> str:
    """The dataset's identifier that every version shares."""
    return release.config.dataset_id(release.meta["name"])


def file_url(release: Release, path: str) -> URIRef:
    """The public download URL of a file of this release (never a local path)."""
    return URIRef(f"{version_iri(release)}/{path}")


def edition_years(release: Release) -> list[int]:
    return sorted(int(y) for y in release.tables["editions"].column("edition").to_pylist())


def version_notes(changelog: str) -> str:
    """The first paragraph of CHANGELOG.md that is not a heading."""
    paragraph: list[str] = []
    for line in changelog.splitlines():
        if line.startswith("#"):
            continue
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            break
    return " ".join(paragraph)


def first_issued(release: Release) -> str:
    """When the dataset was first published: the oldest catalog entry, or this release."""
    created = [e["created"] for e in release.history if e.get("created")]
    return created[0] if created else release.created


def known_record(release: Release, files: dict[str, dict], path: str) -> dict:
    """The record of a release file: from `files`, or measured (datapackage.json, written
    before the generators run)."""
    return files.get(path) or file_record(release.folder, path)


def distributions(release: Release, files: dict[str, dict]) -> list[dict]:
    """Every file the release offers as a distribution, with titles and descriptions nl + en."""
    out = []
    for res in release.descriptor["resources"]:
        kind = res["format"]
        title_nl, title_en = split_bilingual(res["schema"].get("title", res["name"]))
        text_nl, text_en = split_bilingual(res["schema"].get("description", ""))
        label = kind.upper() if kind == "csv" else "Parquet"
        out.append(
            {
                "path": res["path"],
                "kind": kind,
                "title_nl": f"{title_nl} ({label})",
                "title_en": f"{title_en} ({label})",
                "description_nl": f"{text_nl} Tabel als {label}-bestand.",
                "description_en": f"{text_en} The table as a {label} file.",
            }
        )
    out.append(
        {
            "path": DATAPACKAGE,
            "kind": "json",
            "title_nl": "Beschrijving van het datapakket (JSON)",
            "title_en": "Data package descriptor (JSON)",
            "description_nl": "Frictionless Data Package v2: de tabellen, hun kolommen, sleutels, "
            "bronnen en de sha256 van elk bestand.",
            "description_en": "Frictionless Data Package v2: the tables, their columns, keys, "
            "sources and the sha256 of every file.",
        }
    )
    if LANDING_PAGE in files:
        out.append(
            {
                "path": LANDING_PAGE,
                "kind": "html",
                "title_nl": "Overzichtspagina van deze versie (HTML)",
                "title_en": "Landing page of this version (HTML)",
                "description_nl": "Webpagina met de tabellen, downloads en wijzigingen van deze "
                "versie.",
                "description_en": "Web page with the tables, downloads and changes of this "
                "version.",
            }
        )
    for spec in out:
        spec.update(known_record(release, files, spec["path"]))
    return sorted(out, key=lambda s: s["path"])


def landing_page(release: Release, specs: list[dict]) -> URIRef:
    """The release's own index.html when there is one, else the dataset's homepage."""
    if any(s["path"] == LANDING_PAGE for s in specs):
        return file_url(release, LANDING_PAGE)
    return URIRef(release.meta["homepage"])
