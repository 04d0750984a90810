"""What test modules of every area share: the repository's paths, copies of the project (tests
never write into the repository's published/), the installed `werkdata` command run as a user
runs it, and a publish lock held by another process."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from pipeline.core.paths import Project

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"  # the fixtures, one folder per kind

# Rows per table of the real data in raw/ (the figures file of the sources, transcribed).
REAL_ROWS = {
    "themes": 8,
    "scales": 0,
    "items": 0,
    "indicators": 21,
    "breakdowns": 2,
    "populations": 5,
    "statuses": 5,
    "conf_statuses": 2,
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


def run_werkdata(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed `werkdata` command as a user would, capturing its output; `env` adds
    to (or replaces in) the environment."""
    exe = Path(sys.executable).parent / "werkdata"
    return subprocess.run(
        [str(exe), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **(env or {})},
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
