"""Retries with backoff for transient I/O errors; data errors are never retried."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

DELAYS = (0.5, 2.0)  # seconds before the second and the third try


def is_transient(error: BaseException) -> bool:
    """An OS-level I/O error (disk full, a file busy, a network share gone) may pass."""
    return isinstance(error, OSError)


def with_retries(
    step: Callable[[], T],
    delays: tuple[float, ...] = DELAYS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run `step`; on a transient error wait and try again, once per delay; then give up."""
    for delay in delays:
        try:
            return step()
        except Exception as error:
            if not is_transient(error):
                raise
            sleep(delay)
    return step()
