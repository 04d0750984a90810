"""The `microdata:` section of an edition.yaml: where an edition's respondent file(s) are and
which columns carry the survey design (docs: README, "Respondent data").

Reading only: the section's keys and values are checked by validation, which reports every
problem; `microdata_spec` assumes a section that passed those checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

KEYS = ("path", "weight", "strata", "psu", "fpc", "synthetic")
REQUIRED = ("path", "weight", "synthetic")
DESIGN_KEYS = ("weight", "strata", "psu", "fpc")  # each names a column of the respondent files


@dataclass(frozen=True)
class MicrodataSpec:
    """One edition's respondent data: a Parquet file or a folder of them, and its design."""

    path: Path
    weight: str
    synthetic: bool
    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None

    def files(self) -> list[Path]:
        """The Parquet files, sorted by name: the file itself, or every *.parquet of the folder."""
        if self.path.is_dir():
            return sorted(p for p in self.path.iterdir() if p.suffix == ".parquet" and p.is_file())
        return [self.path]

    def design_columns(self) -> list[str]:
        """The columns named by the design, in a fixed order (weight, strata, psu, fpc)."""
        return [c for c in (self.weight, self.strata, self.psu, self.fpc) if c]


def microdata_spec(meta: object, edition_folder: Path) -> MicrodataSpec | None:
    """The spec of edition.yaml's `microdata:` section (loaded YAML), or None without one. A
    relative `path` is relative to the edition folder."""
    if not isinstance(meta, dict) or not isinstance(meta.get("microdata"), dict):
        return None
    section = meta["microdata"]
    path = Path(str(section["path"]))
    return MicrodataSpec(
        path=path if path.is_absolute() else edition_folder / path,
        weight=str(section["weight"]),
        synthetic=bool(section["synthetic"]),
        strata=optional(section.get("strata")),
        psu=optional(section.get("psu")),
        fpc=optional(section.get("fpc")),
    )


def optional(value: object) -> str | None:
    return None if value in (None, "") else str(value)
