"""Sha256 helpers of the release tests: a manifest of a folder, and an edit that keeps SHA256SUMS
matching."""

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


def append_with_checksum(folder: Path, rel: str, text: bytes) -> None:
    """Append to a release file and rewrite its line in SHA256SUMS to match."""
    path = folder / rel
    path.write_bytes(path.read_bytes() + text)
    sums = folder / "SHA256SUMS"
    lines = [
        f"{sha256_file(path)}  {rel}" if line.endswith(f"  {rel}") else line
        for line in sums.read_text(encoding="utf-8").splitlines()
    ]
    sums.write_text("\n".join(lines) + "\n", encoding="utf-8")
