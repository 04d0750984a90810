"""Checks published releases against what they recorded: every file's size and sha256, the
catalog against the version folders, and (for staging) the package with frictionless."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pipeline.files import sha256_file

CHECKSUMS = "SHA256SUMS"


def read_checksums(folder: Path) -> dict[str, str]:
    lines = (folder / CHECKSUMS).read_text(encoding="utf-8").splitlines()
    return {path: digest for digest, path in (line.split("  ", 1) for line in lines if line)}


def folder_problems(folder: Path) -> list[str]:
    """Every way a release folder differs from its own records; empty when it is intact."""
    name = folder.name
    if not (folder / CHECKSUMS).is_file():
        return [f"{name}/{CHECKSUMS}: missing"]
    problems = []
    try:
        recorded = read_checksums(folder)
    except ValueError:
        return [f"{name}/{CHECKSUMS}: a line is not '<sha256>  <path>'"]
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    present.discard(CHECKSUMS)
    for rel in sorted(recorded.keys() - present):
        problems.append(f"{name}/{rel}: missing")
    for rel in sorted(present - recorded.keys()):
        problems.append(f"{name}/{rel}: not recorded in {CHECKSUMS}")
    for rel in sorted(recorded.keys() & present):
        if sha256_file(folder / rel) != recorded[rel]:
            problems.append(f"{name}/{rel}: sha256 differs from {CHECKSUMS}")
    if not (folder / "datapackage.json").is_file():
        missing = f"{name}/datapackage.json: missing"
        return problems if missing in problems else [*problems, missing]
    try:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except ValueError as exc:
        return [*problems, f"{name}/datapackage.json: not valid JSON ({exc})"]
    for res in descriptor.get("resources", []):
        path = folder / res["path"]
        if not path.is_file():
            continue  # already reported as missing
        if "bytes" in res and path.stat().st_size != res["bytes"]:
            problems.append(
                f"{name}/{res['path']}: {path.stat().st_size} bytes, "
                f"datapackage.json says {res['bytes']}"
            )
        if res.get("hash") and res["hash"] != f"sha256:{sha256_file(path)}":
            problems.append(f"{name}/{res['path']}: sha256 differs from datapackage.json")
    return problems


def frictionless_problems(folder: Path, formats: tuple[str, ...] | None = None) -> list[str]:
    """`frictionless validate` on the release's datapackage.json (only the resources of
    `formats` when given), as problem lines."""
    from frictionless import Package

    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    if formats is not None:
        descriptor["resources"] = [r for r in descriptor["resources"] if r["format"] in formats]
    report = Package(descriptor, basepath=str(folder)).validate()
    return [
        f"{folder.name}/{task.place}: {e.type}: {e.message}"
        for task in report.tasks
        for e in task.errors
    ] + [f"{folder.name}/datapackage.json: {e.type}: {e.message}" for e in report.errors]


def catalog_problems(root: Path, known: list[str]) -> list[str]:
    """The catalog and the latest link against the version folders."""
    problems = []
    catalog_path = root / "catalog.json"
    if not catalog_path.is_file():
        return [f"{root.name}/catalog.json: missing"] if known else []
    try:
        catalog = json.loads(catalog_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [f"{root.name}/catalog.json: not valid JSON ({exc})"]
    listed = {e["version"]: e for e in catalog.get("versions", [])}
    for version in sorted(set(known) - listed.keys()):
        problems.append(f"{root.name}/catalog.json: version {version} is not listed")
    for version in sorted(listed.keys() - set(known)):
        problems.append(f"{root.name}/catalog.json: lists {version}, which has no folder")
    for version in sorted(set(known) & listed.keys()):
        path = root / version / "datapackage.json"
        if path.is_file() and sha256_file(path) != listed[version]["datapackage_sha256"]:
            problems.append(
                f"{root.name}/{version}/datapackage.json: sha256 differs from catalog.json"
            )
    link = root / "latest"
    if known and (not link.is_symlink() or os.readlink(link) != known[-1]):
        problems.append(f"{root.name}/latest: does not point to {known[-1]}")
    return problems


def verify_dataset(root: Path) -> tuple[list[str], list[str]]:
    """(versions checked, problems) for every release of one dataset."""
    from pipeline.publish import versions

    known = versions(root)
    problems = []
    for version in known:
        problems.extend(folder_problems(root / version))
    problems.extend(catalog_problems(root, known))
    return known, problems
