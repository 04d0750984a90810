"""The `microdata:` section of an edition.yaml: where an edition's respondent file(s) are, in
which format, which columns carry the survey design, and how the file's own column names and
codes map onto the contract's (docs: README, "Respondent data").

Reading only: the section's keys and values are checked by validation, which reports every
problem; `microdata_spec` assumes a section that passed those checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

KEYS = (
    "path",
    "weight",
    "strata",
    "psu",
    "fpc",
    "synthetic",
    "columns",
    "codes",
    "missing",
    "csv",
)
REQUIRED = ("path", "weight", "synthetic")
DESIGN_KEYS = ("weight", "strata", "psu", "fpc")  # each names a column of the respondent files
# The formats a respondent file may have, by its extension (any case).
FORMATS = {".parquet": "parquet", ".sav": "sav", ".zsav": "sav", ".dta": "dta", ".csv": "csv"}
CSV_KEYS = ("delimiter", "decimal", "encoding")
# A column name as SPSS and Stata write them (capitals allowed): what `columns:` keys and the
# design keys may hold. Only the typed copy, whose columns carry the contract's names, is read
# by the checks' SQL.
FILE_COLUMN = re.compile(r"[A-Za-z@][A-Za-z0-9_.@#$]{0,63}")


@dataclass(frozen=True)
class CsvDialect:
    """How a respondent CSV file is written (`microdata: csv:`)."""

    delimiter: str = ","
    decimal: str = "."
    encoding: str = "utf-8"


@dataclass(frozen=True)
class MicrodataSpec:
    """One edition's respondent data: a file or a folder of files of one format, its design,
    and the map from the file's columns and codes to the contract's.

    After normalising (pipeline/ingest/microdata_cache.py) `cached` pairs each delivered file
    with the typed Parquet file the checks and the estimate read, whose design columns carry
    the role's name (weight, strata, psu, fpc)."""

    path: Path
    weight: str
    synthetic: bool
    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # file column -> contract name
    codes: dict[str, dict] = field(default_factory=dict)  # contract column -> {file code: value}
    missing: dict[str, int] = field(default_factory=dict)  # Stata ".a" -> answer code
    csv: CsvDialect = field(default_factory=CsvDialect)
    cached: tuple[tuple[Path, Path], ...] = ()  # (delivered file, its typed Parquet file)

    def files(self) -> list[Path]:
        """The delivered files, sorted by name: the file itself, or every file of the folder in
        a respondent format (checked to be of one format by validation)."""
        if self.path.is_dir():
            return sorted(
                p for p in self.path.iterdir() if p.is_file() and p.suffix.lower() in FORMATS
            )
        return [self.path]

    def parquet_files(self) -> list[Path]:
        """The Parquet files the checks and the estimate read: the typed files of the cache
        when the delivered files were normalised, else the delivered Parquet files in place."""
        if self.cached:
            return [parquet for _, parquet in self.cached]
        return self.files()

    def origin(self, parquet: Path | str) -> Path:
        """The delivered file that `parquet` (one of parquet_files) was made from."""
        for delivered, typed in self.cached:
            if str(typed) == str(parquet):
                return delivered
        return Path(parquet)

    def design_columns(self) -> list[str]:
        """The columns named by the design, in a fixed order (weight, strata, psu, fpc)."""
        return [c for c in (self.weight, self.strata, self.psu, self.fpc) if c]

    def design_roles(self) -> dict[str, str]:
        """{role: file column} of the design columns named."""
        return {role: getattr(self, role) for role in DESIGN_KEYS if getattr(self, role)}

    def normalised(self, cached: tuple[tuple[Path, Path], ...]) -> MicrodataSpec:
        """This spec reading `cached` typed files, whose design columns carry their role's
        name and whose columns and codes are the contract's already."""
        roles = self.design_roles()
        return replace(
            self,
            cached=cached,
            columns={},
            codes={},
            missing={},
            **{role: (role if role in roles else None) for role in DESIGN_KEYS},
        )


def file_format(path: Path) -> str | None:
    """The format of a respondent file by its extension, ignoring case; None when unknown."""
    return FORMATS.get(path.suffix.lower())


def microdata_spec(meta: object, edition_folder: Path) -> MicrodataSpec | None:
    """The spec of edition.yaml's `microdata:` section (loaded YAML), or None without one. A
    relative `path` is relative to the edition folder."""
    if not isinstance(meta, dict) or not isinstance(meta.get("microdata"), dict):
        return None
    section = meta["microdata"]
    path = Path(str(section["path"]))
    csv = section.get("csv") or {}
    return MicrodataSpec(
        path=path if path.is_absolute() else edition_folder / path,
        weight=str(section["weight"]),
        synthetic=bool(section["synthetic"]),
        strata=optional(section.get("strata")),
        psu=optional(section.get("psu")),
        fpc=optional(section.get("fpc")),
        columns={str(k): str(v) for k, v in (section.get("columns") or {}).items()},
        codes={str(k): dict(v) for k, v in (section.get("codes") or {}).items()},
        missing={str(k): int(v) for k, v in (section.get("missing") or {}).items()},
        csv=CsvDialect(**{k: str(v) for k, v in csv.items() if k in CSV_KEYS}),
    )


def optional(value: object) -> str | None:
    return None if value in (None, "") else str(value)
