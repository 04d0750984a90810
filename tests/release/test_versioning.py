"""diff(), constraint_bump(), next_version() and changelog_markdown() on small snapshots."""

from __future__ import annotations

import copy

import pytest

from pipeline.release.records import rows_by_key, version_key
from pipeline.release.versioning import (
    Changes,
    Snapshot,
    changelog_markdown,
    constraint_bump,
    diff,
    next_version,
    schema_changes,
)

CSV = b"id,a,b\n1,x,y\n2,z,w\n"


def schema(*names: str, key: tuple[str, ...] = ("id",)) -> dict:
    return {
        "fields": [{"name": n, "type": "string", "title": n.upper()} for n in names],
        "primaryKey": list(key),
    }


def descriptor(**schemas: dict) -> dict:
    return {
        "name": "demo",
        "title": "Demo",
        "licenses": [{"name": "CC0-1.0"}],
        "resources": [
            {"name": n, "path": f"data/{n}.csv", "format": "csv", "schema": s}
            for n, s in schemas.items()
        ]
        + [
            {"name": f"{n}-parquet", "path": f"data/{n}.parquet", "format": "parquet", "schema": s}
            for n, s in schemas.items()
        ],
    }


def snap(desc: dict, **csvs: bytes) -> Snapshot:
    keys = {r["name"]: r["schema"]["primaryKey"] for r in desc["resources"]}
    return Snapshot(desc, {name: rows_by_key(data, keys[name]) for name, data in csvs.items()})


BASE = snap(descriptor(t=schema("id", "a", "b")), t=CSV)


def as_dict(changes: Changes) -> dict:
    return changes.to_dict()


def test_rows_by_key():
    assert rows_by_key(CSV, ["id"]) == {
        ("1",): {"id": "1", "a": "x", "b": "y"},
        ("2",): {"id": "2", "a": "z", "b": "w"},
    }
    assert rows_by_key(CSV, ["a", "b"]) == {
        ("x", "y"): {"id": "1", "a": "x", "b": "y"},
        ("z", "w"): {"id": "2", "a": "z", "b": "w"},
    }
    assert rows_by_key(CSV, []) == {
        ("1", "x", "y"): {"id": "1", "a": "x", "b": "y"},
        ("2", "z", "w"): {"id": "2", "a": "z", "b": "w"},
    }


def test_identical_is_empty():
    changes = diff(BASE, copy.deepcopy(BASE))
    assert changes.empty
    assert changes.bump is None
    assert as_dict(changes) == {
        "bump": None,
        "summary": "no changes",
        "schema_changes": [],
        "rows_added": [],
        "rows_removed": [],
        "rows_changed": [],
        "metadata_changed": [],
    }


def test_field_removed_is_major():
    new = snap(descriptor(t=schema("id", "a")), t=b"id,a\n1,x\n2,z\n")
    assert as_dict(diff(BASE, new)) == {
        "bump": "major",
        "summary": "1 schema change(s); 2 row(s) changed",
        "schema_changes": [
            {"table": "t", "field": "b", "change": "field removed", "bump": "major"}
        ],
        "rows_added": [],
        "rows_removed": [],
        "rows_changed": [
            {"table": "t", "key": ["1"], "old": {"b": "y"}, "new": {"b": None}},
            {"table": "t", "key": ["2"], "old": {"b": "w"}, "new": {"b": None}},
        ],
        "metadata_changed": [],
    }


def test_field_added_is_major():
    new = snap(descriptor(t=schema("id", "a", "b", "c")), t=b"id,a,b,c\n1,x,y,\n2,z,w,\n")
    changes = diff(BASE, new)
    assert changes.schema == [
        {"table": "t", "field": "c", "change": "field added", "bump": "major"}
    ]
    assert changes.changed == []  # added empty: the schema change says it, no row changed
    assert (changes.added, changes.removed, changes.metadata) == ([], [], [])
    assert changes.bump == "major"


def test_type_changed_is_major():
    new_schema = schema("id", "a", "b")
    new_schema["fields"][2]["type"] = "integer"
    changes = diff(BASE, snap(descriptor(t=new_schema), t=CSV))
    assert as_dict(changes)["schema_changes"] == [
        {"table": "t", "field": "b", "bump": "major", "change": "type string -> integer"}
    ]
    assert (changes.bump, changes.metadata, changes.changed) == ("major", [], [])


def test_table_added_is_minor():
    new = snap(descriptor(t=schema("id", "a", "b"), u=schema("id")), t=CSV, u=b"id\n9\n")
    assert as_dict(diff(BASE, new)) == {
        "bump": "minor",
        "summary": "1 schema change(s)",
        "schema_changes": [{"table": "u", "change": "table added", "bump": "minor"}],
        "rows_added": [],
        "rows_removed": [],
        "rows_changed": [],
        "metadata_changed": [],
    }


def test_table_removed_is_major():
    old = snap(descriptor(t=schema("id", "a", "b"), u=schema("id")), t=CSV, u=b"id\n9\n")
    assert as_dict(diff(old, BASE)) == {
        "bump": "major",
        "summary": "1 schema change(s)",
        "schema_changes": [{"table": "u", "change": "table removed", "bump": "major"}],
        "rows_added": [],
        "rows_removed": [],
        "rows_changed": [],
        "metadata_changed": [],
    }


def test_row_added_is_minor():
    new = snap(descriptor(t=schema("id", "a", "b")), t=CSV + b"3,p,q\n")
    assert as_dict(diff(BASE, new)) == {
        "bump": "minor",
        "summary": "1 row(s) added",
        "schema_changes": [],
        "rows_added": [{"table": "t", "key": ["3"], "row": {"id": "3", "a": "p", "b": "q"}}],
        "rows_removed": [],
        "rows_changed": [],
        "metadata_changed": [],
    }


def test_row_removed_is_major():
    new = snap(descriptor(t=schema("id", "a", "b")), t=b"id,a,b\n2,z,w\n")
    assert as_dict(diff(BASE, new)) == {
        "bump": "major",
        "summary": "1 row(s) removed",
        "schema_changes": [],
        "rows_added": [],
        "rows_removed": [{"table": "t", "key": ["1"], "row": {"id": "1", "a": "x", "b": "y"}}],
        "rows_changed": [],
        "metadata_changed": [],
    }


def test_row_added_and_removed_is_major():
    new = snap(descriptor(t=schema("id", "a", "b")), t=b"id,a,b\n2,z,w\n3,p,q\n")
    changes = diff(BASE, new)
    assert (changes.bump, changes.summary()) == ("major", "1 row(s) added; 1 row(s) removed")


def test_value_changed_is_patch_with_old_and_new():
    new = snap(descriptor(t=schema("id", "a", "b")), t=b"id,a,b\n1,X,y\n2,z,\n")
    assert as_dict(diff(BASE, new)) == {
        "bump": "patch",
        "summary": "2 row(s) changed",
        "schema_changes": [],
        "rows_added": [],
        "rows_removed": [],
        "rows_changed": [
            {"table": "t", "key": ["1"], "old": {"a": "x"}, "new": {"a": "X"}},
            {"table": "t", "key": ["2"], "old": {"b": "w"}, "new": {"b": ""}},
        ],
        "metadata_changed": [],
    }


def test_package_metadata_only_is_patch():
    desc = descriptor(t=schema("id", "a", "b"))
    desc["title"] = "Another title"
    desc["keywords"] = ["new"]
    assert as_dict(diff(BASE, snap(desc, t=CSV))) == {
        "bump": "patch",
        "summary": "metadata changed: keywords, title",
        "schema_changes": [],
        "rows_added": [],
        "rows_removed": [],
        "rows_changed": [],
        "metadata_changed": ["keywords", "title"],
    }


def test_field_description_only_is_patch():
    new_schema = schema("id", "a", "b")
    new_schema["fields"][1]["description"] = "Now described."
    changes = diff(BASE, snap(descriptor(t=new_schema), t=CSV))
    assert (changes.bump, changes.schema, changes.metadata, changes.summary()) == (
        "patch",
        [],
        ["resource t: description of a"],
        "metadata changed: resource t: description of a",
    )


def test_value_labels_alone_are_patch_and_named_in_the_changelog():
    """Categories (pipeline/release/categories.py) added to or changed on a field describe its
    codes: a PATCH, whose changelog names the fields."""
    new_schema = schema("id", "a", "b")
    new_schema["fields"][2]["categories"] = [{"value": "y", "label": "Ja", "label_en": "Yes"}]
    new_schema["fields"][1]["categories"] = [{"value": "x", "label": "Iks", "label_en": "Ex"}]
    changes = diff(BASE, snap(descriptor(t=new_schema), t=CSV))
    assert (changes.bump, changes.schema, changes.metadata) == (
        "patch",
        [],
        ["resource t: value labels (categories) of a, b"],
    )
    # With other changes beside them, each kind is named with its fields, and the resource's
    # own keys that changed.
    new_schema["fields"][1]["description"] = "Now described."
    described = descriptor(t=new_schema)
    described["resources"][0]["title"] = "Retitled"
    changes = diff(BASE, snap(described, t=CSV))
    assert changes.metadata == [
        "resource t: value labels (categories) of a, b; description of a; title"
    ]


def test_parquet_resources_are_not_compared_twice():
    desc = descriptor(t=schema("id", "a", "b"))
    desc["resources"][1]["title"] = "only the parquet resource changed"
    assert diff(BASE, snap(desc, t=CSV)).empty


def test_schema_changes_of_keys_and_order():
    old = schema("id", "a", "b")
    assert schema_changes("t", old, schema("id", "b", "a")) == [
        {"table": "t", "change": "fields reordered", "bump": "major"}
    ]
    assert schema_changes("t", old, schema("id", "a", "b", key=("id", "a"))) == [
        {"table": "t", "change": "primaryKey changed", "bump": "major"}
    ]
    with_fk = {**old, "foreignKeys": [{"fields": ["a"], "reference": {"resource": "u"}}]}
    assert schema_changes("t", old, with_fk) == [
        {"table": "t", "change": "foreignKeys changed", "bump": "major"}
    ]
    constrained = copy.deepcopy(old)
    constrained["fields"][1]["constraints"] = {"required": True, "maxLength": 5}
    assert schema_changes("t", old, constrained) == [
        {"table": "t", "field": "a", "bump": "major", "change": "constraint maxLength: None -> 5"},
        {
            "table": "t",
            "field": "a",
            "bump": "major",
            "change": "constraint required: None -> True",
        },
    ]
    assert schema_changes("t", constrained, old) == [
        {"table": "t", "field": "a", "bump": "minor", "change": "constraint maxLength: 5 -> None"},
        {
            "table": "t",
            "field": "a",
            "bump": "minor",
            "change": "constraint required: True -> None",
        },
    ]


@pytest.mark.parametrize(
    ("key", "before", "after", "bump"),
    [
        ("maximum", 100, 200, "minor"),
        ("maximum", 100, 99, "major"),
        ("minimum", 0, -1, "minor"),
        ("minimum", 0, 1, "major"),
        ("enum", ["A", "E"], ["A", "E", "M"], "minor"),
        ("enum", ["A", "E", "M"], ["A", "E"], "major"),
        ("enum", ["A", "E"], ["A", "M"], "major"),
        ("required", True, False, "minor"),
        ("required", False, True, "major"),
        ("unique", True, False, "minor"),
        ("unique", False, True, "major"),
        ("required", None, True, "major"),
        ("required", None, False, "minor"),
        ("maximum", None, 100, "major"),
        ("maximum", 100, None, "minor"),
        ("pattern", "^[a-z]+$", None, "minor"),
        ("pattern", "^[a-z]+$", "^[a-z0-9]+$", "major"),
        ("pattern", None, "^[a-z]+$", "major"),
    ],
)
def test_constraint_bump(key, before, after, bump):
    assert constraint_bump(key, before, after) == bump


@pytest.mark.parametrize(
    ("latest", "bump", "minimum", "expected"),
    [
        (None, None, None, "1.0.0"),
        (None, "major", "major", "1.0.0"),
        ("1.2.3", "patch", None, "1.2.4"),
        ("1.2.3", "minor", None, "1.3.0"),
        ("1.2.3", "major", None, "2.0.0"),
        ("1.2.3", None, None, "1.2.4"),
        ("1.2.3", None, "minor", "1.3.0"),
        ("1.2.3", "patch", "minor", "1.3.0"),
        ("1.2.3", "patch", "major", "2.0.0"),
        # a --bump lower than the changes require never lowers it
        ("1.2.3", "major", "patch", "2.0.0"),
        ("1.2.3", "major", "minor", "2.0.0"),
        ("1.2.3", "minor", "patch", "1.3.0"),
        ("9.99.10", "minor", None, "9.100.0"),
        ("1.9.9", "patch", None, "1.9.10"),
    ],
)
def test_next_version(latest, bump, minimum, expected):
    assert next_version(latest, bump, minimum) == expected


def test_version_key_sorts_numerically():
    assert sorted(["1.10.0", "1.2.0", "10.0.0", "1.9.1", "2.0.0"], key=version_key) == [
        "1.2.0",
        "1.9.1",
        "1.10.0",
        "2.0.0",
        "10.0.0",
    ]


def test_changelog_of_first_release():
    assert changelog_markdown("1.0.0", None, Changes()) == "# 1.0.0\n\nFirst release.\n"


def test_changelog_with_every_section():
    changes = Changes(
        schema=[
            {"table": "t", "field": "b", "change": "field removed", "bump": "major"},
            {"table": "u", "change": "table added", "bump": "minor"},
        ],
        added=[{"table": "t", "key": ["2024", "x"], "row": {}}],
        removed=[{"table": "t", "key": ["2019", "y"], "row": {}}],
        changed=[
            {
                "table": "t",
                "key": ["2022", "z"],
                "old": {"a": "1", "b": ""},
                "new": {"a": "2", "b": "q"},
            }
        ],
        metadata=["resource t", "title"],
    )
    assert changelog_markdown("2.0.0", "1.4.2", changes) == (
        "# 2.0.0 (after 1.4.2)\n"
        "\n"
        "Bump: major. 2 schema change(s); 1 row(s) added; 1 row(s) removed; 1 row(s) changed; "
        "metadata changed: resource t, title.\n"
        "\n"
        "## Schema changes\n"
        "\n"
        "- t.b: field removed (major)\n"
        "- u: table added (minor)\n"
        "\n"
        "## Rows added\n"
        "\n"
        "- t 2024/x\n"
        "\n"
        "## Rows removed\n"
        "\n"
        "- t 2019/y\n"
        "\n"
        "## Values changed\n"
        "\n"
        "- t 2022/z: a: '1' -> '2', b: '' -> 'q'\n"
        "\n"
        "## Metadata changed\n"
        "\n"
        "- resource t\n"
        "- title\n"
    )


def test_a_field_added_empty_is_no_change_of_every_row():
    """The schema change reports the new field; only rows that hold a value in it changed."""
    from pipeline.release.versioning import Changes, row_changes

    old = {("a",): {"id": "a", "label": "A"}, ("b",): {"id": "b", "label": "B"}}
    new = {
        ("a",): {"id": "a", "label": "A", "item_id": ""},
        ("b",): {"id": "b", "label": "B", "item_id": "v1"},
    }
    changes = Changes()
    row_changes("indicators", old, new, changes)
    assert changes.changed == [
        {"table": "indicators", "key": ["b"], "old": {"item_id": None}, "new": {"item_id": "v1"}}
    ]
