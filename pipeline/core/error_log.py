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
from pathlib import Path

from pipeline.core.private_files import LOCAL_STATE, LOG_FOLDER, append_private

ERROR_LOG = Path(LOCAL_STATE) / LOG_FOLDER / "respondent-errors.log"


def keep_error_texts(root: Path, texts: list[tuple[str, str]]) -> str:
    """Append each (file as reports show it, full error text) to the project's error log;
    return the log's path relative to `root`, for a report to name."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    append_private(
        root / ERROR_LOG, "".join(f"{stamp} {file}\n{text.rstrip()}\n\n" for file, text in texts)
    )
    return ERROR_LOG.as_posix()
