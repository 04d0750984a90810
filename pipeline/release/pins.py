"""The pins that anchor each version from outside its folder, in its catalog.json entry.

A version's pins are `datapackage_sha256` (the sha256 of its datapackage.json),
`sha256sums_sha256` (of its SHA256SUMS) and `file_bytes` (the size of every file of the
release, SHA256SUMS included, since SHA256SUMS holds no sizes). SHA256SUMS holds the sha256 of
every other file, so the pins anchor every byte of the release. A version gets its pins from
its files once, when it lands (or is rolled forward after a crash); every later publish carries
them forward unchanged, never recomputing them from the files.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.core.files import relative_files, sha256_file
from pipeline.release.records import CATALOG, CHECKSUMS, DESCRIPTOR, PIN_FIELDS

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


def pin_problems(folder: Path, pins: dict) -> list[str]:
    """Every way a release folder differs from the pins catalog.json keeps for it."""
    name = folder.name
    problems = [
        f"{name}/{rel}: sha256 differs from {CATALOG}"
        for rel, key in ((DESCRIPTOR, "datapackage_sha256"), (CHECKSUMS, "sha256sums_sha256"))
        if (folder / rel).is_file() and sha256_file(folder / rel) != pins[key]
    ]
    pinned = pins["file_bytes"]
    present = file_sizes(folder)
    problems += [f"{name}/{rel}: missing" for rel in sorted(pinned.keys() - present.keys())]
    problems += [
        f"{name}/{rel}: not recorded in {CATALOG}" for rel in sorted(present.keys() - pinned)
    ]
    problems += [
        f"{name}/{rel}: {present[rel]} bytes, {CATALOG} says {pinned[rel]}"
        for rel in sorted(present.keys() & pinned.keys())
        if present[rel] != pinned[rel]
    ]
    return problems
