"""How the `werkdata` command ends when something went wrong outside the library's own errors:
a bug (exit 70, the traceback in a file) or a reader that stopped reading (exit 141)."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from pathlib import Path

BUG = 70  # EX_SOFTWARE (sysexits.h)
READER_GONE = 141  # 128 + SIGPIPE: what a shell reports for a writer whose reader went away


def stdout_reader_gone() -> bool:
    """Whether the reader of standard output has closed it: poll reports an error on the
    writing end of a pipe whose reading end is closed."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(event & select.POLLERR for _, event in poller.poll(0))
    except (OSError, ValueError):  # no file descriptor behind stdout (a test's capture)
        return False


def reader_gone() -> int:
    """The exit code when the reader of standard output closed it (`werkdata query ... | head`).

    Standard output is pointed at /dev/null first, so that Python's final flush of what is
    still buffered does not fail a second time with a message at exit.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return READER_GONE


def bug_report(exc: Exception) -> str:
    """Write the full traceback of an unexpected error to a file; one line saying where."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = Path(tempfile.gettempdir()) / f"werkdata-bug-{stamp}-{os.getpid()}.txt"
    text = "".join(traceback.format_exception(exc))
    path.write_text(f"werkdata {' '.join(sys.argv[1:])}\n\n{text}", encoding="utf-8")
    return (
        f"internal error, a bug in werkdata ({type(exc).__name__}: {exc}); "
        f"the full traceback is in {path}"
    )
