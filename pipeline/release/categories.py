"""Value labels of the coded fields of a release's Table Schemas: Data Package v2 `categories`,
each `{"value", "label", "label_en"}` with the Dutch label and the English one beside it
(frictionless 5.21 keeps `label_en` as it keeps any property it does not know).

They go on exactly the fields named in CODED, in every published table that has one. The labels
come from the release's own data: the code lists as built (statuses, conf_statuses, breakdowns)
and the labelled columns of the estimates, which label the implicit breakdown values totaal and
onbekend. The schema files are not changed: a column's definition lives once, in schemas/, and
the labels of its values once, in the code lists.

Other code fields get none: a foreign key such as `population_id` points to the table that
labels it, and a scale's answer `code` has its labels in the columns beside it.
"""

from __future__ import annotations

import pyarrow as pa

from pipeline.core.breakdowns import TOTAL
from pipeline.core.errors import BuildFailed

CODED = ("status", "conf_status", "unit", "breakdown_id", "breakdown_value")


# The unit has no code list: the Table Schemas' enum allows its one value, which is named here.
UNIT_LABELS = {"percent": ("procent", "percent")}


Labels = dict[str, dict[str, tuple[str, str]]]  # {field: {value: (label_nl, label_en)}}


def distinct_rows(table: pa.Table | None, columns: list[str]) -> list[tuple]:
    """The distinct rows of `columns`, in the order they first occur (none without a table)."""
    if table is None or table.num_rows == 0:
        return []
    seen: dict[tuple, None] = {}
    for row in zip(*(table.column(c).to_pylist() for c in columns), strict=True):
        seen.setdefault(row, None)
    return list(seen)


def add(labels: Labels, field: str, value: str, nl: str, en: str) -> None:
    """Record `value`'s labels for `field`; a value labelled two ways is refused."""
    known = labels[field].setdefault(value, (nl, en))
    if known != (nl, en):
        raise BuildFailed(
            f"categories: the value {value!r} of {field} has two labels, {known[0]!r} and "
            f"{nl!r}: one code has one meaning in a release (give one of them another code in "
            "raw/codelists/)"
        )


def code_labels(tables: dict[str, pa.Table]) -> Labels:
    """{field: {value: (label_nl, label_en)}} for every field of CODED, from the built tables."""
    labels: Labels = {field: {} for field in CODED}
    for code, nl, en in distinct_rows(tables.get("statuses"), ["status", "label_nl", "label_en"]):
        add(labels, "status", code, nl, en)
    conf = distinct_rows(tables.get("conf_statuses"), ["conf_status", "label_nl", "label_en"])
    for code, nl, en in conf:
        add(labels, "conf_status", code, nl, en)
    for code, (nl, en) in UNIT_LABELS.items():
        add(labels, "unit", code, nl, en)
    listed = ["breakdown_id", "value", "label_nl", "label_en"]
    values = distinct_rows(tables.get("breakdowns"), listed)
    values += distinct_rows(
        tables.get("estimates"),
        ["breakdown_id", "breakdown_value", "breakdown_label_nl", "breakdown_label_en"],
    )
    parts: dict[str, dict[str, tuple[str, str]]] = {}
    for breakdown, value, nl, en in values:
        add(labels, "breakdown_value", value, nl, en)
        parts.setdefault(breakdown, {})[value] = (nl, en)
    for breakdown, named in parts.items():
        add(labels, "breakdown_id", breakdown, *breakdown_label(breakdown, named))
    return labels


def breakdown_label(breakdown: str, values: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """(nl, en) of a breakdown, which has no label of its own in the code lists: its code and
    the labels of its values; `totaal` (no breakdown: the whole population) its value's."""
    if breakdown == TOTAL:
        return values[TOTAL]
    nl = ", ".join(label for label, _ in values.values())
    en = ", ".join(label for _, label in values.values())
    return (
        f"Uitsplitsing naar {breakdown}; waarden: {nl}",
        f"Breakdown by {breakdown}; values: {en}",
    )


def field_categories(field: dict, known: dict[str, tuple[str, str]]) -> list[dict]:
    """The categories of one field: every value its enum allows, in its order (else every
    labelled value, sorted), each with its labels where the code lists have them."""
    enum = field.get("constraints", {}).get("enum")
    values = list(enum) if enum is not None else sorted(known)
    out = []
    for value in values:
        entry: dict = {"value": value}
        if value in known:
            entry["label"], entry["label_en"] = known[value]
        out.append(entry)
    return out


def with_categories(schema: dict, labels: Labels) -> dict:
    """A copy of a Table Schema whose fields of CODED list their categories (a field none of
    whose values is labelled, as a breakdown field in a project without breakdowns, gets none)."""
    fields = []
    for field in schema["fields"]:
        if field["name"] in CODED:
            categories = field_categories(field, labels[field["name"]])
            if any("label" in c for c in categories):
                field = {**field, "categories": categories}
        fields.append(field)
    return {**schema, "fields": fields}
