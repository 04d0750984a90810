"""The DCAT-AP-DONL graph of a release and of the feed beside the releases, serialised
sorted (Turtle and JSON-LD) so that equal inputs give equal bytes."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from pipeline.core.errors import ConfigurationInvalid
from pipeline.core.files import json_bytes
from pipeline.render.dcat.facts import (
    date_time,
    edition_years,
    file_url,
    first_issued,
    landing_page,
    stable_id,
    version_iri,
    version_notes,
)
from pipeline.render.dcat.vocabulary import (
    ACCESS_RIGHTS,
    ADMS,
    CHECKSUM_ALGORITHM,
    DATAPACKAGE,
    DCAT,
    DCT,
    FEED_FILES,
    FILE_TYPES,
    FOAF,
    FREQUENCY,
    LABEL_PROPERTIES,
    LANGUAGES,
    LICENCE,
    OVERHEID,
    OWL,
    PREFIXES,
    PUBLISHER,
    SCHEMA,
    SPDX,
    STATUS,
    THEME,
    VALUE_CLASSES,
    VCARD,
    allowed_values,
    check_allowed,
    label_of,
    media_type_iri,
)
from pipeline.render.protocol import Release


def new_graph() -> Graph:
    """An empty graph that knows only our prefixes (none of rdflib's defaults)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def add_bilingual(graph: Graph, node: URIRef, prop: URIRef, nl: str, en: str) -> None:
    graph.add((node, prop, Literal(nl, lang="nl")))
    graph.add((node, prop, Literal(en, lang="en")))


def add_value(
    graph: Graph, node: URIRef, prop: URIRef, value: URIRef, role: str, allowed: dict
) -> None:
    """node prop value, with the value's class and label; refuses a value not allowed."""
    label = label_of(allowed, value, role)
    graph.add((node, prop, value))
    if role in VALUE_CLASSES:
        graph.add((value, RDF.type, VALUE_CLASSES[role]))
    if role in LABEL_PROPERTIES:
        graph.add((value, LABEL_PROPERTIES[role], Literal(label, lang="nl")))


def add_contact_point(graph: Graph, dataset: URIRef, release: Release) -> None:
    """A generic contact point (never a person): name, e-mail and website."""
    name, email, website = release.config.contact(release.meta)
    node = URIRef(f"{dataset}#contact-point")
    graph.add((dataset, DCAT.contactPoint, node))
    graph.add((node, RDF.type, VCARD.Kind))
    graph.add((node, RDF.type, VCARD.Organization))
    graph.add((node, VCARD.fn, Literal(name)))
    graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{email}")))
    graph.add((node, VCARD.hasURL, URIRef(website)))


def add_temporal(graph: Graph, dataset: URIRef, years: list[int]) -> None:
    """The period from the first to the last edition year (DCAT-AP 3 and DONL 1.1 terms)."""
    if not years:
        return
    node = URIRef(f"{dataset}#temporal")
    start = Literal(f"{years[0]}-01-01", datatype=XSD.date)
    end = Literal(f"{years[-1]}-12-31", datatype=XSD.date)
    graph.add((dataset, DCT.temporal, node))
    graph.add((node, RDF.type, DCT.PeriodOfTime))
    for prop, value in ((DCAT.startDate, start), (DCAT.endDate, end)):
        graph.add((node, prop, value))
    for prop, value in ((SCHEMA.startDate, start), (SCHEMA.endDate, end)):
        graph.add((node, prop, value))


def add_dataset(graph: Graph, release: Release, allowed: dict) -> URIRef:
    """The dcat:Dataset of this version with every DONL 1.1 mandatory and recommended field."""
    meta = release.meta
    dataset = version_iri(release)
    stable = URIRef(stable_id(release))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCT.identifier, Literal(str(dataset), datatype=XSD.anyURI)))
    graph.add((dataset, DCT.isVersionOf, stable))
    add_bilingual(graph, dataset, DCT["title"], meta["title_nl"], meta["title_en"])
    add_bilingual(graph, dataset, DCT.description, meta["description_nl"], meta["description_en"])
    for language in LANGUAGES:
        add_value(graph, dataset, DCT.language, language, "language", allowed)
    add_value(graph, dataset, DCAT.theme, THEME, "theme", allowed)
    graph.add((dataset, DCT.modified, date_time(release.created)))
    graph.add((dataset, DCT.issued, date_time(first_issued(release))))
    add_value(graph, dataset, OVERHEID.authority, PUBLISHER, "publisher", allowed)
    add_value(graph, dataset, DCT.publisher, PUBLISHER, "publisher", allowed)
    add_contact_point(graph, dataset, release)
    add_value(graph, dataset, DCT.license, LICENCE, "license", allowed)
    add_value(graph, dataset, DCT.accessRights, ACCESS_RIGHTS, "access_rights", allowed)
    add_value(graph, dataset, DCT.accrualPeriodicity, FREQUENCY, "frequency", allowed)
    add_value(graph, dataset, ADMS.status, STATUS, "status", allowed)
    add_temporal(graph, dataset, edition_years(release))
    graph.add((dataset, OWL.versionInfo, Literal(release.version)))
    graph.add((dataset, DCAT.version, Literal(release.version)))
    notes = version_notes(release.changelog)
    if notes:
        graph.add((dataset, ADMS.versionNotes, Literal(notes, lang="en")))
    standard = file_url(release, DATAPACKAGE)
    graph.add((dataset, DCT.conformsTo, standard))
    graph.add((standard, RDF.type, DCT.Standard))
    for keyword in meta.get("keywords", []):
        graph.add((dataset, DCAT.keyword, Literal(keyword)))
    homepage = URIRef(meta["homepage"])
    graph.add((dataset, FOAF.page, homepage))
    graph.add((homepage, RDF.type, FOAF.Document))
    return dataset


def add_distribution(
    graph: Graph, release: Release, dataset: URIRef, spec: dict, allowed: dict
) -> None:
    """One file as a dcat:Distribution: URLs, titles, licence, format, size and checksum."""
    node = URIRef(f"{dataset}#{spec['path']}")
    url = file_url(release, spec["path"])
    graph.add((dataset, DCAT.distribution, node))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCAT.accessURL, url))
    graph.add((node, DCAT.downloadURL, url))
    add_bilingual(graph, node, DCT["title"], spec["title_nl"], spec["title_en"])
    add_bilingual(graph, node, DCT.description, spec["description_nl"], spec["description_en"])
    for language in LANGUAGES:
        add_value(graph, node, DCT.language, language, "language", allowed)
    add_value(graph, node, DCT.license, LICENCE, "license", allowed)
    add_value(graph, node, DCT["format"], FILE_TYPES[spec["kind"]], "file_type", allowed)
    add_value(graph, node, DCAT.mediaType, media_type_iri(spec["mediatype"]), "media_type", allowed)
    graph.add((node, DCAT.byteSize, Literal(spec["bytes"], datatype=XSD.nonNegativeInteger)))
    graph.add((node, DCT.issued, date_time(release.created)))
    if spec["path"].startswith("data/"):
        graph.add((node, DCT.conformsTo, file_url(release, DATAPACKAGE)))
    checksum = URIRef(f"{node}-sha256")
    graph.add((node, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    add_value(graph, checksum, SPDX.algorithm, CHECKSUM_ALGORITHM, "checksum_algorithm", allowed)
    graph.add((checksum, SPDX.checksumValue, Literal(spec["sha256"], datatype=XSD.hexBinary)))


def release_graph(release: Release, specs: list[dict]) -> Graph:
    """The complete DCAT description of one release, checked against the allowed values."""
    if not release.config.base_url.startswith("https://"):
        raise ConfigurationInvalid(
            f"DCAT: base_url {release.config.base_url} is not https; the portal needs https URLs"
        )
    allowed = allowed_values(release.schemas)
    graph = new_graph()
    dataset = add_dataset(graph, release, allowed)
    for spec in specs:
        add_distribution(graph, release, dataset, spec, allowed)
    page = landing_page(release, specs)
    graph.add((dataset, DCAT.landingPage, page))
    graph.add((page, RDF.type, FOAF.Document))
    check_allowed(graph, allowed)
    return graph


def turtle(graph: Graph) -> bytes:
    """Turtle 1.1, sorted by rdflib (the theme is written overheid:Werk_\\(thema\\), with the
    escapes Turtle 1.1 allows in a prefixed name)."""
    return graph.serialize(format="turtle", encoding="utf-8")


def canonical(value: object) -> object:
    """JSON with every key and every list sorted (RDF values are unordered), for byte-stable
    output."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def jsonld(graph: Graph) -> bytes:
    """Compact JSON-LD with the prefixes as its context, keys and values sorted."""
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    return json_bytes(canonical(data))


def rename(graph: Graph, old: URIRef, new: URIRef) -> None:
    """Move every triple about `old` (as subject or object) to `new`."""
    for s, p, o in list(graph.triples((old, None, None))):
        graph.remove((s, p, o))
        graph.add((new, p, o))
    for s, p, o in list(graph.triples((None, None, old))):
        graph.remove((s, p, o))
        graph.add((s, p, new))


def feed_graph(root: Path, catalog: dict) -> Graph | None:
    """The stable dataset as of the latest version, with dct:hasVersion for every version.

    None when the latest release has no dcat.ttl (made before this generator existed).
    """
    latest = catalog["latest"]
    source = root / latest / "dcat.ttl"
    if not source.is_file():
        return None
    graph = new_graph()
    graph.parse(source, format="turtle")
    version_node = min(graph.subjects(RDF.type, DCAT.Dataset))
    stable = graph.value(version_node, DCT.isVersionOf)
    graph.remove((version_node, DCT.isVersionOf, None))
    graph.remove((version_node, DCT.identifier, None))
    rename(graph, version_node, stable)
    graph.add((stable, DCT.identifier, Literal(str(stable), datatype=XSD.anyURI)))
    for entry in catalog["versions"]:
        version = entry["version"]
        node = URIRef(f"{stable}/{version}")
        graph.add((stable, DCT.hasVersion, node))
        graph.add((node, OWL.versionInfo, Literal(version)))
        for name in FEED_FILES:
            if (root / version / name).is_file():
                graph.add((node, RDFS.seeAlso, URIRef(f"{node}/{name}")))
    return graph
