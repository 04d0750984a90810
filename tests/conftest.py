"""Shared fixtures: temporary copies of the project (tests never write into the repository's
published/), one session-wide local release to read from, and Prefect kept in a temp home."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"  # the fixtures, one folder per kind

# Before anything imports Prefect: its state lives in a temporary home, and it stays offline.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="werkdata-prefect-")
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"

from pipeline.core.paths import Project  # noqa: E402
from pipeline.orchestrate.runner import publish_local  # noqa: E402

# Rows per table of the real data in raw/ (the figures file of the sources, transcribed).
REAL_ROWS = {
    "themes": 8,
    "scales": 0,
    "items": 0,
    "indicators": 21,
    "breakdowns": 2,
    "populations": 5,
    "statuses": 5,
    "conf_statuses": 3,
    "sources": 8,
    "editions": 3,
    "findings": 28,
    "conclusions": 11,
    "estimates": 0,
}


def copy_project(target: Path) -> Project:
    """A copy of raw/, schemas/ and werkdata.toml under `target`, with an empty published/."""
    for name in ("raw", "schemas"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy2(REPO / "werkdata.toml", target / "werkdata.toml")
    (target / "published").mkdir()
    return Project.at(target)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A fresh, writable copy of the project with nothing published."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def release(tmp_path_factory) -> Project:
    """A project copy with the real data published once (1.0.0); read it, never change it."""
    project = copy_project(tmp_path_factory.mktemp("released") / "project")
    publish_local(project)
    return project


def run_werkdata(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the installed `werkdata` command as a user would, capturing its output."""
    exe = Path(sys.executable).parent / "werkdata"
    return subprocess.run(
        [str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


LOCK_HOLDER = """
import sys
from pathlib import Path
from pipeline.release.publish import publish_lock
with publish_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


@contextlib.contextmanager
def lock_held_elsewhere(root: Path) -> Iterator[subprocess.Popen]:
    """Another process holding the publish lock of `root` until the block ends."""
    root.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline() == "held\n"
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
