"""What a side-file generator is given and what it must provide.

A generator is a small module with `FORMAT` (an integer raised whenever its output changes for
the same data, so that the next publish makes a PATCH version carrying the new files), `LABEL`
(the files it writes, as a changelog names them) and `release_files(release, files) -> {path:
bytes}`; it may have `root_files(root, catalog) -> {path: bytes}` for files beside the
releases. `files` holds the bytes and sha256 of every file written before it, by relative path.
The registry (`pipeline.render.registry`) lists the generators in the order they run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

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


class Generator(Protocol):
    """The shape of a generator module (see the module docstring)."""

    FORMAT: int
    LABEL: str

    def release_files(self, release: Release, files: dict[str, dict]) -> dict[str, bytes]: ...
