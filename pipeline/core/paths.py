"""Every path convention of the project in one place, with the allowlists that keep names safe."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import UnsafeName

DATASET = "werkonderzoek"
EDITION_PATTERN = re.compile(r"^(19|20|21)\d{2}$")
DATASET_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
VERSION_PATTERN = re.compile(r"^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$")
CODELISTS = "codelists"
STAGING_PREFIX = ".staging-"


def check_name(name: str, pattern: re.Pattern[str], what: str) -> str:
    """Return `name` when it matches the allowlist `pattern`, else raise UnsafeName."""
    if not isinstance(name, str) or not pattern.fullmatch(name):
        raise UnsafeName(f"{what} name {name!r} is not allowed (expected {pattern.pattern})")
    return name


def inside(root: Path, path: Path) -> Path:
    """Return `path` resolved, after proving it stays inside `root`."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise UnsafeName(f"path {path} leaves {root}")
    return resolved


@dataclass(frozen=True)
class Project:
    """Where a project's inputs, schemas and outputs are; the defaults are the repository's."""

    root: Path
    raw: Path
    published: Path
    schemas: Path

    @classmethod
    def at(
        cls,
        root: Path | str = ".",
        raw: Path | str | None = None,
        published: Path | str | None = None,
        schemas: Path | str | None = None,
    ) -> Project:
        """A project rooted at `root`, with each folder overridable."""
        base = Path(root).resolve()
        return cls(
            root=base,
            raw=Path(raw).resolve() if raw else base / "raw",
            published=Path(published).resolve() if published else base / "published",
            schemas=Path(schemas).resolve() if schemas else base / "schemas",
        )

    @property
    def config_file(self) -> Path:
        return self.root / "werkdata.toml"

    @property
    def codelists(self) -> Path:
        return self.raw / CODELISTS

    def edition_dirs(self) -> list[Path]:
        """Every folder under raw/ except codelists, sorted; names are checked by validation."""
        if not self.raw.is_dir():
            return []
        return sorted(
            p
            for p in self.raw.iterdir()
            if p.is_dir() and p.name != CODELISTS and not p.name.startswith(".")
        )

    def dataset_dir(self, dataset: str = DATASET) -> Path:
        check_name(dataset, DATASET_PATTERN, "dataset")
        return inside(self.published, self.published / dataset)

    def version_dir(self, version: str, dataset: str = DATASET) -> Path:
        check_name(version, VERSION_PATTERN, "version")
        root = self.dataset_dir(dataset)
        return inside(root, root / version)
