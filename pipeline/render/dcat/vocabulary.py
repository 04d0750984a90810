"""The DCAT vocabulary werkdata writes: namespaces, the fixed IRIs of the dataset's controlled
roles, file and media types, and the check of every controlled value against the project's
schemas/dcat/allowed-values.json."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from pipeline.core.errors import BuildFailed, ConfigurationInvalid

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


def media_type_iri(media_type: str) -> URIRef:
    """The IANA IRI of a media type (the file record's "mediatype")."""
    return URIRef(IANA + media_type)


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


def allowed_values(schemas: Path) -> dict[str, dict]:
    """{role: {"properties": [IRI], "values": {IRI: label}}} from the project's
    schemas/dcat/allowed-values.json (read for each release: a long-running worker must see an
    edited list)."""
    path = schemas / ALLOWED_VALUES
    if not path.is_file():
        raise ConfigurationInvalid(f"DCAT: the allowed values are missing: {path}")
    roles = json.loads(path.read_text(encoding="utf-8"))["roles"]
    return {
        role: {
            "properties": spec["properties"],
            "values": {v["uri"]: v.get("label", "") for v in spec["values"]},
        }
        for role, spec in roles.items()
    }


def refuse(uri: object, role: str) -> BuildFailed:
    """The error for a value the portal would not accept."""
    return BuildFailed(
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
    """Raise BuildFailed naming the first IRI in a controlled role that is not listed."""
    for role, spec in sorted(allowed.items()):
        for prop in spec["properties"]:
            for value in sorted(graph.objects(None, URIRef(prop))):
                if str(value) not in spec["values"]:
                    raise refuse(value, role)
