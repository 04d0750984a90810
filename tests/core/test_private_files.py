"""Files only their owner can read (pipeline/core/private_files.py): folders 0700, files 0600,
from their creation on, whatever the umask, and narrowed when they existed wider."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pipeline.core.private_files import user_state, write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """A umask that takes nothing off: a file or folder made with the default mode would be
    readable by everyone."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_made_private_whatever_the_umask(tmp_path, open_umask):
    path = tmp_path / "state" / "log" / "problems.txt"
    write_private(path, "respondent r-1\n")
    assert path.read_text(encoding="utf-8") == "respondent r-1\n"
    assert (mode(tmp_path / "state"), mode(path.parent), mode(path)) == (0o700, 0o700, 0o600)
    assert sorted(p.name for p in path.parent.iterdir()) == ["problems.txt"]  # no temporary left


def test_an_earlier_wider_folder_and_file_are_narrowed(tmp_path, open_umask):
    folder = tmp_path / "log"
    folder.mkdir(mode=0o755)
    path = folder / "problems.txt"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o644)
    write_private(path, "new\n")
    assert (mode(folder), mode(path), path.read_text(encoding="utf-8")) == (0o700, 0o600, "new\n")


def test_the_user_state_folder_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert user_state() == tmp_path / "xdg" / "werkdata"
    monkeypatch.setenv("XDG_STATE_HOME", "relative/state")  # ignored, as the specification says
    assert user_state() == tmp_path / "home" / ".local" / "state" / "werkdata"
    monkeypatch.delenv("XDG_STATE_HOME")
    assert user_state() == tmp_path / "home" / ".local" / "state" / "werkdata"
