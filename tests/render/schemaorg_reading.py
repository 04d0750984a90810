"""The schema.org JSON-LD of a landing page read as a search engine reads it: taken from the
page's one `application/ld+json` script, expanded by a JSON-LD processor (pyld) whose document
loader serves the copy of the schema.org context in tests/data/schemaorg/ (a test never uses the
network), then checked property by property against the release's files and its DCAT
description (dcat.ttl, parsed by rdflib)."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pyld import jsonld
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF

from tests.helpers import DATA
from tests.render.dom import parse

S = "http://schema.org/"
CONTEXT = json.loads((DATA / "schemaorg" / "schemaorgcontext.jsonld").read_text(encoding="utf-8"))
# Where schema.org's context is served (a page names the first).
CONTEXT_URLS = {
    "https://schema.org",
    "https://schema.org/",
    "http://schema.org",
    "http://schema.org/",
}
VCARD = "http://www.w3.org/2006/vcard/ns#"


def offline_loader(url: str, options: dict | None = None) -> dict:
    """pyld's document loader: the schema.org context from the stored copy, nothing else."""
    if url not in CONTEXT_URLS:
        raise AssertionError(f"the JSON-LD asks for {url}, which a test cannot fetch")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": CONTEXT}  # fmt: skip


def page_jsonld(html: str) -> dict:
    """The JSON of the page's one script, which must be JSON-LD loading nothing."""
    scripts = parse(html).all("script")
    assert len(scripts) == 1, "one script: the JSON-LD"
    assert scripts[0].attrs == {"type": "application/ld+json"}
    return json.loads(scripts[0].text())


def expand(document: dict) -> dict:
    """The one node of the expanded document (pyld, offline)."""
    (node,) = jsonld.expand(document, {"documentLoader": offline_loader})
    return node


def values(node: dict, prop: str) -> list:
    """The values of a schema.org property of an expanded node: literals as Python values,
    IRIs as strings, nodes as expanded nodes."""
    out = []
    for item in node.get(S + prop, []):
        if "@value" in item:
            out.append(item["@value"])
        elif set(item) == {"@id"}:
            out.append(item["@id"])
        else:
            out.append(item)
    return out


def one(node: dict, prop: str):
    found = values(node, prop)
    assert len(found) == 1, (prop, found)
    return found[0]


@dataclass
class Dcat:
    """What the DCAT description of a release says, as the JSON-LD must say it too."""

    dataset: URIRef  # the version's IRI
    stable: URIRef
    graph: Graph

    def value(self, prop) -> object:
        return self.graph.value(self.dataset, prop)


def release_dcat(folder: Path) -> Dcat:
    graph = Graph().parse(folder / "dcat.ttl", format="turtle")
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    return Dcat(dataset, graph.value(dataset, DCTERMS.isVersionOf), graph)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_dataset(html: str, folder: Path, *, stable_page: bool = False) -> dict:
    """Check the page's schema.org Dataset against the release in `folder` (the latest one for
    the dataset's page, `stable_page`); return the expanded node for the caller's own checks."""
    node = expand(page_jsonld(html))
    dcat = release_dcat(folder)
    assert node["@type"] == [S + "Dataset"]
    own = dcat.stable if stable_page else dcat.dataset
    assert node["@id"] == one(node, "identifier") == str(own)
    page = f"{own}/index.html"
    assert one(node, "url") == page
    if not stable_page:
        assert page == str(dcat.value(DCAT.landingPage))
    assert one(node, "version") == str(dcat.value(OWL.versionInfo)) == folder.name
    assert one(node, "license") == str(dcat.value(DCTERMS.license))

    publisher = dcat.value(DCTERMS.publisher)
    contact = dcat.value(DCAT.contactPoint)
    for role in ("creator", "publisher"):
        org = one(node, role)
        assert org["@type"] == [S + "Organization"]
        assert one(org, "name") == str(dcat.graph.value(publisher, FOAF.name))
        assert one(org, "url") == str(dcat.graph.value(contact, URIRef(VCARD + "hasURL")))

    # Dates: DCAT-AP-DONL writes them without the zone, both are UTC.
    assert one(node, "datePublished").removesuffix("Z") == str(dcat.value(DCTERMS.issued))
    assert one(node, "dateModified").removesuffix("Z") == str(dcat.value(DCTERMS.modified))
    period = dcat.value(DCTERMS.temporal)
    start, end = (dcat.graph.value(period, DCAT[p]) for p in ("startDate", "endDate"))
    assert one(node, "temporalCoverage") == f"{start}/{end}"
    place = one(node, "spatialCoverage")
    assert place["@type"] == [S + "Place"]
    assert one(place, "sameAs") == "http://publications.europa.eu/resource/authority/country/NLD"
    assert sorted(values(node, "inLanguage")) == ["en", "nl"]
    keywords = {str(k) for k in dcat.graph.objects(dcat.dataset, DCAT.keyword)}
    assert set(values(node, "keywords")) == keywords and keywords
    assert one(node, "isAccessibleForFree") is True

    with (folder / "data" / "indicators.csv").open(encoding="utf-8", newline="") as f:
        indicators = {r["indicator_id"]: r for r in csv.DictReader(f)}
    measured = {one(v, "propertyID"): v for v in values(node, "variableMeasured")}
    assert set(measured) == set(indicators)
    for indicator, variable in measured.items():
        row = indicators[indicator]
        assert variable["@type"] == [S + "PropertyValue"]
        assert one(variable, "name") == f"{row['label_nl']} / {row['label_en']}"
        assert one(variable, "unitText") == row["unit"]

    check_distribution(node, folder, dcat)
    return node


def check_distribution(node: dict, folder: Path, dcat: Dcat) -> None:
    """Every data file, and nothing else, as a DataDownload inside the version folder (never
    `latest/`) with its size in digits, its sha256 and the media type DCAT gives it."""
    version_url = f"{dcat.dataset}/"
    media = {
        str(dcat.graph.value(d, DCAT.downloadURL)): str(dcat.graph.value(d, DCAT.mediaType))
        for d in dcat.graph.objects(dcat.dataset, DCAT.distribution)
    }
    offered = set()
    for download in values(node, "distribution"):
        assert download["@type"] == [S + "DataDownload"]
        url = one(download, "contentUrl")
        assert url.startswith(version_url) and "/latest/" not in url, url
        path = folder / url.removeprefix(version_url)
        assert path.resolve().is_relative_to(folder.resolve()) and path.is_file(), url
        size = one(download, "contentSize")
        assert size.isdigit() and int(size) == path.stat().st_size, url
        assert one(download, "sha256") == sha256(path), url
        assert media[url].endswith("/" + one(download, "encodingFormat")), url
        offered.add(path.relative_to(folder).as_posix())
    assert offered == {p.relative_to(folder).as_posix() for p in (folder / "data").iterdir()}
