"""Settings that keep Prefect quiet and local on a machine without internet; set before import."""

import os

QUIET_ENV = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
}


def quiet_prefect() -> None:
    """Apply QUIET_ENV where the caller has not chosen otherwise."""
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
