"""`werkdata serve` against a real Prefect server: it registers the refresh deployment with its
cron schedule, which reads back through the Prefect client; while it serves, `werkdata publish`
in the project runs its flow on that server (or on the one PREFECT_API_URL names) and says so,
and an unchanged publish starts no flow run unless --record-run asks for one; everything stops
cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.serve import DEPLOYMENT, start_server
from flows.servers import healthy
from tests.helpers import copy_project

# A Prefect server on a port it picks and `werkdata serve` beside it: slow, and in the `serial`
# group (Makefile) with the other heavy tests, whose own servers and clusters pick ports too.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serial")]

CRON = "0 6 * * 1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_schedules(api_url: str) -> list[str]:
    from prefect.client.orchestration import PrefectClient

    async def crons():
        async with PrefectClient(api=api_url) as client:
            deployments = await client.read_deployments()
            return [
                s.schedule.cron for d in deployments if d.name == DEPLOYMENT for s in d.schedules
            ]

    return asyncio.run(crons())


def stop_group(process: subprocess.Popen) -> int:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait(timeout=30)


def publish_runs(api_url: str) -> list[str]:
    """The state of every run of the publish flow the server at `api_url` holds."""
    from prefect.client.orchestration import PrefectClient
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName

    async def states():
        async with PrefectClient(api=api_url) as client:
            runs = await client.read_flow_runs(
                flow_filter=FlowFilter(name=FlowFilterName(any_=["werkdata-publish"]))
            )
            return [run.state.type.value for run in runs]

    return asyncio.run(states())


def test_serve_registers_the_cron_schedule_and_publish_uses_its_server(tmp_path):
    project = copy_project(tmp_path / "project")
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home")}
    env.pop("PREFECT_API_URL", None)
    server = start_server(port, tmp_path / "server.log")
    served = None
    try:
        werkdata = str(Path(sys.executable).parent / "werkdata")
        served = subprocess.Popen(
            [werkdata, "serve", "--cron", CRON, "--port", str(port)],
            cwd=project.root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        schedules: list[str] = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not schedules:
            time.sleep(1)
            assert served.poll() is None, served.stdout.read()
            schedules = read_schedules(api_url)
        assert schedules == [CRON]

        def publish(*options: str, **extra: str) -> tuple[int, str, list[str]]:
            done = subprocess.run(
                [werkdata, "publish", *options],
                cwd=project.root,
                env={**env, **extra},
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            return done.returncode, done.stderr, done.stdout.splitlines()[:1]

        assert publish() == (
            0,
            f"using the Prefect server at {api_url} (`werkdata serve` runs it for this project)\n",
            ["published werkonderzoek 1.0.0: First release / eerste versie."],
        )
        assert publish_runs(api_url) == ["COMPLETED"]
        unchanged = (0, "", ["unchanged (latest is 1.0.0)"])
        assert publish() == unchanged
        assert publish_runs(api_url) == ["COMPLETED"]  # answered without a flow run
        assert publish("--record-run", PREFECT_API_URL=api_url) == (
            0,
            f"using the Prefect server at {api_url} (PREFECT_API_URL)\n",
            unchanged[2],
        )
        assert publish_runs(api_url) == ["COMPLETED", "COMPLETED"]
    finally:
        if served is not None:
            stop_group(served)
        stop_group(server)
    assert not healthy(api_url)
    first_line = served.stdout.readline()
    assert first_line.startswith(f"Prefect server: {api_url}")
