"""Helpers shared by the tests of the release stage."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.files import sha256_file


def manifest(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path."""
    return {
        p.relative_to(folder).as_posix(): sha256_file(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
