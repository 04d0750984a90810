"""Respondent data never enters git (README, "Respondent data"): .gitignore covers every place
the project writes or reads it, the local log that names respondents and the bug reports, and
every other local state the commands write into a project (checked against the names the code
uses, so a renamed file fails here)."""

from __future__ import annotations

import subprocess

import duckdb

from flows.serve import SERVER_LOG
from pipeline.core.private_files import LOCAL_STATE, LOG_FOLDER
from tests.helpers import REPO


def ignored(paths: list[str]) -> list[str]:
    """The `paths` that the repository's .gitignore ignores."""
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *paths],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.split()


def test_respondent_data_and_its_local_log_are_ignored():
    paths = [
        "raw/2024/microdata/respondents.parquet",
        "raw/2031/microdata/part-000.parquet",
        "demo/raw/2024/microdata/respondents.parquet",
        ".werkdata/microdata-problems.txt",
        f"{LOCAL_STATE}/{LOG_FOLDER}/microdata-problems.txt",
        f"demo/{LOCAL_STATE}/{LOG_FOLDER}/microdata-problems.txt",
    ]
    assert sorted(ignored(paths)) == sorted(paths)
    kept = subprocess.run(["git", "check-ignore", "--no-index", "raw/2024/findings.csv"], cwd=REPO)
    assert kept.returncode == 1  # the transcribed figures are committed


def test_the_local_state_the_commands_write_is_ignored():
    """Bug reports (.werkdata/bug-*.txt), the log of the Prefect server `werkdata serve`
    starts, and DuckDB's spill folder (an in-memory database spills into the working folder
    when a query outgrows memory; it would hold respondents' rows)."""
    con = duckdb.connect(":memory:")
    spill = con.execute("SELECT current_setting('temp_directory')").fetchone()[0]
    con.close()
    paths = [
        f"{LOCAL_STATE}/bug-20261207T180000Z-4242.txt",
        SERVER_LOG,
        f"demo/{SERVER_LOG}",
        f"{spill}/duckdb_temp_storage_DEFAULT-0.tmp",
        f"raw/2024/{spill}/duckdb_temp_storage_DEFAULT-0.tmp",
    ]
    assert sorted(ignored(paths)) == sorted(paths)
