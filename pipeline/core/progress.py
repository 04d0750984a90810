"""Progress of long work, told to whoever listens: a bar on a terminal (the CLI), a progress
artifact in Prefect (the flow), nobody otherwise (then it costs one list lookup).

The pipeline only says how far a step is (`counter(step, total, unit)` then `advance(n)`); what
is shown, and where, is the listener's business, so `pipeline/` stays free of Prefect and of
any terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# step, done, total (None when unknown), unit ("respondents", "rows", "files")
Listener = Callable[[str, int, int | None, str], None]

_listeners: list[Listener] = []


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Tell `listener` about all progress made inside the block."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


@dataclass
class Counter:
    """How far one step is: `done` of `total` units."""

    step: str
    total: int | None
    unit: str
    done: int = 0

    def advance(self, amount: int = 1) -> None:
        self.done += amount
        for listener in list(_listeners):
            listener(self.step, self.done, self.total, self.unit)


def counter(step: str, total: int | None, unit: str) -> Counter:
    """A counter for `step`, announced to the listeners at 0."""
    made = Counter(step, total, unit)
    made.advance(0)
    return made
