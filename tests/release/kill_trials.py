"""SIGKILL trials of real publishes, shared by tests/release/test_crash.py (12 trials in
`make test`) and tests/release/test_stress.py (300 in `make stress`).

A trial changes an input, starts `werkdata publish --local`, kills it (SIGKILL) at a random
moment over the measured length of a publish, then checks that no partial version is visible,
that `latest` resolves to a complete verified version, and that the next run succeeds and leaves
the dataset verified. The moments are stratified (kill_moments): one in each of N equal slices
of the length, so N trials leave no stretch of the publish longer than 2/N of it without a kill.
WERKDATA_KILL_TRIALS overrides the number of trials, WERKDATA_KILL_SEED the seed of the moments.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.paths import Project
from pipeline.core.trace import PHASES
from pipeline.release.records import versions
from pipeline.release.verify import folder_problems, verify_dataset

WERKDATA = str(Path(sys.executable).parent / "werkdata")
SEED = int(os.environ.get("WERKDATA_KILL_SEED", "20261128"))
FINISHED = "finished before the kill"
MIN_PHASES_KILLED = 3  # the kills are spread over the publish, not all at start-up


def trial_count(default: int) -> int:
    """The number of trials: WERKDATA_KILL_TRIALS when set, else `default`."""
    return int(os.environ.get("WERKDATA_KILL_TRIALS", str(default)))


def change_input(project: Project, trial: int) -> None:
    """A real change, so a publish has work to do: a new note on one finding."""
    findings = project.raw / "2019" / "findings.csv"
    lines = findings.read_text(encoding="utf-8").splitlines()
    head, *_ = lines[1].rsplit(",", 1)
    lines[1] = f"{head},Proef {trial}. / Trial {trial}."
    findings.write_text("\n".join(lines) + "\n", encoding="utf-8")


def publish(project: Project, trace: Path | None = None) -> subprocess.Popen:
    """`werkdata publish --local` in the project, started; with `trace`, it marks its phases."""
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
        problems = folder_problems(root / version)
        assert problems == [], (version, problems)
    if (root / "latest").exists():
        latest = (root / "latest").resolve()
        assert latest.parent == root.resolve(), latest
        assert folder_problems(latest) == [], latest


def check_next_run_succeeds(project: Project, root: Path) -> None:
    """The run after a kill exits 0 without a traceback and leaves everything verified."""
    after = publish(project)
    out, err = after.communicate(timeout=120)
    assert after.returncode == 0, err
    assert "Traceback" not in out + err
    problems = verify_dataset(root)[1]
    assert problems == [], problems
    staging = list(root.glob(".staging-*"))
    assert staging == [], staging


def publish_seconds(project: Project) -> float:
    """The time a publish with work to do takes here (the median of two)."""
    durations = []
    for trial in range(2):
        change_input(project, -1 - trial)
        start = time.monotonic()
        assert publish(project).wait(timeout=120) == 0
        durations.append(time.monotonic() - start)
    return statistics.median(durations)


@dataclass
class Trials:
    """What a series of kill trials did: how many, how long, and where the kills fell."""

    count: int
    seconds: float
    publish_seconds: float
    phases: Counter

    def killed_phases(self) -> set[str]:
        return {phase for phase in self.phases if phase in PHASES}

    def summary(self) -> str:
        order = [*PHASES, FINISHED]
        parts = [f"{name} {self.phases[name]}" for name in order if self.phases[name]]
        per_trial = self.seconds / self.count if self.count else 0.0
        return (
            f"{self.count} kill trials survived in {self.seconds:.0f} s "
            f"({per_trial:.1f} s per trial; a publish takes {self.publish_seconds:.2f} s, "
            f"seed {SEED}); kills by phase: " + ", ".join(parts)
        )


def kill_moments(count: int, length: float, rng: random.Random) -> list[float]:
    """`count` moments in [0, length), one drawn uniformly in each of `count` equal slices of it
    (stratified), in shuffled order.

    Stratified, 12 moments leave a largest stretch without a kill (the ends counted) of at most
    2/12 of the length, 0.14 at the median; 25 independent uniform draws, as the trials drew
    before, leave 0.14 at the median but 0.20 or more one time in ten and 0.27 one in a hundred
    (20,000 simulated series each). Shuffled, because each trial adds a version and so lengthens
    the publishes after it a little: the late slices must not all fall on the last trials."""
    moments = [(part + rng.random()) * length / count for part in range(count)]
    rng.shuffle(moments)
    return moments


def run_trials(project: Project, count: int, tmp_path: Path) -> Trials:
    """`count` kill trials on the project, each checked; where the kills fell."""
    root = project.published / "werkonderzoek"
    one_publish = publish_seconds(project)
    length = one_publish * 1.1  # the kill moments cover the whole publish and a little after
    moments = kill_moments(count, length, random.Random(SEED))
    phases: Counter = Counter()
    start = time.monotonic()
    for trial, moment in enumerate(moments):
        change_input(project, trial)
        trace = tmp_path / f"trace-{trial}"
        process = publish(project, trace)
        time.sleep(moment)
        killed_at = time.monotonic()
        if process.poll() is None:
            process.kill()
            phases[phase_at(trace, killed_at)] += 1
        else:
            phases[FINISHED] += 1
        process.communicate(timeout=60)
        check_after_kill(root)
        check_next_run_succeeds(project, root)
    return Trials(count, time.monotonic() - start, one_publish, phases)


def survive_kill_trials(project: Project, tmp_path: Path, capsys, default_count: int) -> None:
    """Run the trials (WERKDATA_KILL_TRIALS or `default_count`), print their summary on the
    terminal, and check that the kills were spread over the publish."""
    trials = run_trials(project, trial_count(default_count), tmp_path)
    with capsys.disabled():
        print("\n" + trials.summary())
    assert len(trials.killed_phases()) >= MIN_PHASES_KILLED, trials.phases
