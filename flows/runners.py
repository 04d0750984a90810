"""The task runner of the publish flow's fan-out steps (`pipeline.orchestrate.plan.FanOut`):
Prefect's default (threads of the flow's own process), or Dask (prefect-dask's
`DaskTaskRunner`) on a cluster at an address or on a `LocalCluster` started for the run.

The choice is two flow parameters (`task_runner`, `dask_address`), so a Prefect deployment
chooses the cluster the same way `werkdata publish --task-runner dask` does. Only the parts of a
fan-out go to the runner: each takes a path and returns small partial results; the plain steps
(which hold the run's tables) stay in the flow's process.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from pipeline.core.errors import WerkdataError

RUNNERS = ("default", "dask")


class RunnerChoiceInvalid(WerkdataError):
    """The flow's runner parameters do not fit together (the CLI refuses them with exit 2)."""

    exit_code = 2


class ClusterUnreachable(WerkdataError):
    """The Dask scheduler at the given address did not answer; nothing was published."""


class WorkerLost(WerkdataError):
    """Dask gave up on a part whose workers died; the run ends before anything is built."""


def lost_worker(error: BaseException) -> WorkerLost | None:
    """`error` as WorkerLost when it is Dask's KilledWorker (a part outlived its retries on
    dying workers: `distributed.scheduler.allowed-failures`), else None."""
    try:
        from distributed import KilledWorker
    except ImportError:  # no Dask installed: no Dask error either
        return None
    if not isinstance(error, KilledWorker):
        return None
    return WorkerLost(
        f"a Dask worker died while it computed a part, and Dask gave up on it ({error}); "
        "nothing was published"
    )


def runner_problem(task_runner: str, dask_address: str | None, local: bool = False) -> str | None:
    """What is wrong with this choice of runner, in words, or None when it is fine."""
    if task_runner not in RUNNERS:
        return f"--task-runner must be one of {', '.join(RUNNERS)}, not {task_runner!r}"
    if dask_address and task_runner != "dask":
        return "--dask-address needs --task-runner dask"
    if local and task_runner != "default":
        return "--task-runner dask runs through Prefect: it cannot be combined with --local"
    return None


def local_cluster_options() -> dict:
    """A `LocalCluster` of worker processes, one per core, one thread each: DuckDB in a part
    then has the core to itself, and a worker that dies takes only its own part with it."""
    return {"n_workers": os.cpu_count() or 1, "threads_per_worker": 1, "processes": True}


@contextlib.contextmanager
def fan_out_runner(task_runner: str = "default", dask_address: str | None = None) -> Iterator:
    """The task runner for the fan-out steps, entered for the whole run (None: the flow's own).

    With Dask, the client connects here, before any step: a scheduler that cannot be reached
    ends the run with ClusterUnreachable before anything is read or published.
    """
    problem = runner_problem(task_runner, dask_address)
    if problem:
        raise RunnerChoiceInvalid(problem)
    if task_runner == "default":
        yield None
        return
    from prefect_dask import DaskTaskRunner

    if dask_address:
        runner = DaskTaskRunner(address=dask_address)
    else:
        runner = DaskTaskRunner(cluster_kwargs=local_cluster_options())
    with runner:
        try:
            runner.client  # noqa: B018 (connects, or starts the LocalCluster)
        except (OSError, TimeoutError) as error:
            where = dask_address or "a new LocalCluster"
            raise ClusterUnreachable(
                f"cannot reach the Dask scheduler at {where} ({type(error).__name__}: {error}); "
                "nothing was published"
            ) from None
        yield runner
