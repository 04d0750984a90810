"""Security: unsafe names are refused by an allowlist and no output path leaves published/ (S2);
SQL values stay data (S4); published metadata holds no local path, host or user name (S5)."""

from __future__ import annotations

import getpass
import socket
from pathlib import Path

import pytest

from pipeline.checks.validate import validate_raw
from pipeline.core.errors import UnsafeName
from pipeline.core.paths import DATASET_PATTERN, EDITION_PATTERN, Project, check_name, inside
from pipeline.orchestrate.runner import publish_local

UNSAFE = ["../x", "/etc", "~", "$HOME", "a/b", "..", ".", "x\x00y", "a" * 300, "", " 2024"]


@pytest.mark.parametrize("name", UNSAFE)
def test_unsafe_dataset_and_version_names_are_refused(name, tmp_path):
    project = Project.at(tmp_path)
    with pytest.raises(UnsafeName):
        project.dataset_dir(name)
    with pytest.raises(UnsafeName):
        project.version_dir(name)
    with pytest.raises(UnsafeName):
        check_name(name, EDITION_PATTERN, "edition")
    with pytest.raises(UnsafeName):
        check_name(name, DATASET_PATTERN, "dataset")


def test_a_path_that_leaves_its_root_is_refused(tmp_path):
    (tmp_path / "published").mkdir()
    (tmp_path / "published" / "werkonderzoek").symlink_to(tmp_path)
    with pytest.raises(UnsafeName):
        inside(tmp_path / "published", tmp_path / "published" / "werkonderzoek" / "..")
    with pytest.raises(UnsafeName):
        Project.at(tmp_path).version_dir("1.0.0")  # the dataset folder links outside


@pytest.mark.parametrize("name", ["2024x", "2024 copy", "$HOME", "20 24", "~"])
def test_edition_folders_with_unsafe_names_are_refused(project, name):
    (project.raw / name).mkdir()
    report, inputs = validate_raw(project)
    assert inputs is None
    assert [(p.file, p.rule) for p in report.errors] == [(f"raw/{name}", "edition-name")]


def test_sql_text_in_a_cell_stays_data(project):
    injection = "x'); DROP TABLE raw_findings; --"
    findings = project.raw / "2019" / "findings.csv"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.rstrip("\n").rsplit(",", 1)[0] + f',"{injection}"\n', "utf-8")
    result = publish_local(project)
    csv_text = (result.folder / "data" / "findings.csv").read_text(encoding="utf-8")
    assert injection in csv_text
    assert result.rows["findings"] == 28


def test_published_files_hold_no_local_path_host_or_user(release):
    root = release.published / "werkonderzoek"
    secrets = {str(release.root), str(Path.home()), socket.gethostname(), "/tmp/"}
    user = getpass.getuser()
    leaks = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith(".") and path.suffix != ".parquet":
            text = path.read_text(encoding="utf-8")
            leaks += [(path.name, s) for s in secrets if s and s in text]
            if f"/{user}/" in text or f"\\{user}\\" in text:
                leaks.append((path.name, user))
    assert leaks == []
