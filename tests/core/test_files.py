"""CSV cells (numbers, nulls, formula-like text) and Parquet files written by
pipeline.core.files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.build.db import arrow_schema
from pipeline.core.files import (
    csv_bytes,
    csv_cell,
    csv_line,
    file_record,
    media_type,
    neutralise,
    write_csv,
    write_parquet,
)

SCHEMA = {
    "fields": [
        {
            "name": "id",
            "type": "string",
            "title": "Code / Code",
            "description": "De code. / The code.",
            "constraints": {"required": True},
        },
        {
            "name": "value",
            "type": "number",
            "title": "Waarde / Value",
            "description": "Een getal. / A number.",
            "unit": "percent",
        },
        {"name": "count", "type": "integer", "title": "Aantal / Count"},
        {"name": "day", "type": "date"},
    ]
}

ROWS = [
    {"id": "=SUM(A1:A9)", "value": 68.0, "count": 3, "day": dt.date(2024, 5, 1)},
    {"id": "+31 6", "value": 14.3, "count": -2, "day": None},
    {"id": "-5", "value": -5.0, "count": None, "day": None},
    {"id": "@cmd", "value": None, "count": 0, "day": None},
    {"id": "\tx", "value": 0.5, "count": None, "day": None},
    {"id": "\rx", "value": None, "count": None, "day": None},
    {"id": "\nx", "value": None, "count": None, "day": None},
    {"id": 'a=b, "quoted"', "value": 100.0, "count": None, "day": None},
]


def table() -> pa.Table:
    schema = arrow_schema(SCHEMA, with_metadata=True)
    return pa.table({n: [r[n] for r in ROWS] for n in schema.names}, schema=schema)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31", "'+31"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcell", "'\tcell"),
        ("\rcell", "'\rcell"),
        ("\ncell", "'\ncell"),
        ("a=1", "a=1"),
        ("5-3", "5-3"),
        (" =1", " =1"),
        ("", ""),
        ("'already", "'already"),
    ],
)
def test_neutralise(text, expected):
    assert neutralise(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (68.0, "68"),
        (14.3, "14.3"),
        (-5.0, "-5"),
        (-0.5, "-0.5"),
        (0.0, "0"),
        (-7, "-7"),
        (37903, "37903"),
        (True, "true"),
        (False, "false"),
        (dt.date(2022, 12, 8), "2022-12-08"),
        ("=HYPERLINK()", "'=HYPERLINK()"),
        ("-5", "'-5"),
        ("plain text", "plain text"),
    ],
)
def test_csv_cell(value, expected):
    assert csv_cell(value) == expected


def test_csv_bytes_neutralise_text_only():
    assert csv_bytes(table()).decode("utf-8").split("\n") == [
        "id,value,count,day",
        "'=SUM(A1:A9),68,3,2024-05-01",
        "'+31 6,14.3,-2,",
        "'-5,-5,,",
        "'@cmd,,0,",
        "'\tx,0.5,,",
        '"\'\rx",,,',
        "\"'",  # the quoted cell holds a line break
        'x",,,',
        '"a=b, ""quoted""",100,,',
        "",
    ]


def test_csv_reads_back_cell_for_cell():
    """A cell with a bare CR is quoted, so a reader keeps every record whole (the csv module of
    Python < 3.11.9 left it unquoted, and the record split in two)."""
    text = csv_bytes(table()).decode("utf-8")
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["id", "value", "count", "day"],
        ["'=SUM(A1:A9)", "68", "3", "2024-05-01"],
        ["'+31 6", "14.3", "-2", ""],
        ["'-5", "-5", "", ""],
        ["'@cmd", "", "0", ""],
        ["'\tx", "0.5", "", ""],
        ["'\rx", "", "", ""],
        ["'\nx", "", "", ""],
        ['a=b, "quoted"', "100", "", ""],
    ]
    assert csv_line(["a\rb", "c"]) == '"a\rb",c\n'
    assert csv_line(["a\r\nb", "", 'x"y']) == '"a\r\nb",,"x""y"\n'


def test_parquet_keeps_raw_text_and_field_metadata(tmp_path: Path):
    path = tmp_path / "t.parquet"
    write_parquet(table(), path)

    assert pq.read_table(path).to_pylist() == ROWS
    schema = pq.read_schema(path)
    assert {f.name: f.metadata for f in schema} == {
        "id": {b"title": b"Code / Code", b"description": b"De code. / The code."},
        "value": {
            b"title": b"Waarde / Value",
            b"description": b"Een getal. / A number.",
            b"unit": b"percent",
        },
        "count": {b"title": b"Aantal / Count"},
        "day": None,
    }
    assert [(f.name, str(f.type), f.nullable) for f in schema] == [
        ("id", "string", False),
        ("value", "double", True),
        ("count", "int64", True),
        ("day", "date32[day]", True),
    ]


def test_same_table_twice_gives_identical_bytes(tmp_path: Path):
    for name in ("a", "b"):
        write_csv(table(), tmp_path / f"{name}.csv")
        write_parquet(table(), tmp_path / f"{name}.parquet")

    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_file_record_measures_path_bytes_sha256_and_media_type(tmp_path: Path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "t.csv").write_bytes(b"a,b\n1,2\n")
    assert file_record(tmp_path, "data/t.csv") == {
        "path": "data/t.csv",
        "bytes": 8,
        # sha256 of b"a,b\n1,2\n", computed independently with `sha256sum`
        "sha256": "492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470",
        "mediatype": "text/csv",
    }


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("data/findings.parquet", "application/vnd.apache.parquet"),
        ("datapackage.json", "application/json"),
        ("index.html", "text/html"),
        ("dcat.jsonld", "application/ld+json"),
        ("SHA256SUMS", "application/octet-stream"),
    ],
)
def test_media_type_by_suffix(rel, expected):
    assert media_type(rel) == expected


TEXT = st.none() | st.text(alphabet=st.sampled_from(list("ab ,\"\n=+-@\t'")), max_size=6)


@given(st.lists(st.tuples(TEXT, TEXT, st.none() | st.integers(-5, 5)), max_size=6))
def test_csv_bytes_are_the_csv_module_bytes(rows):
    """The cells quoted column by column give the bytes the csv module's writer gives the same
    cells, record by record. Text without CR: with LF as its terminator the csv module of Python
    before 3.11.9 leaves a bare CR unquoted; the tables above hold the CR cases."""
    data = pa.table(
        {
            "a": pa.array([r[0] for r in rows], pa.string()),
            "b, c": pa.array([r[1] for r in rows], pa.string()),
            "n": pa.array([r[2] for r in rows], pa.int64()),
        }
    )
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(data.schema.names)
    writer.writerows(
        [csv_cell(value) for value in row] for row in (r.values() for r in data.to_pylist())
    )
    assert csv_bytes(data) == expected.getvalue().encode("utf-8")
    single = data.select(["a"])
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\n").writerows([["a"], *([csv_cell(r[0])] for r in rows)])
    assert csv_bytes(single) == expected.getvalue().encode("utf-8")
