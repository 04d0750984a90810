"""Transient I/O errors are retried with backoff; data errors are never retried."""

from __future__ import annotations

import pytest

import pipeline.publish
import pipeline.validate
from pipeline import retry
from pipeline.errors import RawDataInvalid
from pipeline.publish import versions
from pipeline.runner import publish_local


def test_with_retries_gives_up_after_the_last_delay():
    calls, waits = [], []

    def always_busy():
        calls.append(1)
        raise OSError("device busy")

    with pytest.raises(OSError, match="device busy"):
        retry.with_retries(always_busy, delays=(0.1, 0.2), sleep=waits.append)
    assert (len(calls), waits) == (3, [0.1, 0.2])


def test_transient_error_twice_then_publish_succeeds_once(project, monkeypatch):
    monkeypatch.setattr(retry, "DELAYS", (0.0, 0.0))
    real_write_data = pipeline.publish.write_data
    failures = []

    def flaky(folder, tables):
        if len(failures) < 2:
            failures.append(folder)
            raise OSError(28, "No space left on device")
        return real_write_data(folder, tables)

    monkeypatch.setattr(pipeline.publish, "write_data", flaky)
    result = publish_local(project)

    root = project.published / "werkonderzoek"
    assert (result.status, result.version, len(failures)) == ("published", "1.0.0", 2)
    assert versions(root) == ["1.0.0"]


def test_invalid_input_is_not_retried(project, monkeypatch):
    calls = []
    real = pipeline.validate.frictionless_problems

    def counting(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(pipeline.validate, "frictionless_problems", counting)
    findings = project.raw / "2024" / "findings.csv"
    findings.write_text(findings.read_text().replace(",68,A,", ",168,A,"))
    with pytest.raises(RawDataInvalid):
        publish_local(project)
    assert calls == [1]
    assert list(project.published.iterdir()) == []
