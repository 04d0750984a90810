"""Validation of the raw inputs, as plain functions: the real raw/ passes, and every bad input of
tests/data/invalid/ is reported with its exact file, spreadsheet row, column, value and rule."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict

import pytest
import yaml

from pipeline.core.paths import Project
from pipeline.core.report import Problem, Report
from pipeline.ingest.safe_yaml import read_yaml
from pipeline.orchestrate.runner import validate_local
from tests.helpers import DATA, REAL_ROWS, REPO, run_werkdata

INVALID = DATA / "invalid"

F19 = "raw/2019/findings.csv"
F22 = "raw/2022/findings.csv"
F24 = "raw/2024/findings.csv"
C24 = "raw/2024/conclusions.csv"
Y22 = "raw/2022/edition.yaml"

FINDINGS_COLUMNS = (
    "population_id,indicator_id,value,status,value_label,confidence,source_id,statement_nl,note"
)

# (file, spreadsheet row, column, value, rule) of every problem each bad input must report: all of
# them, in report order. The header is row 1; None where the problem has no row, column or value.
CASES: dict[str, list[tuple]] = {
    # findings.csv: cells
    "value-out-of-range": [(F24, 3, "value", "168", "constraint-error")],
    "value-not-a-number": [(F24, 3, "value", "veel", "type-error")],
    "status-not-in-codelist": [(F24, 3, "status", "X", "constraint-error")],
    "required-cell-empty": [(F24, 3, "statement_nl", "", "constraint-error")],
    # findings.csv: keys
    "unknown-indicator": [(F24, 3, "indicator_id", "tevreden_salaris", "foreign-key")],
    "unknown-population": [(F24, 3, "population_id", "provincies", "foreign-key")],
    "unknown-source": [(F24, 3, "source_id", "gemeente-nu-2099", "foreign-key")],
    "duplicate-row": [(F24, 4, None, None, "primary-key")],
    # findings.csv: header and shape
    "missing-column": [(F24, 1, "confidence", None, "missing-column")],
    "unknown-column": [(F24, 1, "weight", "weight", "unknown-column")],
    "duplicate-column": [(F24, 1, "note", "note", "duplicate-column")],
    "column-order": [
        (
            F24,
            1,
            None,
            "indicator_id,population_id,value,status,value_label,confidence,source_id,"
            "statement_nl,note",
            "column-order",
        )
    ],
    "ragged-row": [(F24, 3, None, None, "ragged-row")],
    "ragged-row-extra-cells": [(F24, 3, None, None, "ragged-row")],
    "blank-row": [(F24, 3, None, None, "blank-row")],
    "empty-file": [(F24, None, None, None, "empty-file")],
    "header-only": [(F24, None, None, None, "no-data-rows")],
    "cp1252-bytes": [(F24, 3, None, "0xe9", "encoding-error")],
    # findings.csv: the rules a Table Schema cannot say
    "value-with-status-m": [(F24, 3, "value", "85", "value-empty-exactly-when-missing")],
    "empty-value-with-status-a": [(F24, 3, "value", None, "value-empty-exactly-when-missing")],
    "confidence-without-value": [
        (F24, 3, "confidence", "C*", "confidence-empty-exactly-when-no-value")
    ],
    "value-without-confidence": [
        (F19, 2, "confidence", None, "confidence-empty-exactly-when-no-value")
    ],
    # conclusions.csv
    "conclusion-kind-not-in-enum": [(C24, 3, "kind", "aanbeveling", "constraint-error")],
    "conclusion-position-below-1": [(C24, 2, "position", "0", "constraint-error")],
    "conclusion-unknown-theme": [(C24, 3, "theme_id", "salaris", "foreign-key")],
    # edition.yaml
    "yaml-malformed": [(Y22, 2, None, None, "yaml-error")],
    "yaml-python-tag": [(Y22, 1, None, None, "yaml-error")],
    "yaml-not-a-mapping": [(Y22, None, None, None, "yaml-error")],
    "yaml-duplicate-key": [(Y22, 6, None, None, "yaml-error")],
    "yaml-unknown-key": [(Y22, None, "respondent", None, "unknown-key")],
    "yaml-respondents-not-integer": [(Y22, None, "respondents", "ongeveer 38.000", "type-error")],
    "yaml-response-rate-out-of-range": [(Y22, None, "response_rate", "142.4", "constraint-error")],
    "yaml-required-key-missing": [(Y22, None, "title_en", "", "constraint-error")],
    "yaml-source-ids-pattern": [(Y22, None, "source_ids", "Venster 2022", "constraint-error")],
    "yaml-bad-date": [(Y22, None, "publication_date", "8 december 2022", "type-error")],
    # folders and files
    "edition-name": [("raw/20x4", None, None, "20x4", "edition-name")],
    "edition-before-2019": [("raw/2018/edition.yaml", None, "edition", "2018", "constraint-error")],
    "missing-findings": [(F22, None, None, None, "missing-file")],
    "missing-edition-yaml": [("raw/2019/edition.yaml", None, None, None, "missing-file")],
    "missing-codelist": [("raw/codelists/themes.csv", None, None, None, "missing-file")],
    "unexpected-file": [("raw/2024/findings.xlsx", None, None, None, "unexpected-file")],
    # code lists
    "codelist-duplicate-key": [
        ("raw/codelists/statuses.csv", 5, None, None, "primary-key"),
        ("raw/codelists/statuses.csv", 5, "status", "A", "unique-error"),
    ],
    "codelist-unknown-theme": [
        ("raw/codelists/indicators.csv", 22, "theme_id", "doorwerken", "foreign-key")
    ],
    "codelist-unknown-parent": [
        ("raw/codelists/populations.csv", 6, "parent_id", "gemeente", "foreign-key")
    ],
}


# The messages of some cases, word for word: what a publisher reads.
MESSAGES = {
    "value-out-of-range": 'constraint "maximum" is "100"',
    "unknown-indicator": "'tevreden_salaris' is not a known indicator_id in indicators",
    "duplicate-row": "duplicate key: the same as in the row at position 2",
    "missing-column": "the column 'confidence' is missing",
    "ragged-row": "the row has 7 cell(s); the header has a different number of columns",
    "value-with-status-m": "status is M (missing) but a value is given",
    "empty-value-with-status-a": "status is A but the value is empty (use status M)",
    "confidence-without-value": "confidence given for an empty value (leave it empty)",
    "value-without-confidence": "a value needs a confidence (C or C*)",
    "header-only": "the file has a header but no data rows",
    "empty-file": "the file is empty (0 bytes)",
    "missing-findings": "every edition folder needs findings.csv",
    "edition-name": "an edition folder is named by its four-digit year",
    "codelist-unknown-parent": "'gemeente' is not a known population_id in this table",
    "edition-before-2019": 'constraint "minimum" is "2019"',
    "yaml-unknown-key": (
        "edition.yaml has no key 'respondent'; allowed: title_nl, title_en, carried_out_by, "
        "fieldwork_nl, fieldwork_en, publication_date, respondents, response_rate, "
        "invited_label, source_ids, notes_nl, notes_en, files, microdata"
    ),
    "yaml-respondents-not-integer": 'not a valid type is "integer/default"',
    "yaml-not-a-mapping": "edition.yaml must hold a mapping of keys to values",
    "blank-row": 'Row at position "3" is completely blank',
    "cp1252-bytes": "not valid utf-8; declare the file's encoding in edition.yaml",
    "status-not-in-codelist": "'X' is not an allowed status",
    "conclusion-kind-not-in-enum": "'aanbeveling' is not an allowed kind",
}

POPULATIONS = "raw/codelists/populations.csv"

# The hints of some cases, word for word: how a publisher fixes it.
HINTS = {
    "status-not-in-codelist": (
        "status must be one of A (Normal value), E (Estimated value), M (Missing value)"
    ),
    "conclusion-kind-not-in-enum": (
        "kind must be one of knelpunt, actiepunt: "
        "knelpunt (bottleneck) or actiepunt (action point)."
    ),
    "codelist-unknown-parent": f"did you mean 'gemeenten'? or add it to {POPULATIONS}",
    "unknown-population": (
        f"add it to {POPULATIONS}, or use one of: openbaar_bestuur, "
        "openbaar_bestuur_en_onderwijs, gemeenten, gemeenten_nieuwkomers, gemeenten_55plus"
    ),
    "unknown-indicator": "did you mean 'reden_salaris'? or add it to raw/codelists/indicators.csv",
    "unknown-source": ("did you mean 'gemeente-nu-2025'? or add it to raw/codelists/sources.csv"),
    "cp1252-bytes": "add to raw/2024/edition.yaml: files: {findings.csv: {encoding: cp1252}}",
    "edition-name": "rename it to the edition's year, four digits: raw/<year>/",
    "yaml-unknown-key": "did you mean 'respondents'?",
    "required-cell-empty": "statement_nl is required: fill it in",
}


def overlay(project: Project, *cases: str) -> None:
    """Lay the files of tests/data/invalid/<case>/ over the project's raw/ (see its README)."""
    for case in cases:
        folder = INVALID / case
        assert folder.is_dir(), case
        for source in sorted(p for p in folder.rglob("*") if p.is_file()):
            target = project.raw / source.relative_to(folder)
            if source.suffix == ".absent":
                target.with_suffix("").unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)


def places(report: Report) -> list[tuple]:
    return [(p.file, p.row, p.column, p.value, p.rule) for p in report.sorted()]


def validate_case(project: Project, *cases: str) -> tuple[Report, object]:
    overlay(project, *cases)
    return validate_local(project)


@pytest.fixture(scope="module")
def real():
    """The report and typed inputs of the repository's own raw/ (read only)."""
    return validate_local(Project.at(REPO))


# The real data


def test_real_raw_is_valid_and_typed(real):
    report, inputs = real
    assert report.problems == []
    assert report.valid
    assert report.checked == [
        "raw/codelists/themes.csv",
        "raw/codelists/indicators.csv",
        "raw/codelists/breakdowns.csv",
        "raw/codelists/populations.csv",
        "raw/codelists/statuses.csv",
        "raw/codelists/conf_statuses.csv",
        "raw/codelists/sources.csv",
        "raw/2019/findings.csv",
        "raw/2022/findings.csv",
        "raw/2024/findings.csv",
        "raw/2024/conclusions.csv",
        "raw/2019/edition.yaml",
        "raw/2022/edition.yaml",
        "raw/2024/edition.yaml",
    ]
    # every table of the real data but the optional code lists it lacks and the estimates
    assert {table: len(rows) for table, rows in inputs.tables.items()} == {
        table: rows for table, rows in REAL_ROWS.items() if rows
    }
    assert {t: len(p) for t, p in inputs.places.items()} == {
        t: len(r) for t, r in inputs.tables.items()
    }
    assert [row["edition"] for row in inputs.tables["editions"]] == [2019, 2022, 2024]
    counts = {}
    for row in inputs.tables["findings"]:
        counts[row["edition"]] = counts.get(row["edition"], 0) + 1
    assert counts == {2019: 1, 2022: 11, 2024: 16}
    assert {row["edition"] for row in inputs.tables["conclusions"]} == {2024}


def test_real_raw_rows_are_typed_and_placed(real):
    _, inputs = real
    findings = inputs.tables["findings"]
    assert findings[0] == {
        "edition": 2019,
        "population_id": "gemeenten_nieuwkomers",
        "indicator_id": "reden_salaris",
        "value": 23.0,
        "status": "A",
        "value_label": "23 procent",
        "confidence": "C*",
        "source_id": "gemeente-nu-2025",
        "statement_nl": "noemt het salaris als reden voor de baankeuze",
        "note": "Sectorsnede gemeenten. / Municipal sector cut.",
    }
    assert inputs.places["findings"][0] == (F19, 2)
    # a missing value is None, not "" or NaN; the spreadsheet row counts the header as row 1
    i = next(
        i
        for i, r in enumerate(findings)
        if r["edition"] == 2024 and r["indicator_id"] == "talent_aantrekken_voldoende"
    )
    assert (findings[i]["value"], findings[i]["status"], findings[i]["confidence"]) == (
        None,
        "M",
        None,
    )
    assert inputs.places["findings"][i] == (F24, 5)
    edition_2022 = inputs.tables["editions"][1]
    assert (
        edition_2022["edition"],
        edition_2022["respondents"],
        edition_2022["response_rate"],
        edition_2022["publication_date"].isoformat(),
    ) == (2022, 37903, 42.4, "2022-12-08")
    assert inputs.places["editions"] == [
        ("raw/2019/edition.yaml", None),
        ("raw/2022/edition.yaml", None),
        ("raw/2024/edition.yaml", None),
    ]


def test_valid_report_text_and_json(real):
    report, _ = real
    assert report.to_text() == "valid: 14 file(s) checked, no problems\n"
    data = json.loads(report.to_json())
    assert data == {
        "valid": True,
        "error_count": 0,
        "checked": sorted(report.checked),
        "problems": [],
    }


# Bad inputs, one defect each


def test_every_fixture_folder_has_a_case():
    folders = {p.name for p in INVALID.iterdir() if p.is_dir()}
    assert folders == set(CASES)


@pytest.mark.parametrize(("case", "expected"), CASES.items(), ids=list(CASES))
def test_bad_input_is_reported_exactly(project, case, expected):
    report, inputs = validate_case(project, case)
    assert places(report) == expected
    assert not report.valid
    assert inputs is None
    assert report.to_dict()["error_count"] == len(expected)
    if case in MESSAGES:
        assert [p.message for p in report.sorted()] == [MESSAGES[case]]
    if case in HINTS:
        assert [p.hint for p in report.sorted()] == [HINTS[case]]


def test_every_hint_case_is_a_case():
    assert set(HINTS) <= set(CASES)
    assert set(MESSAGES) <= set(CASES)


def test_yaml_error_names_the_refused_tag(project):
    report, _ = validate_case(project, "yaml-python-tag")
    (problem,) = report.problems
    assert problem.message.startswith(
        "could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'"
    )


def test_yaml_python_tag_does_not_run_its_command(project, tmp_path, monkeypatch):
    """The tag would run `touch yaml-tag-ran` in the working directory; it must not."""
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    report, inputs = validate_case(project, "yaml-python-tag")
    assert places(report) == CASES["yaml-python-tag"]
    assert inputs is None
    assert list(workdir.iterdir()) == []


def test_yaml_python_tag_probe_would_fire_with_an_unsafe_loader(tmp_path, monkeypatch):
    """The control for the test above: with yaml's unsafe loader the same file runs the command,
    so an empty working directory there really means the command did not run."""
    monkeypatch.chdir(tmp_path)
    text = (INVALID / "yaml-python-tag" / "2022" / "edition.yaml").read_text(encoding="utf-8")
    yaml.unsafe_load(text)
    assert (tmp_path / "yaml-tag-ran").is_file()


def test_yaml_duplicate_key_names_the_key(project):
    """PyYAML alone keeps the last of two equal keys; the reader refuses the file instead."""
    report, _ = validate_case(project, "yaml-duplicate-key")
    (problem,) = report.problems
    assert "found the key 'respondents' twice" in problem.message
    assert "line 6, column 1" in problem.message


def test_read_yaml_keeps_what_safe_load_reads(tmp_path):
    path = tmp_path / "edition.yaml"
    text = "a: 1\nb: &x {c: 1, d: [1, 2]}\ne:\n  <<: *x\n  c: 2\nf: 2022-12-08\ng: null\n"
    path.write_text(text, encoding="utf-8")
    assert read_yaml(path) == yaml.safe_load(text)
    for year in (2019, 2022, 2024):
        real_file = REPO / "raw" / str(year) / "edition.yaml"
        assert read_yaml(real_file) == yaml.safe_load(real_file.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("a: 1\nb: 2\na: 3\n", "found the key 'a' twice"),
        ("a: {x: 1, x: 2}\n", "found the key 'x' twice"),
        ("a: !!python/object/apply:os.getcwd []\n", "could not determine a constructor"),
        ("a: !!python/name:os.system\n", "could not determine a constructor"),
    ],
    ids=["duplicate", "nested-duplicate", "python-apply", "python-name"],
)
def test_read_yaml_refuses(tmp_path, text, error):
    path = tmp_path / "edition.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(yaml.YAMLError, match=error):
        read_yaml(path)


def test_no_edition_folders(project):
    for folder in project.edition_dirs():
        shutil.rmtree(folder)
    report, inputs = validate_local(project)
    assert places(report) == [("raw", None, None, None, "no-editions")]
    assert inputs is None


def test_no_raw_folder_at_all(project):
    shutil.rmtree(project.raw)
    report, inputs = validate_local(project)
    assert places(report) == [
        ("raw", None, None, None, "no-editions"),
        ("raw/codelists/indicators.csv", None, None, None, "missing-file"),
        ("raw/codelists/populations.csv", None, None, None, "missing-file"),
        ("raw/codelists/sources.csv", None, None, None, "missing-file"),
        ("raw/codelists/statuses.csv", None, None, None, "missing-file"),
        ("raw/codelists/themes.csv", None, None, None, "missing-file"),
    ]
    assert inputs is None


# Inputs a spreadsheet may produce that are fine


@pytest.mark.parametrize(
    "rewrite",
    [
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="utf8-byte-order-mark"),
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf-line-endings"),
        pytest.param(lambda b: b.rstrip(b"\n"), id="no-final-newline"),
    ],
)
def test_spreadsheet_variants_read_the_same(real, project, rewrite):
    """Excel's "CSV UTF-8" (with a byte-order mark) and Windows line endings give the same rows."""
    _, before = real
    path = project.raw / "2024" / "findings.csv"
    path.write_bytes(rewrite(path.read_bytes()))
    report, after = validate_local(project)
    assert report.problems == []
    assert after.tables == before.tables
    assert after.places == before.places


def test_byte_order_mark_in_a_bad_file_still_names_the_real_problem(project):
    """With a byte-order mark the header check reads the real names (it used to report the
    first column as missing and '\\ufeffpopulation_id' as unknown)."""
    overlay(project, "value-out-of-range")
    path = project.raw / "2024" / "findings.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    report, _ = validate_local(project)
    assert places(report) == CASES["value-out-of-range"]


def test_header_only_conclusions_is_reported(project):
    """no-data-rows holds for every CSV input, not only findings."""
    path = project.raw / "2024" / "conclusions.csv"
    path.write_text("kind,position,theme_id,text_nl,text_en\n", encoding="utf-8")
    report, _ = validate_local(project)
    assert places(report) == [(C24, None, None, None, "no-data-rows")]


# Collect-all: one run reports every problem


def test_problems_in_many_files_are_reported_at_once(project):
    cases = [
        "value-out-of-range",  # raw/2024/findings.csv
        "conclusion-kind-not-in-enum",  # raw/2024/conclusions.csv
        "yaml-unknown-key",  # raw/2022/edition.yaml
        "missing-edition-yaml",  # raw/2019/edition.yaml
        "edition-name",  # raw/20x4
        "unexpected-file",  # raw/2024/findings.xlsx
        "codelist-unknown-theme",  # raw/codelists/themes.csv -> indicators.csv
    ]
    report, inputs = validate_case(project, *cases)
    expected = sorted(
        (t for case in cases for t in CASES[case]),
        key=lambda t: (t[0], t[1] or 0, t[2] or "", t[4]),
    )
    assert places(report) == expected
    assert len(expected) == 7
    assert len({t[0] for t in expected}) == 7
    assert inputs is None


def test_rule_problems_in_many_editions_are_reported_at_once(project):
    """The second layer (Pandera and rules.py) also collects everything it finds."""
    report, _ = validate_case(
        project, "value-with-status-m", "value-without-confidence", "edition-before-2019"
    )
    assert places(report) == [
        ("raw/2018/edition.yaml", None, "edition", "2018", "constraint-error"),
        (F19, 2, "confidence", None, "confidence-empty-exactly-when-no-value"),
        (F24, 3, "value", "85", "value-empty-exactly-when-missing"),
    ]


def test_file_and_rule_problems_are_reported_in_one_run(project):
    """A file-level problem stops only the checks that need that file: the rules still run on
    every other file (they used to wait until every file problem was fixed)."""
    report, _ = validate_case(project, "missing-column", "value-without-confidence")
    assert places(report) == CASES["value-without-confidence"] + CASES["missing-column"]
    result = run_werkdata("validate", cwd=project.root)
    assert result.returncode == 1
    assert result.stderr == (
        "invalid: 2 problem(s) in 2 file(s)\n"
        "\n"
        "raw/2019/findings.csv\n"
        "  row 2, column confidence: [confidence-empty-exactly-when-no-value] "
        "a value needs a confidence (C or C*)\n"
        "\n"
        "raw/2024/findings.csv\n"
        "  row 1, column confidence: [missing-column] the column 'confidence' is missing\n"
    )


def replace_line(project: Project, relative: str, old: str, new: str) -> None:
    path = project.raw / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_code_typo_does_not_hide_a_fraction_in_the_next_row(project):
    replace_line(
        project,
        "2022/findings.csv",
        "openbaar_bestuur,tevreden_baan,87,",
        "openbaar_bestuur,tevredn_baan,87,",
    )
    replace_line(project, "2022/findings.csv", ",tevreden_team,83,A,", ",tevreden_team,0.83,A,")
    report, inputs = validate_local(project)
    assert places(report) == [
        (F22, 2, "indicator_id", "tevredn_baan", "foreign-key"),
        (F22, 3, "value", "0.83", "percentage-not-fraction"),
    ]
    assert report.sorted()[0].hint == (
        "did you mean 'tevreden_baan'? or add it to raw/codelists/indicators.csv"
    )
    assert inputs is None


def test_problems_of_one_edition_do_not_hide_rules_in_another(project):
    """An unknown code and a bad status in 2022, a fraction in 2019: all in one run."""
    replace_line(
        project, "2022/findings.csv", "gemeenten,neutraal,37,A,", "gemeente,neutraal,37,A,"
    )
    replace_line(project, "2022/findings.csv", ",veel_werk,45,E,", ",veel_werk,45,Q,")
    replace_line(project, "2019/findings.csv", ",reden_salaris,23,A,", ",reden_salaris,0.23,A,")
    report, _ = validate_local(project)
    assert places(report) == [
        (F19, 2, "value", "0.23", "percentage-not-fraction"),
        (F22, 9, "population_id", "gemeente", "foreign-key"),
        (F22, 10, "status", "Q", "constraint-error"),
    ]


def test_a_refused_cell_is_reported_once(project):
    """A cell the file checks refused is not checked again by the rules: 168 is above the
    schema's maximum (reported) and not also 'not a percentage'; 'veel' is not a number and not
    also 'an empty value with status A'. The rest of those rows is still checked."""
    replace_line(
        project, "2022/findings.csv", ",tevreden_baan,87,A,87%,C,", ",tevreden_baan,168,A,87%,,"
    )
    replace_line(project, "2022/findings.csv", ",tevreden_team,83,A,", ",tevreden_team,veel,A,")
    report, _ = validate_local(project)
    assert places(report) == [
        (F22, 2, "value", "168", "constraint-error"),
        (F22, 3, "value", "veel", "type-error"),
    ]
    # the missing confidence of row 2 needs its value, which was refused: not reported either
    replace_line(
        project, "2022/findings.csv", ",tevreden_baan,168,A,87%,,", ",tevreden_baan,87,M,87%,C,"
    )
    report, _ = validate_local(project)
    assert places(report) == [
        (F22, 2, "value", "87", "value-empty-exactly-when-missing"),
        (F22, 3, "value", "veel", "type-error"),
    ]


def test_several_problems_in_one_file_are_all_reported(project):
    path = project.raw / "2024" / "findings.csv"
    path.write_text(
        "\n".join(
            [
                FINDINGS_COLUMNS,
                "openbaar_bestuur,tevreden_organisatie,168,A,168%,C,wo2024-infographic,x,",
                "openbaar_bestuur,tevreden_baan,68,Q,68%,C,wo2024-infographic,x,",
                "openbaar_bestuur,onbekend,68,A,68%,C,wo2024-infographic,x,",
                "openbaar_bestuur,tevreden_team,68,A,68%,C,wo2024-infographic",
                "openbaar_bestuur,tevreden_organisatie,68,A,68%,C,wo2024-infographic,x,",
                "",
            ]
        ),
        encoding="utf-8",
    )
    report, _ = validate_local(project)
    assert places(report) == [
        (F24, 2, "value", "168", "constraint-error"),
        (F24, 3, "status", "Q", "constraint-error"),
        (F24, 4, "indicator_id", "onbekend", "foreign-key"),
        (F24, 5, None, None, "ragged-row"),
        (F24, 6, None, None, "primary-key"),
    ]


# The report


def sample_report() -> Report:
    return Report(
        problems=[
            Problem(Y22, None, "respondent", None, "unknown-key", "no such key", "respondents?"),
            Problem(F24, 3, "value", "168", "constraint-error", "above 100"),
            Problem(F24, 1, "confidence", None, "missing-column", "missing"),
            Problem("raw/20x4", None, None, "20x4", "edition-name", "bad name"),
            Problem(F24, 3, "status", "É", "constraint-error", "not a code"),
        ],
        checked=[F24, Y22],
    )


def test_report_sorted_orders_by_file_row_column_rule():
    assert places(sample_report()) == [
        (Y22, None, "respondent", None, "unknown-key"),
        (F24, 1, "confidence", None, "missing-column"),
        (F24, 3, "status", "É", "constraint-error"),
        (F24, 3, "value", "168", "constraint-error"),
        ("raw/20x4", None, None, "20x4", "edition-name"),
    ]


def test_report_json_round_trips():
    report = sample_report()
    text = report.to_json()
    assert "É" in text  # not escaped
    assert text.endswith("}\n")
    data = json.loads(text)
    assert data == report.to_dict()
    assert data["valid"] is False
    assert data["error_count"] == 5
    assert data["checked"] == [Y22, F24]
    assert [Problem(**without(p, "severity")) for p in data["problems"]] == report.sorted()
    assert [p.get("hint") for p in data["problems"]] == [p.hint for p in report.sorted()]
    assert data["problems"][0] == {**asdict(report.sorted()[0]), "severity": "error"}
    # a problem without a hint has no hint key (the JSON of earlier versions)
    assert "hint" not in data["problems"][1]


def without(record: dict, key: str) -> dict:
    return {k: v for k, v in record.items() if k != key}


def test_report_text_groups_by_file_and_names_row_column_value():
    assert sample_report().to_text() == (
        "invalid: 5 problem(s) in 3 file(s)\n"
        "\n"
        "raw/2022/edition.yaml\n"
        "  column respondent: [unknown-key] no such key\n"
        "    hint: respondents?\n"
        "\n"
        "raw/2024/findings.csv\n"
        "  row 1, column confidence: [missing-column] missing\n"
        "  row 3, column status, value 'É': [constraint-error] not a code\n"
        "  row 3, column value, value '168': [constraint-error] above 100\n"
        "\n"
        "raw/20x4\n"
        "  value '20x4': [edition-name] bad name\n"
    )


def test_report_text_of_a_real_run(project):
    report, _ = validate_case(project, "value-out-of-range", "yaml-unknown-key", "missing-findings")
    text = report.to_text()
    assert text.splitlines()[0] == "invalid: 3 problem(s) in 3 file(s)"
    assert text.index("\nraw/2022/edition.yaml\n") < text.index("\nraw/2022/findings.csv\n")
    assert text.index("\nraw/2022/findings.csv\n") < text.index("\nraw/2024/findings.csv\n")
    assert (
        '  row 3, column value, value \'168\': [constraint-error] constraint "maximum" is "100"\n'
        in text
    )
    assert "  file: [missing-file] every edition folder needs findings.csv\n" in text
    data = json.loads(report.to_json())
    assert [
        (p["file"], p["row"], p["column"], p["value"], p["rule"]) for p in data["problems"]
    ] == (places(report))


def test_every_problem_makes_a_report_invalid():
    """There is one kind of problem: any problem, with or without a hint, is an error."""
    for hint in (None, "a hint"):
        report = Report(problems=[Problem(F24, 2, "note", None, "style", "long", hint)])
        assert not report.valid
        assert report.errors == report.problems
        assert report.to_dict()["error_count"] == 1
    assert Report().valid


def test_report_text_and_json_survive_a_lone_surrogate():
    """A YAML key may hold a lone surrogate (written as an escape "\\ud800"): the report still
    encodes as UTF-8, the character shown as its escape."""
    report = Report(problems=[Problem(Y22, None, "\ud800", None, "unknown-key", "no such key")])
    assert "column \\ud800:" in report.to_text()
    report.to_text().encode("utf-8")
    assert json.loads(report.to_json())["problems"][0]["column"] == "\ud800"


# Hints that say how to fix a problem


def test_the_allowed_statuses_are_labelled_from_the_code_list(project):
    """The words of the hint come from raw/codelists/statuses.csv, not from the code."""
    path = project.codelists / "statuses.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Estimated value", "Estimate"), encoding="utf-8"
    )
    report, _ = validate_case(project, "status-not-in-codelist")
    assert [p.hint for p in report.problems] == [
        "status must be one of A (Normal value), E (Estimate), M (Missing value)"
    ]


def test_the_closest_code_is_the_fix(project):
    """Taking the hint's suggestion makes the file valid."""
    report, _ = validate_case(project, "codelist-unknown-parent")
    (problem,) = report.problems
    suggested = problem.hint.split("'")[1]
    replace_line(project, "codelists/populations.csv", ",gemeente,", f",{suggested},")
    report, _ = validate_local(project)
    assert report.problems == []


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("2025x", "rename it to raw/2025/"),
        ("20 25", "rename it to raw/2025/"),
        ("2024 copy", "raw/2024/ exists already: merge the two or remove this folder"),
        ("20x4", "rename it to the edition's year, four digits: raw/<year>/"),
    ],
)
def test_a_badly_named_edition_folder_gets_the_name_to_use(project, name, hint):
    (project.raw / name).mkdir()
    report, _ = validate_local(project)
    assert [(p.file, p.rule, p.hint) for p in report.problems] == [
        (f"raw/{name}", "edition-name", hint)
    ]


def test_a_misspelled_column_names_the_column_meant(project):
    replace_line(project, "2024/findings.csv", ",confidence,", ",confidance,")
    report, _ = validate_local(project)
    assert [(p.rule, p.column, p.hint) for p in report.sorted()] == [
        ("unknown-column", "confidance", "did you mean 'confidence'?"),
        ("missing-column", "confidence", None),
    ]


def test_a_decimal_comma_in_a_comma_file_gets_the_number_to_write(project):
    replace_line(project, "2024/findings.csv", ",14.3,E,", ',"14,3",E,')
    report, _ = validate_local(project)
    assert [(p.row, p.value, p.rule, p.hint) for p in report.problems] == [
        (3, "14,3", "type-error", "write 14.3 (a decimal point, not a comma)")
    ]


def test_hints_are_in_the_text_report(project):
    report, _ = validate_case(project, "codelist-unknown-parent")
    assert report.to_text() == (
        "invalid: 1 problem(s) in 1 file(s)\n"
        "\n"
        "raw/codelists/populations.csv\n"
        "  row 6, column parent_id, value 'gemeente': [foreign-key] "
        "'gemeente' is not a known population_id in this table\n"
        f"    hint: did you mean 'gemeenten'? or add it to {POPULATIONS}\n"
    )
