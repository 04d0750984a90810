"""The Prefect publish flow: the one loop over the publish plan
(`pipeline.orchestrate.runner.run_steps` over `pipeline.orchestrate.plan.PLAN`) with each step
executed as a Prefect task and each fan-out part as a task mapped on the flow's task runner, and
a markdown artifact that says what happened."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass

from flows.quiet import quiet_prefect

quiet_prefect()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402

from flows.progress_view import prefect_artifact  # noqa: E402
from flows.runners import fan_out_runner, lost_worker  # noqa: E402
from pipeline.core.errors import RawDataInvalid  # noqa: E402
from pipeline.core.paths import Project  # noqa: E402
from pipeline.core.report import Report  # noqa: E402
from pipeline.orchestrate import plan  # noqa: E402
from pipeline.orchestrate.retry import is_transient  # noqa: E402
from pipeline.orchestrate.runner import perform, run_steps  # noqa: E402
from pipeline.release.publish import PublishResult  # noqa: E402


def transient(task, task_run, state) -> bool:
    """Retry only transient I/O errors; a data error stays the same however often it is tried."""
    try:
        state.result()
    except Exception as error:
        return is_transient(error)
    return False


def task_options(step: plan.Step | plan.FanOut) -> dict:
    """The options of every Prefect task of the flows (a plan's step or a fan-out's part): no
    result persisted and no cache, whatever Prefect's settings say (a step fills the run in the
    flow's process and a part's counts, hashed ids and partial sums go straight to the merge, so
    nothing derived from respondents is pickled to Prefect's result storage), and the step's
    retry policy."""
    options = {"persist_result": False, "cache_policy": NONE}
    if step.retry is not None:
        options.update(
            retries=len(step.retry.delays),
            retry_delay_seconds=list(step.retry.delays),
            retry_condition_fn=transient,
        )
    return options


@dataclass(frozen=True)
class PrefectTasks:
    """The executor of the plan's steps in the flow (`pipeline.orchestrate.runner.Executor`):
    a plain step as a task in the flow's process, a fan-out's parts as tasks mapped on `runner`
    (None: the flow's own task runner), each with `task_options`."""

    runner: object = None

    def run_step(self, step: plan.Step, run: plan.PublishRun) -> None:
        def body(run: plan.PublishRun) -> None:
            perform(step, run)

        task(body, name=step.name, **task_options(step))(run)

    def run_parts(self, step: plan.FanOut, parts: list) -> Iterator[object]:
        """The parts' results in the order of the parts; a part whose Dask workers died ends
        the run as WorkerLost."""
        each = task(step.each, name=f"{step.name}: part", **task_options(step))
        if self.runner is None:
            futures = each.map(parts)
        else:
            (name,) = inspect.signature(step.each).parameters  # `each` takes its part, only that
            futures = self.runner.map(each, {name: parts})
        for future in futures:
            try:
                yield future.result()
            except Exception as error:
                lost = lost_worker(error)
                if lost is None:
                    raise
                raise lost from None


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


@flow(name="werkdata-publish", log_prints=False)
def publish_flow(
    root: str = ".",
    raw: str | None = None,
    published: str | None = None,
    bump: str | None = None,
    task_runner: str = "default",
    dask_address: str | None = None,
    fingerprint: dict | None = None,
) -> dict:
    """Publish the raw inputs under `root` as the next version of the werkonderzoek dataset.

    `task_runner="dask"` runs the fan-out steps' parts on the Dask scheduler at `dask_address`
    (a deployment parameter, say), or on a LocalCluster started for the run when none is given.
    `fingerprint`: the inputs' fingerprint when the caller took it already (the refresh flow,
    which found them changed; `{"sha256": ...}` is all the release records); the plan then
    starts after its fingerprint step.
    """
    project = Project.at(root, raw=raw, published=published)
    run = plan.PublishRun(project, bump, fingerprint=fingerprint)
    steps = plan.PLAN
    if fingerprint is not None:
        steps = tuple(step for step in steps if step is not plan.FINGERPRINT)
    try:
        with fan_out_runner(task_runner, dask_address) as runner, prefect_artifact():
            run_steps(run, steps, PrefectTasks(runner))
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
    return result.to_dict()
