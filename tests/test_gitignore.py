"""Respondent data never enters git (README, "Respondent data"): .gitignore covers every place
the project writes or reads it, and the local log that names respondents."""

from __future__ import annotations

import subprocess

from tests.helpers import REPO


def test_respondent_data_and_its_local_log_are_ignored():
    paths = [
        "raw/2024/microdata/respondents.parquet",
        "raw/2031/microdata/part-000.parquet",
        "demo/raw/2024/microdata/respondents.parquet",
        ".werkdata/microdata-problems.txt",
    ]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *paths],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert sorted(result.stdout.split()) == sorted(paths), result.stderr
    kept = subprocess.run(["git", "check-ignore", "--no-index", "raw/2024/findings.csv"], cwd=REPO)
    assert kept.returncode == 1  # the transcribed figures are committed
