"""`werkdata draft-codelists` on the synthetic SPSS file (`werkdata synth --format sav`): drafted
without any code lists, the items, scales and breakdowns are the synthetic project's own after
review (setting `sensitive`, translating label_en), compared as data; drafted inside the
project, they are its code lists as they are, and the mapping is the one synth wrote. A draft
never writes over a file, and a file it cannot read is a message, not a traceback."""

from __future__ import annotations

import csv

import pytest
import yaml

from flows.cli import main
from pipeline.ingest.draft_codelists import item_id, normal, slug
from pipeline.synth import write_project
from tests.synth.readers import SOURCE

OPTIONS = ["--population", "Sector", "--id", "RespNr", "--weight", "Gewicht",
           "--breakdowns", "Leeftijd,Dienstjaren,Geslacht"]  # fmt: skip


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A synthetic project whose respondents are one SPSS file."""
    out = tmp_path_factory.mktemp("draft") / "synthetic"
    return write_project(SOURCE, out, 600, seed=5, items=6, file_format="sav")


def draft(root, file, out, capsys, options=OPTIONS) -> tuple[int, str, str]:
    code = main(["--root", str(root), "draft-codelists", str(file), "--out", str(out), *options])
    said = capsys.readouterr()
    return code, said.out, said.err


def table(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def scales_by_item(folder) -> dict[str, list[tuple[str, str]]]:
    """item_id -> its scale's (code, label_nl) rows: scales compared without their ids."""
    scales: dict[str, list] = {}
    for row in table(folder / "scales.csv"):
        scales.setdefault(row["scale_id"], []).append((row["code"], row["label_nl"]))
    return {row["item_id"]: scales[row["scale_id"]] for row in table(folder / "items.csv")}


def test_a_draft_without_code_lists_is_the_synthetic_code_lists_after_review(
    synthetic, tmp_path, capsys
):
    out = tmp_path / "draft"
    code, said, err = draft(tmp_path / "no-project", synthetic.files[0], out, capsys)
    assert (code, err) == (0, "")
    assert "drafted 6 items, 3 scales and 3 breakdowns" in said
    assert "empty label_en" in said and "sensitive false" in said
    own = synthetic.root / "raw" / "codelists"
    drafted_items = table(out / "items.csv")
    # review: the steward marks the sensitive items
    sensitive = {row["item_id"] for row in table(own / "items.csv") if row["sensitive"] == "true"}
    assert sensitive
    for row in drafted_items:
        assert row["sensitive"] == "false" and row["label_en"] == ""
        row["sensitive"] = str(row["item_id"] in sensitive).lower()
    keep = ("item_id", "label_nl", "sensitive")
    assert [{k: r[k] for k in keep} for r in drafted_items] == [
        {k: r[k] for k in keep} for r in table(own / "items.csv")
    ]
    assert scales_by_item(out) == scales_by_item(own)
    # identical label sets share one scale: the fillers all ask agreement
    assert len({r["scale_id"] for r in drafted_items}) == 3
    assert {r["scale_id"] for r in drafted_items if r["item_id"].startswith("v0")} == {
        "helemaal_oneens_helemaal_eens"
    }
    # breakdowns: the same labels per breakdown, values made from the labels
    pairs = [(r["breakdown_id"], r["label_nl"]) for r in table(out / "breakdowns.csv")]
    assert pairs == [(r["breakdown_id"], r["label_nl"]) for r in table(own / "breakdowns.csv")]
    section = yaml.safe_load((out / "microdata.yaml").read_text(encoding="utf-8"))["microdata"]
    assert section["codes"]["leeftijd"][5] == "55_jaar_en_ouder"
    assert section["codes"]["population_id"][1] == "ministeries"


def test_a_draft_inside_the_project_reuses_its_code_lists_and_mapping(synthetic, tmp_path, capsys):
    out = tmp_path / "draft"
    code, said, err = draft(synthetic.root, synthetic.files[0], out, capsys)
    assert (code, err) == (0, "") and "review:" not in said
    own = synthetic.root / "raw" / "codelists"
    for name in ("items.csv", "scales.csv", "breakdowns.csv"):
        assert (out / name).read_bytes() == (own / name).read_bytes(), name
    drafted = yaml.safe_load((out / "microdata.yaml").read_text(encoding="utf-8"))["microdata"]
    edition = (synthetic.edition / "edition.yaml").read_text(encoding="utf-8")
    written = yaml.safe_load(edition)["microdata"]
    for key in ("columns", "codes", "weight"):
        assert drafted[key] == written[key], key


def test_an_existing_file_is_never_written_over(synthetic, tmp_path, capsys):
    out = tmp_path / "draft"
    out.mkdir()
    (out / "scales.csv").write_text("mine\n", encoding="utf-8")
    code, _, err = draft(synthetic.root, synthetic.files[0], out, capsys)
    assert code == 2 and f"{out / 'scales.csv'} exists" in err and "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["scales.csv"]
    assert (out / "scales.csv").read_text(encoding="utf-8") == "mine\n"


def test_files_it_cannot_draft_from_are_messages_without_a_traceback(synthetic, tmp_path, capsys):
    broken = tmp_path / "broken.SAV"  # the extension's case does not matter
    broken.write_bytes(synthetic.files[0].read_bytes()[:300])
    code, _, err = draft(tmp_path, broken, tmp_path / "a", capsys)
    assert code == 1 and "broken.SAV: not a readable SPSS file" in err
    parquet = tmp_path / "respondents.parquet"
    parquet.write_bytes(b"PAR1")
    code, _, err = draft(tmp_path, parquet, tmp_path / "b", capsys)
    assert code == 2 and "Parquet and CSV files have none" in err
    code, _, err = draft(tmp_path, synthetic.files[0], tmp_path / "c", capsys,
                         ["--population", "sector"])  # fmt: skip
    assert code == 2 and "column sector is not in the file; did you mean Sector?" in err
    code, _, err = draft(tmp_path, synthetic.files[0], tmp_path / "d", capsys,
                         ["--breakdowns", "Stratum"])  # fmt: skip
    assert code == 2 and "Stratum has no value labels" in err
    assert "Traceback" not in err and not any((tmp_path / x).exists() for x in "abcd")


def test_code_lists_validation_would_refuse_are_reused_as_far_as_they_go(
    synthetic, tmp_path, capsys
):
    lists = tmp_path / "project" / "raw" / "codelists"
    lists.mkdir(parents=True)
    (lists / "scales.csv").write_text("scale_id,code\neens,vier\n", encoding="utf-8")
    (lists / "items.csv").write_bytes(b"item_id\nv001\n\xff\n")
    own = synthetic.root / "raw" / "codelists"
    (lists / "populations.csv").write_bytes((own / "populations.csv").read_bytes())
    code, said, err = draft(tmp_path / "project", synthetic.files[0], tmp_path / "d", capsys)
    assert (code, err) == (0, "") and "population codes" not in said
    assert table(tmp_path / "d" / "items.csv")[3]["item_id"] == "v001"


def test_a_hand_made_spss_file(tmp_path, capsys):
    """Text codes for the population (matched as text), a breakdown code labelled Onbekend (the
    built-in value, no row), a text-coded labelled column (no item), a question without a
    variable label (its name), two scales with the same end labels (two ids), a fractional
    code (refused)."""
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame({"Org": ["A"], "Lft": [1.0], "T": ["x"], "Q1": [1.0], "Q.2": [1.0]})
    labels = {
        "Org": {"A": "Ministeries", "B": "Nieuw"},
        "Lft": {1: "Jong", 9: "Onbekend"},
        "T": {"x": "Iets"},
        "Q1": {1: "Eens", 2: "Oneens"},
        "Q.2": {1: "Eens", 2: "Beetje", 3: "Oneens"},
    }
    path = tmp_path / "hand.sav"
    pyreadstat.write_sav(frame, path, variable_value_labels=labels,
                         column_labels={"Q1": "Vraag één"})  # fmt: skip
    code, said, err = draft(tmp_path, path, tmp_path / "d", capsys,
                            ["--population", "Org", "--breakdowns", "Lft"])  # fmt: skip
    assert (code, err) == (0, "")
    assert "T has text codes: not an item" in said
    section = yaml.safe_load((tmp_path / "d" / "microdata.yaml").read_text(encoding="utf-8"))
    codes = section["microdata"]["codes"]
    assert codes == {"population_id": {"A": "ministeries", "B": "nieuw"},
                     "lft": {1: "jong", 9: "onbekend"}}  # fmt: skip
    assert table(tmp_path / "d" / "breakdowns.csv") == [
        {"breakdown_id": "lft", "value": "jong", "label_nl": "Jong", "label_en": ""}
    ]
    items = [
        (r["item_id"], r["label_nl"], r["scale_id"]) for r in table(tmp_path / "d" / "items.csv")
    ]
    assert items == [("q1", "Vraag één", "eens_oneens"), ("q_2", "Q.2", "eens_oneens_2")]
    pyreadstat.write_sav(frame, path, variable_value_labels={"Q1": {1.5: "Half"}})
    code, _, err = draft(tmp_path, path, tmp_path / "e", capsys, [])
    assert code == 2 and "Q1: value label code 1.5 is not a whole number" in err


def test_ids_from_names_and_labels():
    assert item_id("V12") == "v12" and item_id("Vraag 3a-b") == "vraag_3a_b"
    assert item_id("12") == "v12" and len(item_id("V" * 80)) == 63
    assert slug("Veiligheidsregio's") == "veiligheidsregio_s"
    assert slug("Jonger dan 25 jaar") == "jonger_dan_25_jaar" and slug("Één") == "een"
    assert normal("  Zeer\tTEVREDEN ") == normal("zeer tevreden")
    assert normal("e\u0301") == normal("\u00e9")  # NFC: a decomposed é is é
