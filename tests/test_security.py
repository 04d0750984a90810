"""Security: unsafe names are refused by an allowlist and no output path leaves published/ (S2);
hostile inputs are report lines, refused within seconds and bounded memory (S3); SQL values stay
data (S4); published metadata holds no local path, host or user name (S5)."""

from __future__ import annotations

import getpass
import socket
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from pipeline.core.errors import UnsafeName
from pipeline.core.paths import DATASET_PATTERN, EDITION_PATTERN, Project, check_name, inside
from pipeline.ingest.safe_yaml import YamlRefused, read_yaml
from pipeline.orchestrate.runner import publish_local, validate_local

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
    report, inputs = validate_local(project)
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


# Hostile inputs (S3): refused within seconds and bounded memory, as report lines

Y22 = "raw/2022/edition.yaml"
BILLION_LAUGHS = "".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n',
        *(
            f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)
HOSTILE_YAML = {
    # nine levels of nine aliases: 9**9 (387 million) strings once expanded
    "billion-laughs": (BILLION_LAUGHS, "yaml-too-large"),
    "deep-nesting": ("a: " + "[" * 40_000 + "]" * 40_000, "yaml-too-deep"),
    "multi-megabyte-scalar": ("notes_nl: " + "x" * 5_000_000 + "\n", "file-too-large"),
}


def bounded(call):
    """Run `call`, returning its result, the seconds it took and its peak of new memory (MB)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = call()
        return result, time.perf_counter() - started, tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def refusal(path: Path) -> YamlRefused | None:
    try:
        read_yaml(path)
    except YamlRefused as exc:
        return exc
    return None


@pytest.mark.parametrize(("text", "rule"), HOSTILE_YAML.values(), ids=list(HOSTILE_YAML))
def test_hostile_yaml_is_refused_quickly_in_bounded_memory(tmp_path, text, rule):
    path = tmp_path / "edition.yaml"
    path.write_text(text, encoding="utf-8")
    refused, seconds, megabytes = bounded(lambda: refusal(path))
    assert isinstance(refused, YamlRefused)
    assert refused.rule == rule
    assert seconds < 3
    assert megabytes < 20


@pytest.mark.parametrize(("text", "rule"), HOSTILE_YAML.values(), ids=list(HOSTILE_YAML))
def test_hostile_yaml_is_a_report_line(project, text, rule):
    (project.raw / "2022" / "edition.yaml").write_text(text, encoding="utf-8")
    (report, inputs), seconds, megabytes = bounded(lambda: validate_local(project))
    assert [(p.file, p.rule) for p in report.problems] == [(Y22, rule)]
    assert inputs is None
    assert seconds < 10
    assert megabytes < 100


def test_billion_laughs_through_werkdata_validate(project):
    """The real command: exit 1 and one report line, not a hang or a memory blow-up (the
    expanded document would be gigabytes)."""
    (project.raw / "2022" / "edition.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    exe = Path(sys.executable).parent / "werkdata"
    result = subprocess.run(
        [str(exe), "validate"], cwd=project.root, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[2:4] == [
        "raw/2022/edition.yaml",
        "  row 5: [yaml-too-large] the document stands for more than 10000 values "
        "(aliases counted as what they repeat)",
    ]


@pytest.mark.parametrize(
    ("line", "rule", "column"),
    [
        ("title_nl: [a, b]", "type-error", "title_nl"),
        ("respondents: {a: 1}", "type-error", "respondents"),
        ("publication_date: 2022-13-45", "yaml-error", None),
        ("respondents: 0x" + "f" * 2000, "yaml-error", None),
        ('invited_label: "\\ud800"', "encoding-error", "invited_label"),
        ("response_rate: .nan", "type-error", "response_rate"),
        ("invited_label: " + "x" * 10_001, "field-too-long", "invited_label"),
    ],
    ids=["list", "mapping", "impossible-date", "huge-hex", "lone-surrogate", "nan", "long"],
)
def test_yaml_values_of_the_wrong_kind_are_report_lines(project, line, rule, column):
    path = project.raw / "2022" / "edition.yaml"
    key = line.split(":")[0]
    kept = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith(key)]
    path.write_text("\n".join([*kept, line]) + "\n", encoding="utf-8")
    report, _ = validate_local(project)
    assert [(p.file, p.rule, p.column) for p in report.problems] == [(Y22, rule, column)]


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(project):
    """60 MB of zeros packed into 60 KB: refused by the size the zip declares, in bounded
    memory, before openpyxl opens it."""
    xlsx = project.raw / "2024" / "findings.xlsx"
    with (
        zipfile.ZipFile(xlsx, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part,
    ):
        for _ in range(60):
            part.write(bytes(1_000_000))
    assert xlsx.stat().st_size < 200_000
    (project.raw / "2024" / "findings.csv").unlink()
    edition = project.raw / "2024" / "edition.yaml"
    declaration = "files:\n  findings.csv: {workbook: findings.xlsx, sheet: S}\n"
    edition.write_text(edition.read_text(encoding="utf-8") + declaration, encoding="utf-8")
    (report, _), seconds, megabytes = bounded(lambda: validate_local(project))
    assert [(p.file, p.rule, p.message) for p in report.problems] == [
        (
            "raw/2024/findings.xlsx",
            "file-too-large",
            "60000000 bytes unpacked; the limit is 50000000",
        )
    ]
    assert seconds < 10
    assert megabytes < 100
