"""The Prefect publish flow: each step of the one publish plan
(`pipeline.orchestrate.plan.PLAN`) as a task, with a markdown artifact that says what happened."""

from __future__ import annotations

import inspect

from flows.quiet import quiet_prefect

quiet_prefect()

from prefect import Task, flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402

from flows.progress_view import prefect_artifact  # noqa: E402
from flows.runners import fan_out_runner, lost_worker  # noqa: E402
from pipeline.core import progress, trace  # noqa: E402
from pipeline.core.errors import RawDataInvalid  # noqa: E402
from pipeline.core.paths import Project  # noqa: E402
from pipeline.core.report import Report  # noqa: E402
from pipeline.orchestrate import plan  # noqa: E402
from pipeline.orchestrate.retry import is_transient  # noqa: E402
from pipeline.release.publish import PublishResult  # noqa: E402


def transient(task, task_run, state) -> bool:
    """Retry only transient I/O errors; a data error stays the same however often it is tried."""
    try:
        state.result()
    except Exception as error:
        return is_transient(error)
    return False


def retry_options(step: plan.Step | plan.FanOut) -> dict:
    """The step's retry policy as Prefect task options."""
    if step.retry is None:
        return {}
    return {
        "retries": len(step.retry.delays),
        "retry_delay_seconds": list(step.retry.delays),
        "retry_condition_fn": transient,
    }


def as_task(step: plan.Step) -> Task:
    """`step` as a Prefect task, with the step's retry policy."""

    def body(run: plan.PublishRun) -> None:
        plan.perform(step, run)

    return task(body, name=step.name, cache_policy=NONE, **retry_options(step))


def run_fan_out(step: plan.FanOut, run: plan.PublishRun, runner=None) -> None:
    """Map the step's work over its parts as tasks on `runner` (None: the flow's task runner),
    then merge the parts' results in the order of the parts."""
    trace.mark(step.mark)
    each = task(step.each, name=f"{step.name}: part", cache_policy=NONE, **retry_options(step))
    parts = step.parts(run)
    done = progress.counter(step.name, sum(map(step.size, parts)), step.unit)
    if runner is None:
        futures = each.map(parts)
    else:
        (name,) = inspect.signature(step.each).parameters  # `each` takes its part, only that
        futures = runner.map(each, {name: parts})
    results = []
    for part, future in zip(parts, futures, strict=True):  # in the order of the parts
        try:
            results.append(future.result())
        except Exception as error:
            lost = lost_worker(error)
            if lost is None:
                raise
            raise lost from None
        done.advance(step.size(part))
    step.merge(run, results)


def release_markdown(result: PublishResult, report: Report) -> str:
    lines = [
        f"# werkonderzoek {result.version}: {result.status}",
        "",
        result.summary,
        "",
        f"Validation: {'valid' if report.valid else 'invalid'}, "
        f"{len(report.checked)} raw file(s) checked.",
        "",
        "| table | rows |",
        "|---|---|",
    ]
    lines += [f"| {name} | {count} |" for name, count in result.rows.items()]
    return "\n".join(lines) + "\n"


def run_plan(run: plan.PublishRun, runner=None) -> None:
    """Every step of the plan as a task (a fan-out as one task per part, on `runner` when one
    is given), until one sets the result."""
    for step in plan.PLAN:
        if isinstance(step, plan.FanOut):
            run_fan_out(step, run, runner)
        else:
            as_task(step)(run)
        if run.result is not None:
            break


@flow(name="werkdata-publish", log_prints=False)
def publish_flow(
    root: str = ".",
    raw: str | None = None,
    published: str | None = None,
    bump: str | None = None,
    task_runner: str = "default",
    dask_address: str | None = None,
) -> dict:
    """Publish the raw inputs under `root` as the next version of the werkonderzoek dataset.

    `task_runner="dask"` runs the fan-out steps' parts on the Dask scheduler at `dask_address`
    (a deployment parameter, say), or on a LocalCluster started for the run when none is given.
    """
    run = plan.PublishRun(Project.at(root, raw=raw, published=published), bump)
    try:
        with fan_out_runner(task_runner, dask_address) as runner, prefect_artifact():
            run_plan(run, runner)
    except RawDataInvalid as invalid:
        create_markdown_artifact(
            markdown="# Invalid raw inputs\n\n```\n" + invalid.report.to_text() + "```\n",
            key="werkdata-validation",
        )
        raise
    result = plan.finished(run)
    get_run_logger().info("%s", result.summary)
    if result.status == "published":
        markdown = release_markdown(result, run.report)
    else:
        markdown = f"# {result.summary}\n"
    create_markdown_artifact(markdown=markdown, key="werkdata-release")
    return outcome_dict(result)


def outcome_dict(result: PublishResult) -> dict:
    """The flow's return value: plain JSON-able facts about the run."""
    return {
        "status": result.status,
        "version": result.version,
        "folder": str(result.folder),
        "summary": result.summary,
        "bump": result.bump,
        "rows": result.rows,
    }
