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
schemas/dcat/allowed-values.json, else the release is refused (BuildFailed): the portal turns
a value it does not know into "closed licence" or drops it.

Dates are UTC and written as `YYYY-MM-DDThh:mm:ss`, the form DCAT-AP-DONL 1.1 asks for. The
output has no blank nodes and is serialised sorted, so equal inputs give equal bytes."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.files import json_bytes
from pipeline.render.dcat.ckan import ckan_package
from pipeline.render.dcat.facts import distributions
from pipeline.render.dcat.graph import feed_graph, jsonld, release_graph, turtle
from pipeline.render.protocol import Release

FORMAT = 1


LABEL = "dcat.jsonld + dcat.ttl + ckan_package.json (portal metadata)"


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


def root_files(root: Path, catalog: dict) -> dict[str, bytes]:
    """The feed: dcat.jsonld and dcat.ttl beside the version folders (none before the first
    release with DCAT files)."""
    graph = feed_graph(root, catalog)
    if graph is None:
        return {}
    return {"dcat.jsonld": jsonld(graph), "dcat.ttl": turtle(graph)}
