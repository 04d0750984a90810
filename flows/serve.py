"""`werkdata serve`: run the refresh flow on a cron schedule. Scheduling needs a real Prefect
server, so this finds one (PREFECT_API_URL, or one on the port) or starts one, and says where
its UI is. While it serves, the project records that server (`flows.servers.recorded_server`),
so that `werkdata publish` runs its flow there instead of on a temporary server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from flows.servers import healthy, recorded_server

DEPLOYMENT = "werkdata-refresh"
SERVER_LOG = ".prefect-server.log"  # under the project root, when serve starts the server


def start_server(port: int, log: Path, timeout: float = 120) -> subprocess.Popen:
    """Start `prefect server start` on 127.0.0.1:`port` in its own process group; wait until
    it answers, or stop it and raise."""
    prefect = shutil.which("prefect", path=str(Path(sys.executable).parent)) or "prefect"
    env = {**os.environ, "PREFECT_UI_ENABLED": "true"}
    env.pop("PREFECT_API_URL", None)
    with log.open("ab") as out:
        process = subprocess.Popen(
            [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    api_url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if healthy(api_url):
            return process
        if process.poll() is not None:
            break
        time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"the Prefect server did not start on port {port}; see {log}")


def find_or_start_server(port: int, log: Path) -> tuple[str, subprocess.Popen | None]:
    """The API URL of a running Prefect server, and the process when this call started it."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured and healthy(configured):
        return configured, None
    api_url = f"http://127.0.0.1:{port}/api"
    if healthy(api_url):
        return api_url, None
    return api_url, start_server(port, log)


def serve(root: Path, cron: str, port: int) -> None:
    """Serve the refresh flow for the project at `root` on `cron` until interrupted."""
    log = root / SERVER_LOG
    api_url, process = find_or_start_server(port, log)
    os.environ["PREFECT_API_URL"] = api_url
    print(f"Prefect server: {api_url}  (UI: {api_url.removesuffix('/api')})", flush=True)
    if process is not None:
        print(f"started by werkdata (pid {process.pid}); its log: {log}", flush=True)
    from flows.refresh_flow import refresh_flow

    try:
        with recorded_server(root, api_url):
            refresh_flow.serve(name=DEPLOYMENT, cron=cron, parameters={"root": str(root)})
    finally:
        if process is not None:
            process.terminate()
