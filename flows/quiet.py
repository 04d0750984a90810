"""Settings that keep Prefect quiet, local and patient on a machine without internet; set
before Prefect is imported. And a way to keep its console to itself while a flow runs for
the CLI, which prints every outcome itself."""

import contextlib
import logging
import os
from collections.abc import Iterator

QUIET_ENV = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    # The temporary server's first start (a new database) takes ~30 s on 2 busy cores; the
    # default of 20 s then fails the run.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


def quiet_prefect() -> None:
    """Apply QUIET_ENV where the caller has not chosen otherwise."""
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)


@contextlib.contextmanager
def console_only_critical() -> Iterator[None]:
    """While the block runs, Prefect's console handler shows only critical messages.

    A failed run is still logged to Prefect's API (its UI and log keep the traceback); the
    terminal gets the CLI's own report of it, once, the same as on the local path.
    """
    from prefect.logging.handlers import PrefectConsoleHandler

    handlers = [h for h in logging.getLogger().handlers if isinstance(h, PrefectConsoleHandler)]
    levels = [h.level for h in handlers]
    for handler in handlers:
        handler.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for handler, level in zip(handlers, levels, strict=True):
            handler.setLevel(level)
