"""Phase marks for fault-injection tests and profiling: when the environment variable
WERKDATA_TRACE names a file, each phase of a publish appends "<monotonic time> <phase>" to it."""

from __future__ import annotations

import os
import time

# The phases the kill trials (tests/release/kill_trials.py) count their kills by, in the order
# a publish reaches them; public for them only, as the vocabulary of the trace file.
PHASES = (
    "start-up",
    "fingerprint",
    "validation",
    "respondents",
    "estimate",
    "disclosure",
    "build",
    "publish",
    "staging",
    "rename",
    "derived",
    "done",
)


def mark(phase: str) -> None:
    """Record that `phase` starts now (a no-op unless WERKDATA_TRACE is set)."""
    path = os.environ.get("WERKDATA_TRACE")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"{time.monotonic():.6f} {phase}\n")
