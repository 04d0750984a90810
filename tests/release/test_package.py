"""The datapackage.json of a release: a golden copy, the schemas it carries, and frictionless."""

from __future__ import annotations

import json

import pytest

from pipeline.core.paths import Project
from pipeline.core.schemas import TABLES
from pipeline.release.package import logical_descriptor, parquet_schema
from tests.helpers import DATA, REAL_ROWS

GOLDEN = DATA / "golden" / "datapackage.json"


def published_descriptor(release: Project) -> dict:
    path = release.version_dir("1.0.0") / "datapackage.json"
    return json.loads(path.read_text(encoding="utf-8"))


def normalised(descriptor: dict) -> dict:
    """The descriptor with what differs between builds replaced by placeholders."""
    out = {**descriptor, "created": "<created>"}
    out["resources"] = [
        {
            **r,
            **({"hash": "<hash>"} if "hash" in r else {}),
            **({"bytes": "<bytes>"} if "bytes" in r else {}),
        }
        for r in descriptor["resources"]
    ]
    return out


def test_golden_datapackage(release: Project):
    """To regenerate after an intended change: write normalised(published_descriptor(...))
    to tests/data/golden/datapackage.json and review the diff."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert normalised(published_descriptor(release)) == golden


def test_package_level_metadata(release: Project):
    descriptor = published_descriptor(release)
    assert {k: v for k, v in descriptor.items() if k not in ("description", "resources")} == {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "werkonderzoek",
        "id": "https://data.example.org/werkdata/werkonderzoek",
        "version": "1.0.0",
        "created": descriptor["created"],
        "title": "Werkonderzoek: gepubliceerde uitkomsten / Werkonderzoek: published findings",
        "homepage": "https://www.werkonderzoek.nl",
        "keywords": [
            "werkonderzoek",
            "publieke sector",
            "overheidspersoneel",
            "werkbeleving",
            "medewerkerstevredenheid",
            "personeelsbeleid",
            "public sector",
            "employee survey",
            "job satisfaction",
        ],
        "licenses": [
            {
                "name": "CC0-1.0",
                "path": "https://creativecommons.org/publicdomain/zero/1.0/",
                "title": "Creative Commons Zero v1.0 Universal",
            }
        ],
        "contributors": [
            {
                "title": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties (BZK)",
                "roles": ["publisher"],
                "path": "https://www.rijksoverheid.nl/ministeries/"
                "ministerie-van-binnenlandse-zaken-en-koninkrijksrelaties",
            },
            {"title": "ICTU", "roles": ["producer"], "path": "https://www.ictu.nl"},
            {
                "title": "Centraal Bureau voor de Statistiek (CBS)",
                "roles": ["dataCollector"],
                "path": "https://www.cbs.nl",
            },
        ],
        "sources": descriptor["sources"],
    }
    assert len(descriptor["sources"]) == 8
    assert descriptor["created"].endswith("Z")


def test_one_csv_and_one_parquet_resource_per_table(release: Project):
    resources = published_descriptor(release)["resources"]
    assert [(r["name"], r["path"], r["format"], r["mediatype"]) for r in resources] == [
        row
        for t in TABLES
        for row in (
            (t, f"data/{t}.csv", "csv", "text/csv"),
            (f"{t}-parquet", f"data/{t}.parquet", "parquet", "application/vnd.apache.parquet"),
        )
    ]
    folder = release.version_dir("1.0.0")
    for r in resources:
        assert r["hash"].startswith("sha256:")
        if r["format"] == "csv":
            assert r["bytes"] == (folder / r["path"]).stat().st_size
        else:
            assert "bytes" not in r  # frictionless 5.21 cannot count Parquet bytes


def without_categories(schema: dict) -> dict:
    """The schema without the value labels the release adds from its code lists
    (tests/release/test_categories.py)."""
    fields = [{k: v for k, v in f.items() if k != "categories"} for f in schema["fields"]]
    return {**schema, "fields": fields}


@pytest.mark.parametrize("table", TABLES)
def test_resource_schemas_are_the_schema_files(release: Project, table: str):
    by_name = {r["name"]: r for r in published_descriptor(release)["resources"]}
    on_disk = json.loads((release.schemas / f"{table}.schema.json").read_text(encoding="utf-8"))

    assert without_categories(by_name[table]["schema"]) == on_disk
    parquet = by_name[f"{table}-parquet"]["schema"]
    assert {k: v for k, v in parquet.items() if k != "missingValues"} == by_name[table]["schema"]
    assert "missingValues" not in on_disk
    assert parquet["missingValues"] == ["", "nan"]


def test_parquet_schema_adds_nan_to_declared_missing_values():
    assert parquet_schema({"fields": [], "missingValues": ["", "NA"]}) == {
        "fields": [],
        "missingValues": ["", "NA", "nan"],
    }


def test_logical_descriptor_drops_only_volatile_keys():
    descriptor = {
        "name": "x",
        "version": "1.2.3",
        "created": "2024-01-01T00:00:00Z",
        "resources": [{"name": "t", "bytes": 3, "hash": "sha256:ab", "path": "data/t.csv"}],
    }
    assert logical_descriptor(descriptor) == {
        "name": "x",
        "resources": [{"name": "t", "path": "data/t.csv"}],
    }


def test_frictionless_validates_the_published_package(release: Project):
    from frictionless import Package

    report = Package(str(release.version_dir("1.0.0") / "datapackage.json")).validate()

    assert report.flatten(["type", "message"]) == []
    assert report.valid is True
    assert sorted(task.name for task in report.tasks) == sorted(
        name for t in TABLES for name in (t, f"{t}-parquet")
    )
    # frictionless leaves "rows" out of the stats of a table without rows
    rows = {task.name: task.stats.get("rows", 0) for task in report.tasks}
    assert rows == {name: n for t, n in REAL_ROWS.items() for name in (t, f"{t}-parquet")}
