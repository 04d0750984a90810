"""The attacks of docs/disclosure.md on a real release: a census (equal weights) published
through `werkdata publish --local`, read back by the attacker of tests/disclose/attacker.py from
the published files only.

The project shows why answers need protecting as much as counts: unit a holds 40 men (20
answering yes to a sensitive item), 8 women (none yes) and 2 of unknown sex (none yes); unit b
is large enough. D1 suppresses a's women, yet yes(a, totaal) - yes(a, man) = 40% x 50 - 50% x
40 = 0 would say that none of them said yes. One publish for the whole module."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from tests.disclose.attacker import (
    FLAGS,
    Release,
    flag_violations,
    range_violations,
    ranges,
    read_releases,
)
from tests.disclose.equal_weights import (
    SENSITIVE_INDICATOR,
    SENSITIVE_ITEM,
    group,
    write_equal_weight_project,
)
from tests.helpers import run_werkdata

pytestmark = pytest.mark.slow  # one publish through the CLI (~2 s on the 2-core machine)

PARENTS = {"alle": None, "a": "alle", "b": "alle"}
RESPONDENTS = [
    *group(40, "a", "man", yes=20),
    *group(8, "a", "vrouw", yes=0),
    *group(2, "a", None, yes=0),
    *group(30, "b", "man", yes=15),
    *group(30, "b", "vrouw", yes=15),
    *group(12, "b", "anders", yes=6),
    *group(10, "b", None, yes=5),
]


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The release folder of the census, published once."""
    root = tmp_path_factory.mktemp("census") / "project"
    write_equal_weight_project(root, PARENTS, RESPONDENTS)
    result = run_werkdata("--root", str(root), "publish", "--local", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "published" / "werkonderzoek" / "latest"


@pytest.fixture(scope="module")
def release(published: Path) -> Release:
    """What the attacker reads: every release of the dataset (here the one)."""
    return read_releases(published.parent)


def test_the_women_of_unit_a_keep_their_answers(release):
    """The example above: a's women are suppressed, and nothing published narrows their yes
    (or no) count below the sensitive threshold, nor their number below the threshold."""
    women = ("a", "geslacht", "vrouw")
    found = {
        r.what: r
        for r in ranges(release)
        if r.cell == women and r.subject in (SENSITIVE_INDICATOR, SENSITIVE_ITEM)
    }
    assert set(found) == {"n", "counted", "not counted"}, "a's women must be suppressed"
    assert found["counted"].width >= release.sensitive_threshold, found["counted"]
    assert found["not counted"].width >= release.sensitive_threshold, found["not counted"]
    assert found["n"].width >= release.threshold, found["n"]


def test_no_suppressed_cell_is_narrower_than_the_guarantee(release):
    assert range_violations(release) == []


def test_the_flag_tells_nothing_but_suppressed(release, published):
    """Every estimates row is F or C, the published code list holds exactly those two (in both
    formats, and as the schema's enum), and the audit record names no primary or secondary
    cells: a flag or a count that says why a cell is hidden tells the attacker how small it is."""
    assert flag_violations(release)[:5] == []
    assert release.conf_statuses == FLAGS
    csv_codes = pcsv.read_csv(published / "data" / "conf_statuses.csv").column("conf_status")
    assert set(csv_codes.to_pylist()) == FLAGS
    package = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    estimates = next(r for r in package["resources"] if r["name"] == "estimates")
    field = next(f for f in estimates["schema"]["fields"] if f["name"] == "conf_status")
    assert set(field["constraints"]["enum"]) == FLAGS
    suppressed = [row for row in release.rows if row["conf_status"] != "F"]
    assert suppressed, "the census must have suppressed cells"
    for row in suppressed:
        assert row["status"] == "Q"
        assert [row[k] for k in ("value", "ci_low", "ci_high", "respondents")] == [None] * 4
    record = json.loads((published / "validation.json").read_text(encoding="utf-8"))
    told = [key for key in keys_of(record["disclosure"]) if "primary" in key or "secondary" in key]
    assert told == []


def keys_of(record: object) -> list[str]:
    """Every key of a JSON record, at any depth."""
    if isinstance(record, dict):
        return [*record, *(key for value in record.values() for key in keys_of(value))]
    if isinstance(record, list):
        return [key for value in record for key in keys_of(value)]
    return []


def test_no_number_holds_more_decimals_than_stated(published):
    """The package states `decimals` under `disclosure`; no number column of the estimates
    holds more, in the CSV (as written) or in the Parquet file (as stored)."""
    package = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    assert "decimals" in package["disclosure"], "datapackage.json states no decimals"
    decimals = package["disclosure"]["decimals"]
    assert isinstance(decimals, int) and decimals >= 0
    estimates = next(r for r in package["resources"] if r["name"] == "estimates")
    numbers = [f["name"] for f in estimates["schema"]["fields"] if f["type"] == "number"]
    assert {"value", "ci_low", "ci_high"} <= set(numbers)
    text = pcsv.read_csv(
        published / "data" / "estimates.csv",
        convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(numbers, "string")),
    )
    stored = pq.read_table(published / "data" / "estimates.parquet")
    for name in numbers:
        written = [t for t in text.column(name).to_pylist() if t]
        assert written, f"{name} holds no number"
        assert max(-Decimal(t).as_tuple().exponent for t in written) <= decimals, name
        values = [x for x in stored.column(name).to_pylist() if x is not None]
        assert all(round(x, decimals) == x for x in values), name
