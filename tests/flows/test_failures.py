"""One clean face for failures on both publish paths: `werkdata publish` (the Prefect flow) and
`werkdata publish --local` print the same report and exit with the same code, never a
traceback. The CLI runs in-process, so a bug can be injected; capfd sees everything either
path writes to the terminal, Prefect's console handler included."""

from __future__ import annotations

import asyncio
import json
import os
import re
import stat
import tempfile
from pathlib import Path

import pytest

import pipeline.build.transform
from flows.cli import main
from pipeline.orchestrate.runner import publish_local
from tests.helpers import copy_project, lock_held_elsewhere

PATHS = ["local", pytest.param("prefect", marks=pytest.mark.slow)]  # a real Prefect flow


def publish_args(path: str, root: Path) -> list[str]:
    return ["--root", str(root), "publish", *(["--local"] if path == "local" else [])]


@pytest.fixture
def on_path(request):
    """The publish path of the test's parameter; the Prefect one under the shared harness."""
    if request.param == "prefect":
        request.getfixturevalue("prefect_harness")
    return request.param


def last_flow_run_record() -> tuple[str, str]:
    """(state of the newest flow run, its logs joined) as Prefect's API keeps them."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.client.schemas.sorting import FlowRunSort
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()  # the run's last logs are sent in the background

    async def read() -> tuple[str, str]:
        async with get_client() as client:
            [flow_run] = await client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1)
            logs = await client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run.id]))
            )
            return flow_run.state.type.value, "\n".join(log.message for log in logs)

    return asyncio.run(read())


def run_cli(args: list[str], capfd) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of the command; stderr without the line that names the
    Prefect server when a flow ran (the harness's), so that both paths compare alike."""
    code = main(args)
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err, err
    if "--local" not in args and err.startswith("using the Prefect server at "):
        err = err.split("\n", 1)[1]
    return code, out, err


@pytest.mark.parametrize("on_path", PATHS, indirect=True)
def test_invalid_data_exit_1_with_the_report(on_path, tmp_path, capfd):
    project = copy_project(tmp_path / "project")
    findings = project.raw / "2024" / "findings.csv"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.replace(",tevreden_organisatie,68,", ",tevreden_organisatie,168,"))

    code, out, err = run_cli(publish_args(on_path, project.root), capfd)

    assert (code, out) == (1, "")
    assert err.startswith("invalid: 1 problem(s) in 1 file(s)\n\nraw/2024/findings.csv\n")
    assert "  row 2, column value, value '168': [constraint-error]" in err
    assert list(project.published.iterdir()) == []
    if on_path == "prefect":  # the terminal got the report; Prefect keeps its own record
        state, logs = last_flow_run_record()
        assert (state, "RawDataInvalid" in logs) == ("FAILED", True), logs


@pytest.mark.parametrize("on_path", PATHS, indirect=True)
def test_lock_held_exit_3_naming_the_holder(on_path, tmp_path, capfd):
    project = copy_project(tmp_path / "project")
    with lock_held_elsewhere(project.dataset_dir()) as holder:
        code, out, err = run_cli(publish_args(on_path, project.root), capfd)

    prefix = "werkdata publish: another run is publishing: "
    assert (code, out, err.startswith(prefix)) == (3, "", True)
    assert json.loads(err.removeprefix(prefix))["pid"] == holder.pid
    assert [p.name for p in project.dataset_dir().iterdir()] == [".publish.lock"]


@pytest.mark.parametrize("on_path", PATHS, indirect=True)
def test_wrong_shaped_catalog_exit_4_naming_it(on_path, tmp_path, capfd):
    project = copy_project(tmp_path / "project")
    publish_local(project)
    catalog = project.dataset_dir() / "catalog.json"
    catalog.write_text("[]\n", encoding="utf-8")

    code, out, err = run_cli(publish_args(on_path, project.root), capfd)

    assert (code, out) == (4, "")
    assert err.startswith("werkdata publish: integrity check failed\n")
    assert "catalog.json" in err
    assert catalog.read_text(encoding="utf-8") == "[]\n"  # refused, not silently rebuilt


@pytest.mark.parametrize("on_path", PATHS, indirect=True)
def test_a_bug_exit_70_with_one_line_naming_the_traceback_file(
    on_path, tmp_path, capfd, monkeypatch
):
    """The one line names the kind of error and the file, never the error's text (it may quote
    a respondent's value); the file is in the project's .werkdata/, readable by its owner only,
    and nothing of it lands in the temporary folder."""

    def broken_build(schemas, inputs, estimates=None, decimals=1):
        return 1 / 0

    monkeypatch.setattr(pipeline.build.transform, "build_tables", broken_build)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    project = copy_project(tmp_path / "project")

    code, out, err = run_cli(publish_args(on_path, project.root), capfd)

    assert (code, out, len(err.splitlines())) == (70, "", 1)
    found = re.fullmatch(
        r"werkdata publish: internal error, a bug in werkdata \(ZeroDivisionError\); "
        r"the full traceback is in (\S+)\n",
        err,
    )
    assert found, err
    path = Path(found.group(1))
    assert re.fullmatch(r"bug-\d{8}T\d{6}Z-\d+\.txt", path.name), path
    assert path.parent.resolve() == project.root / ".werkdata"
    assert (mode(path.parent), mode(path)) == (0o700, 0o600)
    saved = path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in saved
    assert "in broken_build" in saved and "division by zero" in saved
    assert list(project.published.iterdir()) == []
    files = [p for p in temporary.rglob("*") if p.is_file()]
    assert [p for p in files if b"in broken_build" in p.read_bytes()] == []


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.slow  # 3.5 s on the local path too (tests/checks/test_microdata_git.py: fast)
@pytest.mark.parametrize("on_path", PATHS, indirect=True)
def test_respondent_data_git_would_commit_is_exit_1_naming_the_gitignore_line(
    on_path, tmp_path, capfd
):
    """In a git work tree, a respondent file git does not ignore is refused on both paths:
    the report names edition.yaml, the microdata path and the .gitignore line; nothing is
    published."""
    from tests.respondents import in_git, marked_project, moved_respondents

    project = marked_project(tmp_path / "project", respondents=1000, items=3)
    in_git(moved_respondents(project, "respondents.parquet"))

    code, out, err = run_cli(publish_args(on_path, project.root), capfd)

    assert (code, out) == (1, "")
    assert err == (
        "invalid: 1 problem(s) in 1 file(s)\n\nraw/2024/edition.yaml\n"
        "  column microdata.path, value 'respondents.parquet': [microdata-not-ignored] git would "
        "commit this respondent data: it is not ignored in its git work tree\n"
        "    hint: add the line /raw/2024/respondents.parquet to the .gitignore at the top of the "
        "work tree\n"
    )
    assert not project.published.exists() or list(project.published.iterdir()) == []
