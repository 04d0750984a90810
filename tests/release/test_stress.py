"""`make stress`: 300 SIGKILL trials of a publish (the trials of tests/release/kill_trials.py, which
`make test` runs 12 of). WERKDATA_KILL_TRIALS=N runs N instead; the summary it prints (trials,
seconds, kills by phase) is what docs/reliability.md cites."""

from __future__ import annotations

import pytest

from tests.release.kill_trials import survive_kill_trials

pytestmark = pytest.mark.stress


def test_kill_trials_stress(project, tmp_path, capsys):
    survive_kill_trials(project, tmp_path, capsys, default_count=300)
