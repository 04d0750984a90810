"""Respondent data never enters git (pipeline/checks/microdata/git_ignored.py): in a git work
tree, a `microdata:` path that git does not ignore is refused, naming edition.yaml, the path and
the .gitignore line to add; an ignored path passes; with no work tree or no git binary nothing
changes. The project copies are made git repositories with the repository's .gitignore.
(tests/flows/test_failures.py: the refusal on both publish paths.)"""

from __future__ import annotations

import pytest

from pipeline.checks.microdata.git_ignored import unignored_problems
from pipeline.core.paths import Project
from pipeline.ingest.microdata import microdata_spec
from pipeline.ingest.safe_yaml import read_yaml
from pipeline.orchestrate.runner import validate_local
from tests.respondents import git, in_git, marked_project, moved_respondents

RULE = "microdata-not-ignored"


def refusals(project: Project) -> list[tuple]:
    report, _ = validate_local(project)
    return [(p.file, p.column, p.value, p.rule, p.message, p.hint) for p in report.problems]


@pytest.fixture
def project(tmp_path) -> Project:
    return marked_project(tmp_path / "project", respondents=1000, items=3)


def test_a_respondent_file_git_would_commit_is_refused(project):
    in_git(moved_respondents(project, "respondents.parquet"))
    assert refusals(project) == [
        (
            "raw/2024/edition.yaml",
            "microdata.path",
            "respondents.parquet",
            RULE,
            "git would commit this respondent data: it is not ignored in its git work tree",
            "add the line /raw/2024/respondents.parquet to the .gitignore at the top of the "
            "work tree",
        )
    ]


def unignored(project: Project) -> list[tuple]:
    """The check alone on the edition's `microdata:` section: (value, message, hint)."""
    edition = project.raw / "2024"
    meta = read_yaml(edition / "edition.yaml")
    spec = microdata_spec(meta, edition)
    problems = unignored_problems("edition.yaml", meta["microdata"]["path"], spec)
    return [(p.value, p.message, p.hint) for p in problems]


def test_a_folder_of_respondent_files_not_ignored_is_refused_as_a_folder(project):
    in_git(moved_respondents(project, "antwoorden/part-000.parquet"))
    yaml = project.raw / "2024" / "edition.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace("antwoorden/part-000.parquet", "antwoorden"), "utf-8")
    [(value, _, hint)] = unignored(project)
    assert (value, hint.split()[3]) == ("antwoorden", "/raw/2024/antwoorden/")


def test_an_ignored_path_passes_and_a_tracked_one_is_refused(project):
    in_git(project)  # raw/*/microdata/ is in .gitignore
    assert refusals(project) == []
    git(project.root, "add", "-f", "raw/2024/microdata/respondents.parquet")
    [(_, message, hint)] = unignored(project)
    assert message == "git already tracks this respondent data"
    assert hint.startswith("git rm -r --cached raw/2024/microdata/respondents.parquet, then ")


def test_without_a_work_tree_or_without_git_nothing_changes(project, tmp_path, monkeypatch):
    moved_respondents(project, "respondents.parquet")
    assert unignored(project) == []  # not a git work tree
    in_git(project)
    assert len(unignored(project)) == 1
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no git binary to ask
    assert unignored(project) == []
