"""The DuckDB transform (build_tables) on the real inputs and on small hand-made ones."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipeline.build.db import arrow_schema, connect, run_sql, to_arrow
from pipeline.build.transform import CHANGE_DIGITS, build_tables, raw_tables
from pipeline.core.errors import BuildFailed
from pipeline.core.paths import Project
from pipeline.core.schemas import TABLES, table_schema
from pipeline.ingest.inputs import RawInputs
from pipeline.orchestrate.runner import validate_local
from tests.helpers import REAL_ROWS, REPO

SCHEMAS = REPO / "schemas"

KEYS = {
    "themes": ["theme_id"],
    "indicators": ["indicator_id"],
    "populations": ["population_id"],
    "statuses": ["status"],
    "sources": ["source_id"],
    "editions": ["edition"],
    "findings": ["edition", "population_id", "indicator_id"],
}


@pytest.fixture(scope="module")
def inputs() -> RawInputs:
    report, inputs = validate_local(Project.at(REPO))
    assert report.valid
    return inputs


@pytest.fixture(scope="module")
def tables(inputs) -> dict[str, pa.Table]:
    return build_tables(SCHEMAS, inputs)


def rows(table: pa.Table, *columns: str) -> list[tuple]:
    return [tuple(r[c] for c in columns) for r in table.to_pylist()]


def find(tables, edition, population, indicator) -> dict:
    (row,) = [
        r
        for r in tables["findings"].to_pylist()
        if (r["edition"], r["population_id"], r["indicator_id"]) == (edition, population, indicator)
    ]
    return row


def test_every_table_in_order_with_its_row_count(tables):
    assert list(tables) == list(TABLES)
    assert {name: t.num_rows for name, t in tables.items()} == REAL_ROWS


@pytest.mark.parametrize("name", TABLES)
def test_table_has_the_published_schema(tables, name):
    schema = table_schema(SCHEMAS, name)
    table = tables[name]
    assert table.schema.names == [f["name"] for f in schema["fields"]]
    assert table.schema.equals(arrow_schema(schema, with_metadata=True), check_metadata=True)
    for field in schema["fields"]:
        arrow_field = table.schema.field(field["name"])
        assert arrow_field.metadata[b"title"].decode() == field["title"]
        required = field.get("constraints", {}).get("required", False)
        if required:
            assert table.column(field["name"]).null_count == 0, (name, field["name"])


def test_findings_columns_in_schema_order(tables):
    assert tables["findings"].schema.names == [
        "edition",
        "population_id",
        "indicator_id",
        "theme_id",
        "indicator_label_nl",
        "indicator_label_en",
        "population_label_nl",
        "population_label_en",
        "value",
        "unit",
        "status",
        "value_label",
        "change_pp",
        "change_from_edition",
        "source_id",
        "source_url",
        "confidence",
        "statement_nl",
        "note",
    ]


def test_findings_values_and_joined_labels(tables):
    row = find(tables, 2024, "openbaar_bestuur", "tevreden_organisatie")
    assert row == {
        "edition": 2024,
        "population_id": "openbaar_bestuur",
        "indicator_id": "tevreden_organisatie",
        "theme_id": "werkbeleving",
        "indicator_label_nl": "Tevreden met de organisatie",
        "indicator_label_en": "Satisfied with the organisation",
        "population_label_nl": "Openbaar bestuur",
        "population_label_en": "Public administration",
        "value": 68.0,
        "unit": "percent",
        "status": "A",
        "value_label": "68%",
        "change_pp": 0.0,
        "change_from_edition": 2022,
        "source_id": "wo2024-infographic",
        "source_url": "https://www.werkonderzoek.nl",
        "confidence": "C",
        "statement_nl": "is tevreden over de organisatie",
        "note": "Gelijk aan 2022 (68%); beide bronnen zeggen dit. / "
        "The same as in 2022 (68%); both sources say so.",
    }
    assert find(tables, 2022, "openbaar_bestuur", "tevreden_baan")["value"] == 87.0
    assert find(tables, 2024, "openbaar_bestuur", "beloningsbeleid_stimulerend")["value"] == 14.3


def test_eight_missing_values_in_2024(tables):
    missing = [
        (r["edition"], r["indicator_id"], r["value"], r["value_label"], r["confidence"])
        for r in tables["findings"].to_pylist()
        if r["status"] == "M"
    ]
    assert missing == [
        (2024, indicator, None, None, None)
        for indicator in [
            "communicatie_personeelsbeleid_helder",
            "ondermaats_presteren_gedoogd",
            "ontevreden_resultaatgerichtheid",
            "personeelsbeleid_helpt_doelen",
            "prestaties_gemonitord",
            "talent_aantrekken_voldoende",
            "talent_behouden_voldoende",
            "tevreden_loopbaanmogelijkheden",
        ]
    ]
    assert {r["population_id"] for r in tables["findings"].to_pylist() if r["status"] == "M"} == {
        "openbaar_bestuur"
    }
    values = tables["findings"].column("value")
    assert values.null_count == 8


def test_change_pp(tables):
    found = [
        (
            r["edition"],
            r["population_id"],
            r["indicator_id"],
            r["change_pp"],
            r["change_from_edition"],
        )
        for r in tables["findings"].to_pylist()
        if r["change_pp"] is not None or r["change_from_edition"] is not None
    ]
    assert found == [
        (2024, "gemeenten", "tevreden_organisatie", 2.0, 2022),
        (2024, "gemeenten_nieuwkomers", "reden_salaris", 25.0, 2019),
        (2024, "openbaar_bestuur", "tevreden_organisatie", 0.0, 2022),
    ]
    assert tables["findings"].column("change_pp").null_count == 25
    assert tables["findings"].column("change_from_edition").null_count == 25


@pytest.mark.parametrize("name", [n for n in TABLES if n in KEYS])
def test_rows_are_ordered_by_key(tables, name):
    keys = rows(tables[name], *KEYS[name])
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_conclusions_order_bottlenecks_first(tables):
    assert rows(tables["conclusions"], "edition", "kind", "position") == [
        (2024, "knelpunt", 1),
        (2024, "knelpunt", 2),
        (2024, "knelpunt", 3),
    ] + [(2024, "actiepunt", n) for n in range(1, 9)]


def test_editions_table(tables):
    assert rows(tables["editions"], "edition", "respondents", "response_rate") == [
        (2019, None, None),
        (2022, 37903, 42.4),
        (2024, None, None),
    ]
    dates = tables["editions"].column("publication_date")
    assert dates.type == pa.date32()
    assert [d and d.isoformat() for d in dates.to_pylist()] == [None, "2022-12-08", None]


def test_building_twice_gives_identical_tables(inputs, tables):
    again = build_tables(SCHEMAS, copy.deepcopy(inputs))
    assert list(again) == list(tables)
    for name in TABLES:
        assert again[name].equals(tables[name], check_metadata=True), name


def test_build_does_not_change_its_inputs(inputs):
    before = copy.deepcopy(inputs)
    build_tables(SCHEMAS, inputs)
    assert inputs == before


def test_input_row_order_does_not_change_the_output(inputs, tables):
    shuffled = copy.deepcopy(inputs)
    for name in shuffled.tables:
        shuffled.tables[name].reverse()
        shuffled.places[name].reverse()
    again = build_tables(SCHEMAS, shuffled)
    for name in TABLES:
        assert again[name].equals(tables[name], check_metadata=True), name


# Small hand-made inputs


def small_inputs(inputs: RawInputs, findings: list[tuple]) -> RawInputs:
    """The real code lists and editions with findings given as
    (edition, population_id, indicator_id, value, status)."""
    small = copy.deepcopy(inputs)
    template = inputs.tables["findings"][0]
    small.tables["findings"] = [
        {
            **template,
            "edition": edition,
            "population_id": population,
            "indicator_id": indicator,
            "value": value,
            "status": status,
            "confidence": None if value is None else "C",
        }
        for edition, population, indicator, value, status in findings
    ]
    small.places["findings"] = [("raw/x/findings.csv", i + 2) for i in range(len(findings))]
    return small


def changes(inputs: RawInputs) -> list[tuple]:
    return rows(
        build_tables(SCHEMAS, inputs)["findings"],
        "edition",
        "population_id",
        "indicator_id",
        "value",
        "change_pp",
        "change_from_edition",
    )


def test_change_skips_an_edition_without_a_value(inputs):
    small = small_inputs(
        inputs,
        [
            (2019, "gemeenten", "tevreden_baan", 60.0, "A"),
            (2022, "gemeenten", "tevreden_baan", None, "M"),
            (2024, "gemeenten", "tevreden_baan", 65.5, "A"),
            (2024, "gemeenten", "tevreden_team", 70.0, "A"),  # no earlier edition
            (2022, "openbaar_bestuur", "tevreden_baan", 87.0, "A"),  # other population
        ],
    )
    assert changes(small) == [
        (2019, "gemeenten", "tevreden_baan", 60.0, None, None),
        (2022, "gemeenten", "tevreden_baan", None, None, None),
        (2022, "openbaar_bestuur", "tevreden_baan", 87.0, None, None),
        (2024, "gemeenten", "tevreden_baan", 65.5, 5.5, 2019),
        (2024, "gemeenten", "tevreden_team", 70.0, None, None),
    ]


def test_change_compares_with_the_most_recent_earlier_value(inputs):
    small = small_inputs(
        inputs,
        [
            (2024, "gemeenten", "veel_werk", 40.0, "A"),
            (2019, "gemeenten", "veel_werk", 50.0, "A"),
            (2022, "gemeenten", "veel_werk", 45.0, "E"),
        ],
    )
    assert changes(small) == [
        (2019, "gemeenten", "veel_werk", 50.0, None, None),
        (2022, "gemeenten", "veel_werk", 45.0, -5.0, 2019),
        (2024, "gemeenten", "veel_werk", 40.0, -5.0, 2022),
    ]


def test_change_rounds_away_binary_noise(inputs):
    # In binary floating point 68.3 - 65.1 is 3.1999999999999957, and 0.1 - 14.3 is
    # -14.200000000000001.
    small = small_inputs(
        inputs,
        [
            (2022, "gemeenten", "tevreden_baan", 65.1, "A"),
            (2024, "gemeenten", "tevreden_baan", 68.3, "A"),
            (2022, "gemeenten", "tevreden_team", 14.3, "E"),
            (2024, "gemeenten", "tevreden_team", 0.1, "A"),
        ],
    )
    got = {(r[0], r[2]): r[4] for r in changes(small)}
    assert got[(2024, "tevreden_baan")] == 3.2
    assert got[(2024, "tevreden_team")] == -14.2


def test_missing_value_after_a_value_has_no_change(inputs):
    small = small_inputs(
        inputs,
        [
            (2022, "gemeenten", "tevreden_baan", 65.0, "A"),
            (2024, "gemeenten", "tevreden_baan", None, "M"),
        ],
    )
    assert changes(small) == [
        (2022, "gemeenten", "tevreden_baan", 65.0, None, None),
        (2024, "gemeenten", "tevreden_baan", None, None, None),
    ]


def test_no_conclusions_gives_an_empty_typed_table(inputs):
    without = copy.deepcopy(inputs)
    del without.tables["conclusions"]
    del without.places["conclusions"]
    out = build_tables(SCHEMAS, without)
    assert out["conclusions"].num_rows == 0
    assert out["conclusions"].schema.equals(
        arrow_schema(table_schema(SCHEMAS, "conclusions"), with_metadata=True),
        check_metadata=True,
    )
    assert raw_tables(SCHEMAS, without)["conclusions"].num_rows == 0


def edited_schemas(tmp_path, table: str, edit) -> Path:
    """A copy of schemas/ in a new folder (table_schema caches by folder) with one table's
    schema changed by `edit` (a function of its dict)."""
    folder = tmp_path / f"schemas-{table}"
    shutil.copytree(SCHEMAS, folder)
    path = folder / f"{table}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    edit(schema)
    path.write_text(json.dumps(schema), encoding="utf-8")
    return folder


def test_schema_order_decides_the_column_order(inputs, tmp_path):
    folder = edited_schemas(tmp_path, "themes", lambda s: s["fields"].reverse())
    out = build_tables(folder, inputs)
    assert out["themes"].schema.names == ["label_en", "label_nl", "theme_id"]
    assert out["themes"].to_pylist()[0] == {
        "label_en": "Recommending one's own organisation",
        "label_nl": "Aanbeveling van de eigen organisatie",
        "theme_id": "aanbeveling",
    }


def test_a_computed_column_the_schema_leaves_out_is_dropped(inputs, tables, tmp_path):
    def drop(schema):
        schema["fields"] = [f for f in schema["fields"] if f["name"] != "change_from_edition"]

    out = build_tables(edited_schemas(tmp_path, "findings", drop), inputs)
    assert "change_from_edition" not in out["findings"].schema.names
    assert out["findings"].equals(tables["findings"].drop_columns(["change_from_edition"]))


def test_a_schema_column_the_sql_does_not_return_stops_the_build(inputs, tmp_path):
    def add(schema):
        schema["fields"].append({"name": "colour", "type": "string", "title": "t"})

    with pytest.raises(BuildFailed) as info:
        build_tables(edited_schemas(tmp_path, "themes", add), inputs)
    assert str(info.value) == (
        "themes.sql returns no column colour, which schemas/themes.schema.json declares"
    )


# db.py


def test_arrow_schema_types_and_nullability():
    schema = arrow_schema(table_schema(SCHEMAS, "editions"))
    assert [(f.name, str(f.type), f.nullable) for f in schema] == [
        ("edition", "int64", False),
        ("title_nl", "string", False),
        ("title_en", "string", False),
        ("carried_out_by", "string", False),
        ("fieldwork_nl", "string", True),
        ("fieldwork_en", "string", True),
        ("publication_date", "date32[day]", True),
        ("respondents", "int64", True),
        ("response_rate", "double", True),
        ("invited_label", "string", True),
        ("source_ids", "string", False),
        ("notes_nl", "string", True),
        ("notes_en", "string", True),
    ]
    assert all(f.metadata is None for f in schema)
    value = arrow_schema(table_schema(SCHEMAS, "findings"), with_metadata=True).field("value")
    assert set(value.metadata) == {b"title", b"description", b"unit"}
    assert value.metadata[b"unit"] == b"percent"


def test_to_arrow_fills_absent_keys_with_null():
    schema = {
        "fields": [
            {"name": "a", "type": "integer", "constraints": {"required": True}},
            {"name": "b", "type": "string"},
        ]
    }
    table = to_arrow([{"a": 1}, {"a": 2, "b": "x", "c": "ignored"}], schema)
    assert table.to_pylist() == [{"a": 1, "b": None}, {"a": 2, "b": "x"}]
    assert table.schema.field("a").nullable is False


def test_build_refuses_a_null_in_a_required_output_column(inputs):
    """to_arrow does not enforce `required` (pyarrow lets a null into a non-nullable field); the
    final cast to the published schema does, should unvalidated rows ever reach the build."""
    broken = copy.deepcopy(inputs)
    broken.tables["findings"][3]["statement_nl"] = None
    with pytest.raises(ValueError, match="Casting field 'statement_nl' with null values"):
        build_tables(SCHEMAS, broken)


def noisy_change(inputs: RawInputs) -> RawInputs:
    """Two editions whose change, 68.3 - 65.1, is 3.1999999999999957 before rounding."""
    return small_inputs(
        inputs,
        [
            (2022, "gemeenten", "tevreden_baan", 65.1, "A"),
            (2024, "gemeenten", "tevreden_baan", 68.3, "A"),
        ],
    )


def change_pp_with(inputs: RawInputs, params: dict) -> list:
    """change_pp of findings.sql run with `params` bound."""
    con = connect(raw_tables(SCHEMAS, inputs))
    try:
        return run_sql(con, "findings", params).column("change_pp").to_pylist()
    finally:
        con.close()


def test_run_sql_binds_parameters(inputs):
    """The value of $change_digits decides the rounding: it is bound, not written in the SQL."""
    small = noisy_change(inputs)
    assert change_pp_with(small, {"change_digits": CHANGE_DIGITS}) == [None, 3.2]
    assert change_pp_with(small, {"change_digits": 0}) == [None, 3.0]


def test_a_hostile_parameter_reaches_the_query_as_a_value(inputs):
    """Pasted into the text, this value would end the round() and add a column; bound, it is one
    value that DuckDB cannot read as digits, and it names it whole."""
    hostile = "1) AS change_pp, 'x'; DROP TABLE raw_findings; -- O'Brien"
    con = connect(raw_tables(SCHEMAS, noisy_change(inputs)))
    try:
        with pytest.raises(duckdb.ConversionException) as info:
            run_sql(con, "findings", {"change_digits": hostile})
        assert f"Could not convert string '{hostile}' to INT32" in str(info.value)
        assert con.sql("SELECT count(*) FROM raw_findings").fetchall() == [(2,)]
    finally:
        con.close()


def test_hostile_text_in_a_cell_reaches_the_output_unharmed(inputs):
    """Values come in as Arrow tables, never as SQL text."""
    hostile = "O'Brien'); DROP TABLE raw_findings; --"
    small = noisy_change(inputs)
    small.tables["findings"][1]["note"] = hostile
    notes = build_tables(SCHEMAS, small)["findings"].column("note").to_pylist()
    assert notes == [inputs.tables["findings"][0]["note"], hostile]


def test_every_sql_file_is_a_table():
    names = sorted(p.stem for p in (REPO / "pipeline" / "build" / "sql").glob("*.sql"))
    assert names == sorted(TABLES)


def test_build_uses_the_schemas_folder_it_is_given(inputs, tmp_path):
    """Titles come from the schema files, so an edited title shows with no Python edit."""

    def retitle(schema):
        schema["fields"][1]["title"] = "Nieuwe titel / New title"

    out = build_tables(edited_schemas(tmp_path, "themes", retitle), inputs)
    assert out["themes"].schema.field("label_nl").metadata[b"title"] == (
        b"Nieuwe titel / New title"
    )
