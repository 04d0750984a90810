"""Progress: what the pipeline tells its listeners, and the terminal's bars (quiet when not a
terminal)."""

from __future__ import annotations

import io

from flows.progress_view import terminal_bars
from pipeline.core import progress
from pipeline.orchestrate.runner import publish_local
from tests.respondents import marked_project


def test_listeners_hear_each_advance_and_only_inside_the_block():
    heard = []
    with progress.listening(lambda *event: heard.append(event)):
        count = progress.counter("estimate", 10, "respondents")
        count.advance(4)
        count.advance(6)
    progress.counter("after", 1, "rows").advance(1)
    assert heard == [
        ("estimate", 0, 10, "respondents"),
        ("estimate", 4, 10, "respondents"),
        ("estimate", 10, 10, "respondents"),
    ]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_publish_shows_bars_with_counts_and_throughput_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal: no column is cut short
    project = marked_project(tmp_path / "synthetic", respondents=1000, items=3)
    terminal, pipe = Terminal(), io.StringIO()
    with terminal_bars(terminal):
        publish_local(project)
    shown = terminal.getvalue()
    assert "estimate" in shown and "1000/1000" in shown and "respondents/s" in shown
    assert "write" in shown and "rows/s" in shown
    with terminal_bars(pipe):  # not a terminal: nothing is shown, the work is the same
        progress.counter("estimate", 5, "respondents").advance(5)
    assert pipe.getvalue() == ""
