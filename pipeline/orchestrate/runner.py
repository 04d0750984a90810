"""The one loop over the steps of a plan, and the local runner that executes them here.

`run_steps` owns what every runner shares: a step's trace mark, the progress of a fan-out by
its parts' sizes, the parts' results merged in the order of the parts, and the end of the run
when a step sets its result. How a step or a part is executed is the executor's: `InProcess`
here (retries by `pipeline.orchestrate.retry`), Prefect tasks on a task runner in the flow
(`flows.publish_flow.PrefectTasks`), which adds tasks around this loop, not a second one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from pipeline.core import progress, trace
from pipeline.core.errors import RawDataInvalid
from pipeline.core.paths import Project
from pipeline.core.report import Report
from pipeline.ingest.inputs import RawInputs
from pipeline.orchestrate.plan import PLAN, VALIDATION, FanOut, PublishRun, Step, finished
from pipeline.orchestrate.retry import with_retries
from pipeline.release.publish import PublishResult


class Executor(Protocol):
    """How the steps of a plan are executed: a plain step on the run, a fan-out's parts."""

    def run_step(self, step: Step, run: PublishRun) -> None:
        """Execute `step` on `run`; it calls `perform` (once per attempt)."""

    def run_parts(self, step: FanOut, parts: list) -> Iterable[object]:
        """`step.each` of every part, the results in the order of the parts."""


def perform(step: Step, run: PublishRun) -> None:
    """One attempt at a plain step: its trace mark, then its work."""
    trace.mark(step.mark)
    step.run(run)


def fan_out(step: FanOut, run: PublishRun, executor: Executor) -> None:
    """A fan-out step: its trace mark, its parts executed by `executor` with their progress
    counted in the step's unit, and their results merged in the order of the parts."""
    trace.mark(step.mark)
    parts = step.parts(run)
    done = progress.counter(step.name, sum(map(step.size, parts)), step.unit)
    results = []
    for part, result in zip(parts, executor.run_parts(step, parts), strict=True):
        results.append(result)
        done.advance(step.size(part))
    step.merge(run, results)


def run_steps(run: PublishRun, steps: Sequence[Step | FanOut], executor: Executor) -> None:
    """Every step in order, until one sets the run's result."""
    for step in steps:
        if isinstance(step, FanOut):
            fan_out(step, run, executor)
        else:
            executor.run_step(step, run)
        if run.result is not None:
            break


@dataclass(frozen=True)
class InProcess:
    """Steps and parts executed one after the other in this process, a step with a retry
    policy tried again on transient I/O errors after its delays."""

    sleep: Callable[[float], None] = time.sleep

    def run_step(self, step: Step, run: PublishRun) -> None:
        self.attempt(step, lambda: perform(step, run))

    def run_parts(self, step: FanOut, parts: list) -> Iterator[object]:
        for part in parts:
            yield self.attempt(step, lambda part=part: step.each(part))

    def attempt(self, step: Step | FanOut, work: Callable[[], object]) -> object:
        if step.retry is None:
            return work()
        return with_retries(work, step.retry.delays, self.sleep)


def publish_local(
    project: Project,
    bump: str | None = None,
    plan: tuple[Step | FanOut, ...] = PLAN,
    sleep: Callable[[float], None] = time.sleep,
) -> PublishResult:
    """Run `plan` until a step sets the result; RawDataInvalid comes before anything is written."""
    run = PublishRun(project, bump)
    run_steps(run, plan, InProcess(sleep))
    return finished(run)


def validate_local(project: Project) -> tuple[Report, RawInputs | None]:
    """The plan's validation steps in this process: the report of every raw input, and the
    typed inputs only when there is no problem. Nothing is fingerprinted or written."""
    run = PublishRun(project)
    try:
        run_steps(run, VALIDATION, InProcess())
    except RawDataInvalid as invalid:
        return invalid.report, None
    return run.report, run.inputs
