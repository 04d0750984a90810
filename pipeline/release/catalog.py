"""catalog.json and the other files derived from the set of versions, and the pins that anchor
each version from outside its folder.

A version's pins are its catalog entry's `datapackage_sha256` (the sha256 of its
datapackage.json), `sha256sums_sha256` (of its SHA256SUMS) and `file_bytes` (the size of every
file of the release, SHA256SUMS included, since SHA256SUMS holds no sizes). SHA256SUMS holds the
sha256 of every other file, so the pins anchor every byte of the release. A version gets its
pins from its files once, when it lands (or is rolled forward after a crash); every later
publish carries them forward unchanged, never recomputing them from the files.

Everything else in the catalog, and the dataset-level files (the landing page, the DCAT feed),
is rebuilt from the release folders: publish writes what `derived_files` gives, and verify
compares the files on disk with it.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.core.files import json_bytes, relative_files, sha256_file
from pipeline.release.records import (
    CATALOG,
    CHECKSUMS,
    DESCRIPTOR,
    PIN_FIELDS,
    read_changes,
    read_descriptor,
)
from pipeline.release.versioning import rows_by_key
from pipeline.render import registry

PIN_KEYS = ("datapackage_sha256", *PIN_FIELDS)


def pins_of(folder: Path) -> dict:
    """The pins of a version folder as its files are now (only for a version that just landed)."""
    return {
        "datapackage_sha256": sha256_file(folder / DESCRIPTOR),
        "sha256sums_sha256": sha256_file(folder / CHECKSUMS),
        "file_bytes": file_sizes(folder),
    }


def file_sizes(folder: Path) -> dict[str, int]:
    """{relative path: bytes} of every file in a release folder."""
    return {rel: (folder / rel).stat().st_size for rel in relative_files(folder, folder)}


def pins_in(entry: dict) -> dict | None:
    """The pins a catalog entry holds, in catalog order; None for an unpinned entry."""
    if not all(key in entry for key in PIN_KEYS):
        return None
    return {key: entry[key] for key in PIN_KEYS}


def facts_of(folder: Path) -> dict:
    """The catalog entry's fields that are read from the release folder itself."""
    descriptor = read_descriptor(folder)
    change = read_changes(folder)
    editions_csv = (folder / "data" / "editions.csv").read_bytes()
    editions = sorted(int(r["edition"]) for r in rows_by_key(editions_csv, ["edition"]).values())
    return {
        "version": folder.name,
        "created": descriptor.get("created"),
        "bump": change.get("bump"),
        "reason": change.get("summary"),
        "editions": editions,
    }


def catalog_of(root: Path, known: list[str], pins: dict[str, dict]) -> dict:
    """The catalog of the version folders `known` (oldest first), each with its `pins`."""
    entries = [{**facts_of(root / version), **pins[version]} for version in known]
    return {"name": root.name, "latest": known[-1], "versions": entries}


def derived_files(root: Path, catalog: dict) -> dict[str, bytes]:
    """catalog.json, then the files beside the version folders the generators derive from it."""
    return {CATALOG: json_bytes(catalog), **registry.root_files(root, catalog)}
