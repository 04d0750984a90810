"""What the engine is told: the sampling design, the indicators and the population tree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.core.sql import check_identifier


@dataclass(frozen=True)
class Design:
    """Column names of the design. No strata: one stratum. No psu: every respondent is its own
    PSU. fpc holds the number of PSUs in the stratum's population (of persons without psu)."""

    weight: str
    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None

    def __post_init__(self) -> None:
        check_identifier(self.weight, "weight column")
        for role, name in (("strata", self.strata), ("psu", self.psu), ("fpc", self.fpc)):
            if name is not None:
                check_identifier(name, f"{role} column")


@dataclass(frozen=True)
class Indicator:
    """A share: respondents whose answer to item_id is in count_codes, among those who answered
    (not null and not in exclude_codes)."""

    indicator_id: str
    item_id: str
    count_codes: tuple[int, ...]
    exclude_codes: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        check_identifier(self.item_id, "item_id")
        if not self.count_codes:
            raise ValueError(f"indicator {self.indicator_id!r} has no count_codes")
        codes = (*self.count_codes, *self.exclude_codes)
        if not all(isinstance(code, int) and not isinstance(code, bool) for code in codes):
            raise ValueError(f"indicator {self.indicator_id!r}: codes must be integers")
        overlap = set(self.count_codes) & set(self.exclude_codes)
        if overlap:
            raise ValueError(
                f"indicator {self.indicator_id!r}: codes {sorted(overlap)} are both counted "
                "and excluded"
            )


@dataclass(frozen=True)
class PopulationTree:
    """The population tree as parent links (None for a root). Leaves are the nodes without
    children; a parent is the union of its leaves."""

    parents: Mapping[str, str | None]

    def __post_init__(self) -> None:
        for node, parent in self.parents.items():
            if parent is not None and parent not in self.parents:
                raise ValueError(f"population {node!r} has unknown parent {parent!r}")
        for node in self.parents:
            self.ancestors(node)  # raises on a cycle

    @property
    def leaves(self) -> list[str]:
        """The nodes that are no node's parent, sorted."""
        inner = {parent for parent in self.parents.values() if parent is not None}
        return sorted(node for node in self.parents if node not in inner)

    def ancestors(self, node: str) -> list[str]:
        """The node itself and every node above it, nearest first."""
        chain = [node]
        while (parent := self.parents[chain[-1]]) is not None:
            if parent in chain:
                raise ValueError(f"population tree has a cycle through {parent!r}")
            chain.append(parent)
        return chain

    def ancestry(self) -> list[tuple[str, str]]:
        """(leaf, node) for every leaf and every node that contains it, sorted."""
        return sorted((leaf, node) for leaf in self.leaves for node in self.ancestors(leaf))
