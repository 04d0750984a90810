"""Retries with backoff for transient I/O errors; data errors are never retried.

Transient means one of a short list of errno values, named here once and used by both the local
runner and the Prefect task's retry condition. A missing file, a permission error or a full disk
stays the same however often it is tried, so it is not on the list.
"""

from __future__ import annotations

import errno
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

TRANSIENT_ERRNOS = frozenset(
    {
        errno.EBUSY,  # device or resource busy
        errno.EINTR,  # interrupted system call
        errno.ETIMEDOUT,  # timed out (a network share)
        errno.EIO,  # input/output error
        errno.ESTALE,  # stale file handle (NFS)
        errno.EAGAIN,  # try again (also EWOULDBLOCK)
    }
)


def is_transient(error: BaseException) -> bool:
    """True for an OS error whose errno says that trying again may work."""
    return isinstance(error, OSError) and error.errno in TRANSIENT_ERRNOS


def with_retries(
    step: Callable[[], T],
    delays: tuple[float, ...],
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
