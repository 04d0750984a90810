"""Files that only their owner can read: the local log that names respondents and the bug
reports, whose tracebacks may quote a respondent's value (README, "Respondent data").

Folders are 0700 and files 0600 from the moment they exist: a folder is made with that mode, a
file is created 0600 under a temporary name and renamed into place, so no other user can open
either at any time. A folder that already exists with wider modes is narrowed to 0700.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600
LOCAL_STATE = ".werkdata"  # the project's local state, under its root (in .gitignore)
LOG_FOLDER = "log"  # under LOCAL_STATE: the logs that name respondents


def private_folder(path: Path) -> Path:
    """`path` as a folder only its owner can enter (0700): every missing folder on the way is
    made 0700, and `path` itself is set to 0700 even when it existed with wider modes."""
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            pass  # made by another run in between; narrowed below when it is `path`
        else:
            os.chmod(folder, FOLDER_MODE)  # the umask may have taken bits off
    os.chmod(path, FOLDER_MODE)
    return path


def local_state(root: Path) -> Path:
    """The project's local state folder, `.werkdata/` under `root`."""
    return root / LOCAL_STATE


def log_folder(root: Path) -> Path:
    """The folder of the local logs that name respondents, `.werkdata/log/` under `root`."""
    return local_state(root) / LOG_FOLDER


def user_state() -> Path | None:
    """werkdata's folder in the user's state directory, for a bug report when no project root
    was found: `$XDG_STATE_HOME/werkdata`, else `~/.local/state/werkdata`; None when there is
    no home folder to find.

    A relative XDG_STATE_HOME is ignored, as the XDG Base Directory specification says.
    """
    base = os.environ.get("XDG_STATE_HOME", "")
    if os.path.isabs(base):
        return Path(base) / "werkdata"
    try:
        return Path.home() / ".local" / "state" / "werkdata"
    except RuntimeError:  # no HOME and no password entry for this user
        return None


def write_private(path: Path, text: str) -> Path:
    """Write `text` (UTF-8) to `path` as a file only its owner can read (0600), in a folder
    made private (private_folder). An earlier file at `path` is replaced whole, whatever its
    modes were."""
    folder = private_folder(path.parent)
    # mkstemp creates the file 0600 (O_EXCL, never following a link), before a byte is in it.
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            handle.write(text)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return path


def append_private(path: Path, text: str) -> Path:
    """Append `text` (UTF-8) to `path`, a file only its owner can read (0600, also when it
    existed with wider modes), in a folder made private (private_folder)."""
    private_folder(path.parent)
    # O_NOFOLLOW: never append through a link someone else put there.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, FILE_MODE)
    try:
        os.fchmod(descriptor, FILE_MODE)
        os.write(descriptor, text.encode("utf-8"))
    finally:
        os.close(descriptor)
    return path
