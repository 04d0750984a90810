"""Publishing a release: the files of a version, unchanged runs, byte-identical rebuilds, crashes
at every stage, the lock, and the version bump of each kind of change."""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
from pathlib import Path

import pytest

import pipeline.release.publish
from pipeline.core.config import Config
from pipeline.core.errors import BuildFailed, IntegrityError, LockHeld
from pipeline.core.files import sha256_file
from pipeline.core.paths import Project
from pipeline.core.report import Report
from pipeline.core.schemas import TABLES
from pipeline.orchestrate.runner import publish_local
from pipeline.release.publish import HOLDER, LOCK, publish_release
from pipeline.release.records import versions
from pipeline.release.verify import verify_dataset
from pipeline.render import registry
from tests.helpers import REAL_ROWS, REPO, copy_project, lock_held_elsewhere
from tests.release.checksums import append_with_checksum, manifest

DATA_FILES = sorted(f"data/{t}.{ext}" for t in TABLES for ext in ("csv", "parquet"))
VERSION_FILES = sorted(
    [
        "CHANGELOG.md",
        "README.md",
        "SHA256SUMS",
        "changes.json",
        "ckan_package.json",
        "datapackage.json",
        "dcat.jsonld",
        "dcat.ttl",
        "index.html",
        "validation.json",
        "views.sql",
        *DATA_FILES,
    ]
)
ROWS = REAL_ROWS
MISSING_ROW = (
    "openbaar_bestuur,talent_aantrekken_voldoende,,M,,,wo2024-infographic,"
    "vindt dat de organisatie voldoende doet om talent aan te trekken,"
)
FILLED_ROW = (
    "openbaar_bestuur,talent_aantrekken_voldoende,38,A,38%,C,wo2024-infographic,"
    "vindt dat de organisatie voldoende doet om talent aan te trekken,"
)
VALUE_FILLED = {
    "version": "1.0.1",
    "previous": "1.0.0",
    "bump": "patch",
    "required_bump": "patch",
    "side_files": registry.formats(),
    "summary": "1 row(s) changed",
    "schema_changes": [],
    "rows_added": [],
    "rows_removed": [],
    "rows_changed": [
        {
            "table": "findings",
            "key": ["2024", "openbaar_bestuur", "talent_aantrekken_voldoende"],
            "old": {"confidence": "", "status": "M", "value": "", "value_label": ""},
            "new": {"confidence": "C", "status": "A", "value": "38", "value_label": "38%"},
        }
    ],
    "metadata_changed": [],
}


def copy_release(release: Project, target: Path) -> Project:
    """A writable copy of the session release (raw/, schemas/ and published/ with 1.0.0)."""
    shutil.copytree(release.root, target, symlinks=True)
    return Project.at(target)


def fill_missing_value(project: Project) -> None:
    """Fill in the 2024 figure that the release has as missing (status M)."""
    path = project.raw / "2024" / "findings.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count(MISSING_ROW) == 1
    path.write_text(text.replace(MISSING_ROW, FILLED_ROW), encoding="utf-8")


def files_of(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# The files beside the version folders, derived from them after every publish.
DERIVED = ["catalog.json", "dcat.jsonld", "dcat.ttl", "index.html", "latest"]


def entries(root: Path) -> list[str]:
    """The names in a dataset folder, without the lock file filelock may leave behind."""
    return sorted(p.name for p in root.iterdir() if p.name != LOCK)


def catalog(root: Path) -> dict:
    data = json.loads((root / "catalog.json").read_text(encoding="utf-8"))
    for entry in data["versions"]:
        created = read_json(root / entry["version"] / "datapackage.json")["created"]
        assert entry["created"] == created
        entry["created"] = "<created>"
    return data


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def catalog_entry(root: Path, version: str, bump, reason: str, editions: list[int]) -> dict:
    """A catalog entry as publish writes it, its pins taken from the files of the version."""
    folder = root / version
    return {
        "version": version,
        "created": "<created>",
        "bump": bump,
        "reason": reason,
        "editions": editions,
        "datapackage_sha256": sha256_file(folder / "datapackage.json"),
        "sha256sums_sha256": sha256_file(folder / "SHA256SUMS"),
        "file_bytes": {rel: (folder / rel).stat().st_size for rel in files_of(folder)},
    }


def first_entry(root: Path) -> dict:
    return catalog_entry(root, "1.0.0", None, "first release", [2019, 2022, 2024])


def edit_json(path: Path, change) -> None:
    data = read_json(path)
    change(data)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def field_of(schema: dict, name: str) -> dict:
    return next(f for f in schema["fields"] if f["name"] == name)


def test_first_publish_then_unchanged(project: Project):
    root = project.dataset_dir()

    first = publish_local(project)

    assert (first.status, first.version, first.folder, first.bump, first.summary) == (
        "published",
        "1.0.0",
        root / "1.0.0",
        None,
        "First release / eerste versie.",
    )
    assert first.rows == ROWS
    assert entries(root) == ["1.0.0", *DERIVED]
    assert files_of(root / "1.0.0") == VERSION_FILES
    assert os.readlink(root / "latest") == "1.0.0"
    assert catalog(root) == {
        "name": "werkonderzoek",
        "latest": "1.0.0",
        "versions": [first_entry(root)],
    }
    assert read_json(root / "1.0.0" / "changes.json") == {
        "version": "1.0.0",
        "previous": None,
        "bump": None,
        "required_bump": None,
        "side_files": registry.formats(),
        "summary": "first release",
        "schema_changes": [],
        "rows_added": [],
        "rows_removed": [],
        "rows_changed": [],
        "metadata_changed": [],
    }
    assert (root / "1.0.0" / "CHANGELOG.md").read_text(encoding="utf-8") == (
        "# 1.0.0\n\nFirst release.\n"
    )
    assert (root / "1.0.0" / "SHA256SUMS").read_text(encoding="utf-8").splitlines() == [
        f"{sha256_file(root / '1.0.0' / rel)}  {rel}"
        for rel in VERSION_FILES
        if rel != "SHA256SUMS"
    ]
    before = manifest(root)

    second = publish_local(project)

    assert (second.status, second.version, second.folder, second.bump, second.summary) == (
        "unchanged",
        "1.0.0",
        root / "1.0.0",
        None,
        "unchanged (latest is 1.0.0)",
    )
    assert versions(root) == ["1.0.0"]
    assert entries(root) == ["1.0.0", *DERIVED]
    assert manifest(root) == before
    assert verify_dataset(root) == (["1.0.0"], [])


def test_rebuild_from_a_separate_copy_is_byte_identical(project: Project, release: Project):
    publish_local(project)

    rebuilt = project.version_dir("1.0.0")
    original = release.version_dir("1.0.0")
    assert files_of(rebuilt / "data") == [p.removeprefix("data/") for p in DATA_FILES]
    assert {rel: (rebuilt / rel).read_bytes() for rel in DATA_FILES} == {
        rel: (original / rel).read_bytes() for rel in DATA_FILES
    }


def test_failure_in_staging_leaves_nothing(project: Project, release: Project, monkeypatch):
    """A first publish that fails its own checks, then a later one that crashes while writing
    the metadata: no version folder, no staging folder, the latest release untouched."""
    first_root = project.dataset_dir()

    def refuse(folder, tables):
        raise BuildFailed("the release failed its own checks: injected")

    monkeypatch.setattr(pipeline.release.publish, "verify_folder", refuse)
    with pytest.raises(BuildFailed, match="injected"):
        publish_local(project)
    assert entries(first_root) == []
    monkeypatch.undo()

    later = copy_release(release, project.root.parent / "later")
    root = later.dataset_dir()
    fill_missing_value(later)
    before = manifest(root)

    def crash(*args, **kwargs):
        raise RuntimeError("injected crash while writing metadata")

    monkeypatch.setattr(pipeline.release.publish, "write_metadata", crash)
    with pytest.raises(RuntimeError, match="injected crash"):
        publish_local(later)

    assert versions(root) == ["1.0.0"]
    assert entries(root) == ["1.0.0", *DERIVED]
    assert os.readlink(root / "latest") == "1.0.0"
    assert manifest(root) == before
    monkeypatch.undo()

    # the lock was released: the next run publishes
    assert publish_local(later).version == "1.0.1"


def test_leftover_staging_folder_is_swept(release: Project, tmp_path: Path):
    project = copy_release(release, tmp_path / "project")
    root = project.dataset_dir()
    leftover = root / ".staging-xyz"
    (leftover / "data").mkdir(parents=True)
    (leftover / "data" / "findings.csv").write_text("half a file", encoding="utf-8")
    fill_missing_value(project)

    result = publish_local(project)

    assert (result.status, result.version) == ("published", "1.0.1")
    assert entries(root) == ["1.0.0", "1.0.1", *DERIVED]


def test_leftover_staging_folder_is_swept_by_an_unchanged_build(release: Project, tmp_path):
    """publish_release itself sweeps, also when the build equals the latest release."""
    from pipeline.build.transform import build_tables
    from pipeline.core.config import load_config
    from pipeline.orchestrate.runner import validate_local

    project = copy_release(release, tmp_path / "project")
    root = project.dataset_dir()
    (root / ".staging-xyz").mkdir()
    report, inputs = validate_local(project)
    tables = build_tables(project.schemas, inputs)

    result = publish_release(project, tables, report, load_config(project.config_file))

    assert (result.status, result.version) == ("unchanged", "1.0.0")
    assert entries(root) == ["1.0.0", *DERIVED]


def test_lost_catalog_and_latest_are_restored(release: Project, tmp_path: Path):
    project = copy_release(release, tmp_path / "project")
    root = project.dataset_dir()
    expected = (root / "catalog.json").read_bytes()
    (root / "catalog.json").unlink()
    (root / "latest").unlink()

    result = publish_local(project)

    assert (result.status, result.version) == ("unchanged", "1.0.0")
    assert entries(root) == ["1.0.0", *DERIVED]
    assert (root / "catalog.json").read_bytes() == expected
    assert os.readlink(root / "latest") == "1.0.0"


def test_unchanged_publish_repairs_a_lost_catalog(project: Project):
    root = project.dataset_dir()
    publish_local(project)  # here, so the release's fingerprint is of the code as it is now
    (root / "catalog.json").unlink()
    (root / ".staging-xyz").mkdir()

    result = publish_local(project)

    assert (result.status, result.version) == ("unchanged", "1.0.0")
    assert entries(root) == ["1.0.0", *DERIVED]
    assert verify_dataset(root) == (["1.0.0"], [])


def test_crash_after_rename_is_rolled_forward(release: Project, tmp_path: Path, monkeypatch):
    project = copy_release(release, tmp_path / "project")
    root = project.dataset_dir()
    fill_missing_value(project)
    real = pipeline.release.publish.write_derived
    calls = []

    def crash_on_second_call(path):
        calls.append(path)
        if len(calls) == 2:
            raise RuntimeError("injected crash after the rename")
        real(path)

    monkeypatch.setattr(pipeline.release.publish, "write_derived", crash_on_second_call)
    with pytest.raises(RuntimeError, match="after the rename"):
        publish_local(project)
    monkeypatch.undo()

    assert calls == [root, root]
    assert versions(root) == ["1.0.0", "1.0.1"]
    assert os.readlink(root / "latest") == "1.0.0"
    assert verify_dataset(root) == (
        ["1.0.0", "1.0.1"],
        [
            "werkonderzoek/catalog.json: version 1.0.1 is not listed",
            "werkonderzoek/latest: does not point to 1.0.1 (`werkdata publish` rewrites it)",
        ],
    )

    result = publish_local(project)

    assert (result.status, result.version) == ("unchanged", "1.0.1")
    assert versions(root) == ["1.0.0", "1.0.1"]
    assert os.readlink(root / "latest") == "1.0.1"
    assert catalog(root) == {
        "name": "werkonderzoek",
        "latest": "1.0.1",
        "versions": [
            first_entry(root),
            catalog_entry(root, "1.0.1", "patch", "1 row(s) changed", [2019, 2022, 2024]),
        ],
    }
    assert verify_dataset(root) == (["1.0.0", "1.0.1"], [])


def test_lock_held_by_another_process(project: Project):
    root = project.dataset_dir()
    with lock_held_elsewhere(root) as holder:
        with pytest.raises(LockHeld) as caught:
            publish_release(project, {}, Report(), Config())
        info = json.loads(caught.value.holder)
        assert (info["pid"], info["host"]) == (holder.pid, socket.gethostname())
        assert sorted(info) == ["host", "pid", "since"]
        assert str(caught.value) == f"another run is publishing: {caught.value.holder}"
        assert caught.value.exit_code == 3
    assert entries(root) == []
    assert not (root / HOLDER).exists()


def test_raw_change_publishes_a_patch_and_keeps_the_old_version(release: Project, tmp_path):
    project = copy_release(release, tmp_path / "project")
    root = project.dataset_dir()
    old = manifest(root / "1.0.0")
    fill_missing_value(project)

    result = publish_local(project)

    assert (result.status, result.version, result.bump, result.summary) == (
        "published",
        "1.0.1",
        "patch",
        "1 row(s) changed",
    )
    assert manifest(root / "1.0.0") == old
    assert files_of(root / "1.0.1") == VERSION_FILES
    assert read_json(root / "1.0.1" / "changes.json") == VALUE_FILLED
    assert (root / "1.0.1" / "CHANGELOG.md").read_text(encoding="utf-8") == (
        "# 1.0.1 (after 1.0.0)\n"
        "\n"
        "Bump: patch. 1 row(s) changed.\n"
        "\n"
        "## Values changed\n"
        "\n"
        "- findings 2024/openbaar_bestuur/talent_aantrekken_voldoende: confidence: '' -> 'C', "
        "status: 'M' -> 'A', value: '' -> '38', value_label: '' -> '38%'\n"
    )
    readme = (root / "1.0.1" / "README.md").read_text(encoding="utf-8").splitlines()
    assert readme[0:3] == [
        "# Werkonderzoek: gepubliceerde uitkomsten / Werkonderzoek: published findings",
        "",
        f"Versie / version **1.0.1**, gemaakt / created "
        f"{read_json(root / '1.0.1' / 'datapackage.json')['created']}.",
    ]
    assert [line for line in readme if "1.0.0" in line] == [
        "Vorige versie / previous version: [1.0.0](../1.0.0/README.md) "
        "(see CHANGELOG.md and changes.json)."
    ]
    assert read_json(root / "1.0.1" / "datapackage.json")["version"] == "1.0.1"
    assert os.readlink(root / "latest") == "1.0.1"
    assert catalog(root)["versions"] == [
        first_entry(root),
        catalog_entry(root, "1.0.1", "patch", "1 row(s) changed", [2019, 2022, 2024]),
    ]
    assert verify_dataset(root) == (["1.0.0", "1.0.1"], [])


def test_new_edition_publishes_a_minor(release: Project, tmp_path: Path):
    project = copy_release(release, tmp_path / "project")
    root = project.dataset_dir()
    shutil.copytree(project.raw / "2019", project.raw / "2025")
    yaml_path = project.raw / "2025" / "edition.yaml"
    yaml_path.write_text(
        yaml_path.read_text(encoding="utf-8").replace("Werkonderzoek 2019", "Werkonderzoek 2025"),
        encoding="utf-8",
    )

    result = publish_local(project)

    assert (result.status, result.version, result.bump, result.summary) == (
        "published",
        "1.1.0",
        "minor",
        "2 row(s) added; metadata changed: description",  # it lists the editions
    )
    descriptor = read_json(root / "1.1.0" / "datapackage.json")
    assert "(2019, 2022, 2024, 2025)" in descriptor["description"]
    changes = read_json(root / "1.1.0" / "changes.json")
    assert [(c["table"], c["key"]) for c in changes["rows_added"]] == [
        ("editions", ["2025"]),
        ("findings", ["2025", "gemeenten_nieuwkomers", "reden_salaris"]),
    ]
    assert changes["rows_added"][1]["row"]["value"] == "23"
    assert changes["rows_added"][1]["row"]["change_pp"] == "-25"
    assert changes["rows_added"][1]["row"]["change_from_edition"] == "2024"
    assert (changes["rows_removed"], changes["rows_changed"], changes["schema_changes"]) == (
        [],
        [],
        [],
    )
    assert catalog(root)["versions"][-1] == catalog_entry(
        root,
        "1.1.0",
        "minor",
        "2 row(s) added; metadata changed: description",
        [2019, 2022, 2024, 2025],
    )


def set_value_maximum(value):
    def change(schema):
        field_of(schema, "value")["constraints"]["maximum"] = value

    return "findings.schema.json", change


def describe_value(schema):
    field_of(schema, "value")["description"] = "Het aandeel in procenten. / The share in percent."


def drop_position_minimum(schema):
    del field_of(schema, "position")["constraints"]["minimum"]


def add_keyword(meta):
    meta["keywords"].append("open data")


@pytest.mark.parametrize(
    ("file", "change", "version", "schema_changes", "metadata_changed"),
    [
        (
            "findings.schema.json",
            describe_value,
            "1.0.1",
            [],
            ["resource findings: description of value"],
        ),
        ("dataset.json", add_keyword, "1.0.1", [], ["keywords"]),
        (
            *set_value_maximum(200),
            "1.1.0",
            [
                {
                    "table": "findings",
                    "field": "value",
                    "bump": "minor",
                    "change": "constraint maximum: 100 -> 200",
                }
            ],
            [],
        ),
        (
            "conclusions.schema.json",
            drop_position_minimum,
            "1.1.0",
            [
                {
                    "table": "conclusions",
                    "field": "position",
                    "bump": "minor",
                    "change": "constraint minimum: 1 -> None",
                }
            ],
            [],
        ),
        (
            *set_value_maximum(99),
            "2.0.0",
            [
                {
                    "table": "findings",
                    "field": "value",
                    "bump": "major",
                    "change": "constraint maximum: 100 -> 99",
                }
            ],
            [],
        ),
    ],
    ids=[
        "description-patch",
        "keyword-patch",
        "loosen-minor",
        "drop-minimum-minor",
        "tighten-major",
    ],
)
def test_schema_change_bumps(
    release, tmp_path, file, change, version, schema_changes, metadata_changed
):
    project = copy_release(release, tmp_path / "project")
    root = project.dataset_dir()
    edit_json(project.schemas / file, change)

    result = publish_local(project)

    bump = {"1.0.1": "patch", "1.1.0": "minor", "2.0.0": "major"}[version]
    assert (result.status, result.version, result.bump) == ("published", version, bump)
    changes = read_json(root / version / "changes.json")
    assert changes["schema_changes"] == schema_changes
    assert changes["metadata_changed"] == metadata_changed
    assert (changes["rows_added"], changes["rows_removed"], changes["rows_changed"]) == (
        [],
        [],
        [],
    )
    assert versions(root) == ["1.0.0", version]


def test_dropping_a_field_is_major(release: Project, tmp_path: Path):
    """change_from_edition is computed by findings.sql, not read from raw/: dropping it from the
    schema needs no other edit (the build publishes the schema's columns only)."""
    project = copy_release(release, tmp_path / "project")
    root = project.dataset_dir()
    edit_json(
        project.schemas / "findings.schema.json",
        lambda s: s["fields"].remove(field_of(s, "change_from_edition")),
    )
    with (root / "1.0.0" / "data" / "findings.csv").open(encoding="utf-8", newline="") as f:
        old_rows = list(csv.DictReader(f))

    result = publish_local(project)

    assert (result.status, result.version, result.bump) == ("published", "2.0.0", "major")
    changes = read_json(root / "2.0.0" / "changes.json")
    assert changes["schema_changes"] == [
        {
            "table": "findings",
            "field": "change_from_edition",
            "change": "field removed",
            "bump": "major",
        }
    ]
    key = ("edition", "population_id", "indicator_id")
    assert changes["rows_changed"] == [
        {
            "table": "findings",
            "key": [row[k] for k in key],
            "old": {"change_from_edition": row["change_from_edition"]},
            "new": {"change_from_edition": None},
        }
        for row in sorted(old_rows, key=lambda r: tuple(r[k] for k in key))
        if row["change_from_edition"]  # a field removed where it was empty is no row change
    ]
    assert 0 < len(changes["rows_changed"]) < 28
    assert (changes["rows_added"], changes["rows_removed"], changes["metadata_changed"]) == (
        [],
        [],
        [],
    )
    header = (root / "2.0.0" / "data" / "findings.csv").read_text(encoding="utf-8").split("\n")[0]
    assert "change_from_edition" not in header.split(",")
    assert verify_dataset(root) == (["1.0.0", "2.0.0"], [])


def test_bump_option_raises_but_never_lowers(release: Project, tmp_path: Path):
    raised = copy_release(release, tmp_path / "raised")
    fill_missing_value(raised)
    assert publish_local(raised, bump="minor").version == "1.1.0"

    kept = copy_release(release, tmp_path / "kept")
    edit_json(kept.schemas / "findings.schema.json", set_value_maximum(99)[1])
    assert publish_local(kept, bump="patch").version == "2.0.0"


# --- on a copy of the repository's own releases (1.0.0 and 1.0.1) ----------------------------


@pytest.fixture
def committed(tmp_path: Path) -> Project:
    """A copy of the project with the repository's published/ (1.0.0, 1.0.1) as committed."""
    project = copy_project(tmp_path / "project")
    project.published.rmdir()
    shutil.copytree(REPO / "published", project.published, symlinks=True)
    return project


def state(root: Path) -> dict[str, str]:
    """Every file of a dataset folder by sha256, and where latest points (not the lock file,
    which filelock leaves behind)."""
    files = {rel: digest for rel, digest in manifest(root).items() if rel != LOCK}
    return {**files, "latest ->": os.readlink(root / "latest")}


def raised_formats(root: Path) -> list[str]:
    """The changelog lines of the side files this code makes anew for the latest release: one
    per generator whose FORMAT was raised since it (none once that PATCH is published)."""
    made = read_json(root / "latest" / "changes.json").get("side_files", {})
    return [
        f"files made anew: {label} (format {made[label]} -> {fmt})"
        for label, fmt in sorted(registry.formats().items())
        if label in made and made[label] != fmt
    ]


def up_to_date(project: Project) -> str:
    """The latest version once the releases are up to date for this code: when it raised a
    generator's FORMAT, the PATCH that makes those files anew (what the next publish of the
    repository's published/ does) is published first, and must change nothing else."""
    root = project.dataset_dir()
    if raised := raised_formats(root):
        result = publish_local(project)
        summary = "metadata changed: " + ", ".join(raised)
        assert (result.status, result.summary) == ("published", summary)
    return os.readlink(root / "latest")


def patch_after(version: str) -> str:
    major, minor, patch = map(int, version.split("."))
    return f"{major}.{minor}.{patch + 1}"


def test_publish_on_the_committed_releases_carries_their_pins_forward(committed: Project):
    root = committed.dataset_dir()
    after = patch_after(up_to_date(committed))
    earlier = read_json(root / "catalog.json")["versions"]
    fill_missing_value(committed)

    result = publish_local(committed)

    assert (result.status, result.version) == ("published", after)
    entries = read_json(root / "catalog.json")["versions"]
    assert entries[:-1] == earlier
    entries[-1]["created"] = "<created>"
    assert entries[-1] == catalog_entry(
        root, after, "patch", "1 row(s) changed", [2019, 2022, 2024]
    )
    assert verify_dataset(root) == ([e["version"] for e in entries], [])


def test_the_committed_releases_are_unchanged_for_this_code(committed: Project):
    """The code of this change builds what the committed latest release holds, apart from the
    side files whose FORMAT it raised (up_to_date): nothing to publish."""
    root = committed.dataset_dir()
    latest = up_to_date(committed)
    before = state(root)

    result = publish_local(committed)

    assert (result.status, result.summary) == ("unchanged", f"unchanged (latest is {latest})")
    assert state(root) == before


def test_a_lost_latest_is_rolled_forward_on_the_committed_releases(committed: Project):
    root = committed.dataset_dir()
    latest = up_to_date(committed)
    before = state(root)
    (root / "latest").unlink()

    assert publish_local(committed).summary == f"unchanged (latest is {latest})"
    assert state(root) == before


def tamper_page(root: Path) -> list[str]:
    size = (root / "1.0.1" / "index.html").stat().st_size
    append_with_checksum(root / "1.0.1", "index.html", b"<p>added</p>\n")
    return [
        "1.0.1/SHA256SUMS: sha256 differs from catalog.json",
        f"1.0.1/index.html: {size + 13} bytes, catalog.json says {size}",
    ]


def flip_parquet(root: Path) -> list[str]:
    path = root / "1.0.0" / "data" / "findings.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    return [
        "1.0.0/data/findings.parquet: sha256 differs from SHA256SUMS",
        "1.0.0/data/findings.parquet: sha256 differs from datapackage.json",
    ]


def catalog_a_list(root: Path) -> list[str]:
    (root / "catalog.json").write_text("[]\n", encoding="utf-8")
    return ["werkonderzoek/catalog.json: the document is a list, expected an object"]


def unpin(root: Path) -> list[str]:
    def drop(catalog):
        for key in ("sha256sums_sha256", "file_bytes"):
            del catalog["versions"][1][key]

    edit_json(root / "catalog.json", drop)
    return [
        "werkonderzoek/catalog.json: 1.0.1 is unpinned (no sha256sums_sha256 and file_bytes); "
        "restore catalog.json from the publication's record (git)"
    ]


def unlisted(version: str, newest: str) -> str:
    return (
        f"werkonderzoek/catalog.json: {version} is not listed, but is older than {newest} (only "
        "the newest version can land before the catalog); "
        "restore catalog.json from the publication's record (git)"
    )


def committed_versions(root: Path) -> list[str]:
    return [e["version"] for e in read_json(root / "catalog.json")["versions"]]


def unlist_the_older(root: Path) -> list[str]:
    versions = committed_versions(root)
    edit_json(root / "catalog.json", lambda c: c["versions"].pop(0))
    return [unlisted(versions[0], versions[-1])]


def remove_a_release(root: Path) -> list[str]:
    shutil.rmtree(root / "1.0.0")
    return ["werkonderzoek/catalog.json: lists 1.0.0, which has no folder"]


def lose_the_catalog(root: Path) -> list[str]:
    versions = committed_versions(root)
    (root / "catalog.json").unlink()
    return [unlisted(version, versions[-1]) for version in versions[:-1]]


@pytest.mark.parametrize(
    "damage",
    [
        tamper_page,
        flip_parquet,
        catalog_a_list,
        unpin,
        unlist_the_older,
        remove_a_release,
        lose_the_catalog,
    ],
)
def test_publish_refuses_a_damaged_publication_and_changes_nothing(committed: Project, damage):
    root = committed.dataset_dir()
    problems = damage(root)
    before = state(root)
    fill_missing_value(committed)  # a real change, so publish has a version to make

    with pytest.raises(IntegrityError) as caught:
        publish_local(committed)

    assert (caught.value.problems, caught.value.exit_code) == (problems, 4)
    assert state(root) == before


def test_the_allowed_dcat_values_come_from_the_project(project: Project):
    """A project that does not allow CC0 gets its release refused, though the code's own
    repository allows it."""
    path = project.schemas / "dcat" / "allowed-values.json"
    allowed = read_json(path)
    licences = allowed["roles"]["license"]["values"]
    allowed["roles"]["license"]["values"] = [v for v in licences if "zero/1.0" not in v["uri"]]
    path.write_text(json.dumps(allowed), encoding="utf-8")

    with pytest.raises(BuildFailed) as caught:
        publish_local(project)

    assert str(caught.value) == (
        "DCAT: http://creativecommons.org/publicdomain/zero/1.0/deed.nl is not an allowed "
        "license value (schemas/dcat/allowed-values.json); the portal would not accept it"
    )
    assert versions(project.dataset_dir()) == []
