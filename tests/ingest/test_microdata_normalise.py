"""The normalising step on small real files (pyreadstat's SPSS and Stata, pyarrow's Parquet,
CSV as a spreadsheet writes it): the mapping's report lines (README, "Respondent data"), the
labels held against scales.csv, the limits and bad files. Each problem is a report line with the
fix, and none quotes a respondent's value."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat
import pytest

from pipeline.checks.microdata.section import section_problems
from pipeline.ingest import microdata_normalise, microdata_read
from pipeline.ingest.microdata import microdata_spec
from pipeline.ingest.microdata_map import Contract
from pipeline.ingest.microdata_normalise import normalise

SCALE = {1: "Oneens", 2: "Neutraal", 3: "Eens", 9: "Weet niet"}
CONTRACT = Contract(
    frozenset({"rijk", "gemeenten"}),
    {"v_tevreden": SCALE, "v_trots": SCALE},
    {"leeftijd": frozenset({"tot25", "25_34"})},
)
SECRET = "R-SECRET-0042"


def frame(**changes) -> pd.DataFrame:
    data = {
        "RespNr": [1.0, 2.0, 3.0, 4.0],
        "Sector": [1.0, 2.0, 1.0, 2.0],
        "Lft": [1.0, 2.0, 2.0, None],
        "V1": [1.0, 3.0, 9.0, None],
        "V2": [2.0, 2.0, 1.0, 3.0],
        "Gewicht": [1.5, 2.0, 2.5, 3.0],
    }
    data.update(changes)
    return pd.DataFrame(data)


MAPPING = {
    "columns": {
        "RespNr": "respondent_id",
        "Sector": "population_id",
        "Lft": "leeftijd",
        "V1": "v_tevreden",
        "V2": "v_trots",
    },
    "codes": {"population_id": {1: "rijk", 2: "gemeenten"}, "leeftijd": {1: "tot25", 2: "25_34"}},
}
LABELS = {"V1": {float(k): v for k, v in SCALE.items()}, "V2": {1.0: "Oneens", 3.0: "Eens"}}


def write(folder, data: pd.DataFrame, fmt: str, **labels) -> str:
    path = folder / f"wo.{fmt}"
    if fmt == "sav":
        pyreadstat.write_sav(data, str(path), **labels)
    elif fmt == "dta":
        pyreadstat.write_dta(data, str(path), **labels)
    elif fmt == "csv":
        data.to_csv(path, index=False)
    else:
        pq.write_table(pa.Table.from_pandas(data, preserve_index=False), path)
    return path.name


def normalised(tmp_path, name: str, **section):
    """The outcome of the normalising step for the file `name` under that `microdata:`."""
    full = {"path": name, "weight": "Gewicht", "synthetic": True, **section}
    spec = microdata_spec({"microdata": full}, tmp_path)
    return normalise(spec, lambda path: path.name, CONTRACT, full, tmp_path / "cache")


def lines(outcome) -> list[tuple[str | None, str]]:
    return sorted((p.column, p.rule) for p in outcome.problems)


def typed(outcome) -> pa.Table:
    (path,) = outcome.spec.parquet_files()
    return pq.read_table(path)


def test_spss_codes_labels_and_user_missing_become_the_contracts(tmp_path):
    name = write(
        tmp_path,
        frame(),
        "sav",
        variable_value_labels=LABELS,
        missing_ranges={"V1": [9.0]},
    )
    outcome = normalised(tmp_path, name, **MAPPING)
    assert outcome.problems == []
    table = typed(outcome)
    assert table.column("population_id").to_pylist() == ["rijk", "gemeenten"] * 2
    assert table.column("leeftijd").to_pylist() == ["tot25", "25_34", "25_34", None]
    # "weet niet", user-missing in SPSS, keeps its code: exclude_codes decides, not the reader
    assert table.column("v_tevreden").to_pylist() == [1, 3, 9, None]
    assert table.schema.field("weight").type == pa.float64()
    assert table.column("respondent_id").type == pa.int64()


def test_each_mapping_problem_is_a_report_line_with_its_fix(tmp_path):
    data = frame(Sector=[1.0, 2.0, 3.0, 3.0], V2=[2.0, 4.5, 1.0, 3.0])
    data["leeftijd"] = ["x", "y", "x", "y"]  # an unmapped column carrying a contract name
    data["V_TEVREDEN"] = [1.0] * 4  # differs from a contract name in case only
    name = write(tmp_path, data, "parquet")
    columns = {**MAPPING["columns"], "Sectr": "population_id", "Lft": "leeftijd"}
    del columns["Sector"]
    outcome = normalised(tmp_path, name, columns=columns, codes=MAPPING["codes"])
    assert lines(outcome) == [
        ("V_TEVREDEN", "microdata-mapping"),
        ("leeftijd", "microdata-mapping"),
        ("microdata.columns.Sectr", "microdata-mapping"),
        ("population_id", "microdata-mapping"),
    ]
    by_column = {p.column: p for p in outcome.problems}
    assert by_column["microdata.columns.Sectr"].hint == "did you mean 'Sector'?"
    assert "only in case" in by_column["V_TEVREDEN"].message
    # the rows: a code without a mapping and an answer that is no code, counted, never shown
    fixed = {**MAPPING["columns"]}
    outcome = normalised(
        tmp_path,
        write(tmp_path, frame(Sector=[1.0, 2.0, 3.0, 3.0], V2=[2.0, 4.5, 1.0, 3.0]), "parquet"),
        columns=fixed,
        codes=MAPPING["codes"],
    )
    messages = sorted(p.message for p in outcome.problems)
    assert messages == [
        "1 value(s) of the column V2 are not whole numbers (an answer is a code)",
        "2 respondent(s) have a code of Sector that codes.population_id does not map",
    ]
    assert outcome.spec is None and not list((tmp_path / "cache").glob("*.parquet"))


def test_two_columns_mapped_to_one_name_and_an_item_no_column_has(tmp_path):
    name = write(tmp_path, frame(), "parquet")
    columns = {**MAPPING["columns"], "V2": "v_tevreden"}
    outcome = normalised(tmp_path, name, columns=columns, codes=MAPPING["codes"])
    messages = sorted(p.message for p in outcome.problems)
    assert messages[0].startswith("1 item(s) of the code lists are in no column of the file: ")
    assert messages[1] == "2 file columns are mapped to v_tevreden: V1, V2"


def test_a_yaml_number_as_a_contract_value_is_refused_with_the_hint_to_quote_it(tmp_path):
    (tmp_path / "wo.sav").write_bytes(b"")
    section = {"path": "wo.sav", "weight": "Gewicht", "synthetic": True}
    section["codes"] = {"leeftijd": {1: "tot25", 2: 2534}}  # YAML's reading of 25_34
    (problem,) = section_problems("e.yaml", {"microdata": section}, tmp_path)
    assert problem.column == "microdata.codes.leeftijd"
    assert "quotes" in problem.hint and "2534" in problem.hint


def test_stata_extended_missing_values_map_to_codes_or_are_reported(tmp_path):
    answers = pd.Series([1.0, "a", "b", None], dtype=object)
    data = frame(V1=answers)
    name = write(tmp_path, data, "dta", missing_user_values={"V1": ["a", "b"]})
    outcome = normalised(tmp_path, name, missing={".a": 9}, **MAPPING)
    (problem,) = outcome.problems
    assert (problem.column, problem.rule) == ("v_tevreden", "microdata-mapping")
    assert ".b, which missing: does not map" in problem.message
    outcome = normalised(tmp_path, name, missing={".a": 9, ".b": 9}, **MAPPING)
    assert typed(outcome).column("v_tevreden").to_pylist() == [1, 9, 9, None]


def test_integer_weights_and_numeric_codes_of_any_form_are_accepted(tmp_path):
    data = frame(Gewicht=[1, 2, 3, 4])
    name = write(tmp_path, data, "parquet")
    codes = {"population_id": {"1": "rijk", 2.0: "gemeenten"}, "leeftijd": {1: "tot25", 2: "25_34"}}
    outcome = normalised(tmp_path, name, columns=MAPPING["columns"], codes=codes)
    assert outcome.problems == []
    table = typed(outcome)
    assert table.column("weight").to_pylist() == [1.0, 2.0, 3.0, 4.0]
    assert table.column("population_id").to_pylist() == ["rijk", "gemeenten"] * 2


def test_a_parquet_file_of_integer_weights_without_a_map_is_typed_not_refused(tmp_path):
    table = pa.table(
        {
            "respondent_id": ["a", "b"],
            "population_id": ["rijk", "rijk"],
            "weight": pa.array([1, 2], pa.int32()),
            "v_tevreden": pa.array([1, 3], pa.int8()),
        }
    )
    pq.write_table(table, tmp_path / "r.parquet")
    full = {"path": "r.parquet", "weight": "weight", "synthetic": True}
    spec = microdata_spec({"microdata": full}, tmp_path)
    outcome = normalise(spec, str, CONTRACT, full, tmp_path / "cache")
    assert outcome.problems == []
    assert typed(outcome).column("weight").type == pa.float64()
    # a file of the contract's types is read in place, as before
    pq.write_table(table.set_column(2, "weight", pa.array([1.0, 2.0])), tmp_path / "r.parquet")
    outcome = normalise(spec, str, CONTRACT, full, tmp_path / "cache")
    assert outcome.spec.parquet_files() == [tmp_path / "r.parquet"]


def test_a_dutch_csv_export_is_read_in_its_declared_dialect(tmp_path):
    text = (
        "RespNr;Sector;Lft;V1;V2;Gewicht;Opmerking\n"
        "1;1;1;1;2;1,5;café\n2;2;2;3;2;2;\n3;1.0;2;9;1;2,5;één\n"
    )
    (tmp_path / "wo.csv").write_bytes(text.encode("cp1252"))
    dialect = {"delimiter": ";", "decimal": ",", "encoding": "cp1252"}
    outcome = normalised(tmp_path, "wo.csv", csv=dialect, **MAPPING)
    assert outcome.problems == []
    table = typed(outcome)
    assert table.column("weight").to_pylist() == [1.5, 2.0, 2.5]
    assert table.column("population_id").to_pylist() == ["rijk", "gemeenten", "rijk"]
    assert table.column("respondent_id").to_pylist() == [1, 2, 3]
    # no decoded copy is left behind, beside the one typed entry
    assert [p.suffix for p in (tmp_path / "cache").iterdir()] == [".parquet"]


def test_a_csv_file_in_another_encoding_than_declared_is_one_report_line(tmp_path):
    (tmp_path / "wo.csv").write_bytes("RespNr;Opmerking\n1;café\n".encode("cp1252"))
    outcome = normalised(tmp_path, "wo.csv", csv={"delimiter": ";"}, **MAPPING)
    assert lines(outcome) == [(None, "microdata-format")]
    assert "not in the declared encoding utf-8" in outcome.problems[0].message


def test_text_where_a_number_belongs_is_counted_without_the_text(tmp_path):
    data = frame(Gewicht=["1.5", SECRET, "2", "3"])
    outcome = normalised(tmp_path, write(tmp_path, data, "csv"), **MAPPING)
    (problem,) = outcome.problems
    assert (problem.column, problem.rule) == ("weight", "microdata-column-type")
    assert problem.message == "1 value(s) of the column Gewicht are text where a number belongs"
    # in SPSS the column's type says it, before any row is read
    outcome = normalised(tmp_path, write(tmp_path, data, "sav"), **MAPPING)
    assert lines(outcome) == [("weight", "microdata-column-type")]
    assert SECRET not in repr([p.record() for p in outcome.problems])


def test_labels_of_a_reversed_scale_are_an_error_naming_item_code_and_both_labels(tmp_path):
    reversed_labels = {"V1": {1.0: "Eens", 3.0: "Oneens", 9.0: "weet  NIET"}, "V2": {7.0: "x"}}
    name = write(tmp_path, frame(), "sav", variable_value_labels=reversed_labels)
    outcome = normalised(tmp_path, name, **MAPPING)
    messages = sorted(p.message for p in outcome.problems)
    assert {p.rule for p in outcome.problems} == {"microdata-labels"}
    assert messages == [
        "item v_tevreden (V1): the file labels code 1 as 'Eens', scales.csv as 'Oneens': a "
        "reversed or changed scale?",
        "item v_tevreden (V1): the file labels code 3 as 'Oneens', scales.csv as 'Eens': a "
        "reversed or changed scale?",
        "item v_trots (V2): the file labels code 7 as 'x', but the item's scale in scales.csv "
        "has no code 7 (codes 1 2 3 9)",
    ]  # 'weet  NIET' is 'Weet niet': case and spaces do not count


def test_a_label_with_markup_or_a_formula_is_shown_quoted_as_text(tmp_path):
    labels = {"V1": {1.0: "<script>x</script>", 3.0: "=HYPERLINK(1)"}}
    name = write(tmp_path, frame(), "sav", variable_value_labels=labels)
    outcome = normalised(tmp_path, name, **MAPPING)
    messages = " ".join(p.message for p in outcome.problems)
    assert "as '<script>x</script>'," in messages and "as '=HYPERLINK(1)'," in messages
    assert not any(p.message.startswith(("=", "<")) for p in outcome.problems)


@pytest.mark.parametrize("damage", ["truncated", "not spss"])
def test_a_broken_sav_file_is_one_report_line_without_a_traceback(tmp_path, damage):
    name = write(tmp_path, frame(), "sav")
    data = (tmp_path / name).read_bytes()
    broken = data[: len(data) // 2] if damage == "truncated" else b"Naam,Sector\n" * 50
    (tmp_path / name).write_bytes(broken)
    outcome = normalised(tmp_path, name, **MAPPING)
    assert [(p.rule, p.message) for p in outcome.problems] == [
        ("microdata-format", "not a readable SPSS file (truncated, or not .sav)")
    ]
    assert outcome.errors  # the reader's own text, for the local error log only


def test_labels_in_another_encoding_than_the_file_declares_are_one_report_line(tmp_path):
    """A UTF-8 SPSS file whose value label holds cp1252 bytes ('café' as caf\\xe9), as when
    another program patched the file: readstat refuses to convert it."""
    name = write(tmp_path, frame(), "sav", variable_value_labels={"V1": {1.0: "cafQ"}})
    data = (tmp_path / name).read_bytes()
    assert data.count(b"cafQ") == 1
    (tmp_path / name).write_bytes(data.replace(b"cafQ", b"caf\xe9"))
    outcome = normalised(tmp_path, name, **MAPPING)
    assert [(p.rule, p.message) for p in outcome.problems] == [
        ("microdata-format", microdata_read.WRONG_ENCODING)
    ]
    assert "caf" not in " ".join(p.message for p in outcome.problems)
    assert outcome.errors  # readstat's own text, for the local error log only


def test_limits_are_checked_before_the_rows_are_parsed(tmp_path, monkeypatch):
    header = ",".join(f"c{k}" for k in range(2_001))
    (tmp_path / "wide.csv").write_text(header + "\n", encoding="utf-8")
    outcome = normalised(tmp_path, "wide.csv", **MAPPING)
    assert [(p.rule, p.message) for p in outcome.problems] == [
        ("microdata-limits", "2001 columns; the limit is 2,000")
    ]
    long_label = {"V1": {1: "x" * 1_001}}
    name = write(tmp_path, frame(), "dta", variable_value_labels=long_label)
    outcome = normalised(tmp_path, name, **MAPPING)
    assert [p.message for p in outcome.problems] == ["1 label(s) longer than 1,000 characters"]
    monkeypatch.setattr(microdata_normalise, "MAX_ROWS", 3)
    outcome = normalised(tmp_path, write(tmp_path, frame(), "sav"), **MAPPING)
    assert [p.message for p in outcome.problems] == ["4 rows; the limit is 3"]


def test_an_unchanged_file_is_only_hashed_and_clean_cache_deletes_every_entry(
    tmp_path, monkeypatch, capsys
):
    from flows.cli import main
    from pipeline.ingest import microdata_read

    name = write(tmp_path, frame(), "sav", variable_value_labels=LABELS)
    first = normalised(tmp_path, name, **MAPPING)
    (entry,) = first.spec.parquet_files()
    written = entry.stat().st_mtime_ns

    def no_reading(*args):
        raise AssertionError("an unchanged file is read again")

    monkeypatch.setattr(microdata_normalise, "read_layout", no_reading)
    again = normalised(tmp_path, name, **MAPPING)
    assert again.spec.parquet_files() == [entry] and entry.stat().st_mtime_ns == written
    # another map (or code list, or file) is another entry: the section is part of the key
    monkeypatch.setattr(microdata_normalise, "read_layout", microdata_read.read_layout)
    other = normalised(tmp_path, name, **{**MAPPING, "strata": "Sector"})
    assert other.spec.parquet_files() != [entry]
    (tmp_path / "raw").mkdir()
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "raw-inputs.json").write_text("{}", encoding="utf-8")
    (tmp_path / "werkdata.toml").write_text('[microdata]\ncache_dir = "cache"\n')
    assert main(["--root", str(tmp_path), "clean-cache"]) == 0
    assert "deleted 2 typed respondent file(s)" in capsys.readouterr().out
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_labelled_code_the_map_lacks_is_named_from_the_files_dictionary(tmp_path):
    """The file's value labels are its dictionary, not a respondent's answer: a labelled code
    that codes: lacks is named even when no respondent has it."""
    labels = {"Sector": {1.0: "Rijk", 2.0: "Gemeenten", 3.0: "Provincies"}}
    name = write(tmp_path, frame(), "sav", variable_value_labels=labels)
    outcome = normalised(tmp_path, name, **MAPPING)
    (problem,) = outcome.problems
    assert (problem.column, problem.rule) == ("population_id", "microdata-mapping")
    assert problem.message == "codes.population_id does not map the labelled code(s) 3 of Sector"
