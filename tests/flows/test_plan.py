"""One plan, two runners: the Prefect flow and the local runner take the same steps in the same
order (their trace marks), publish byte-identical data files, and retry the same way."""

from __future__ import annotations

import errno
import itertools
import time
from pathlib import Path

import pytest

import pipeline.core.trace
import pipeline.orchestrate.plan
from pipeline.core.errors import RawDataInvalid
from pipeline.core.report import Report
from pipeline.core.schemas import TABLES
from pipeline.orchestrate.runner import publish_local
from pipeline.release.publish import PublishResult
from pipeline.release.records import versions
from tests.flows.outputs import read_artifact, release_files
from tests.helpers import REAL_ROWS, copy_project

STEPS = [
    "fingerprint", "validation", "respondents", "estimate", "build", "publish", "staging",
    "rename", "derived", "done",
]  # fmt: skip


def traced_marks(trace: Path) -> list[str]:
    return [line.split()[1] for line in trace.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_both_paths_run_the_one_plan(prefect_harness, tmp_path, monkeypatch):
    from flows.publish_flow import publish_flow

    by_flow, by_local = copy_project(tmp_path / "flow"), copy_project(tmp_path / "local")
    monkeypatch.setenv("WERKDATA_TRACE", str(tmp_path / "flow.trace"))
    outcome = publish_flow(root=str(by_flow.root))
    monkeypatch.setenv("WERKDATA_TRACE", str(tmp_path / "local.trace"))
    local = publish_local(by_local)

    assert traced_marks(tmp_path / "flow.trace") == traced_marks(tmp_path / "local.trace")
    assert traced_marks(tmp_path / "local.trace") == STEPS
    assert (outcome["status"], outcome["version"], outcome["rows"]) == (
        "published",
        "1.0.0",
        REAL_ROWS,
    )
    flow_files, local_files = release_files(Path(outcome["folder"])), release_files(local.folder)
    assert sorted(flow_files) == sorted(local_files)
    data = [rel for rel in flow_files if rel.startswith("data/")]
    assert len(data) == 2 * len(TABLES)
    assert {rel: flow_files[rel] == local_files[rel] for rel in flow_files} == dict.fromkeys(
        flow_files, True
    )
    artifact = read_artifact("werkdata-release")
    assert artifact.data.startswith("# werkonderzoek 1.0.0: published")
    assert "| findings | 28 |" in artifact.data


def edit_at_build(monkeypatch, findings: Path) -> None:
    """Edit a raw file the moment the build starts: after validation read it, before publish."""
    real_mark = pipeline.core.trace.mark

    def mark(phase: str) -> None:
        real_mark(phase)
        if phase == "build":
            text = findings.read_text(encoding="utf-8")
            findings.write_text(text.replace(",68,", ",69,", 1), encoding="utf-8")

    monkeypatch.setattr(pipeline.core.trace, "mark", mark)


def value_2024(folder: Path) -> str:
    rows = (folder / "data" / "findings.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    for row in rows[1:]:
        cells = dict(zip(header, row.split(","), strict=False))
        if (cells["edition"], cells["population_id"], cells["indicator_id"]) == (
            "2024",
            "openbaar_bestuur",
            "tevreden_organisatie",
        ):
            return cells["value"]
    raise AssertionError("row not found")


@pytest.mark.parametrize("path", ["local", pytest.param("prefect", marks=pytest.mark.slow)])
def test_an_edit_during_a_run_is_published_by_the_next(path, request, tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    findings = project.raw / "2024" / "findings.csv"
    edit_at_build(monkeypatch, findings)
    if path == "prefect":
        request.getfixturevalue("prefect_harness")
        from flows.publish_flow import publish_flow

        first = Path(publish_flow(root=str(project.root))["folder"])
    else:
        first = publish_local(project).folder
    monkeypatch.undo()

    second = publish_local(project)

    assert (first.name, value_2024(first)) == ("1.0.0", "68")
    assert (second.status, second.version, value_2024(second.folder)) == (
        "published",
        "1.0.1",
        "69",
    )


def failing_publish(monkeypatch, error: BaseException, times: int) -> list[float]:
    """The plan's publish step raises `error` on its first `times` attempts, then publishes;
    returns the moments of the attempts."""
    real = pipeline.orchestrate.plan.publish_release
    attempts = []

    def flaky(*args, **kwargs):
        attempts.append(time.monotonic())
        if len(attempts) <= times:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline.orchestrate.plan, "publish_release", flaky)
    return attempts


@pytest.mark.slow
def test_prefect_task_retries_a_transient_error_after_the_plans_delays(
    prefect_harness, tmp_path, monkeypatch
):
    from flows.publish_flow import publish_flow

    project = copy_project(tmp_path / "project")
    attempts = failing_publish(monkeypatch, OSError(errno.EBUSY, "Device or resource busy"), 2)
    outcome = publish_flow(root=str(project.root))

    assert (outcome["status"], outcome["version"], len(attempts)) == ("published", "1.0.0", 3)
    waited = [later - earlier for earlier, later in itertools.pairwise(attempts)]
    delays = pipeline.orchestrate.plan.PUBLISH_RETRY.delays
    assert [w >= d for w, d in zip(waited, delays, strict=True)] == [True, True], waited
    assert versions(project.dataset_dir()) == ["1.0.0"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "error",
    [FileNotFoundError(errno.ENOENT, "No such file or directory"), RawDataInvalid(Report())],
    ids=["missing-file", "data-error"],
)
def test_prefect_task_never_retries_a_lasting_error(prefect_harness, tmp_path, monkeypatch, error):
    from flows.publish_flow import publish_flow

    project = copy_project(tmp_path / "project")
    attempts = failing_publish(monkeypatch, error, 1)
    with pytest.raises(type(error)):
        publish_flow(root=str(project.root))
    assert len(attempts) == 1
    assert list(project.published.iterdir()) == []


def letters(part: str) -> int:
    """A fan-out step's work on one part (module level: a worker must be able to import it)."""
    return len(part)


def toy_plan(parts: list[str]) -> tuple[pipeline.orchestrate.plan.FanOut, ...]:
    """A plan of one fan-out step whose merge ends the run (publishing nothing), saying what
    the parts gave."""

    def merge(run, partials: list[int]) -> None:
        summary = f"parts gave {partials}"
        run.result = PublishResult("unchanged", "0.0.0", run.project.root, None, summary, {})

    return (
        pipeline.orchestrate.plan.FanOut(
            "count letters", "build", parts=lambda run: parts, each=letters, merge=merge
        ),
    )


@pytest.mark.slow
def test_a_fan_out_step_gives_the_same_merge_on_both_runners(
    prefect_harness, tmp_path, monkeypatch
):
    from flows.publish_flow import publish_flow

    project = copy_project(tmp_path / "project")
    toy = toy_plan(["abcd", "e", "fgh", "ij"])
    local = publish_local(project, plan=toy)
    monkeypatch.setattr(pipeline.orchestrate.plan, "PLAN", toy)
    outcome = publish_flow(root=str(project.root))

    assert local.summary == outcome["summary"] == "parts gave [4, 1, 3, 2]"
