"""What earlier releases published of an edition (D11, docs/disclosure.md "Revisions"): the
reader of the version folders, the pure function over their rows, and the refusal when
protecting a revision would hide a whole population's figure."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.core.errors import IntegrityError
from pipeline.disclose import DisclosureConfig, Earlier, Table
from pipeline.orchestrate.disclosure import differencing_refusal
from pipeline.orchestrate.earlier_cells import (
    COLUMNS,
    earlier_cells,
    earlier_of,
    new_readings,
    release_rows,
)

HEADER = ",".join(COLUMNS)


def row(edition, population, value, respondents, flag, indicator="i1"):
    return {
        "edition": edition,
        "population_id": population,
        "breakdown_id": "totaal",
        "breakdown_value": "totaal",
        "indicator_id": indicator,
        "value": value,
        "respondents": respondents,
        "conf_status": flag,
    }


def write_release(folder, rows, parquet: bool, columns=COLUMNS) -> None:
    """A release folder with only what the reader needs: datapackage.json and the estimates."""
    (folder / "data").mkdir(parents=True)
    name, path = (
        ("estimates-parquet", "data/estimates.parquet")
        if parquet
        else (
            "estimates",
            "data/estimates.csv",
        )
    )
    table = pa.Table.from_pylist([{c: r[c] for c in columns} for r in rows])
    if parquet:
        pq.write_table(table, folder / path)
    else:
        lines = [",".join(columns)]
        lines += [",".join("" if r[c] is None else str(r[c]) for c in columns) for r in rows]
        (folder / path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    resource = {"name": name, "path": path, "format": "parquet" if parquet else "csv"}
    resource["schema"] = {"fields": [{"name": c} for c in columns]}
    package = {"title": "t", "version": folder.name, "created": "x", "resources": [resource]}
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")


def test_cells_flagged_f_are_read_as_published_and_c_as_suppressed_under_their_thresholds():
    found = earlier_of(
        {
            "3.0.0": ([row(2024, "a", 41.7, 12, "A"), row(2024, "b", 50.0, 30, "D")], {}),
            "4.0.0": (
                [
                    row(2024, "a", 41.7, 12, "F"),
                    row(2024, "b", None, None, "C"),
                    row(2024, "a", 33.3, 12, "F", "i2"),
                    row(2022, "a", 25.0, 40, "F"),
                ],
                {"threshold": 8, "sensitive_threshold": 3},
            ),
            "4.0.1": ([row(2024, "a", 50.0, 14, "F")], {}),
        },
        sensitive_indicators={"i1"},
    )
    cell = ("a", "totaal", "totaal", "i1")
    assert found[2024][cell] == (Earlier("4.0.0", 12, 5, 8, 3), Earlier("4.0.1", 14, 7))
    assert found[2024][("a", "totaal", "totaal", "i2")] == (Earlier("4.0.0", 12, None, 8, 3),)
    # flagged A or D (before the attacker-proof rules): outside the guarantee, left out
    assert found[2024][("b", "totaal", "totaal", "i1")] == (Earlier("4.0.0", None, None, 8, 3),)
    assert found[2022][cell] == (Earlier("4.0.0", 40, 10, 8, 3),)


def test_every_version_folder_is_read_in_its_own_format_and_latest_is_not(tmp_path):
    dataset = tmp_path / "werkonderzoek"
    old = [row(2024, "a", 41.7, 12, "A")]
    write_release(dataset / "1.0.0", old, parquet=False, columns=COLUMNS[:-1])  # no flag yet
    write_release(dataset / "2.0.0", [row(2024, "a", 41.7, 12, "F")], parquet=False)
    write_release(dataset / "2.1.0", [row(2024, "a", 50.0, 14, "F")], parquet=True)
    (dataset / "latest").symlink_to("2.1.0")
    assert release_rows(dataset / "1.0.0") == ([], {})
    assert release_rows(dataset / "2.0.0") == ([row(2024, "a", 41.7, 12, "F")], {})
    found = earlier_cells(dataset, {"i1"})
    assert found == {
        2024: {("a", "totaal", "totaal", "i1"): (Earlier("2.0.0", 12, 5), Earlier("2.1.0", 14, 7))}
    }


def test_an_unreadable_release_is_an_integrity_error_naming_the_file(tmp_path):
    folder = tmp_path / "werkonderzoek" / "2.0.0"
    write_release(folder, [row(2024, "a", 41.7, 12, "F")], parquet=True)
    (folder / "data" / "estimates.parquet").write_bytes(b"not parquet")
    with pytest.raises(IntegrityError) as raised:
        release_rows(folder)
    assert raised.value.problems == ["2.0.0/data/estimates.parquet: cannot be read (ArrowInvalid)"]


def test_the_new_reading_rounds_the_share_as_it_is_published():
    cells = pa.Table.from_pylist(
        [
            {**row(2024, "a", None, 3, "F"), "share": 100 / 3, "respondents": 3},
            {**row(2024, "a", None, 7, "F", "i2"), "share": 100 / 7, "respondents": 7},
        ]
    )
    # 33.3% of 3 is 0.999 (1), 14.3% of 7 is 1.001 (1); only sensitive indicators are read
    assert new_readings(cells, 1, {"i1"}) == {("a", "totaal", "totaal", "i1"): 1}
    assert new_readings(cells, 0, {"i1", "i2"}) == {
        ("a", "totaal", "totaal", "i1"): 1,
        ("a", "totaal", "totaal", "i2"): 1,
    }


def test_a_revision_that_would_hide_the_whole_population_is_refused_naming_it():
    t = Table(
        parents={"alle": None, "a": "alle"},
        breakdowns={},
        items={"i1": "q1", "i2": "q2"},
        n={(p, "totaal", "totaal", i): 50 for p in ("alle", "a") for i in ("i1", "i2")},
    )
    whole = ("alle", "totaal", "totaal", "i1")
    config = DisclosureConfig()
    assert differencing_refusal(2024, t, {whole: "D1"}, config) is None  # no revision
    assert differencing_refusal(2024, t, {("a", "totaal", "totaal", "i1"): "D11"}, config) is None
    refusal = differencing_refusal(
        2024, t, {whole: "D3", ("a", "totaal", "totaal", "i2"): "D11"}, config
    )
    assert refusal.cells == ["alle/totaal/totaal/i1"]  # for the local error log only
    (problem,) = refusal.report.problems
    assert (problem.file, problem.rule) == ("raw/2024", "disclosure-differencing")
    assert problem.message.startswith("comparing this release with an earlier one would show")
    assert problem.message.endswith(
        "(named in .werkdata/log/respondent-errors.log, readable by you only)"
    )
    assert "i1" not in problem.message
    assert "bundle corrections until at least 10 respondents change" in problem.hint
