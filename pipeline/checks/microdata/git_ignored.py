"""Respondent data never enters git (README, "Respondent data"): an edition's `microdata:` path
that lies in a git work tree must be ignored there, or validation refuses it, whatever the
path is called and whichever work tree holds it (the project's, or another one for an absolute
path). The refusal names the `.gitignore` line to add.

Asked of git itself (`git check-ignore`, which also counts the global excludes and
`.git/info/exclude`, and reports a file git already tracks as not ignored). Without a git
binary, or outside a work tree, there is nothing to ask and nothing is refused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from pipeline.core.report import Problem
from pipeline.ingest.microdata import MicrodataSpec

RULE = "microdata-not-ignored"
GIT_TIMEOUT = 30  # seconds; git answers these in milliseconds


def git(folder: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess | None:
    """`git -C folder args...` (its output as text), or None when there is no git binary to
    run (or it did not answer in time)."""
    program = shutil.which("git")
    if program is None:
        return None
    try:
        return subprocess.run(
            [program, "-C", str(folder), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


def work_tree_prefix(folder: Path) -> str | None:
    """Where `folder` is in the git work tree that holds it ("raw/2024/", "" at its top), or
    None when no work tree holds it (or git is missing)."""
    result = git(folder, "rev-parse", "--is-inside-work-tree", "--show-prefix")
    if result is None or result.returncode != 0:
        return None
    inside, _, prefix = result.stdout.partition("\n")
    return prefix.strip() if inside.strip() == "true" else None


def not_ignored(folder: Path, names: list[str]) -> list[str] | None:
    """The `names` (relative to `folder`) that git does not report as ignored; None when git
    could not tell."""
    listed = "".join(f"{name}\0" for name in names)
    result = git(folder, "check-ignore", "--stdin", "-z", stdin=listed)
    if result is None or result.returncode not in (0, 1):  # 1: none of them is ignored
        return None
    ignored = set(result.stdout.split("\0"))
    return [name for name in names if name not in ignored]


def tracked(folder: Path, names: list[str]) -> bool:
    """Whether git already tracks any of `names` (relative to `folder`)."""
    result = git(folder, "ls-files", "-z", "--", *names)
    return result is not None and bool(result.stdout)


def unignored_problems(file: str, written: str, spec: MicrodataSpec) -> list[Problem]:
    """A problem when git could commit the respondent data of `spec`: its path (as `written`
    in `file`, an edition.yaml) or one of its Parquet files is in a git work tree and not
    ignored there. [] when it is ignored, or in no work tree."""
    path = Path(os.path.abspath(spec.path))
    folder = path.parent
    prefix = work_tree_prefix(folder)
    if prefix is None:
        return []
    is_folder = path.is_dir()
    names = [path.name] + [f"{path.name}/{f.name}" for f in spec.files() if is_folder]
    left = not_ignored(folder, names)
    if left == []:
        return []
    line = f"/{prefix}{path.name}{'/' if is_folder else ''}"
    message = "git would commit this respondent data: it is not ignored in its git work tree"
    hint = f"add the line {line} to the .gitignore at the top of the work tree"
    if left is None:  # refused rather than published unasked
        message = "git could not say whether this respondent data is ignored (git check-ignore)"
    elif tracked(folder, left):
        message = "git already tracks this respondent data"
        hint = f"git rm -r --cached {line.lstrip('/')}, then {hint}"
    return [Problem(file, None, "microdata.path", written, RULE, message, hint)]
