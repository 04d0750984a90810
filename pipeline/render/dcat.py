"""dcat.jsonld, dcat.ttl and ckan_package.json in every release, and the DCAT feed beside the
releases: the metadata data.overheid.nl harvests (DCAT-AP-DONL 1.1, also valid DCAT-AP 3.0.1).

Identifiers. A release describes itself as the dataset `{base_url}/{name}/{version}`; its
`dct:identifier` is that same IRI (as a literal) and `dct:isVersionOf` points to the stable
dataset `{base_url}/{name}`. The feed (dcat.jsonld/dcat.ttl beside the version folders) is the
stable dataset as of the latest version: its IRI and `dct:identifier` are the stable id, and it
has `dct:hasVersion` for every version. So `dct:identifier` is always the IRI of the node it is
on. ckan_package.json is the portal's record of the stable dataset as of this release (stable
identifier, CKAN name `{name}`), so pushing a newer release's file updates the same record.

Every IRI in a controlled role (licence, publisher, authority, theme, language, access rights,
frequency, status, file type, media type, checksum algorithm) must be listed in
schemas/dcat/allowed-values.json, else the release is refused (PublishConflict): the portal turns
a value it does not know into "closed licence" or drops it.

Dates are UTC and written as `YYYY-MM-DDThh:mm:ss`, the form DCAT-AP-DONL 1.1 asks for. The
output has no blank nodes and is serialised sorted, so equal inputs give equal bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from pipeline.core.errors import PublishConflict
from pipeline.core.files import sha256_file
from pipeline.render.protocol import Release

FORMAT = 1
LABEL = "dcat.jsonld + dcat.ttl + ckan_package.json (portal metadata)"

# Under the schemas/ folder of the project being published (never beside this code).
ALLOWED_VALUES = Path("dcat") / "allowed-values.json"

ADMS = Namespace("http://www.w3.org/ns/adms#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
SCHEMA = Namespace("http://schema.org/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# The OWMS namespace of `overheid:authority` (DCAT-AP-DONL 1.1), as in the "OVERHEID" namespace
# of github.com/dataoverheid/ckanext-dataoverheid, config.json.
OVERHEID = Namespace("http://standaarden.overheid.nl/owms/terms/")

PREFIXES = {
    "adms": ADMS,
    "dcat": DCAT,
    "dct": DCT,
    "foaf": FOAF,
    "overheid": OVERHEID,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "skos": SKOS,
    "spdx": SPDX,
    "vcard": VCARD,
    "xsd": XSD,
}

EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"

# The values werkdata emits (the portal notes' table "The values werkdata emits"); each is also
# in schemas/dcat/allowed-values.json with its source.
LICENCE = URIRef("http://creativecommons.org/publicdomain/zero/1.0/deed.nl")
PUBLISHER = OVERHEID["Ministerie_van_Binnenlandse_Zaken_en_Koninkrijksrelaties"]
THEME = OVERHEID["Werk_(thema)"]
METADATA_LANGUAGE = URIRef(EU + "language/NLD")
LANGUAGES = (URIRef(EU + "language/NLD"), URIRef(EU + "language/ENG"))
ACCESS_RIGHTS = URIRef(EU + "access-right/PUBLIC")
FREQUENCY = URIRef(EU + "frequency/IRREG")
STATUS = URIRef("http://data.overheid.nl/status/beschikbaar")
CHECKSUM_ALGORITHM = SPDX["checksumAlgorithm_sha256"]
FILE_TYPES = {
    "csv": URIRef(EU + "file-type/CSV"),
    "parquet": URIRef(EU + "file-type/PARQUET"),
    "json": URIRef(EU + "file-type/JSON"),
    "html": URIRef(EU + "file-type/HTML"),
}
MEDIA_TYPES = {
    "csv": URIRef(IANA + "text/csv"),
    "parquet": URIRef(IANA + "application/vnd.apache.parquet"),
    "json": URIRef(IANA + "application/json"),
    "html": URIRef(IANA + "text/html"),
}
# The class DCAT-AP 3.0.1 (range.ttl) expects of the value of each controlled role.
VALUE_CLASSES = {
    "license": DCT.LicenseDocument,
    "publisher": FOAF.Agent,
    "theme": SKOS.Concept,
    "language": DCT.LinguisticSystem,
    "access_rights": DCT.RightsStatement,
    "frequency": DCT.Frequency,
    "file_type": DCT.MediaTypeOrExtent,
    "media_type": DCT.MediaType,
}
# The property that carries a role value's label, where DCAT-AP 3.0.1 (shapes.ttl) wants one.
LABEL_PROPERTIES = {"publisher": FOAF.name, "theme": SKOS.prefLabel}

DATAPACKAGE = "datapackage.json"
LANDING_PAGE = "index.html"
FEED_FILES = ("dcat.jsonld", "dcat.ttl")


# --- the allowed values --------------------------------------------------------------------


def allowed_values(schemas: Path) -> dict[str, dict]:
    """{role: {"properties": [IRI], "values": {IRI: label}}} from the project's
    schemas/dcat/allowed-values.json (read for each release: a long-running worker must see an
    edited list)."""
    path = schemas / ALLOWED_VALUES
    if not path.is_file():
        raise PublishConflict(f"DCAT: the allowed values are missing: {path}")
    roles = json.loads(path.read_text(encoding="utf-8"))["roles"]
    return {
        role: {
            "properties": spec["properties"],
            "values": {v["uri"]: v.get("label", "") for v in spec["values"]},
        }
        for role, spec in roles.items()
    }


def refuse(uri: object, role: str) -> PublishConflict:
    """The error for a value the portal would not accept."""
    return PublishConflict(
        f"DCAT: {uri} is not an allowed {role} value (schemas/dcat/allowed-values.json); "
        "the portal would not accept it"
    )


def label_of(allowed: dict, uri: URIRef, role: str) -> str:
    """The label `allowed` gives `uri` in `role`; refuses a value not listed."""
    values = allowed[role]["values"]
    if str(uri) not in values:
        raise refuse(uri, role)
    return values[str(uri)]


def check_allowed(graph: Graph, allowed: dict) -> None:
    """Raise PublishConflict naming the first IRI in a controlled role that is not listed."""
    for role, spec in sorted(allowed.items()):
        for prop in spec["properties"]:
            for value in sorted(graph.objects(None, URIRef(prop))):
                if str(value) not in spec["values"]:
                    raise refuse(value, role)


# --- small helpers -------------------------------------------------------------------------


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


# --- what is distributed -------------------------------------------------------------------


def file_record(release: Release, files: dict[str, dict], path: str) -> dict:
    """{"bytes", "sha256"} of a release file: from `files`, or measured (datapackage.json)."""
    if path in files:
        return files[path]
    target = release.folder / path
    return {"bytes": target.stat().st_size, "sha256": sha256_file(target)}


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
        spec.update(file_record(release, files, spec["path"]))
    return sorted(out, key=lambda s: s["path"])


# --- the graph of one release --------------------------------------------------------------


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
    config = release.config
    node = URIRef(f"{dataset}#contact-point")
    graph.add((dataset, DCAT.contactPoint, node))
    graph.add((node, RDF.type, VCARD.Kind))
    graph.add((node, RDF.type, VCARD.Organization))
    graph.add((node, VCARD.fn, Literal(config.contact_name)))
    graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{config.contact_email}")))
    graph.add((node, VCARD.hasURL, URIRef(config.contact_url)))


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
    add_value(graph, node, DCAT.mediaType, MEDIA_TYPES[spec["kind"]], "media_type", allowed)
    graph.add((node, DCAT.byteSize, Literal(spec["bytes"], datatype=XSD.nonNegativeInteger)))
    graph.add((node, DCT.issued, date_time(release.created)))
    if spec["path"].startswith("data/"):
        graph.add((node, DCT.conformsTo, file_url(release, DATAPACKAGE)))
    checksum = URIRef(f"{node}-sha256")
    graph.add((node, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    add_value(graph, checksum, SPDX.algorithm, CHECKSUM_ALGORITHM, "checksum_algorithm", allowed)
    graph.add((checksum, SPDX.checksumValue, Literal(spec["sha256"], datatype=XSD.hexBinary)))


def landing_page(release: Release, specs: list[dict]) -> URIRef:
    """The release's own index.html when there is one, else the dataset's homepage."""
    if any(s["path"] == LANDING_PAGE for s in specs):
        return file_url(release, LANDING_PAGE)
    return URIRef(release.meta["homepage"])


def release_graph(release: Release, specs: list[dict]) -> Graph:
    """The complete DCAT description of one release, checked against the allowed values."""
    if not release.config.base_url.startswith("https://"):
        raise PublishConflict(
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


# --- serialisation -------------------------------------------------------------------------


def turtle(graph: Graph) -> bytes:
    """Turtle 1.1, sorted by rdflib (the theme is written overheid:Werk_\\(thema\\), with the
    escapes Turtle 1.1 allows in a prefixed name)."""
    return graph.serialize(format="turtle", encoding="utf-8")


def canonical(value: object) -> object:
    """JSON with every list sorted (RDF values are unordered), for byte-stable output."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def jsonld(graph: Graph) -> bytes:
    """Compact JSON-LD with the prefixes as its context, keys and values sorted."""
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    text = json.dumps(canonical(data), indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def json_bytes(data: object) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


# --- the CKAN package ----------------------------------------------------------------------


def ckan_resource(release: Release, spec: dict) -> dict:
    """A distribution as a CKAN resource with the DCAT-AP-DONL 1.1 field names."""
    url = str(file_url(release, spec["path"]))
    return {
        "url": url,
        "download_url": [url],
        "name": spec["title_nl"],
        "description": spec["description_nl"],
        "metadata_language": str(METADATA_LANGUAGE),
        "language": [str(x) for x in LANGUAGES],
        "license_id": str(LICENCE),
        "format": str(FILE_TYPES[spec["kind"]]),
        "media_type": str(MEDIA_TYPES[spec["kind"]]),
        "size": spec["bytes"],
        "hash": spec["sha256"],
        "hash_algorithm": str(CHECKSUM_ALGORITHM),
        "release_date": portal_time(release.created),
    }


def ckan_package(release: Release, specs: list[dict]) -> dict:
    """The portal's record of the stable dataset as of this release (ckanext-dataoverheid)."""
    meta, config = release.meta, release.config
    stable = stable_id(release)
    years = edition_years(release)
    versions = [e["version"] for e in release.history] + [release.version]
    package = {
        "name": meta["name"],
        "identifier": stable,
        "title": meta["title_nl"],
        "notes": f"{meta['description_nl']}\n\n{meta['description_en']}",
        "metadata_language": str(METADATA_LANGUAGE),
        "language": [str(x) for x in LANGUAGES],
        "theme": [str(THEME)],
        "modified": portal_time(release.created),
        "issued": portal_time(first_issued(release)),
        "authority": str(PUBLISHER),
        "publisher": str(PUBLISHER),
        "contact_point_name": config.contact_name,
        "contact_point_email": config.contact_email,
        "contact_point_website": config.contact_url,
        "license_id": str(LICENCE),
        "access_rights": str(ACCESS_RIGHTS),
        "frequency": str(FREQUENCY),
        "dataset_status": str(STATUS),
        "version": release.version,
        "version_notes": [version_notes(release.changelog)],
        "has_version": [f"{stable}/{v}" for v in versions],
        "conforms_to": [str(file_url(release, DATAPACKAGE))],
        "documentation": [meta["homepage"]],
        "url": str(landing_page(release, specs)),
        "tags": [{"name": k} for k in meta.get("keywords", [])],
        "resources": [ckan_resource(release, s) for s in specs],
    }
    if years:
        package["temporal_start"] = f"{years[0]}-01-01T00:00:00"
        package["temporal_end"] = f"{years[-1]}-12-31T23:59:59"
    return package


def release_files(release: Release, files: dict[str, dict]) -> dict[str, bytes]:
    """dcat.jsonld, dcat.ttl and ckan_package.json of this release."""
    specs = distributions(release, files)
    graph = release_graph(release, specs)
    package = ckan_package(release, specs)
    return {
        "dcat.jsonld": jsonld(graph),
        "dcat.ttl": turtle(graph),
        "ckan_package.json": json_bytes(package),
    }


# --- the feed beside the releases ----------------------------------------------------------


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


def root_files(root: Path, catalog: dict) -> dict[str, bytes]:
    """The feed: dcat.jsonld and dcat.ttl beside the version folders (none before the first
    release with DCAT files)."""
    graph = feed_graph(root, catalog)
    if graph is None:
        return {}
    return {"dcat.jsonld": jsonld(graph), "dcat.ttl": turtle(graph)}
