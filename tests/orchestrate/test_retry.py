"""Transient I/O errors are retried with the plan's delays; a missing file, a permission error
and a data error never are. The local path; tests/flows/test_plan.py does the same through the
Prefect task."""

from __future__ import annotations

import errno

import pytest

import pipeline.orchestrate.plan
from pipeline.core.errors import RawDataInvalid
from pipeline.core.report import Report
from pipeline.orchestrate import retry
from pipeline.orchestrate.runner import publish_local
from pipeline.release.records import versions


def test_transient_means_the_listed_errno_values_only():
    transient = [errno.EBUSY, errno.EINTR, errno.ETIMEDOUT, errno.EIO, errno.ESTALE, errno.EAGAIN]
    lasting = [errno.ENOENT, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EROFS, None]
    assert [retry.is_transient(OSError(n, "x")) for n in transient] == [True] * 6
    assert [retry.is_transient(OSError(n, "x")) for n in lasting] == [False] * 6
    assert retry.is_transient(TimeoutError(errno.ETIMEDOUT, "timed out"))
    assert not retry.is_transient(FileNotFoundError(errno.ENOENT, "gone"))
    assert not retry.is_transient(ValueError("not I/O"))


def test_with_retries_gives_up_after_the_last_delay():
    calls, waits = [], []

    def always_busy():
        calls.append(1)
        raise OSError(errno.EBUSY, "device busy")

    with pytest.raises(OSError, match="device busy"):
        retry.with_retries(always_busy, delays=(0.1, 0.2), sleep=waits.append)
    assert (len(calls), waits) == (3, [0.1, 0.2])


def failing_publish(monkeypatch, error: BaseException, times: int) -> list[int]:
    """Make the plan's publish step raise `error` on its first `times` attempts, then publish
    for real; return the list that counts the attempts."""
    real = pipeline.orchestrate.plan.publish_release
    attempts = []

    def flaky(*args, **kwargs):
        attempts.append(1)
        if len(attempts) <= times:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline.orchestrate.plan, "publish_release", flaky)
    return attempts


def test_transient_error_twice_then_published_with_the_plans_delays(project, monkeypatch):
    attempts = failing_publish(monkeypatch, OSError(errno.EBUSY, "Device or resource busy"), 2)
    waits = []
    result = publish_local(project, sleep=waits.append)

    assert (result.status, result.version, len(attempts)) == ("published", "1.0.0", 3)
    assert waits == list(pipeline.orchestrate.plan.PUBLISH_RETRY.delays) == [0.5, 2.0]
    assert versions(project.dataset_dir()) == ["1.0.0"]


@pytest.mark.parametrize(
    "error",
    [
        FileNotFoundError(errno.ENOENT, "No such file or directory"),
        PermissionError(errno.EACCES, "Permission denied"),
        RawDataInvalid(Report()),
    ],
    ids=["missing-file", "permission", "data-error"],
)
def test_lasting_errors_are_never_retried(project, monkeypatch, error):
    attempts = failing_publish(monkeypatch, error, 1)
    waits = []
    with pytest.raises(type(error)):
        publish_local(project, sleep=waits.append)
    assert (len(attempts), waits) == (1, [])
    assert list(project.published.iterdir()) == []
