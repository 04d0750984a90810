"""The local runner: the steps of the publish plan in-process, one after the other."""

from __future__ import annotations

import time
from collections.abc import Callable

from pipeline.core.paths import Project
from pipeline.orchestrate.plan import PLAN, FanOut, PublishRun, Step, finished, perform
from pipeline.orchestrate.retry import with_retries
from pipeline.release.publish import PublishResult


def publish_local(
    project: Project,
    bump: str | None = None,
    plan: tuple[Step | FanOut, ...] = PLAN,
    sleep: Callable[[float], None] = time.sleep,
) -> PublishResult:
    """Run `plan` until a step sets the result; RawDataInvalid comes before anything is written."""
    run = PublishRun(project, bump)
    for step in plan:
        if step.retry is None:
            perform(step, run)
        else:
            with_retries(lambda step=step: perform(step, run), step.retry.delays, sleep)
        if run.result is not None:
            break
    return finished(run)
