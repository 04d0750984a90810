"""Crash safety, proved by killing real publishes (SIGKILL) at random moments over the whole
measured length of a publish. After every kill: no partial version is visible, `latest`
resolves to a complete verified version, and the next run succeeds (finishing the derived files
when the kill came between the rename and them). `make stress` runs 300 trials."""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from pipeline.publish import versions
from pipeline.trace import PHASES
from pipeline.verify import folder_problems, verify_dataset

WERKDATA = str(Path(sys.executable).parent / "werkdata")
SEED = int(os.environ.get("WERKDATA_KILL_SEED", "20261128"))


def change_input(project, trial: int) -> None:
    """A real change, so a publish has work to do: a new note on one finding."""
    findings = project.raw / "2019" / "findings.csv"
    lines = findings.read_text(encoding="utf-8").splitlines()
    head, *_ = lines[1].rsplit(",", 1)
    lines[1] = f"{head},Proef {trial}. / Trial {trial}."
    findings.write_text("\n".join(lines) + "\n", encoding="utf-8")


def publish(project, trace: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "WERKDATA_TRACE": str(trace)} if trace else dict(os.environ)
    return subprocess.Popen(
        [WERKDATA, "publish", "--local"],
        cwd=project.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def phase_at(trace: Path, killed_at: float) -> str:
    """The phase the publisher was in when it was killed, from its trace marks."""
    phase = "start-up"
    if trace.is_file():
        for line in trace.read_text(encoding="utf-8").splitlines():
            moment, name = line.split()
            if float(moment) <= killed_at:
                phase = name
    return phase


def check_after_kill(root: Path) -> None:
    """No partial version visible; `latest` resolves to a complete, verified version."""
    for version in versions(root):
        assert folder_problems(root / version) == [], version
    if (root / "latest").exists():
        latest = (root / "latest").resolve()
        assert latest.parent == root.resolve()
        assert folder_problems(latest) == []


def run_trials(project, count: int, tmp_path: Path) -> Counter:
    root = project.published / "werkonderzoek"
    rng = random.Random(SEED)
    durations = []
    for trial in range(2):  # measure a whole publish that has work to do
        change_input(project, -1 - trial)
        start = time.monotonic()
        assert publish(project).wait(timeout=120) == 0
        durations.append(time.monotonic() - start)
    length = statistics.median(durations) * 1.1
    phases: Counter = Counter()
    for trial in range(count):
        change_input(project, trial)
        trace = tmp_path / f"trace-{trial}"
        process = publish(project, trace)
        time.sleep(rng.uniform(0, length))
        killed_at = time.monotonic()
        if process.poll() is None:
            process.kill()
            phases[phase_at(trace, killed_at)] += 1
        else:
            phases["finished before the kill"] += 1
        process.communicate(timeout=60)
        check_after_kill(root)
        after = publish(project)
        out, err = after.communicate(timeout=120)
        assert after.returncode == 0, err
        assert "Traceback" not in out + err
        assert verify_dataset(root)[1] == []
        assert not list(root.glob(".staging-*"))
    return phases


def report(phases: Counter, count: int) -> str:
    order = [*PHASES, "finished before the kill"]
    parts = [f"{name}: {phases[name]}" for name in order if phases[name]]
    return f"{count} kill trials survived; kills by phase: " + ", ".join(parts)


def test_kill_trials(project, tmp_path, capsys):
    count = int(os.environ.get("WERKDATA_KILL_TRIALS", "25"))
    phases = run_trials(project, count, tmp_path)
    with capsys.disabled():
        print("\n" + report(phases, count))
    killed = {p for p in phases if p in PHASES}
    assert len(killed) >= 3, phases  # the kills are spread, not all at start-up


@pytest.mark.stress
def test_kill_trials_stress(project, tmp_path, capsys):
    phases = run_trials(project, 300, tmp_path)
    with capsys.disabled():
        print("\n" + report(phases, 300))
    assert {"start-up", "validation", "build", "staging"} <= set(phases)


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
