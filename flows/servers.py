"""Which Prefect server a flow run of `werkdata publish` talks to, and the line that says so.

In this order: the server Prefect is configured with (PREFECT_API_URL, from the environment or
the active Prefect profile); the one `werkdata serve` uses for this project, which it records in
`.werkdata/prefect-server.json` while it serves; else Prefect's temporary local server, which
the flow run starts itself and which costs ~10 s. Prefect is imported only to read its settings,
when a flow run is about to start anyway.
"""

from __future__ import annotations

import contextlib
import json
import os
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import WerkdataError
from pipeline.core.private_files import local_state, write_private

SERVER_RECORD = "prefect-server.json"  # under the project's local state, while serve runs
TEMPORARY = "starting Prefect's local server, ~10 s; `werkdata serve` keeps one running"


class ServerUnreachable(WerkdataError):
    """Prefect is configured with a server that does not answer; nothing was published."""


def healthy(api_url: str) -> bool:
    """True when a Prefect server answers its health check at `api_url`."""
    if not api_url.startswith(("http://", "https://")):
        return False
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=2) as reply:  # noqa: S310
            return reply.status == 200
    except OSError:
        return False


def server_record(root: Path) -> Path:
    """Where `werkdata serve` records the server it uses for the project at `root`."""
    return local_state(root) / SERVER_RECORD


@contextlib.contextmanager
def recorded_server(root: Path, api_url: str) -> Iterator[None]:
    """While the block runs, the project at `root` records `api_url` as its server (for
    `werkdata publish` to use); the record goes when the block ends, unless another serve has
    recorded its own server since."""
    path = write_private(
        server_record(root), json.dumps({"api_url": api_url, "pid": os.getpid()}) + "\n"
    )
    try:
        yield
    finally:
        with contextlib.suppress(OSError, ValueError):
            if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
                path.unlink()


def served_url(root: Path) -> str | None:
    """The API URL `werkdata serve` recorded for the project at `root`, when a server answers
    there; None when there is no record, it cannot be read, or its server is gone."""
    try:
        api_url = json.loads(server_record(root).read_text(encoding="utf-8"))["api_url"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return api_url if isinstance(api_url, str) and healthy(api_url) else None


@dataclass(frozen=True)
class Server:
    """The server a flow run uses: its API URL (None: Prefect's temporary one, which the run
    starts) and where that choice came from."""

    api_url: str | None
    source: str

    def line(self) -> str:
        """The line `werkdata publish` prints before the flow run."""
        if self.api_url is None:
            return TEMPORARY
        return f"using the Prefect server at {self.api_url} ({self.source})"


def configured_url() -> str | None:
    """The API URL Prefect's settings hold (environment or active profile), if any."""
    from flows.quiet import quiet_prefect

    quiet_prefect()
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def chosen_server(root: Path) -> Server:
    """The server a flow run of the project at `root` uses: ServerUnreachable when Prefect is
    configured with one that does not answer (Prefect would fail the run on it later)."""
    configured = configured_url()
    if configured:
        if not healthy(configured):
            raise ServerUnreachable(
                f"Prefect is configured with the server {configured} (PREFECT_API_URL), but it "
                "does not answer; start it, or unset PREFECT_API_URL to use a temporary one. "
                "Nothing was published"
            )
        return Server(configured, "PREFECT_API_URL")
    served = served_url(root)
    if served:
        return Server(served, "`werkdata serve` runs it for this project")
    return Server(None, "temporary")


@contextlib.contextmanager
def using(server: Server) -> Iterator[None]:
    """Prefect's settings point at `server` while the block runs (for the temporary one they
    stay without a server, so that the run starts it)."""
    if server.api_url is None:
        yield
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield
