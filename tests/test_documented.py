"""Documented commands are tested commands: every `werkdata <command>` and `make <target>` that
README.md or a page of docs/ writes as code exists and runs, and every script the Makefile names
exists. Documented paths lead somewhere: every repository path (`pipeline/ingest/limits.py`,
`tests/test_documented.py::test_every_documented_path_exists`, `Makefile:1`, `docs/`) and dotted
module name (`pipeline.orchestrate.plan`) that README.md, docs/ or a docstring of our code names
exists, unless it is a placeholder or generated or ignored (published/, demo/, .werkdata/,
respondent folders).

The commands are parsed from the documents, never listed here (the lists below only prove that
the parser finds what it must). Each werkdata command shows its --help with every option the
documents give it, and every invocation written out in full runs on a small copy of the project
(`publish` with --local: the Prefect path has its own tests in tests/flows/); `serve` and `shell`
only show their --help, being long-running and interactive. A make target is checked with
`make -n`, which prints its recipe without running it (running `make test` here would recurse).
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import REPO, copy_project, run_werkdata

README = REPO / "README.md"
DOCUMENTS = [README, *sorted((REPO / "docs").glob("*.md"))]
MAKEFILE = REPO / "Makefile"

# A fenced block, or an inline code span.
CODE = re.compile(r"```[^\n]*\n(.*?)```|`([^`\n]+)`", re.S)
# `werkdata <command>` and what follows it on its line, up to a shell comment or a backtick.
WERKDATA = re.compile(r"\bwerkdata[ \t]+([a-z][a-z-]*)([^#`\n]*)")
MAKE = re.compile(r"\bmake[ \t]+([a-z][a-z0-9_-]*)")
OPTION = re.compile(r"--[a-z][a-z-]*")
PLACEHOLDER = re.compile(r"[A-Z][A-Z_]*")  # "SQL" in `werkdata query "SQL"`
# A file of the project's tests, tools or benchmark that the Makefile names.
SCRIPT = re.compile(r"(?<![\w./-])((?:tests|tools|bench)/[\w./-]*\w)")

HELP_ONLY = {
    "serve": "runs until stopped",
    "shell": "interactive",
    "draft-codelists": "needs an SPSS or Stata file: tests/test_draft_codelists.py runs it",
}
KNOWN_COMMANDS = {"validate", "publish", "verify", "versions", "query", "shell", "serve"}
KNOWN_TARGETS = {"run", "check", "test", "stress", "bench", "screenshot", "lock"}
KNOWN_SCRIPTS = {"tests/release/test_stress.py", "bench/publish_bench.py", "tools/screenshot.py"}


@dataclass(frozen=True)
class Invocation:
    """One `werkdata <command> ...` as a document writes it."""

    document: str
    command: str
    rest: str  # the words after the command, as written

    @property
    def text(self) -> str:
        return f"werkdata {self.command} {self.rest}".strip()

    @property
    def options(self) -> list[str]:
        return OPTION.findall(self.rest)

    @property
    def args(self) -> list[str] | None:
        """The arguments to run it with, or None when it shows a choice or a placeholder."""
        if any(mark in self.rest for mark in "[]|<>"):
            return None
        words = shlex.split(self.rest)
        if any(PLACEHOLDER.fullmatch(word) for word in words):
            return None
        return [self.command, *words]


def code_spans(text: str) -> list[str]:
    """The text of every fenced block and inline code span of a markdown document."""
    return [fenced or inline for fenced, inline in CODE.findall(text)]


def invocations(documents: list[Path]) -> list[Invocation]:
    """Every `werkdata <command> ...` the documents write as code."""
    found = []
    for document in documents:
        for span in code_spans(document.read_text(encoding="utf-8")):
            for command, rest in WERKDATA.findall(span):
                found.append(Invocation(document.name, command, rest.strip()))
    return found


def make_targets(documents: list[Path]) -> set[str]:
    """Every `make <target>` the documents write as code."""
    return {
        target
        for document in documents
        for span in code_spans(document.read_text(encoding="utf-8"))
        for target in MAKE.findall(span)
    }


def makefile_scripts() -> set[str]:
    """Every path under tests/, tools/ or bench/ that the Makefile names."""
    return set(SCRIPT.findall(MAKEFILE.read_text(encoding="utf-8")))


def args_to_run(invocation: Invocation) -> list[str]:
    """The documented arguments; `publish` in-process (--local), as the Prefect flow's own
    tests run the other path."""
    args = invocation.args
    if invocation.command == "publish" and "--local" not in args:
        args = [*args, "--local"]
    return args


def runnable(found: list[Invocation]) -> list[Invocation]:
    """The first invocation of each distinct run, leaving out the help-only commands."""
    runs: dict[tuple[str, ...], Invocation] = {}
    for invocation in found:
        if invocation.command not in HELP_ONLY and invocation.args is not None:
            runs.setdefault(tuple(args_to_run(invocation)), invocation)
    return list(runs.values())


INVOCATIONS = invocations(DOCUMENTS)
COMMANDS = sorted({i.command for i in INVOCATIONS})
RUNNABLE = runnable(INVOCATIONS)
TARGETS = sorted(make_targets(DOCUMENTS))


def test_the_parser_finds_the_known_commands_targets_and_scripts():
    """Guards the parser: it cannot pass by finding nothing."""
    assert {i.command for i in invocations([README])} >= KNOWN_COMMANDS
    assert make_targets([README]) >= KNOWN_TARGETS
    assert makefile_scripts() >= KNOWN_SCRIPTS
    assert {i.command for i in RUNNABLE} >= KNOWN_COMMANDS - set(HELP_ONLY)


def test_every_documented_command_is_run_unless_it_is_help_only():
    """A command only shown with placeholders would be checked by --help alone."""
    shown_in_full = {i.command for i in RUNNABLE}
    assert [c for c in COMMANDS if c not in shown_in_full and c not in HELP_ONLY] == []


@pytest.mark.parametrize("command", COMMANDS)
def test_documented_command_exists_with_its_options(command, tmp_path):
    result = run_werkdata(command, "--help", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), f"werkdata {command}"
    documented = {o for i in INVOCATIONS if i.command == command for o in i.options}
    assert sorted(documented - set(OPTION.findall(result.stdout))) == []


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A small copy of the project published once by `werkdata publish --local`."""
    project = copy_project(tmp_path_factory.mktemp("documented") / "project")
    result = run_werkdata("publish", "--local", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("published werkonderzoek 1.0.0: "), result.stdout
    return project.root


@pytest.mark.parametrize("invocation", RUNNABLE, ids=lambda i: f"{i.document}: {i.text}")
def test_documented_invocation_runs_on_a_copy(invocation, published):
    result = run_werkdata(*args_to_run(invocation), cwd=published)
    said = result.stdout + result.stderr
    assert result.returncode == 0, said
    assert "Traceback" not in said
    assert result.stdout.strip(), "it says nothing"


def make_dry_run(target: str) -> subprocess.CompletedProcess:
    """`make -n <target>` in the repository (warning of any undefined variable), outside any
    make that runs these tests."""
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    return subprocess.run(
        ["make", "-n", "--warn-undefined-variables", target],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("target", TARGETS)
def test_documented_make_target_has_a_valid_recipe(target):
    """The target has a rule (a name only in .PHONY has none: "Nothing to be done") whose
    recipe make can expand without an error or an undefined variable."""
    result = make_dry_run(target)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert result.stdout.strip(), "the recipe is empty"
    assert "Nothing to be done" not in result.stdout, result.stdout


def test_every_script_the_makefile_names_exists():
    assert sorted(p for p in makefile_scripts() if not (REPO / p).exists()) == []


# Documented paths exist: every repository path that README.md, a page of docs/ or a docstring of
# our code names, in backticks or not, and every dotted module name (`pipeline.orchestrate.plan`).

SOURCE_FOLDERS = ("pipeline", "flows", "bench", "tools", "tests")
# A path-like word: segments joined by "/", maybe a trailing "/", then a `:12` line or a
# `::name` test; not the tail of a URL or of a longer path (nothing path-like just before it).
PATH_WORD = re.compile(
    r"(?<![\w./:~$-])([\w.-]+(?:/[\w.<>{}*-]+)*/?(?:(?:::[\w\[\]-]+)+|:\d+(?:-\d+)?)?)"
)
SUFFIX = re.compile(r"(?P<path>.*?)(?:(?P<names>(?:::[\w\[\]-]+)+)|:(?P<line>\d+)(?:-\d+)?)?")
DOTTED = re.compile(r"(?<![\w./-])((?:pipeline|flows)(?:\.[A-Za-z_]\w*)+)")
PLACEHOLDER_MARKS = ("<", ">", "*", "{", "}", "...")
# Generated or ignored, so not in a checkout: releases, the demo, local logs, respondent files.
EXEMPT = re.compile(r"published(/|$)|demo/|\.werkdata/|raw/[^/]+/microdata(/|$)")


def tracked_top_level() -> set[str]:
    """The first segment of every file git tracks: pipeline, docs, Makefile, .gitignore, ..."""
    listed = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True, timeout=60
    )
    return {line.split("/")[0] for line in listed.stdout.splitlines()}


TOP_LEVEL = tracked_top_level()


def path_words(text: str) -> list[str]:
    """The repository paths a text names: path-like words whose first segment is a tracked
    top-level entry, with a "/" or a `:line`/`::name` after it, and no placeholder."""
    found = []
    for word in PATH_WORD.findall(text):
        word = word.rstrip(".")  # a sentence's full stop, never part of a path here
        head = re.split(r"[/:]", word, maxsplit=1)[0]
        if head not in TOP_LEVEL or word == head:
            continue
        if any(mark in word for mark in PLACEHOLDER_MARKS) or EXEMPT.match(word):
            continue
        found.append(word)
    return found


def defined_names(file: Path) -> set[str]:
    """Every name a Python file defines or imports, at any depth (functions, classes, methods,
    assignments), for a `::name` or the attribute part of a dotted name."""
    names = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def path_is_missing(word: str) -> bool:
    """Whether a documented path (with its `:line` or `::name`, if any) leads nowhere."""
    parts = SUFFIX.fullmatch(word)
    path, names, line = parts["path"], parts["names"], parts["line"]
    target = REPO / path
    if not (target.is_dir() if path.endswith("/") else target.exists()):
        return True
    if names:
        wanted = {re.sub(r"\[.*\]$", "", name) for name in names.split("::") if name}
        return not target.is_file() or not wanted <= defined_names(target)
    if line:
        lines = target.read_text(encoding="utf-8").splitlines() if target.is_file() else []
        return int(line) > len(lines)
    return False


def dotted_is_missing(name: str) -> bool:
    """Whether a dotted name is neither a module of ours nor a name that module defines."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        base = REPO.joinpath(*parts[:end])
        for file in (base.with_suffix(".py"), base / "__init__.py"):
            if file.is_file():
                return end < len(parts) and parts[end] not in defined_names(file)
        if end == len(parts) and base.is_dir():
            return False
    return True


def docstrings(folders: tuple[str, ...] = SOURCE_FOLDERS) -> list[tuple[str, str]]:
    """(file:line, docstring) of every module, class and function in the tracked folders."""
    kinds = ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
    found = []
    for folder in folders:
        for file in sorted((REPO / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                if isinstance(node, kinds) and (text := ast.get_docstring(node, clean=False)):
                    line = getattr(node, "lineno", 1)
                    found.append((f"{file.relative_to(REPO).as_posix()}:{line}", text))
    return found


def documented_texts() -> list[tuple[str, str]]:
    """(where, text) of README.md, every page of docs/ and every docstring of our code."""
    pages = [(d.relative_to(REPO).as_posix(), d.read_text(encoding="utf-8")) for d in DOCUMENTS]
    return [*pages, *docstrings()]


def stale_pointers(texts: list[tuple[str, str]]) -> list[str]:
    """`where: path` for every path or dotted name the texts give that leads nowhere."""
    stale = []
    for where, text in texts:
        stale += [f"{where}: {w}" for w in path_words(text) if path_is_missing(w)]
        stale += [f"{where}: {n}" for n in DOTTED.findall(text) if dotted_is_missing(n)]
    return stale


def test_the_path_finder_tells_a_good_path_from_a_bad_one():
    """Guards the finder: one good and one bad path of each form, and what it must leave out."""
    good = [
        "`pipeline/orchestrate/plan.py`",
        "tests/test_documented.py::test_the_path_finder_tells_a_good_path_from_a_bad_one",
        "`tests/test_documented.py:1`",
        "`docs/`",
        "`pipeline.orchestrate.plan`",
        "`pipeline.orchestrate.plan.Step`",
    ]
    bad = [
        "`pipeline/limits.py`",
        "tests/test_documented.py::test_that_does_not_exist",
        "`tests/test_documented.py:100000`",
        "`README.md/`",
        "`pipeline.records`",
        "`pipeline.orchestrate.plan.nothing_of_that_name`",
    ]
    left_out = [
        "`raw/<year>/edition.yaml`",
        "`pipeline/build/sql/*.sql`",
        "`schemas/{table}.schema.json`",
        "`published/werkonderzoek/9.9.9/`",
        "`demo/published/`",
        "`.werkdata/log`",
        "`raw/2024/microdata/respondents.parquet`",
        "https://github.com/duckdb/duckdb/issues/25521",
        "`nowhere/at/all.py`",
    ]
    for text in good:
        assert stale_pointers([("good", f"see {text}.")]) == [], text
    for text in bad:
        assert len(stale_pointers([("bad", f"see {text}.")])) == 1, text
    assert stale_pointers([("left out", " ".join(left_out))]) == []
    assert path_words(" ".join(left_out)) == []


def test_the_texts_searched_hold_paths_and_dotted_names():
    """Guards the sources: it cannot pass by reading nothing."""
    texts = documented_texts()
    wheres = {where.split(":")[0] for where, _ in texts}
    assert {"README.md", "docs/design.md", "pipeline/checks/validate.py"} <= wheres
    assert {"tests/conftest.py", "bench/estimate_bench.py", "tools/screenshot.py"} <= wheres
    assert len([w for _, text in texts for w in path_words(text)]) > 100
    assert len([n for _, text in texts for n in DOTTED.findall(text)]) > 10


def test_every_documented_path_exists():
    """A path or module that README.md, docs/ or a docstring names exists in the checkout."""
    assert stale_pointers(documented_texts()) == []
