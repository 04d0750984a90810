"""Crash safety, proved by killing real publishes (SIGKILL) at random moments over the whole
measured length of a publish (tests/release/kill_trials.py). After every kill: no partial version is
visible, `latest` resolves to a complete verified version, and the next run succeeds (finishing
the derived files when the kill came between the rename and them). `make test` runs 12 seeded
trials, one in each twelfth of a publish (stratified: as even a cover as 25 uniform draws gave);
`make stress` runs 300 (tests/release/test_stress.py)."""

from __future__ import annotations

import shutil
import threading

import pytest

from pipeline.release.verify import folder_problems
from tests.release.kill_trials import change_input, publish, survive_kill_trials

# Each over 2 s. The kill trials time a publish and the reader races one: in the `serial` group
# (Makefile), no other heavy test runs beside them.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serial")]


def test_kill_trials(project, tmp_path, capsys):
    survive_kill_trials(project, tmp_path, capsys, default_count=12)


def test_reader_of_latest_never_sees_a_mix_or_a_missing_file(project, tmp_path):
    """A reader resolves `latest` once per read and checks every file against SHA256SUMS."""
    root = project.published / "werkonderzoek"
    change_input(project, 0)
    assert publish(project).wait(timeout=120) == 0
    stop = threading.Event()
    reads, failures = [], []

    def reader() -> None:
        while not stop.is_set():
            folder = (root / "latest").resolve()
            try:
                problems = folder_problems(folder)
            except OSError as exc:
                problems = [repr(exc)]
            (failures if problems else reads).append((folder.name, problems))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for trial in range(1, 4):
            change_input(project, trial)
            assert publish(project).wait(timeout=120) == 0
    finally:
        stop.set()
        thread.join()
    assert failures == []
    assert {name for name, _ in reads} >= {"1.0.0", "1.0.3"}
    shutil.rmtree(tmp_path, ignore_errors=True)
