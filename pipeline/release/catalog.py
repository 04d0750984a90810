"""catalog.json and the other files derived from the set of versions.

Every catalog entry is the facts read from its release folder plus the version's pins
(`pipeline/release/pins.py`), which are carried forward, never rebuilt. Everything else in the
catalog, and the dataset-level files (the landing page, the DCAT feed), is rebuilt from the
release folders: publish writes what `derived_files` gives, and verify compares the files on
disk with it.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.core.files import json_bytes
from pipeline.release.records import CATALOG, read_changes, read_descriptor, rows_by_key
from pipeline.render import registry


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
