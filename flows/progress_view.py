"""Where progress is shown: rich bars on a terminal (with counts and throughput), and a Prefect
progress artifact for the flow. Both listen to `pipeline.core.progress`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from pipeline.core import progress


@contextmanager
def terminal_bars(stream=None) -> Iterator[None]:
    """One rich bar per step on `stream` (stderr) when it is a terminal; nothing otherwise."""
    stream = stream or sys.stderr
    if not stream.isatty():
        with nullcontext():
            yield
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
    )
    tasks: dict[str, int] = {}
    with Progress(*columns, console=Console(file=stream), transient=False) as bars:

        def show(step: str, done: int, total: int | None, unit: str) -> None:
            if step not in tasks:
                tasks[step] = bars.add_task(step, total=total, unit=unit, rate="")
            task_id = tasks[step]
            elapsed = bars.tasks[task_id].elapsed or 0.0
            rate = f"{done / elapsed:,.0f} {unit}/s" if elapsed > 0 and done else ""
            bars.update(task_id, completed=done, total=total, rate=rate)

        with progress.listening(show):
            yield


@contextmanager
def prefect_artifact(key: str = "werkdata-progress") -> Iterator[None]:
    """A Prefect progress artifact (percent of the current step) updated as steps advance, at
    most once per whole percent."""
    from prefect.artifacts import create_progress_artifact, update_progress_artifact

    state: dict = {"id": None, "shown": -1.0}

    def report(step: str, done: int, total: int | None, unit: str) -> None:
        if not total:
            return
        percent = float(min(100, int(100 * done / total)))
        if percent == state["shown"]:
            return
        state["shown"] = percent
        description = f"{step}: {done:,} of {total:,} {unit}"
        if state["id"] is None:
            state["id"] = create_progress_artifact(percent, key=key, description=description)
        else:
            update_progress_artifact(state["id"], percent, description=description)

    with progress.listening(report):
        yield
