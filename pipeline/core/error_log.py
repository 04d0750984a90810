"""The local record of error texts that may quote respondent data.

An error raised while respondents' rows are read or summed (DuckDB's own message, a check of
the weights) can quote a respondent's value or a sum one respondent dominates. Such a text is
never put in a report, on the terminal or in Prefect: the report names the file, column and rule
and points here. The texts are appended, each under the time and the file it concerns, to
`.werkdata/log/respondent-errors.log` under the project root: the folder is made 0700 and the
file 0600 (readable by the user who ran werkdata only), and `.werkdata/` is never committed
(.gitignore).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

ERROR_LOG = Path(".werkdata") / "log" / "respondent-errors.log"


def keep_error_texts(root: Path, texts: list[tuple[str, str]]) -> str:
    """Append each (file as reports show it, full error text) to the project's error log;
    return the log's path relative to `root`, for a report to name."""
    path = root / ERROR_LOG
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)  # also when the folder was made before, by another umask
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    entry = "".join(f"{stamp} {file}\n{text.rstrip()}\n\n" for file, text in texts)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, entry.encode("utf-8"))
    finally:
        os.close(descriptor)
    return ERROR_LOG.as_posix()
