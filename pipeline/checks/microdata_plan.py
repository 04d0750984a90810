"""What the plan of an edition's respondent data holds: the columns of its files by role and
the parts to check, shared by the plan (microdata_checks.py) and the merge (microdata_merge.py)."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.checks.microdata_file import FilePart
from pipeline.checks.microdata_report import MicrodataCheck, PublicProblem
from pipeline.ingest.microdata import MicrodataSpec


@dataclass
class Layout:
    """The columns of the file by role, as the checks may use them."""

    usable: dict[str, str]  # role (respondent_id, population_id, weight, ...) -> column
    items: list[str]
    breakdowns: list[str]
    ignored: list[str]
    skipped_items: list[str]
    skipped_breakdowns: list[str]
    problems: list[PublicProblem]


@dataclass(frozen=True)
class MicrodataPlan:
    """An edition's respondent data as planned from the files' footers: the parts to check, or
    the `outcome` when no file can be checked (unreadable, or differing columns)."""

    spec: MicrodataSpec
    shown: str
    names: dict[str, str]
    layout: Layout | None
    items: dict[str, set[int]]
    parts: tuple[FilePart, ...] = ()
    outcome: MicrodataCheck | None = None
