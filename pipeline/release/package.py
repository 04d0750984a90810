"""Builds the datapackage.json of a release (Data Package v2) as a plain dict, with the dataset
metadata of schemas/dataset.json filled in from the built tables and the value labels of the
coded fields (`categories`, pipeline/release/categories.py) from its code lists; writes nothing.

The descriptions hold placeholders for the facts that change with the data, so that a
description never goes stale at the next edition: `{editions}` (the edition years,
comma-separated, in order).
"""

from __future__ import annotations

import pyarrow as pa

from pipeline.core.config import Config
from pipeline.core.schemas import TABLES, table_schema
from pipeline.release.categories import Labels, with_categories

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
CSV_NOTE = (
    "Tekstcellen die met =, +, -, @, tab of een regeleinde beginnen, krijgen in de CSV een "
    "apostrof ervoor, zodat een spreadsheet ze niet als formule uitvoert; het Parquet-bestand "
    "bevat de waarden ongewijzigd. / Text cells starting with =, +, -, @, tab or a line break are "
    "prefixed with an apostrophe in the CSV so that a spreadsheet does not run them as a formula; "
    "the Parquet file holds the values unchanged."
)

FILLED = ("description_nl", "description_en")


def release_metadata(meta: dict, tables: dict[str, pa.Table]) -> dict:
    """`meta` with every placeholder of its descriptions replaced by the value in the data."""
    years = sorted(set(tables["editions"].column("edition").to_pylist()))
    values = {"{editions}": ", ".join(map(str, years))}
    out = dict(meta)
    for key in FILLED:
        text = out[key]
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        out[key] = text
    return out


def resources(schemas_dir, files: dict[str, dict], labels: Labels) -> list[dict]:
    """One CSV and one Parquet resource per table; `files` maps a path to its record
    (pipeline.core.files.file_record), `labels` the coded fields' values to their labels."""
    out = []
    for table in TABLES:
        schema = with_categories(table_schema(schemas_dir, table), labels)
        title = schema.get("title", table)
        description = schema.get("description", "")
        csv_path, parquet_path = f"data/{table}.csv", f"data/{table}.parquet"
        out.append(
            {
                "name": table,
                "type": "table",
                "path": csv_path,
                "title": title,
                "description": f"{description} {CSV_NOTE}",
                "format": "csv",
                "mediatype": files[csv_path]["mediatype"],
                "encoding": "utf-8",
                "bytes": files[csv_path]["bytes"],
                "hash": f"sha256:{files[csv_path]['sha256']}",
                "schema": schema,
            }
        )
        # frictionless 5.21 cannot count a Parquet resource's bytes (it reports a byte-count
        # error), so `bytes` is left out here; `werkdata verify` checks size and hash itself.
        out.append(
            {
                "name": f"{table}-parquet",
                "type": "table",
                "path": parquet_path,
                "title": title,
                "description": description,
                "format": "parquet",
                "mediatype": files[parquet_path]["mediatype"],
                "hash": f"sha256:{files[parquet_path]['sha256']}",
                "schema": parquet_schema(schema),
            }
        )
    return out


def parquet_schema(schema: dict) -> dict:
    """The table's schema for its Parquet file, with "nan" declared missing.

    frictionless 5.21 reads Parquet through pandas, which turns a null number into NaN; without
    this, it reports every empty value of a Parquet file as a type or constraint error.
    """
    missing = schema.get("missingValues", [""])
    return {**schema, "missingValues": [*missing, "nan"]}


def datapackage(
    meta: dict,
    config: Config,
    schemas_dir,
    files: dict[str, dict],
    *,
    version: str,
    created: str,
    sources: list[dict],
    labels: Labels,
) -> dict:
    """The complete descriptor of one release; `labels` from
    `pipeline.release.categories.code_labels` of its tables."""
    name = meta["name"]
    return {
        "$schema": PROFILE,
        "name": name,
        "id": config.dataset_id(name),
        "version": version,
        "created": created,
        "title": meta["title"],
        "description": f"{meta['description_nl']}\n\n{meta['description_en']}",
        "homepage": meta["homepage"],
        "keywords": meta["keywords"],
        "licenses": meta["licenses"],
        "contributors": meta["contributors"],
        "sources": [{"title": s["title"], "path": s["url"]} for s in sources],
        "resources": resources(schemas_dir, files, labels),
    }


VOLATILE_PACKAGE_KEYS = ("version", "created")
VOLATILE_RESOURCE_KEYS = ("bytes", "hash")


def logical_descriptor(descriptor: dict) -> dict:
    """The descriptor without what changes by itself between builds (version, dates, hashes)."""
    out = {k: v for k, v in descriptor.items() if k not in VOLATILE_PACKAGE_KEYS}
    out["resources"] = [
        {k: v for k, v in r.items() if k not in VOLATILE_RESOURCE_KEYS}
        for r in descriptor.get("resources", [])
    ]
    return out
