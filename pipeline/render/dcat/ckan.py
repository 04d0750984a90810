"""ckan_package.json: the portal's record of the stable dataset as of a release, with the
DCAT-AP-DONL 1.1 field names (ckanext-dataoverheid)."""

from __future__ import annotations

from pipeline.render.dcat.facts import (
    edition_years,
    file_url,
    first_issued,
    landing_page,
    portal_time,
    stable_id,
    version_notes,
)
from pipeline.render.dcat.vocabulary import (
    ACCESS_RIGHTS,
    CHECKSUM_ALGORITHM,
    DATAPACKAGE,
    FILE_TYPES,
    FREQUENCY,
    LANGUAGES,
    LICENCE,
    METADATA_LANGUAGE,
    PUBLISHER,
    STATUS,
    THEME,
    media_type_iri,
)
from pipeline.render.protocol import Release


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
        "media_type": str(media_type_iri(spec["mediatype"])),
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
    contact_name, contact_email, contact_url = config.contact(meta)
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
        "contact_point_name": contact_name,
        "contact_point_email": contact_email,
        "contact_point_website": contact_url,
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
