"""Settings that keep Prefect quiet, local and patient on a machine without internet; set
before Prefect is imported."""

import os

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
