"""Checks published releases against what they recorded and against the pins catalog.json keeps
outside their folders; rebuilds the dataset-level files from the releases and compares them.

What it detects (the threat model, docs/reliability.md): accidental damage, and any change to a
release by someone who does not also rewrite the pins in catalog.json. Per version: every file
against SHA256SUMS and its size in catalog.json, SHA256SUMS and datapackage.json against their
pins, the data files against datapackage.json. Per dataset: the versions catalog.json lists,
`latest`, and (once every release is intact) catalog.json, index.html and dcat.* byte for byte
against what `catalog.derived_files` rebuilds from the releases, the same code publish writes
them with.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.core.errors import IntegrityError
from pipeline.core.files import relative_files, sha256_file
from pipeline.release.catalog import catalog_of, derived_files
from pipeline.release.pins import pin_problems, pins_in, pins_of
from pipeline.release.records import (
    CATALOG,
    CHECKSUMS,
    DESCRIPTOR,
    read_catalog,
    read_checksums,
    read_descriptor,
    version_key,
    versions,
)

REPAIR = "(`werkdata publish` rewrites it)"
RESTORE = "restore catalog.json from the publication's record (git)"


def unique(problems: list[str]) -> list[str]:
    """The problems in order, each once (a missing file is missing from every record)."""
    return list(dict.fromkeys(problems))


def folder_problems(folder: Path) -> list[str]:
    """Every way a release folder differs from its own records; empty when it is intact."""
    name = folder.name
    try:
        recorded = read_checksums(folder)
    except IntegrityError as exc:
        return exc.problems
    present = set(relative_files(folder, folder)) - {CHECKSUMS}
    problems = [f"{name}/{rel}: missing" for rel in sorted(recorded.keys() - present)]
    problems += [
        f"{name}/{rel}: not recorded in {CHECKSUMS}" for rel in sorted(present - recorded.keys())
    ]
    problems += [
        f"{name}/{rel}: sha256 differs from {CHECKSUMS}"
        for rel in sorted(recorded.keys() & present)
        if sha256_file(folder / rel) != recorded[rel]
    ]
    try:
        descriptor = read_descriptor(folder)
    except IntegrityError as exc:
        return unique(problems + exc.problems)
    return problems + resource_problems(folder, descriptor)


def resource_problems(folder: Path, descriptor: dict) -> list[str]:
    """Every data file against the bytes and hash datapackage.json gives it."""
    problems = []
    for res in descriptor["resources"]:
        path = folder / res["path"]
        if not path.is_file():
            continue  # reported as missing from SHA256SUMS
        size = path.stat().st_size
        if "bytes" in res and size != res["bytes"]:
            problems.append(
                f"{folder.name}/{res['path']}: {size} bytes, {DESCRIPTOR} says {res['bytes']}"
            )
        if "hash" in res and res["hash"] != f"sha256:{sha256_file(path)}":
            problems.append(f"{folder.name}/{res['path']}: sha256 differs from {DESCRIPTOR}")
    return problems


def version_problems(root: Path, version: str, entry: dict | None) -> list[str]:
    """A version folder against its own records and, when catalog.json lists it (`entry`),
    against its pins; an entry without pins is a problem in itself."""
    folder = root / version
    problems = folder_problems(folder)
    if entry is not None:
        pins = pins_in(entry)
        if pins is None:
            problems.append(
                f"{root.name}/{CATALOG}: {version} is unpinned (no sha256sums_sha256 and "
                f"file_bytes); {RESTORE}"
            )
        else:
            problems += pin_problems(folder, pins)
    return unique(problems)


def entries_by_version(catalog: dict | None) -> dict[str, dict]:
    """The catalog's entries by version (none without a catalog)."""
    return {e["version"]: e for e in catalog["versions"]} if catalog else {}


def without_folder(root: Path, known: list[str], entries: dict[str, dict]) -> list[str]:
    """A listed version whose folder is gone: a release was removed."""
    gone = sorted(entries.keys() - set(known), key=version_key)
    return [f"{root.name}/{CATALOG}: lists {v}, which has no folder" for v in gone]


def carried_pins(root: Path, known: list[str]) -> dict[str, dict]:
    """The pins of every version folder `known`, for publish to write into catalog.json;
    IntegrityError listing every problem when a version folder is damaged or the catalog cannot
    be trusted.

    A listed version keeps its pins (its files are checked against them). A version the catalog
    does not list yet must be the newest, the only one that can have landed without it (in this
    run, or just before a crash); its pins are taken from its files once they pass their own
    records. Costs a sha256 of every published file (measured in docs/reliability.md).
    """
    entries = entries_by_version(read_catalog(root))
    problems = [p for v in known for p in version_problems(root, v, entries.get(v))]
    problems += without_folder(root, known, entries)
    problems += [
        f"{root.name}/{CATALOG}: {v} is not listed, but is older than {known[-1]} "
        f"(only the newest version can land before the catalog); {RESTORE}"
        for v in known[:-1]
        if v not in entries
    ]
    if problems:
        raise IntegrityError(problems)
    return {v: pins_in(entries[v]) if v in entries else pins_of(root / v) for v in known}


def catalog_problems(root: Path, known: list[str], catalog: dict | None) -> list[str]:
    """The versions catalog.json lists against the version folders."""
    if catalog is None:
        return [f"{root.name}/{CATALOG}: missing"] if known else []
    entries = entries_by_version(catalog)
    problems = [
        f"{root.name}/{CATALOG}: version {v} is not listed" for v in known if v not in entries
    ]
    return problems + without_folder(root, known, entries)


def latest_problems(root: Path, known: list[str]) -> list[str]:
    """The latest link against the newest version folder."""
    link = root / "latest"
    if known and (not link.is_symlink() or os.readlink(link) != known[-1]):
        return [f"{root.name}/latest: does not point to {known[-1]} {REPAIR}"]
    return []


def derived_problems(root: Path, known: list[str], catalog: dict) -> list[str]:
    """catalog.json, index.html and dcat.* against what publish would write from the releases,
    with the pins catalog.json holds."""
    entries = entries_by_version(catalog)
    try:
        rebuilt = derived_files(
            root, catalog_of(root, known, {v: pins_in(entries[v]) for v in known})
        )
    except IntegrityError as exc:  # a record that passed its pins yet cannot be read
        return exc.problems
    problems = []
    for name, data in rebuilt.items():
        path = root / name
        if not path.is_file():
            problems.append(f"{root.name}/{name}: missing {REPAIR}")
        elif path.read_bytes() != data:
            problems.append(f"{root.name}/{name}: differs from the one rebuilt from the releases")
    return problems


def verify_dataset(root: Path) -> tuple[list[str], list[str]]:
    """(versions checked, problems) for every release of one dataset, all problems at once."""
    known = versions(root)
    try:
        catalog, unreadable = read_catalog(root), []
    except IntegrityError as exc:
        catalog, unreadable = None, exc.problems
    entries = entries_by_version(catalog)
    problems = [p for v in known for p in version_problems(root, v, entries.get(v))]
    problems += unreadable or catalog_problems(root, known, catalog)
    if not problems and known:
        problems += derived_problems(root, known, catalog)
    problems += latest_problems(root, known)
    return known, unique(problems)


def frictionless_problems(
    folder: Path, formats: tuple[str, ...] | None = None, leave_out: frozenset[str] = frozenset()
) -> list[str]:
    """`frictionless validate` on the release's datapackage.json (only the resources of
    `formats` when given, without the resources named in `leave_out`), as problem lines."""
    from frictionless import Package  # slow to import; only publish's staging check needs it

    descriptor = read_descriptor(folder)
    if formats is not None:
        descriptor["resources"] = [r for r in descriptor["resources"] if r["format"] in formats]
    package = Package(descriptor, basepath=str(folder))
    if not leave_out:
        reports = [package.validate()]
    else:  # each other resource on its own, in the package: its foreign keys still resolve
        names = [r["name"] for r in descriptor["resources"] if r["name"] not in leave_out]
        reports = [package.get_resource(name).validate() for name in names]
    return [
        f"{folder.name}/{task.place}: {e.type}: {e.message}"
        for report in reports
        for task in report.tasks
        for e in task.errors
    ] + [f"{folder.name}/{DESCRIPTOR}: {e.type}: {e.message}" for r in reports for e in r.errors]
