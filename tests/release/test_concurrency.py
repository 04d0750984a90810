"""Publishes started at the same moment: exactly one publishes; every other run exits 3 (lock
held, naming the holder) or, starting after the winner finished, reports unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.release.records import versions

WERKDATA = str(Path(sys.executable).parent / "werkdata")


@pytest.mark.slow
@pytest.mark.xdist_group("serial")
@pytest.mark.parametrize("runs", [2, 8])
def test_simultaneous_publishes_make_one_version(project, runs):
    processes = [
        subprocess.Popen(
            [WERKDATA, "publish", "--local"],
            cwd=project.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(runs)
    ]
    outcomes = [(p.wait(timeout=120), *p.communicate()) for p in processes]

    published = [o for o in outcomes if o[0] == 0 and o[1].startswith("published ")]
    unchanged = [o for o in outcomes if o[0] == 0 and o[1].startswith("unchanged ")]
    locked = [o for o in outcomes if o[0] == 3]
    assert len(published) == 1, outcomes
    assert len(published) + len(unchanged) + len(locked) == runs, outcomes
    for _, _, stderr in locked:
        assert "another run is publishing" in stderr and '"pid"' in stderr
    for _, stdout, stderr in outcomes:
        assert "Traceback" not in stdout + stderr
    root = project.published / "werkonderzoek"
    assert versions(root) == ["1.0.0"]
    assert os.readlink(root / "latest") == "1.0.0"
    assert [v["version"] for v in json.loads((root / "catalog.json").read_text())["versions"]] == [
        "1.0.0"
    ]
    # No lock is left behind that blocks a later run.
    later = subprocess.run(
        [WERKDATA, "publish", "--local"], cwd=project.root, capture_output=True, text=True
    )
    assert (later.returncode, later.stdout.splitlines()[0]) == (0, "unchanged (latest is 1.0.0)")
