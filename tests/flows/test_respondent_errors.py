"""Errors on respondent data name the rule, the file and the column, never a respondent's value or
a sum one respondent dominates, on every path (`werkdata validate`, `publish --local`, and the
Prefect flow): the full error text goes only to the local error log
(`.werkdata/log/respondent-errors.log`, 0600 in a 0700 folder)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.cli import main
from pipeline.core.error_log import ERROR_LOG
from pipeline.core.paths import Project
from tests.respondents import marked_project

HUGE = 1.2e26
# how the huge weight, or its fixed-point square's factor (x 2^24), could be written
HUGE_TEXTS = ("1.2e+26", "1.2e26", "120000000000000000000000000", "2013265920000000")
TEXT = "werkdata-secret-answer-7919"


@pytest.fixture
def on_path(request):
    """The publish path of the test's parameter; the Prefect one under the shared harness."""
    if request.param == "prefect":
        request.getfixturevalue("prefect_harness")
    return request.param


def respondent_file(project: Project) -> Path:
    (path,) = (project.raw / "2024" / "microdata").glob("*.parquet")
    return path


def set_column(project: Project, name: str, values: list) -> None:
    path = respondent_file(project)
    table = pq.read_table(path)
    table = table.set_column(table.schema.get_field_index(name), name, pa.array(values))
    pq.write_table(table, path)


def with_huge_weight(project: Project, psu: bool) -> None:
    """Respondent 3 weighs 1.2e26; without psu the design sums squared weights in DuckDB."""
    weights = pq.read_table(respondent_file(project))["weight"].to_pylist()
    weights[3] = HUGE
    set_column(project, "weight", weights)
    if not psu:
        edition = project.raw / "2024" / "edition.yaml"
        edition.write_text(edition.read_text(encoding="utf-8").replace("  psu: psu\n", ""))


def run_cli(args: list[str], capfd) -> tuple[int, str]:
    code = main(args)
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err, err
    return code, out + err


def error_log(project: Project) -> str:
    """The local error log's text, after checking that only its owner can read it."""
    path = project.root / ERROR_LOG
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    return path.read_text(encoding="utf-8")


def published_nothing(project: Project) -> bool:
    return not project.published.exists() or not any(project.published.rglob("*.parquet"))


@pytest.mark.slow  # two runs of a marked project
@pytest.mark.parametrize("psu", [True, False], ids=["psu", "no-psu"])
def test_a_huge_weight_is_refused_without_its_value(psu, tmp_path, capfd):
    project = marked_project(tmp_path / "project", respondents=1000, items=3)
    with_huge_weight(project, psu)
    report = tmp_path / "report.json"
    root = ["--root", str(project.root)]
    _, validated = run_cli([*root, "validate", "--json", str(report)], capfd)
    code, published = run_cli([*root, "publish", "--local"], capfd)
    assert code == 1 and published_nothing(project)
    # beside it the other 999 weights are too small to keep 6 digits in exact sums: found by
    # the respondent checks, so by validate too
    for printed in (validated, published):
        assert "column weight: [microdata-weight-range] 999 weight(s)" in printed
    assert "unit" in published  # the hint: the weight column's unit
    shown = validated + published + report.read_text(encoding="utf-8")
    assert [text for text in HUGE_TEXTS if text in shown] == []


@pytest.mark.slow  # two runs of a marked project
def test_a_text_in_a_numeric_item_column_is_refused_without_it(tmp_path, capfd):
    project = marked_project(tmp_path / "project", respondents=1000, items=3)
    item = next(c for c in pq.read_table(respondent_file(project)).column_names if c[:2] == "v_")
    answers = pq.read_table(respondent_file(project))[item].to_pylist()
    texts = [None if a is None else str(a) for a in answers]
    texts[3] = TEXT
    set_column(project, item, texts)
    root = ["--root", str(project.root)]
    for command in (["validate"], ["publish", "--local"]):
        code, printed = run_cli([*root, *command], capfd)
        assert code == 1
        assert f"column {item}: [microdata-column-type]" in printed
        assert TEXT not in printed
    assert published_nothing(project)


def test_a_respondent_file_duckdb_cannot_read_is_a_problem_of_the_report(tmp_path, capfd):
    """A file whose footer reads but whose weight pages are damaged: a report problem naming
    the file and the rule (exit 1), DuckDB's text in the local error log only."""
    project = marked_project(tmp_path / "project", respondents=1000, items=3)
    path = respondent_file(project)
    metadata = pq.read_metadata(path)
    chunk = metadata.row_group(0).column(metadata.schema.names.index("weight"))
    start = min(o for o in (chunk.dictionary_page_offset, chunk.data_page_offset) if o)
    data = bytearray(path.read_bytes())
    data[start + 10 : start + chunk.total_compressed_size - 5] = b"\xab" * (
        chunk.total_compressed_size - 15
    )
    path.write_bytes(bytes(data))
    code, printed = run_cli(["--root", str(project.root), "validate"], capfd)
    assert code == 1
    assert "raw/2024/microdata/respondents.parquet\n  file: [microdata-unreadable]" in printed
    assert str(ERROR_LOG) in printed
    assert "Error" in error_log(project)


@pytest.mark.slow  # a real Prefect flow
@pytest.mark.parametrize("on_path", ["prefect"], indirect=True)
def test_prefect_keeps_no_value_of_a_refused_weight(on_path, tmp_path, capfd):
    project = marked_project(tmp_path / "project", respondents=1000, items=3)
    with_huge_weight(project, psu=False)
    code, printed = run_cli(["--root", str(project.root), "publish"], capfd)
    assert code == 1 and "[microdata-weight-range]" in printed
    assert [text for text in HUGE_TEXTS if text in printed] == []
    from prefect.settings import PREFECT_SERVER_DATABASE_CONNECTION_URL

    database = Path(str(PREFECT_SERVER_DATABASE_CONNECTION_URL.value()).split(":///", 1)[1])
    assert database.is_file()  # the search below reads it
    stored = [
        path
        for folder in (Path(os.environ["PREFECT_HOME"]), database.parent)
        for path in folder.rglob("*")
        if path.is_file() and any(t.encode() in path.read_bytes() for t in HUGE_TEXTS)
    ]
    assert stored == []
