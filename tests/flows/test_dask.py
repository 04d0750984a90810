"""The publish flow with its fan-out parts on Dask (prefect-dask's DaskTaskRunner) on a
LocalCluster of two worker processes: the same release as `publish --local`, a lost worker
that never leaves a partial release, and a scheduler that cannot be reached."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
import shutil
import signal
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.checks.microdata.editions import local_log
from pipeline.core.errors import RawDataInvalid
from pipeline.core.paths import Project
from pipeline.orchestrate.runner import publish_local
from pipeline.synth import write_project
from tests.flows.outputs import release_files
from tests.helpers import REPO

# Real Prefect flows on Dask clusters of worker processes: slow, and in the `serial` group
# (Makefile) so that no other heavy test starves them.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serial")]

RESPONDENTS = 4000  # synth needs ~1000 or more (a known bug below that)
HEAVY_PART = 100_000  # respondents per part of the worker-loss test
# validation.json records how long the disclosure control took: it differs between any two
# runs (two `publish --local` too), so it is blanked like `created`, with its size and hash
TIMINGS = re.compile(rb'"(audit_)?seconds": [0-9.e-]+')
PAGE_ROW = re.compile(rb'<tr class="download" data-path="validation.json".*?</tr>', re.DOTALL)


def comparable(folder: Path) -> dict[str, bytes]:
    """The release's files with `created` and the disclosure timings blanked out (data/*
    untouched: they must be byte-identical)."""
    files = release_files(folder)
    raw = (folder / "validation.json").read_bytes()
    digest = hashlib.sha256(raw).hexdigest().encode()
    for rel, data in files.items():
        if rel == "validation.json":
            data = TIMINGS.sub(rb'"seconds": S', data)
        elif not rel.startswith("data/"):
            data = data.replace(digest, b"sha256-of-validation.json")
            data = PAGE_ROW.sub(b"VALIDATION-ROW", data)  # its size and hash
        files[rel] = data
    return files


@pytest.fixture(scope="module")
def partitioned(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """A synthetic project of two respondent files (unpublished) and the files of its release
    by `publish --local` (of a copy), `created` blanked out."""
    base = tmp_path_factory.mktemp("dask")
    write_project(Project.at(REPO), base / "project", RESPONDENTS, seed=3, partitions=2, items=4)
    shutil.copytree(base / "project", base / "local")
    local = publish_local(Project.at(base / "local"))
    return base / "project", comparable(local.folder)


@pytest.fixture(scope="module")
def heavy(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """As `partitioned`, with parts big enough (100,000 respondents x 40 items, a few tenths of a
    second each) that a worker is reliably killed while it computes one."""
    base = tmp_path_factory.mktemp("dask-heavy")
    write_project(
        Project.at(REPO), base / "project", 2 * HEAVY_PART, seed=3, partitions=2, items=40
    )
    shutil.copytree(base / "project", base / "local")
    local = publish_local(Project.at(base / "local"))
    return base / "project", comparable(local.folder)


REPEATED_ID = 904_817_263_551  # unlike the synthetic ids 1..n, found in bytes only where it went


def repeat_an_id_across_files(project: Project) -> int:
    """Give the first respondent of the first two files one distinctive id: each file alone
    stays valid. Returns the id."""
    files = sorted((project.raw / "2024" / "microdata").glob("*.parquet"))
    for path in files[:2]:
        table = pq.read_table(path)
        ids = table["respondent_id"].to_pylist()
        ids[0] = REPEATED_ID
        column = table.schema.get_field_index("respondent_id")
        table = table.set_column(
            column, "respondent_id", pa.array(ids, table["respondent_id"].type)
        )
        pq.write_table(table, path)
    return REPEATED_ID


def holds(data: bytes, respondent_id: int) -> bool:
    """Whether `data` holds the id as text or as the little-endian bytes a pickle writes."""
    return (
        str(respondent_id).encode() in data
        or respondent_id.to_bytes(8, "little").rstrip(b"\0") in data
    )


def fresh_copy(source: Path, target: Path) -> Project:
    shutil.copytree(source, target)
    return Project.at(target)


@contextlib.contextmanager
def two_workers(allowed_failures: int | None = None):
    """A LocalCluster of two single-threaded worker processes and a client to watch it; its
    scheduler (in this process) gives up on a task after `allowed_failures` dead workers."""
    import dask
    from distributed import Client, LocalCluster

    config = (
        {}
        if allowed_failures is None
        else {"distributed.scheduler.allowed-failures": allowed_failures}
    )
    with (
        dask.config.set(config),
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster,
        Client(cluster) as client,
    ):
        yield cluster, client


def release_folders(project: Project) -> list[str]:
    """Every entry of the dataset folder but the lock: versions, `latest`, staging leftovers."""
    root = project.dataset_dir()
    if not root.exists():
        return []
    return sorted(p.name for p in root.iterdir() if not p.name.endswith(".lock"))


def test_dask_on_two_workers_publishes_what_local_publishes(prefect_harness, partitioned, tmp_path):
    from flows.publish_flow import publish_flow

    source, local_files = partitioned
    invalid = fresh_copy(source, tmp_path / "invalid")
    repeated = repeat_an_id_across_files(invalid)
    project = fresh_copy(source, tmp_path / "dask")
    with two_workers() as (cluster, client):

        def prefixes() -> list[str]:
            return client.run_on_scheduler(
                lambda dask_scheduler: sorted(dask_scheduler.task_prefixes)
            )

        # the files are checked on the workers; the id in both is found from their hashes
        with pytest.raises(RawDataInvalid) as raised:
            publish_flow(
                root=str(invalid.root), task_runner="dask", dask_address=cluster.scheduler_address
            )
        assert prefixes() == ["check_part"]
        after_invalid = stored_results()  # the failed run's exception: its public report
        outcome = publish_flow(
            root=str(project.root), task_runner="dask", dask_address=cluster.scheduler_address
        )
        # only the parts went to the workers (the plain steps hold the run: they stay here)
        sent = prefixes()
    counts = [p for p in raised.value.report.problems if p.rule == "microdata-duplicate-respondent"]
    assert [(p.message, p.value) for p in counts] == [
        ("1 respondent_id value(s) occur more than once", None)
    ]
    assert release_folders(invalid) == []
    assert str(repeated) in local_log(invalid).read_text(encoding="utf-8")
    assert outcome["status"] == "published"
    assert sent == ["check_part", "estimate_part"]
    # no respondent id reached Prefect's storage, and no task result was persisted: what the
    # parts returned stayed in the flow's process
    assert [name for name, data in after_invalid.items() if holds(data, repeated)] == []
    assert stored_results().keys() == after_invalid.keys()
    files = comparable(Path(outcome["folder"]))
    assert sorted(files) == sorted(local_files)
    assert [rel for rel in files if files[rel] != local_files[rel]] == []


def stored_results() -> dict[str, bytes]:
    """What Prefect's local result storage holds, by file: a persisted task result, or the
    exception of a failed flow run (Prefect stores it, as a base64 pickle, and both are read here
    raw and decoded)."""
    from prefect.settings import PREFECT_LOCAL_STORAGE_PATH

    storage = Path(PREFECT_LOCAL_STORAGE_PATH.value())
    files = sorted(p for p in storage.rglob("*") if p.is_file()) if storage.exists() else []
    stored = {}
    for path in files:
        raw = path.read_bytes()
        with contextlib.suppress(ValueError):
            raw += base64.b64decode(raw)
        stored[path.name] = raw
    return stored


def kill_a_busy_worker(client, pids: dict[str, int], killed: list, stop: threading.Event):
    """Poll the scheduler; SIGKILL the first worker that is processing a task, once."""
    while not stop.is_set():
        busy = [(worker, keys) for worker, keys in client.processing().items() if keys]
        if busy:
            worker, keys = busy[0]  # one snapshot: after the kill the worker is gone from it
            os.kill(pids[worker], signal.SIGKILL)
            killed.append((worker, keys))
            return
        time.sleep(0.005)


@pytest.mark.parametrize("allowed_failures", [None, 0], ids=["dask-default", "no-retry"])
def test_a_worker_killed_mid_run_never_leaves_a_partial_release(
    prefect_harness, heavy, tmp_path, allowed_failures
):
    """Dask's default (3 allowed failures) reruns the lost part: the run may complete; with
    none allowed the run must fail, and say so."""
    from flows.publish_flow import publish_flow
    from flows.runners import WorkerLost

    source, local_files = heavy
    project = fresh_copy(source, tmp_path / "killed")
    with two_workers(allowed_failures) as (cluster, client):
        pids = client.run(os.getpid)
        killed, stop = [], threading.Event()
        killer = threading.Thread(target=kill_a_busy_worker, args=(client, pids, killed, stop))
        killer.start()
        try:
            outcome = publish_flow(
                root=str(project.root),
                task_runner="dask",
                dask_address=cluster.scheduler_address,
            )
            failure = None
        except Exception as error:
            outcome, failure = None, error
        finally:
            stop.set()
            killer.join()

    assert killed, "no worker was killed while it processed a part: the test proved nothing"
    if allowed_failures == 0:
        assert isinstance(failure, WorkerLost), failure
    if failure is None:  # Dask ran the lost part again on a worker
        assert outcome["status"] == "published"
        files = comparable(Path(outcome["folder"]))
        assert [rel for rel in files if files[rel] != local_files.get(rel)] == []
    else:  # the run failed: it says why, and nothing at all was published
        assert isinstance(failure, WorkerLost), failure
        assert str(failure).startswith("a Dask worker died while it computed a part"), failure
        assert release_folders(project) == []


def test_a_scheduler_that_cannot_be_reached_is_named_and_nothing_is_published(
    prefect_harness, partitioned, tmp_path, capsys
):
    import dask

    from flows.cli import main

    source, _ = partitioned
    project = fresh_copy(source, tmp_path / "unreachable")
    address = "tcp://127.0.0.1:9"  # the discard port: nothing listens there
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        args = ["--root", str(project.root), "publish", "--task-runner", "dask"]
        code = main([*args, "--dask-address", address])
    server, err = capsys.readouterr().err.split("\n", 1)
    assert code == 1
    assert server.startswith("using the Prefect server at ")  # the harness's
    assert err.startswith(f"werkdata publish: cannot reach the Dask scheduler at {address} ")
    assert err.rstrip().endswith("nothing was published")
    assert "Traceback" not in err
    assert release_folders(project) == []
