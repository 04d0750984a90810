"""The Table Schemas of schemas/: valid for frictionless, convertible to Pandera, the single source
of every column fact (raw files take their fields verbatim; a tightened constraint in a schema
file changes what Pandera accepts with no Python edit)."""

from __future__ import annotations

import copy
import dataclasses
import json
import shutil
from pathlib import Path

import frictionless
import pandas as pd
import pandera.errors
import pytest

from pipeline.build.transform import build_tables
from pipeline.checks.output_contract import contract_problems
from pipeline.checks.validate import frame_problems
from pipeline.core.paths import Project
from pipeline.core.schemas import (
    CODELISTS,
    TABLES,
    pandera_schema,
    raw_file_schema,
    raw_inputs,
    table_schema,
)
from pipeline.orchestrate.runner import validate_local
from tests.helpers import REPO

SCHEMAS = REPO / "schemas"
SCHEMA_FILES = sorted(SCHEMAS.glob("*.schema.json"))
PANDERA_DTYPES = {
    "integer": "Int64",
    "number": "float64",
    "string": "string",
    "date": "string",
    "boolean": "bool",
}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_one_schema_file_per_published_table():
    assert sorted(p.name.removesuffix(".schema.json") for p in SCHEMA_FILES) == sorted(TABLES)
    assert set(CODELISTS) < set(TABLES)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_file_is_a_valid_table_schema(path):
    descriptor = load(path)
    assert frictionless.Schema.validate_descriptor(descriptor).valid
    schema = frictionless.Schema.from_descriptor(descriptor)
    assert schema.field_names == [f["name"] for f in descriptor["fields"]]
    assert descriptor["primaryKey"]
    assert set(descriptor["primaryKey"]) <= set(schema.field_names)
    for fk in descriptor.get("foreignKeys", []):
        assert set(fk["fields"]) <= set(schema.field_names)
        # no resource: a reference within the table itself (populations.parent_id)
        resource = fk["reference"].get("resource", path.name.removesuffix(".schema.json"))
        target = load(SCHEMAS / f"{resource}.schema.json")
        assert fk["reference"]["fields"] == target["primaryKey"]
    for field in descriptor["fields"]:
        assert field.get("title"), field["name"]
        assert field.get("description"), field["name"]


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_converts_to_pandera(path):
    descriptor = load(path)
    schema = pandera_schema(descriptor)
    assert list(schema.columns) == [f["name"] for f in descriptor["fields"]]
    assert schema.strict is True
    assert schema.unique == descriptor["primaryKey"]
    for field in descriptor["fields"]:
        column = schema.columns[field["name"]]
        required = field.get("constraints", {}).get("required", False)
        assert str(column.dtype) == str(
            pandera_schema({"fields": [field]}).columns[field["name"]].dtype
        )
        assert column.nullable is (not required), field["name"]
        assert column.coerce is True
        assert column.title == field["title"]
        assert column.description == field["description"]
        expected_dtype = PANDERA_DTYPES[field["type"]]
        assert str(column.dtype).startswith(expected_dtype), (field["name"], column.dtype)


def test_pandera_checks_come_from_the_constraints():
    checks = {
        name: [str(c) for c in column.checks]
        for name, column in pandera_schema(table_schema(SCHEMAS, "findings")).columns.items()
        if column.checks
    }
    assert checks == {
        "value": ["<Check in_range: in_range(0, 100)>"],
        "unit": ["<Check isin: isin(['percent'])>"],
        "status": ["<Check isin: isin(['A', 'E', 'M'])>"],
        "confidence": ["<Check isin: isin(['C', 'C*'])>"],
    }


def findings_frame(**changes) -> pd.DataFrame:
    row = {
        "population_id": "gemeenten",
        "indicator_id": "tevreden_baan",
        "value": 68.0,
        "status": "A",
        "value_label": "68%",
        "confidence": "C",
        "source_id": "venster-2022",
        "statement_nl": "is tevreden",
        "note": None,
    }
    return pd.DataFrame([{**row, **changes}])


def failures(schema: dict, frame: pd.DataFrame) -> list[tuple]:
    try:
        pandera_schema(schema).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        return sorted(
            (str(c["column"]), str(c["check"]), str(c["failure_case"]))
            for c in cases.to_dict("records")
        )
    return []


RAW_FINDINGS = raw_file_schema(SCHEMAS, "findings.csv")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"note": "x", "value_label": None}, []),  # optional columns may be empty
        ({"value": None, "status": "M", "confidence": None}, []),  # nullable number
        ({"value": 100.5}, [("value", "in_range(0, 100)", "100.5")]),
        ({"value": -1.0}, [("value", "in_range(0, 100)", "-1.0")]),
        ({"status": "X"}, [("status", "isin(['A', 'E', 'M'])", "X")]),
        ({"confidence": "B"}, [("confidence", "isin(['C', 'C*'])", "B")]),
        ({"statement_nl": None}, [("statement_nl", "not_nullable", "nan")]),
    ],
    ids=["good", "optional-empty", "missing", "above", "below", "status", "confidence", "null"],
)
def test_pandera_accepts_and_rejects_findings(changes, expected):
    assert failures(RAW_FINDINGS, findings_frame(**changes)) == expected


def test_pandera_nullable_integer_and_primary_key():
    schema = table_schema(SCHEMAS, "editions")
    good = {
        "edition": 2022,
        "title_nl": "t",
        "title_en": "t",
        "carried_out_by": "c",
        "fieldwork_nl": None,
        "fieldwork_en": None,
        "publication_date": None,
        "respondents": None,  # an integer column that may be empty
        "response_rate": None,
        "invited_label": None,
        "source_ids": "venster-2022 aeno-gemeenten",
        "notes_nl": None,
        "notes_en": None,
    }
    assert failures(schema, pd.DataFrame([good])) == []
    frame = pd.DataFrame([good, {**good, "respondents": -3, "source_ids": "Venster"}, good])
    assert failures(schema, frame) == [
        ("edition", "field_uniqueness", "2022"),
        ("edition", "field_uniqueness", "2022"),
        ("edition", "field_uniqueness", "2022"),
        ("edition", "multiple_fields_uniqueness", "2022"),
        ("edition", "multiple_fields_uniqueness", "2022"),
        ("edition", "multiple_fields_uniqueness", "2022"),
        ("respondents", "greater_than_or_equal_to(0)", "-3"),
        ("source_ids", "str_matches('^^[a-z0-9-]+( [a-z0-9-]+)*$$')", "Venster"),
    ]


def test_pandera_is_strict_about_columns():
    extra = findings_frame(weight=1)
    assert failures(RAW_FINDINGS, extra) == [("None", "column_in_schema", "weight")]
    missing = findings_frame().drop(columns=["note"])
    assert failures(RAW_FINDINGS, missing) == [("None", "column_in_dataframe", "note")]


# Raw files take their fields from the published tables


@pytest.mark.parametrize("name", ["findings.csv", "conclusions.csv", "edition.yaml"])
def test_raw_file_schema_takes_fields_verbatim(name):
    spec = load(SCHEMAS / "raw-inputs.json")[name]
    published = load(SCHEMAS / f"{spec['table']}.schema.json")
    by_name = {f["name"]: f for f in published["fields"]}
    schema = raw_file_schema(SCHEMAS, name)
    assert [f["name"] for f in schema["fields"]] == spec["fields"]
    assert schema["fields"] == [by_name[n] for n in spec["fields"]]
    assert schema.get("primaryKey") == spec.get("primaryKey")
    assert schema.get("foreignKeys", []) == [
        fk for fk in published.get("foreignKeys", []) if set(fk["fields"]) <= set(spec["fields"])
    ]
    assert frictionless.Schema.validate_descriptor(schema).valid


def test_raw_file_foreign_keys():
    assert [fk["fields"] for fk in raw_file_schema(SCHEMAS, "findings.csv")["foreignKeys"]] == [
        ["population_id"],
        ["indicator_id"],
        ["status"],
        ["source_id"],
    ]
    assert [fk["fields"] for fk in raw_file_schema(SCHEMAS, "conclusions.csv")["foreignKeys"]] == [
        ["theme_id"]
    ]
    assert "foreignKeys" not in raw_file_schema(SCHEMAS, "edition.yaml")


def test_raw_file_schema_is_a_copy():
    schema = raw_file_schema(SCHEMAS, "findings.csv")
    schema["fields"][2]["constraints"]["maximum"] = 1
    assert raw_file_schema(SCHEMAS, "findings.csv") == RAW_FINDINGS
    assert RAW_FINDINGS["fields"][2]["constraints"]["maximum"] == 100


def test_raw_inputs_lists_the_edition_files():
    assert {name: (v["table"], v["required"]) for name, v in raw_inputs(SCHEMAS).items()} == {
        "findings.csv": ("findings", True),
        "conclusions.csv": ("conclusions", False),
        "edition.yaml": ("editions", True),
    }


# Done when: tightening a constraint in a schema FILE changes what Pandera accepts


def tightened_schemas(tmp_path: Path, maximum: int) -> Path:
    """A copy of schemas/ in a new folder (table_schema caches by folder) with the findings
    value maximum lowered in the JSON file itself."""
    folder = tmp_path / f"schemas-max-{maximum}"
    shutil.copytree(SCHEMAS, folder)
    path = folder / "findings.schema.json"
    text = path.read_text(encoding="utf-8")
    old = '"constraints": {"minimum": 0, "maximum": 100}'
    assert text.count(old) == 1
    path.write_text(
        text.replace(old, f'"constraints": {{"minimum": 0, "maximum": {maximum}}}'),
        encoding="utf-8",
    )
    return folder


def test_tightening_the_schema_file_changes_what_pandera_accepts(tmp_path):
    frame = findings_frame(value=68.0)
    assert failures(raw_file_schema(SCHEMAS, "findings.csv"), frame) == []
    folder = tightened_schemas(tmp_path, 50)
    # no Python edit: the same functions, pointed at the edited file
    published = pandera_schema(table_schema(folder, "findings"))
    assert [str(c) for c in published.columns["value"].checks] == [
        "<Check in_range: in_range(0, 50)>"
    ]
    assert failures(raw_file_schema(folder, "findings.csv"), frame) == [
        ("value", "in_range(0, 50)", "68.0")
    ]
    assert failures(raw_file_schema(folder, "findings.csv"), findings_frame(value=50.0)) == []
    # the repository's schemas are untouched and still accept 68
    assert failures(raw_file_schema(SCHEMAS, "findings.csv"), frame) == []


def test_tightened_schema_file_reaches_the_output_contract(tmp_path):
    """The derived Pandera schemas check the built tables: the real tables, held to a schemas/
    whose findings value maximum is 50, fail on exactly the values above 50 (and only there:
    the raw frames are frictionless', pipeline/checks/frame_checks.py checks no constraint)."""
    project = Project.at(REPO)
    report, inputs = validate_local(project)
    assert report.valid
    tables = build_tables(project.schemas, inputs)
    assert contract_problems(project.schemas, tables) == []
    values = tables["findings"]["value"].to_pylist()
    above = [(i + 2, v) for i, v in enumerate(values) if v is not None and v > 50]
    assert len(above) == 11
    folder = tightened_schemas(tmp_path, 50)
    problems = contract_problems(folder, tables)
    assert [(p.row, p.column, p.value, p.rule) for p in problems] == [
        (row, "value", str(value), "output-contract:in_range") for row, value in above
    ]
    assert frame_problems(dataclasses.replace(project, schemas=folder), inputs) == []


def test_tightened_schema_file_reaches_the_file_layer(project):
    """And frictionless, which reads the same file, rejects the same values first."""
    path = project.schemas / "findings.schema.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"maximum": 100}', '"maximum": 50}'), encoding="utf-8")
    report, inputs = validate_local(project)
    assert inputs is None
    assert [(p.file, p.row, p.column, p.value, p.rule) for p in report.sorted()] == [
        ("raw/2022/findings.csv", row, "value", value, "constraint-error")
        for row, value in [(2, "87"), (3, "83"), (4, "68"), (5, "56"), (7, "65"), (8, "53")]
    ] + [
        ("raw/2024/findings.csv", row, "value", value, "constraint-error")
        for row, value in [(2, "68"), (13, "85"), (14, "78"), (15, "67"), (16, "70")]
    ]
    assert {p.message for p in report.problems} == {'constraint "maximum" is "50"'}


# The second layer on inputs frictionless never saw


def test_frame_problems_reports_only_the_rules_with_places():
    """frame_problems checks the rules a Table Schema cannot say, on typed rows changed after
    reading, each problem placed at its file and spreadsheet row; what the schema says (a value
    above 100, a status outside its enum, a negative count) is frictionless' and not repeated."""
    project = Project.at(REPO)
    _, inputs = validate_local(project)
    broken = copy.deepcopy(inputs)
    findings = broken.tables["findings"]
    assert broken.places["findings"][27] == ("raw/2024/findings.csv", 17)
    findings[27]["value"] = 168.0
    assert broken.places["findings"][5] == ("raw/2022/findings.csv", 6)
    findings[5]["status"] = "X"
    assert broken.places["findings"][3] == ("raw/2022/findings.csv", 4)
    findings[3]["value"] = 0.5
    findings[3]["confidence"] = None
    broken.tables["editions"][0]["respondents"] = -1
    problems = frame_problems(project, broken)
    assert [(p.file, p.row, p.column, p.value, p.rule, p.message) for p in problems] == [
        ("raw/2022/findings.csv", 4, "confidence", None,
         "confidence-empty-exactly-when-no-value", "a value needs a confidence (C or C*)"),
        ("raw/2022/findings.csv", 4, "value", "0.5", "percentage-not-fraction",
         "0.5 looks like a fraction; give percentages (0..100)"),
    ]  # fmt: skip


def test_a_schema_the_project_lacks_is_a_usage_error_naming_it(tmp_path):
    """A project whose schemas/ an older werkdata wrote: exit 2 naming the file, no bug."""
    import shutil

    from tests.helpers import copy_project, run_werkdata

    project = copy_project(tmp_path / "project")
    (project.schemas / "conf_statuses.schema.json").unlink()
    result = run_werkdata("--root", str(project.root), "publish", "--local", cwd=tmp_path)
    assert result.returncode == 2
    assert "conf_statuses.schema.json is missing" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    shutil.rmtree(project.root)
