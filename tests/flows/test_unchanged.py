"""An unchanged `werkdata publish` answers before Prefect starts: the plan's own check
(`pipeline.orchestrate.plan.settled`) says "unchanged" only when the inputs match the latest
release and nothing needs tidying; with work to do, the command goes to Prefect, and a server
Prefect is configured with that does not answer is named. (The runs on a running server:
tests/flows/test_serve.py.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.core.paths import Project
from pipeline.orchestrate.plan import settled
from pipeline.orchestrate.runner import publish_local
from tests.helpers import copy_project, run_werkdata

DEAD_SERVER = "http://127.0.0.1:9/api"  # the discard port: no Prefect server answers there


@pytest.fixture
def published(release: Project, tmp_path: Path) -> Project:
    """A writable copy of the project with the real data published once (1.0.0)."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(release.published, project.published, symlinks=True, dirs_exist_ok=True)
    return project


def listing(root: Path) -> dict[str, bytes | str]:
    """Every entry under `root`: a file's bytes, a link's target."""
    return {
        p.relative_to(root).as_posix(): os.readlink(p) if p.is_symlink() else p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_symlink() or p.is_file()
    }


def test_settled_only_when_the_inputs_match_and_nothing_needs_tidying(published: Project):
    root = published.dataset_dir()
    result = settled(published)
    assert (result.status, result.summary) == ("unchanged", "unchanged (latest is 1.0.0)")
    assert result.folder == root / "1.0.0"

    fresh = published.root.parent / "fresh"
    shutil.copytree(root, fresh, symlinks=True)
    leftovers = [
        lambda: (root / ".staging-1.0.1-crashed").mkdir(),
        lambda: (root / ".catalog.json.tmp-4242").write_bytes(b"half"),
        lambda: (root / "index.html").write_bytes(b"<p>edited</p>"),
        lambda: (root / "dcat.ttl").unlink(),
        lambda: (root / "latest").unlink(),
    ]
    for leave in leftovers:
        leave()
        left = listing(root)
        assert settled(published) is None
        assert listing(root) == left  # the check tidies nothing: the flow's first step does
        shutil.rmtree(root)
        shutil.copytree(fresh, root, symlinks=True)
    assert settled(published) is not None


def test_settled_is_none_when_an_input_changed(published: Project):
    findings = published.raw / "2024" / "findings.csv"
    findings.write_text(findings.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert settled(published) is None


def test_settled_is_none_with_nothing_published(project: Project):
    assert settled(project) is None


PROBE = """
import sys
from flows.cli import main
code = main(sys.argv[1:])
print("exit", code, "prefect imported:", "prefect" in sys.modules)
"""


def test_an_unchanged_publish_answers_without_prefect(published: Project, tmp_path: Path):
    """`werkdata publish` of unchanged inputs prints what the flow prints for them and never
    imports Prefect (the configured server does not even answer)."""
    env = {**os.environ, "PREFECT_API_URL": DEAD_SERVER, "PREFECT_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "publish"],
        cwd=published.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = done.stdout.splitlines()
    assert (done.stderr, lines[:2], lines[-1]) == (
        "",
        ["unchanged (latest is 1.0.0)", "package: published/werkonderzoek/1.0.0/datapackage.json"],
        "exit 0 prefect imported: False",
    )


@pytest.mark.slow  # imports Prefect's settings: ~3 s on the shared machine
def test_work_to_do_goes_to_prefect_which_names_a_server_that_does_not_answer(
    published: Project,
):
    """Leftovers to tidy send the publish to Prefect even though no input changed; a configured
    server that does not answer ends it with exit 1 naming the server, before anything is
    done."""
    root = published.dataset_dir()
    (root / ".staging-1.0.1-crashed").mkdir()
    done = run_werkdata("publish", cwd=published.root, env={"PREFECT_API_URL": DEAD_SERVER})
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"werkdata publish: Prefect is configured with the server {DEAD_SERVER} "
        "(PREFECT_API_URL), but it does not answer; start it, or unset PREFECT_API_URL to use "
        "a temporary one. Nothing was published\n"
    )
    assert (root / ".staging-1.0.1-crashed").is_dir()


def test_a_build_equal_to_the_latest_release_is_remembered(published: Project):
    """Inputs that change without changing a table are built once: that run finds the tables
    equal to the latest release, and from then on the same inputs are settled without a build.
    Another change is not."""
    config = published.config_file
    config.write_text(config.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    assert settled(published) is None

    assert publish_local(published).status == "unchanged"
    assert settled(published).summary == "unchanged (latest is 1.0.0)"

    config.write_text(config.read_text(encoding="utf-8") + "# another\n", encoding="utf-8")
    assert settled(published) is None
