"""The schema.org `Dataset` of a release, as the JSON-LD its landing page carries for search
engines (Google Dataset Search and others read it). It is made from the facts the DCAT
description is made from (`pipeline.render.dcat.facts` and `pipeline.render.dcat.vocabulary`):
the same identifiers, URLs, licence, publisher, dates, editions and files, so the two never
disagree.

A release's page describes that version: its `@id` and `identifier` are `{stable}/{version}`
and its `url` is the release's index.html. The dataset's page (the latest release's page beside
the version folders) describes the stable dataset: `dataset_page` puts the stable identifier
and the dataset page's URL in the latest release's description, whose files, dates and version
are the dataset's as of that release. Every download URL is in the version folder, never under
`latest/`, so that the sizes and hashes stated stay true.
"""

from __future__ import annotations

from pipeline.render.dcat.facts import (
    distributions,
    edition_years,
    file_url,
    first_issued,
    version_iri,
)
from pipeline.render.dcat.vocabulary import (
    ACCESS_RIGHTS,
    EU,
    LANDING_PAGE,
    LANGUAGES,
    LICENCE,
    PUBLISHER,
    allowed_values,
    label_of,
)
from pipeline.render.protocol import Release

CONTEXT = "https://schema.org"


# The BCP 47 tags of the EU languages the DCAT description names.
LANGUAGE_TAGS = {EU + "language/NLD": "nl", EU + "language/ENG": "en"}


def organisation(release: Release) -> dict:
    """The publisher as a schema.org Organization: the DCAT publisher's label, the contact
    point's website."""
    name = label_of(allowed_values(release.schemas), PUBLISHER, "publisher")
    _, _, website = release.config.contact(release.meta)
    return {"@type": "Organization", "name": name, "url": website}


def variables(release: Release) -> list[dict]:
    """Every indicator as a PropertyValue with its labels (Dutch / English) and unit."""
    indicators = release.tables["indicators"]
    rows = zip(
        *(indicators.column(c).to_pylist() for c in ("indicator_id", "label_nl", "label_en")),
        indicators.column("unit").to_pylist(),
        strict=True,
    )
    return [
        {
            "@type": "PropertyValue",
            "propertyID": indicator,
            "name": f"{nl} / {en}",
            "unitText": unit,
        }
        for indicator, nl, en, unit in rows
    ]


def downloads(release: Release, files: dict[str, dict]) -> list[dict]:
    """Every data file of the release as a DataDownload: its URL in the version folder, media
    type, size in bytes (digits) and sha256."""
    return [
        {
            "@type": "DataDownload",
            "name": f"{spec['title_nl']} / {spec['title_en']}",
            "contentUrl": str(file_url(release, spec["path"])),
            "encodingFormat": spec["mediatype"],
            "contentSize": str(spec["bytes"]),
            "sha256": spec["sha256"],
        }
        for spec in distributions(release, files)
        if spec["path"].startswith("data/")
    ]


def spatial(meta: dict) -> dict | None:
    """The area the figures cover (schemas/dataset.json `spatial`), as a schema.org Place."""
    area = meta.get("spatial")
    if not area:
        return None
    return {"@type": "Place", "name": area["name"], "sameAs": area["uri"]}


def release_dataset(release: Release, files: dict[str, dict]) -> dict:
    """The schema.org Dataset of this release (see the module docstring)."""
    meta = release.meta
    identifier = str(version_iri(release))
    publisher = organisation(release)
    out: dict = {
        "@context": CONTEXT,
        "@type": "Dataset",
        "@id": identifier,
        "identifier": identifier,
        "url": str(file_url(release, LANDING_PAGE)),
        "name": meta["title"],
        "description": f"{meta['description_nl']}\n\n{meta['description_en']}",
        "version": release.version,
        "license": str(LICENCE),
        "creator": publisher,
        "publisher": publisher,
        "datePublished": first_issued(release),
        "dateModified": release.created,
        "inLanguage": [LANGUAGE_TAGS[str(language)] for language in LANGUAGES],
        "keywords": list(meta.get("keywords", [])),
        # The DCAT access rights are PUBLIC: anyone may download every file, at no cost.
        "isAccessibleForFree": str(ACCESS_RIGHTS).endswith("/PUBLIC"),
        "variableMeasured": variables(release),
        "distribution": downloads(release, files),
    }
    years = edition_years(release)
    if years:  # the period DCAT's dct:temporal states: first to last edition year
        out["temporalCoverage"] = f"{years[0]}-01-01/{years[-1]}-12-31"
    place = spatial(meta)
    if place:
        out["spatialCoverage"] = place
    if meta.get("citation"):
        out["citation"] = meta["citation"].format(version=release.version)
    return out


def dataset_page(described: dict) -> dict:
    """The dataset page's Dataset from its latest release's: the stable identifier (the
    release's without `/{version}`) and the dataset page's URL."""
    stable = described["identifier"].removesuffix(f"/{described['version']}")
    return {**described, "@id": stable, "identifier": stable, "url": f"{stable}/{LANDING_PAGE}"}
