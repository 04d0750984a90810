"""The input of disclosure control for one edition: the population tree, the breakdowns, the
indicators with their items, and the unweighted counts per cell and per group."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pipeline.core.breakdowns import TOTAL

# A cell: (population_id, breakdown_id, breakdown_value, indicator_id); the whole population of
# a node is (population_id, "totaal", "totaal", indicator_id).
Key = tuple[str, str, str, str]
# A group of respondents regardless of item: (population_id, breakdown_id, breakdown_value).
Group = tuple[str, str, str]


@dataclass(frozen=True)
class Earlier:
    """What one earlier release showed of one cell. Published (conf_status F): its respondents
    and, for an indicator of a sensitive item, the count of counted answers an attacker reads
    from it, round(value x respondents / 100) (exact under equal weights while the rounding of
    the published value allows; None for other items). Suppressed: respondents None. The
    thresholds are the ones that release states. D11, docs/disclosure.md "Revisions"."""

    version: str
    respondents: int | None
    counted: int | None = None
    threshold: int = 10
    sensitive_threshold: int = 5

    @property
    def published(self) -> bool:
        return self.respondents is not None


@dataclass(frozen=True)
class Table:
    """Counts for one edition.

    parents: every population node -> its parent (None for a root); a parent is the union of
    its leaf children. breakdowns: breakdown_id -> its values, `onbekend` included (not totaal).
    items: indicator_id -> item_id. sensitive: the sensitive item ids.
    n: respondents who answered the indicator's item, per cell (every cell of the structure).
    yes, no: for indicators of sensitive items, those answering a counted code / another code
    (a missing count is taken as 0, so the cell is suppressed: the safe side).
    group_n: respondents per group regardless of item (D2); a missing group is not judged.
    classes: (population_id, breakdown_id, breakdown_value, item_id) -> the unweighted count of
    each answer class of the item in that cell (`pipeline.disclose.classes`); they sum to the
    cell's n of each of the item's indicators. Empty: one class per item, equal to n.
    earlier: per cell, what each earlier release of the edition published of it (D11,
    `pipeline.disclose.differencing`); reading: per cell of a sensitive indicator, the count of
    counted answers the new release's rounded value gives (round(value x n / 100)).
    known: the cells an earlier release published that have not changed since: the audit
    takes them as constants even when the new pattern suppresses them, and a suppressed known
    cell protects no other (`differencing.with_earlier` fills earlier, reading and known).
    """

    parents: Mapping[str, str | None]
    breakdowns: Mapping[str, tuple[str, ...]]
    items: Mapping[str, str]
    n: Mapping[Key, int]
    sensitive: frozenset[str] = frozenset()
    yes: Mapping[Key, int] = field(default_factory=dict)
    no: Mapping[Key, int] = field(default_factory=dict)
    group_n: Mapping[Group, int] = field(default_factory=dict)
    classes: Mapping[tuple[str, str, str, str], tuple[int, ...]] = field(default_factory=dict)
    earlier: Mapping[Key, tuple[Earlier, ...]] = field(default_factory=dict)
    reading: Mapping[Key, int] = field(default_factory=dict)
    known: frozenset[Key] = frozenset()

    def populations(self) -> list[str]:
        """Every population node, sorted."""
        return sorted(self.parents)

    def children(self) -> dict[str, list[str]]:
        """Parent -> its children, sorted (only nodes that have children)."""
        out: dict[str, list[str]] = {}
        for node, parent in self.parents.items():
            if parent is not None:
                out.setdefault(parent, []).append(node)
        return {p: sorted(c) for p, c in sorted(out.items())}

    def columns(self) -> list[tuple[str, str]]:
        """(breakdown_id, value) of every breakdown cell, totaal first."""
        cols = [(TOTAL, TOTAL)]
        for b in sorted(self.breakdowns):
            cols.extend((b, v) for v in self.breakdowns[b])
        return cols

    def indicators(self) -> list[str]:
        """Every indicator, sorted."""
        return sorted(self.items)

    def item_indicators(self) -> dict[str, list[str]]:
        """Item -> its indicators, sorted."""
        out: dict[str, list[str]] = {}
        for ind, item in sorted(self.items.items()):
            out.setdefault(item, []).append(ind)
        return out
