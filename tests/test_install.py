"""Installed like a library, run in a project: the package is built as a wheel and installed,
not editable, into a fresh environment, which then publishes and verifies a copy of the project
from another folder. The code's own assets (pipeline/build/sql/*.sql) must come with the wheel, and
the project's facts (schemas/, including schemas/dcat/allowed-values.json, raw/, werkdata.toml)
from the project the command is pointed at."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.helpers import REPO, copy_project

SOURCES = ("pyproject.toml", "README.md", "pipeline", "flows")


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    """Run a command without PYTHONPATH, so only the environment's own paths count."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def build_wheel(target: Path) -> Path:
    """The wheel of a copy of the sources (so that the build leaves nothing in the repository).

    Built without build isolation when this environment's setuptools is new enough for
    pyproject.toml (no download); otherwise pip fetches one, as `pip install .` would.
    """
    source = target / "source"
    source.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(
                REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(REPO / name, source / name)
    isolation = [] if int(version("setuptools").split(".")[0]) < 68 else ["--no-build-isolation"]
    wheels = target / "wheels"
    result = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--quiet",
        *isolation,
        "-w",
        wheels,
        source,
        cwd=target,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = wheels.glob("werkdata-*.whl")
    return wheel


def install(wheel: Path, target: Path) -> Path:
    """A fresh environment with the wheel installed (no dependencies); the dependencies are
    this environment's, reached through a .pth file written after the install (so that pip
    does not see the editable werkdata of this environment). Returns its bin folder."""
    home = target / "env"
    venv.create(home, with_pip=False)
    python = home / "bin" / "python"
    result = run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--quiet",
        wheel,
        cwd=target,
    )
    assert result.returncode == 0, result.stderr
    site = Path(
        run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=target
        ).stdout.strip()
    )
    # A .pth line only adds a folder to sys.path: the editable install's own .pth files in it
    # are not run, so its finder cannot shadow the installed copy.
    (site / "running-environment.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    return home / "bin"


@pytest.mark.slow
def test_a_non_editable_install_publishes_and_verifies_a_project(tmp_path: Path):
    bin_dir = install(build_wheel(tmp_path), tmp_path)
    project = copy_project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    where = run(
        bin_dir / "python",
        "-c",
        "import pipeline, flows; print(pipeline.__file__); print(flows.__file__)",
        cwd=elsewhere,
    )
    for line in where.stdout.splitlines():
        assert Path(line).is_relative_to(tmp_path / "env"), where.stdout + where.stderr
    assert len(where.stdout.splitlines()) == 2, where.stderr

    published = run(
        bin_dir / "werkdata", "--root", project.root, "publish", "--local", cwd=elsewhere
    )
    assert published.returncode == 0, published.stderr
    assert published.stdout.splitlines()[0] == (
        "published werkonderzoek 1.0.0: First release / eerste versie."
    )

    verified = run(bin_dir / "werkdata", "--root", project.root, "verify", cwd=elsewhere)
    assert (verified.returncode, verified.stdout, verified.stderr) == (
        0,
        "verified: 1 version(s) intact (1.0.0)\n",
        "",
    )
    built = project.version_dir("1.0.0") / "data"
    committed = (REPO / "published" / "werkonderzoek" / "latest" / "data").resolve()
    assert sorted(p.name for p in built.iterdir()) == sorted(p.name for p in committed.iterdir())
    for path in committed.iterdir():
        assert (built / path.name).read_bytes() == path.read_bytes(), path.name
