"""The files beside the data tables in a release (views, landing page, DCAT, CKAN) and beside
the releases (the feed, the latest page): an ordered list of generators, each a small module.

A generator module has `FORMAT` (an integer raised whenever its output changes for the same
data, so that the next publish makes a PATCH version carrying the new files), `LABEL` (the files
it writes, as a changelog names them) and
`release_files(release, files) -> {path: bytes}`; it may have `root_files(root, catalog)`.
`files` holds the bytes and sha256 of every file written before it, by relative path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pyarrow as pa

from pipeline.core.config import Config


@dataclass
class Release:
    """Everything a generator may describe about the release being built."""

    folder: Path
    version: str
    previous: str | None
    created: str
    descriptor: dict
    meta: dict
    config: Config
    tables: dict[str, pa.Table]
    changelog: str
    schemas: Path  # the project's schemas/ (the DCAT allowed values are there)
    history: list[dict] = field(default_factory=list)  # catalog entries of earlier versions


def generators() -> list[ModuleType]:
    """The generators in the order they run (a later one may describe an earlier one's file)."""
    from pipeline.render import dcat, landing, views

    return [views, landing, dcat]  # dcat last: it describes the files written before it


def formats() -> dict[str, int]:
    """{generator LABEL: FORMAT}, recorded in changes.json and compared between releases."""
    return {g.LABEL: g.FORMAT for g in generators()}


def write_release_files(release: Release, files: dict[str, dict], record) -> None:
    """Run every generator into the release folder, adding each new file to `files`."""
    for generator in generators():
        for rel, data in generator.release_files(release, dict(files)).items():
            path = release.folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files[rel] = record(path)


def root_files(root: Path, catalog: dict) -> dict[str, bytes]:
    """The files beside the version folders that generators derive from the catalog."""
    out: dict[str, bytes] = {}
    for generator in generators():
        if hasattr(generator, "root_files"):
            out.update(generator.root_files(root, catalog))
    return out
