"""The xdist groups hold (tests/xdist_groups.py): in a small suite run as make test runs ours
(two workers, `--dist loadgroup`, the plugin loaded), every test of a group runs in one worker,
and both workers run tests. (Which worker takes the ungrouped tests is the scheduler's choice:
on a busy machine one worker can take all of them while the other runs the group.)"""

from __future__ import annotations

import json
import os

import pytest

from tests.helpers import REPO

pytest_plugins = ["pytester"]

SUITE = """
import json, os, time
import pytest

def record(name):
    with open(os.path.join({out!r}, name), "w") as f:
        json.dump(os.environ["PYTEST_XDIST_WORKER"], f)

@pytest.mark.xdist_group("serial")
@pytest.mark.parametrize("n", range(6))
def test_grouped(n):
    time.sleep(0.2)
    record(f"grouped-{{n}}")

@pytest.mark.parametrize("n", range(6))
def test_free(n):
    time.sleep(0.2)
    record(f"free-{{n}}")
"""


@pytest.mark.slow
def test_a_group_runs_in_one_worker_and_the_rest_on_both(pytester, tmp_path):
    out = tmp_path / "workers"
    out.mkdir()
    pytester.makepyfile(test_inner=SUITE.format(out=str(out)))
    env = {"PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        result = pytester.runpytest_subprocess(
            "-n", "2", "--dist", "loadgroup", "-p", "tests.xdist_groups", "-p", "no:cacheprovider"
        )
    result.assert_outcomes(passed=12)
    workers = {path.name: json.loads(path.read_text()) for path in out.iterdir()}
    grouped = {w for name, w in workers.items() if name.startswith("grouped-")}
    assert len(workers) == 12
    assert len(grouped) == 1, workers
    assert set(workers.values()) == {"gw0", "gw1"}, workers
