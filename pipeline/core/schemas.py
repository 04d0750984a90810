"""Loads the Table Schemas of schemas/ and derives from them the raw-file and Pandera schemas.

This is the only module that knows both Frictionless' and Pandera's view of a column.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

from pipeline.core.errors import SchemaMissing

# Output tables in dependency order: a table comes after every table it refers to.
TABLES = (
    "themes",
    "scales",
    "items",
    "indicators",
    "breakdowns",
    "populations",
    "statuses",
    "conf_statuses",
    "sources",
    "editions",
    "findings",
    "conclusions",
    "estimates",
)
# Published tables whose raw form is a code list, read as is from raw/codelists/<table>.csv.
CODELISTS = (
    "themes",
    "scales",
    "items",
    "indicators",
    "breakdowns",
    "populations",
    "statuses",
    "conf_statuses",
    "sources",
)
# Code lists a project without respondent data may leave out: their tables are then empty.
OPTIONAL_CODELISTS = ("scales", "items", "breakdowns", "conf_statuses")

ARROW_TYPES = {
    "string": "string",
    "integer": "int64",
    "number": "float64",
    "date": "date32",
    "boolean": "bool",
}


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _table_schema_cached(schemas_dir: Path, table: str) -> str:
    path = schemas_dir / f"{table}.schema.json"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaMissing(
            f"{path} is missing: the project's schemas/ are older than this werkdata, which "
            f"publishes the table {table}; copy it from werkdata's schemas/"
        ) from None


def table_schema(schemas_dir: Path, table: str) -> dict:
    """The Table Schema of published table `table`, as written in schemas/<table>.schema.json."""
    return json.loads(_table_schema_cached(schemas_dir, table))


def dataset_metadata(schemas_dir: Path) -> dict:
    """The dataset's own metadata (title, description, keywords, contributors, licence)."""
    return load_json(schemas_dir / "dataset.json")


def raw_inputs(schemas_dir: Path) -> dict[str, dict]:
    """The raw files of an edition folder, by file name, each with its table and columns."""
    spec = load_json(schemas_dir / "raw-inputs.json")
    return {name: value for name, value in spec.items() if isinstance(value, dict)}


def raw_file_schema(schemas_dir: Path, file_name: str) -> dict:
    """The Table Schema of a raw edition file, taken field by field from its published table.

    Only the columns the raw file has, in its order; foreign keys only where all their columns
    are there; the primary key as the raw file states it.
    """
    spec = raw_inputs(schemas_dir)[file_name]
    published = table_schema(schemas_dir, spec["table"])
    by_name = {f["name"]: f for f in published["fields"]}
    names = spec["fields"]
    schema: dict = {"fields": [copy.deepcopy(by_name[n]) for n in names]}
    if "primaryKey" in spec:
        schema["primaryKey"] = spec["primaryKey"]
    keys = [fk for fk in published.get("foreignKeys", []) if set(fk["fields"]) <= set(names)]
    if keys:
        schema["foreignKeys"] = keys
    return schema


def pandera_schema(schema: dict):
    """A Pandera DataFrameSchema derived from a Table Schema dict, with its gaps mended.

    `from_frictionless_schema` makes integer columns non-nullable and enums categorical, and it
    ignores `primaryKey` across rows and `format`; so: nullable where a column is not required,
    enums as plain `isin` checks on strings, and the primary key as a unique constraint.
    """
    import pandera.pandas as pa
    from pandera.io.pandas_io import from_frictionless_schema

    derived = from_frictionless_schema(schema)
    columns = {}
    for field in schema["fields"]:
        column = derived.columns[field["name"]]
        required = field.get("constraints", {}).get("required", False)
        dtype = {"integer": "Int64", "number": "float64", "boolean": "boolean"}.get(
            field["type"], "string"
        )
        checks = list(column.checks)
        columns[field["name"]] = pa.Column(
            dtype,
            checks=checks,
            nullable=not required,
            unique=column.unique,
            coerce=True,
            required=True,
            title=field.get("title"),
            description=field.get("description"),
        )
    key = schema.get("primaryKey")
    return pa.DataFrameSchema(
        columns,
        strict=True,
        unique=key if isinstance(key, list) and len(key) > 0 else None,
        report_duplicates="all",
    )
