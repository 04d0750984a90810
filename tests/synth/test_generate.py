"""The generator: deterministic for a seed (byte-identical files), the shape of the microdata
contract, honest labels, and refusals."""

from __future__ import annotations

import json

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.core.errors import WerkdataError
from pipeline.synth import synthetic_dataset, write_project
from tests.synth.readers import SOURCE, rows, spec, tree

SMALL = 3_000


def files_of(root) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "small"
    write_project(SOURCE, out, SMALL, seed=7, items=20)
    return out


def test_the_same_seed_gives_byte_identical_files(small, tmp_path):
    again = tmp_path / "again"
    write_project(SOURCE, again, SMALL, seed=7, items=20)
    assert files_of(small) == files_of(again)


def test_another_seed_gives_other_answers(small, tmp_path):
    other = tmp_path / "other"
    write_project(SOURCE, other, SMALL, seed=8, items=20)
    parquet = "raw/2024/microdata/respondents.parquet"
    assert files_of(small)[parquet] != files_of(other)[parquet]
    assert files_of(small)["raw/codelists/items.csv"] == files_of(other)["raw/codelists/items.csv"]


def test_partitions_hold_the_same_respondents_as_one_file(small, tmp_path):
    parts = tmp_path / "parts"
    write_project(SOURCE, parts, SMALL, seed=7, items=20, partitions=3)
    files = spec(parts).files()
    assert [f.name for f in files] == ["part-000.parquet", "part-001.parquet", "part-002.parquet"]
    whole = pq.read_table(spec(small).files()[0])
    assert pa.concat_tables(pq.read_table(f) for f in files).equals(whole)


def test_the_respondent_file_follows_the_contract(small):
    table = pq.read_table(spec(small).files()[0])
    items = [row["item_id"] for row in rows(small, "items.csv")]
    breakdowns = sorted({row["breakdown_id"] for row in rows(small, "breakdowns.csv")})
    assert table.column_names == [
        "respondent_id", "population_id", "stratum", "psu", "weight",
        "leeftijd", "dienstjaren", "geslacht", *items,
    ]  # fmt: skip
    assert len(items) == 20 and table.num_rows == SMALL
    assert all(table.schema.field(i).type == pa.int8() for i in items)
    assert table.schema.field("weight").type == pa.float64()
    con = duckdb.connect()
    con.register("r", table)
    leaves = set(tree(small).leaves)
    assert {v for (v,) in con.execute("SELECT DISTINCT population_id FROM r").fetchall()} == leaves
    (unique,) = con.execute("SELECT count(DISTINCT respondent_id) = count(*) FROM r").fetchone()
    assert unique
    # Several PSUs in every stratum, and positive, skewed weights.
    (fewest_psus,) = con.execute(
        "SELECT min(n) FROM (SELECT count(DISTINCT psu) AS n FROM r GROUP BY stratum)"
    ).fetchone()
    assert fewest_psus >= 2
    low, high = con.execute("SELECT min(weight), max(weight) FROM r").fetchone()
    assert low > 0 and high / low > 20
    # Breakdowns with nulls, and only values of breakdowns.csv.
    for b in breakdowns:
        allowed = {
            row["value"] for row in rows(small, "breakdowns.csv") if row["breakdown_id"] == b
        }
        seen = {v for (v,) in con.execute(f"SELECT DISTINCT {b} FROM r").fetchall()}
        assert None in seen and seen - {None} <= allowed
    # Item non-response about 3%, "weet niet" present, codes of the scale only.
    nulls, dont_know, outside = con.execute(
        "SELECT avg((v001 IS NULL)::INT), avg((v001 = 9)::INT), "
        "count(*) FILTER (WHERE v001 NOT IN (1, 2, 3, 4, 5, 9)) FROM r"
    ).fetchone()
    assert 0.02 < nulls < 0.04 and dont_know > 0 and outside == 0


def test_answers_are_correlated(small):
    table = pq.read_table(spec(small).files()[0])
    con = duckdb.connect()
    con.register("r", table)
    (corr,) = con.execute("SELECT corr(v004, v005) FROM r WHERE v004 < 9 AND v005 < 9").fetchone()
    assert corr > 0.15


def test_some_breakdown_cells_are_small(small, tmp_path):
    """Small leaves make cells with fewer than 10 respondents (for disclosure control), even at
    100,000 respondents; tested here on the code that sizes the leaves."""
    from pipeline.synth.generate import leaf_counts

    counts = leaf_counts(100_000)
    assert counts.sum() == 100_000 and counts.min() < 500  # 1.5% "anders" of < 500 is < 10


def test_every_leaf_keeps_its_minimum_at_any_size():
    """Down to the smallest size synth accepts, the leaves add up to the respondents and each
    keeps MIN_PER_LEAF (a few hundred respondents gave a leaf a negative count)."""
    from pipeline.synth.generate import MIN_PER_LEAF, leaf_counts
    from pipeline.synth.shape import LEAVES

    smallest = MIN_PER_LEAF * len(LEAVES)
    wrong = {
        n: counts.tolist()
        for n in range(smallest, 5_000)
        if (counts := leaf_counts(n)).sum() != n or counts.min() < MIN_PER_LEAF
    }
    assert wrong == {}
    assert leaf_counts(smallest).tolist() == [MIN_PER_LEAF] * len(LEAVES)


def test_the_project_says_synthetic_and_holds_no_real_figures(small):
    assert not list(small.glob("raw/*/findings.csv"))
    assert spec(small).synthetic is True
    dataset = json.loads((small / "schemas" / "dataset.json").read_text(encoding="utf-8"))
    for key in ("title", "title_nl", "title_en", "description_nl", "description_en"):
        assert "synthetisch" in dataset[key].lower() or "synthetic" in dataset[key].lower(), key
    edition = (small / "raw" / "2024" / "edition.yaml").read_text(encoding="utf-8")
    assert "Synthetisch Werkonderzoek" in edition and "Synthetic Werkonderzoek" in edition
    assert (small / "werkdata.toml").is_file() and (small / "schemas" / "raw-inputs.json").is_file()
    sensitive = [row["item_id"] for row in rows(small, "items.csv") if row["sensitive"] == "true"]
    assert 1 <= len(sensitive) <= 2


def test_the_dataset_relabelling_keeps_other_keys_and_handles_language_maps():
    source = {"name": "x", "title": "T", "description": {"nl": "Omschrijving", "en": "Text"}}
    result = synthetic_dataset(source)
    assert result["name"] == "x" and result["title"].startswith("SYNTHETISCH")
    assert (
        result["description"]["nl"].startswith("Synthetische")
        and "Text" in (result["description"]["en"])
    )
    assert source["title"] == "T"  # the input is not changed


def test_it_refuses_to_write_over_a_project_with_real_figures(tmp_path):
    real = tmp_path / "real"
    (real / "raw" / "2024").mkdir(parents=True)
    (real / "raw" / "2024" / "findings.csv").write_bytes(
        (SOURCE.raw / "2024" / "findings.csv").read_bytes()
    )
    with pytest.raises(WerkdataError, match="holds real figures"):
        write_project(SOURCE, real, SMALL, seed=1, items=5)
    assert sorted(p.name for p in real.rglob("*")) == ["2024", "findings.csv", "raw"]
    with pytest.raises(WerkdataError, match="is the project synth reads"):
        write_project(SOURCE, SOURCE.root / "raw" / "..", SMALL, seed=1, items=5)
    with pytest.raises(WerkdataError, match="at least"):
        write_project(SOURCE, tmp_path / "x", 10, seed=1, items=5)
