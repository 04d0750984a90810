"""The value labels (`categories`) of the coded fields of a release's Table Schemas: read back
through frictionless from the real data's datapackage.json, and derived from small code lists."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from pipeline.core.errors import BuildFailed
from pipeline.core.paths import Project
from pipeline.release.categories import CODED, code_labels, with_categories


def published(release: Project) -> dict:
    path = release.version_dir("1.0.0") / "datapackage.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_code_s_label_read_through_frictionless(release: Project):
    from frictionless import Package

    package = Package(str(release.version_dir("1.0.0") / "datapackage.json"))
    for name in ("findings", "findings-parquet"):
        field = package.get_resource(name).schema.get_field("status")
        # frictionless 5.21 has no attribute for Data Package v2 categories: it keeps them,
        # label_en too, as a property it does not know.
        by_value = {c["value"]: c for c in field.custom["categories"]}
        assert by_value["M"] == {
            "value": "M",
            "label": "Ontbrekende waarde",
            "label_en": "Missing value",
        }
        assert list(by_value) == ["A", "E", "M"]  # the field's enum, in its order


def test_categories_are_on_exactly_the_coded_fields(release: Project):
    """Every status, conf_status, unit, breakdown_id and breakdown_value of every published
    schema (CSV and Parquet) lists its codes, each with both labels; no other field does
    (population_id, theme_id and the other foreign keys, a scale's answer code)."""
    statuses = {
        "A": "Normale waarde",
        "E": "Geschatte waarde",
        "M": "Ontbrekende waarde",
        "U": "Onbetrouwbare waarde",
        "Q": "Onderdrukte waarde",
    }
    expected = {
        "status": statuses,
        "conf_status": {"F": "Vrij", "C": "Vertrouwelijk"},
        "unit": {"percent": "procent"},
        "breakdown_value": {
            "55plus": "55 jaar en ouder",
            "tot2": "In de laatste twee jaar in dienst gekomen",
        },
    }
    labelled = []
    for resource in published(release)["resources"]:
        for field in resource["schema"]["fields"]:
            if "categories" not in field:
                assert field["name"] not in CODED, (resource["name"], field["name"])
                continue
            labelled.append((resource["name"], field["name"]))
            cats = field["categories"]
            assert all(set(c) == {"value", "label", "label_en"} for c in cats), cats
            enum = field.get("constraints", {}).get("enum")
            if enum:
                assert [c["value"] for c in cats] == enum
            if field["name"] in expected:
                known = expected[field["name"]]
                assert {c["value"]: c["label"] for c in cats} == {
                    c["value"]: known[c["value"]] for c in cats
                }
    assert {name for _, name in labelled} == set(CODED)
    assert ("estimates", "breakdown_value") in labelled  # on a table without rows too
    assert ("statuses-parquet", "status") in labelled


def table(**columns) -> pa.Table:
    return pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()})


def code_lists(breakdowns: pa.Table, estimates: pa.Table | None = None) -> dict[str, pa.Table]:
    tables = {
        "statuses": table(status=["A", "Q"], label_nl=["Normaal", "Onderdrukt"],
                          label_en=["Normal", "Suppressed"]),
        "breakdowns": breakdowns,
    }  # fmt: skip
    if estimates is not None:
        tables["estimates"] = estimates
    return tables


LEEFTIJD = table(
    breakdown_id=["leeftijd", "leeftijd"],
    value=["55plus", "tot25"],
    label_nl=["55 jaar en ouder", "Jonger dan 25 jaar"],
    label_en=["55 and over", "Under 25"],
)


def test_the_breakdown_values_are_the_union_of_the_code_list_and_the_estimates():
    estimates = table(
        breakdown_id=["totaal", "leeftijd", "leeftijd"],
        breakdown_value=["totaal", "onbekend", "55plus"],
        breakdown_label_nl=["Totaal", "Onbekend", "55 jaar en ouder"],
        breakdown_label_en=["Total", "Unknown", "55 and over"],
    )
    labels = code_labels(code_lists(LEEFTIJD, estimates))
    assert labels["breakdown_value"] == {
        "55plus": ("55 jaar en ouder", "55 and over"),
        "tot25": ("Jonger dan 25 jaar", "Under 25"),
        "totaal": ("Totaal", "Total"),
        "onbekend": ("Onbekend", "Unknown"),
    }
    assert labels["breakdown_id"] == {
        "leeftijd": (
            "Uitsplitsing naar leeftijd; waarden: 55 jaar en ouder, Jonger dan 25 jaar, Onbekend",
            "Breakdown by leeftijd; values: 55 and over, Under 25, Unknown",
        ),
        "totaal": ("Totaal", "Total"),
    }
    assert labels["status"] == {"A": ("Normaal", "Normal"), "Q": ("Onderdrukt", "Suppressed")}
    assert labels["conf_status"] == {}  # a project without the optional code list


def test_one_value_with_two_labels_is_refused():
    twice = table(
        breakdown_id=["leeftijd", "jaren"],
        value=["55plus", "55plus"],
        label_nl=["55 jaar en ouder", "55 jaar of langer in dienst"],
        label_en=["55 and over", "55 years of service or more"],
    )
    with pytest.raises(BuildFailed, match=r"'55plus' of breakdown_value has two labels"):
        code_labels(code_lists(twice))


def test_with_categories_follows_the_enum_and_leaves_other_fields_alone():
    labels = code_labels(code_lists(LEEFTIJD))
    schema = {
        "fields": [
            {"name": "population_id", "type": "string"},
            {"name": "status", "type": "string", "constraints": {"enum": ["Q", "A", "E"]}},
            {"name": "conf_status", "type": "string", "constraints": {"enum": ["F", "C"]}},
            {"name": "breakdown_value", "type": "string"},
            {"name": "code", "type": "integer"},
        ],
        "primaryKey": ["population_id"],
    }
    out = with_categories(schema, labels)
    assert out["fields"][0] == schema["fields"][0] and out["fields"][4] == schema["fields"][4]
    assert out["fields"][1]["categories"] == [
        {"value": "Q", "label": "Onderdrukt", "label_en": "Suppressed"},
        {"value": "A", "label": "Normaal", "label_en": "Normal"},
        {"value": "E"},  # allowed, but not in the code list: no label invented
    ]
    assert "categories" not in out["fields"][2]  # no value of it is labelled
    assert [c["value"] for c in out["fields"][3]["categories"]] == ["55plus", "tot25"]
    assert out["primaryKey"] == ["population_id"]
    assert "categories" not in schema["fields"][1]  # the schema file's copy is unchanged
