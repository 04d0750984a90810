"""How a survey agency would lay out the synthetic respondents: file column names of its own,
populations and breakdowns as numeric codes with value labels, items with the question as the
variable label and the scale as value labels; and the `microdata:` mapping (`columns:`,
`codes:`, the design columns) that turns such a file back into the contract (README,
"Respondent data").

The item columns are the item ids in capitals (`V001`, `V_TEVREDEN_ORGANISATIE`), so that
`werkdata draft-codelists` (an item id is its variable's name lower-cased) drafts the project's
own item ids from the file; every other contract column gets a name the contract does not use.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.synth.items import Item
from pipeline.synth.shape import BREAKDOWNS, DONT_KNOW, LEAVES, SCALES

ID_COLUMN = "RespNr"
POPULATION_COLUMN = "Sector"
# design key of edition.yaml -> (the contract's synthetic column, the agency's file column)
DESIGN = {
    "weight": ("weight", "Gewicht"),
    "strata": ("stratum", "Stratum"),
    "psu": ("psu", "Organisatie"),
}
# The variable labels of the columns that are not items (the items carry their question).
VARIABLE_LABELS = {
    ID_COLUMN: "Respondentnummer",
    POPULATION_COLUMN: "Sector en organisatietype",
    "Gewicht": "Weegfactor",
    "Stratum": "Steekproefstratum",
    "Organisatie": "Organisatie (trekkingseenheid)",
}
# The dialect of the synthetic CSV: a Dutch spreadsheet's export (declared in edition.yaml).
CSV_DIALECT = {"delimiter": ";", "decimal": ",", "encoding": "cp1252"}


@dataclass(frozen=True)
class Coded:
    """A contract column written as numeric codes: the file column, and per code its contract
    value and its value label."""

    contract: str
    column: str
    values: tuple[tuple[int, str, str], ...]  # (file code, contract value, value label)

    def codes(self) -> dict[str, int]:
        """contract value -> file code"""
        return {value: code for code, value, _ in self.values}

    def labels(self) -> dict[int, str]:
        """file code -> value label"""
        return {code: label for code, _, label in self.values}


@dataclass(frozen=True)
class AgencyLayout:
    """The file columns of one synthetic respondent file and how they map to the contract."""

    items: tuple[Item, ...]

    @property
    def coded(self) -> tuple[Coded, ...]:
        """The population and every breakdown, coded 1, 2, ... in the order of the code list."""
        population = Coded(
            "population_id",
            POPULATION_COLUMN,
            tuple((n, leaf.population_id, leaf.label_nl) for n, leaf in enumerate(LEAVES, start=1)),
        )
        breakdowns = tuple(
            Coded(
                spec.breakdown_id,
                breakdown_column(spec.breakdown_id),
                tuple((n, value[0], value[1]) for n, value in enumerate(spec.values, start=1)),
            )
            for spec in BREAKDOWNS
        )
        return (population, *breakdowns)

    def columns(self) -> dict[str, str]:
        """file column -> contract name: the id, the population, the breakdowns, the items."""
        result = {ID_COLUMN: "respondent_id"}
        result.update({coded.column: coded.contract for coded in self.coded})
        result.update({item_column(item): item.item_id for item in self.items})
        return result

    def file_names(self) -> dict[str, str]:
        """column of the synthetic table -> its file column (design columns included)."""
        result = {name: column for column, name in self.columns().items()}
        result.update({source: column for source, column in DESIGN.values()})
        return result

    def variable_labels(self) -> dict[str, str]:
        """file column -> variable label"""
        result = dict(VARIABLE_LABELS)
        result.update({coded.column: coded.column for coded in self.coded[1:]})
        result.update({item_column(item): item.label_nl for item in self.items})
        return result

    def value_labels(self) -> dict[str, dict[int, str]]:
        """file column -> {code: label}: the coded columns, and each item's scale (label_nl,
        "Weet niet" included)."""
        result = {coded.column: coded.labels() for coded in self.coded}
        for item in self.items:
            result[item_column(item)] = {code: nl for code, nl, _ in SCALES[item.scale_id]}
        return result

    def user_missing(self) -> dict[str, list[int]]:
        """file column -> the codes SPSS declares user-missing: "weet niet" of every item."""
        return {item_column(item): [DONT_KNOW] for item in self.items}

    def microdata_yaml(self, path: str, file_format: str) -> str:
        """The `microdata:` section of edition.yaml for a file in this layout (synthetic)."""
        lines = ["microdata:", f"  path: {path}", "  columns:"]
        lines += [f"    {column}: {name}" for column, name in self.columns().items()]
        lines.append("  codes:")
        for coded in self.coded:
            pairs = ", ".join(f"{code}: {json.dumps(value)}" for code, value, _ in coded.values)
            lines.append(f"    {coded.contract}: {{{pairs}}}")
        lines += [f"  {key}: {column}" for key, (_, column) in DESIGN.items()]
        if file_format == "csv":
            dialect = ", ".join(f"{k}: {json.dumps(v)}" for k, v in CSV_DIALECT.items())
            lines.append(f"  csv: {{{dialect}}}")
        lines.append("  synthetic: true")
        return "\n".join(lines) + "\n"


def breakdown_column(breakdown_id: str) -> str:
    """The file column of a breakdown: its id capitalised (`Leeftijd`)."""
    return breakdown_id.capitalize()


def item_column(item: Item) -> str:
    """The file column of an item: its id in capitals (`V001`)."""
    return item.item_id.upper()


def layout(items: Sequence[Item]) -> AgencyLayout:
    return AgencyLayout(tuple(items))
