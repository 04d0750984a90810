"""verify_dataset on copies of published trees (the session release, and the repository's own
published/ with 1.0.0 and 1.0.1): intact, then broken in one way at a time, and the damaged
records refused with exit 4 by every command that reads them."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline.core.errors import IntegrityError
from pipeline.core.paths import Project
from pipeline.release.pins import pins_of
from pipeline.release.records import read_catalog, read_checksums, read_descriptor, version_key
from pipeline.release.verify import folder_problems, frictionless_problems, verify_dataset
from tests.helpers import REPO, run_werkdata
from tests.release.checksums import append_with_checksum

REBUILT = "differs from the one rebuilt from the releases"


@pytest.fixture
def root(release: Project, tmp_path: Path) -> Path:
    """A writable copy of the release's published/werkonderzoek (1.0.0, catalog, latest)."""
    shutil.copytree(release.published, tmp_path / "published", symlinks=True)
    return tmp_path / "published" / "werkonderzoek"


@pytest.fixture
def real(tmp_path: Path) -> Path:
    """A writable copy of the repository's own published/werkonderzoek (1.0.0 and 1.0.1), in a
    project folder of its own (tmp_path/project)."""
    shutil.copytree(REPO / "published", tmp_path / "project" / "published", symlinks=True)
    return tmp_path / "project" / "published" / "werkonderzoek"


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def edit_catalog(root: Path, change) -> None:
    path = root / "catalog.json"
    catalog = json.loads(path.read_text(encoding="utf-8"))
    change(catalog)
    path.write_text(json.dumps(catalog, indent=2) + "\n", encoding="utf-8")


def committed_versions(real: Path) -> list[str]:
    """The version folders in the repository's publication, oldest first (from 1.0.0 on)."""
    folders = [p.name for p in real.iterdir() if p.is_dir() and p.name[0].isdigit()]
    found = sorted(folders, key=version_key)
    assert found[:2] == ["1.0.0", "1.0.1"]
    return found


def test_the_committed_publication_is_intact(real: Path):
    """The repository's releases match their pins, and the dataset-level files rebuild
    byte-identical from them."""
    assert verify_dataset(real) == (committed_versions(real), [])


def test_the_committed_pins_are_the_files_pins(real: Path):
    """The migration pinned each committed release with exactly what its files are."""
    catalog = read_catalog(real)
    assert [e["version"] for e in catalog["versions"]] == committed_versions(real)
    for entry in catalog["versions"]:
        pins = pins_of(real / entry["version"])
        assert {k: entry[k] for k in pins} == pins
        assert sorted(pins["file_bytes"]) == sorted(
            [*read_checksums(real / entry["version"]), "SHA256SUMS"]
        )


def test_intact(root: Path):
    assert os.readlink(root / "latest") == "1.0.0"
    assert verify_dataset(root) == (["1.0.0"], [])


def test_nothing_published(tmp_path: Path):
    assert verify_dataset(tmp_path / "werkonderzoek") == ([], [])


def test_page_appended_with_its_checksum_line(real: Path):
    """The threat model's case (docs/reliability.md): SHA256SUMS rewritten to match is caught by
    its pin and the size."""
    before = (real / "1.0.1" / "index.html").stat().st_size
    append_with_checksum(real / "1.0.1", "index.html", b"<p>added</p>\n")

    assert verify_dataset(real)[1] == [
        "1.0.1/SHA256SUMS: sha256 differs from catalog.json",
        f"1.0.1/index.html: {before + 13} bytes, catalog.json says {before}",
    ]


def test_same_size_edit_with_its_checksum_line(real: Path):
    """A same-size change: the size pin holds, the pin of SHA256SUMS does not."""
    flip_byte(real / "1.0.0" / "README.md", 10)
    append_with_checksum(real / "1.0.0", "README.md", b"")

    assert verify_dataset(real)[1] == ["1.0.0/SHA256SUMS: sha256 differs from catalog.json"]


def test_cli_exit_4_for_the_tampered_page(real: Path):
    append_with_checksum(real / "1.0.1", "index.html", b"<p>added</p>\n")

    result = run_werkdata("verify", cwd=real.parent.parent)

    size = (real / "1.0.1" / "index.html").stat().st_size
    assert (result.returncode, result.stdout, result.stderr) == (
        4,
        "",
        "werkdata verify: integrity check failed\n"
        "  1.0.1/SHA256SUMS: sha256 differs from catalog.json\n"
        f"  1.0.1/index.html: {size} bytes, catalog.json says {size - 13}\n",
    )


@pytest.mark.parametrize("name", ["index.html", "dcat.jsonld", "dcat.ttl"])
def test_a_changed_dataset_level_file(real: Path, name: str):
    path = real / name
    path.write_bytes(path.read_bytes() + b"\n")

    assert verify_dataset(real)[1] == [f"werkonderzoek/{name}: {REBUILT}"]


def test_cli_exit_4_for_a_changed_dataset_page(real: Path):
    path = real / "index.html"
    path.write_bytes(path.read_bytes().replace(b"<h1", b"<h1 hidden", 1))

    result = run_werkdata("verify", cwd=real.parent.parent)

    assert (result.returncode, result.stdout, result.stderr) == (
        4,
        "",
        f"werkdata verify: integrity check failed\n  werkonderzoek/index.html: {REBUILT}\n",
    )


def test_a_missing_dataset_level_file(real: Path):
    (real / "dcat.ttl").unlink()

    assert verify_dataset(real)[1] == [
        "werkonderzoek/dcat.ttl: missing (`werkdata publish` rewrites it)"
    ]


def test_a_changed_reason_in_the_catalog(real: Path):
    edit_catalog(real, lambda c: c["versions"][0].update(reason="first release!"))

    assert verify_dataset(real)[1] == [f"werkonderzoek/catalog.json: {REBUILT}"]


def test_a_changed_pin_in_the_catalog(real: Path):
    def change(catalog):
        catalog["versions"][1]["file_bytes"]["views.sql"] += 1
        catalog["versions"][0]["sha256sums_sha256"] = "0" * 64

    edit_catalog(real, change)
    size = (real / "1.0.1" / "views.sql").stat().st_size

    assert verify_dataset(real)[1] == [
        "1.0.0/SHA256SUMS: sha256 differs from catalog.json",
        f"1.0.1/views.sql: {size} bytes, catalog.json says {size + 1}",
    ]


def test_a_file_the_pins_do_not_know(real: Path):
    edit_catalog(real, lambda c: c["versions"][1]["file_bytes"].pop("views.sql"))

    assert verify_dataset(real)[1] == ["1.0.1/views.sql: not recorded in catalog.json"]


def test_an_unpinned_entry(real: Path):
    def unpin(catalog):
        for key in ("sha256sums_sha256", "file_bytes"):
            del catalog["versions"][0][key]

    edit_catalog(real, unpin)

    assert verify_dataset(real)[1] == [
        "werkonderzoek/catalog.json: 1.0.0 is unpinned (no sha256sums_sha256 and file_bytes); "
        "restore catalog.json from the publication's record (git)"
    ]


def test_flipped_byte_in_parquet(root: Path):
    path = root / "1.0.0" / "data" / "findings.parquet"
    flip_byte(path, path.stat().st_size // 2)

    assert verify_dataset(root) == (
        ["1.0.0"],
        [
            "1.0.0/data/findings.parquet: sha256 differs from SHA256SUMS",
            "1.0.0/data/findings.parquet: sha256 differs from datapackage.json",
        ],
    )


def test_deleted_csv(root: Path):
    (root / "1.0.0" / "data" / "themes.csv").unlink()

    assert verify_dataset(root) == (["1.0.0"], ["1.0.0/data/themes.csv: missing"])


def test_truncated_csv(root: Path):
    path = root / "1.0.0" / "data" / "themes.csv"
    path.write_bytes(path.read_bytes()[:100])

    assert verify_dataset(root)[1] == [
        "1.0.0/data/themes.csv: sha256 differs from SHA256SUMS",
        "1.0.0/data/themes.csv: 100 bytes, datapackage.json says 772",
        "1.0.0/data/themes.csv: sha256 differs from datapackage.json",
        "1.0.0/data/themes.csv: 100 bytes, catalog.json says 772",
    ]


def test_extra_file(root: Path):
    (root / "1.0.0" / "data" / "extra.csv").write_text("a,b\n", encoding="utf-8")

    assert verify_dataset(root)[1] == [
        "1.0.0/data/extra.csv: not recorded in SHA256SUMS",
        "1.0.0/data/extra.csv: not recorded in catalog.json",
    ]


def test_catalog_missing_a_version(root: Path):
    edit_catalog(root, lambda c: c.update(versions=[]))

    assert verify_dataset(root)[1] == ["werkonderzoek/catalog.json: version 1.0.0 is not listed"]


def test_catalog_listing_a_version_without_folder(root: Path):
    edit_catalog(root, lambda c: c["versions"].append({**c["versions"][0], "version": "1.0.1"}))

    assert verify_dataset(root)[1] == [
        "werkonderzoek/catalog.json: lists 1.0.1, which has no folder"
    ]


def test_catalog_and_latest_gone(root: Path):
    (root / "catalog.json").unlink()
    (root / "latest").unlink()

    assert verify_dataset(root)[1] == [
        "werkonderzoek/catalog.json: missing",
        "werkonderzoek/latest: does not point to 1.0.0 (`werkdata publish` rewrites it)",
    ]


def test_latest_pointing_elsewhere(root: Path):
    (root / "latest").unlink()
    (root / "latest").symlink_to("0.9.0")

    assert verify_dataset(root)[1] == [
        "werkonderzoek/latest: does not point to 1.0.0 (`werkdata publish` rewrites it)"
    ]


def test_datapackage_edited_with_its_checksums(root: Path):
    """Rewriting datapackage.json and SHA256SUMS together is still caught by the catalog."""
    folder = root / "1.0.0"
    path = folder / "datapackage.json"
    size = path.stat().st_size
    path.write_bytes(path.read_bytes().replace(b'"title": "Werkonderzoek', b'"title": "Werk', 1))
    append_with_checksum(folder, "datapackage.json", b"")

    assert verify_dataset(root)[1] == [
        "1.0.0/datapackage.json: sha256 differs from catalog.json",
        "1.0.0/SHA256SUMS: sha256 differs from catalog.json",
        f"1.0.0/datapackage.json: {size - 9} bytes, catalog.json says {size}",
    ]


def test_datapackage_removed_with_its_checksum_line(root: Path):
    """Reported, not a crash (verify read the missing file and raised FileNotFoundError)."""
    folder = root / "1.0.0"
    (folder / "datapackage.json").unlink()
    sums = folder / "SHA256SUMS"
    lines = sums.read_text(encoding="utf-8").splitlines(keepends=True)
    sums.write_text("".join(x for x in lines if not x.endswith("  datapackage.json\n")))

    assert folder_problems(folder) == ["1.0.0/datapackage.json: missing"]


def test_malformed_checksums_line(root: Path):
    """Reported, not a crash (a line without two spaces raised ValueError)."""
    sums = root / "1.0.0" / "SHA256SUMS"
    count = len(sums.read_text(encoding="utf-8").splitlines())
    with sums.open("a", encoding="utf-8") as handle:
        handle.write("not a checksum line\n")

    assert folder_problems(root / "1.0.0") == [
        f"1.0.0/SHA256SUMS: line {count + 1} is not '<sha256>  <path>'"
    ]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (f"{'0' * 64}  ../catalog.json", "line 1 names a path outside the release"),
        (f"{'0' * 64}  /etc/passwd", "line 1 names a path outside the release"),
        (f"{'A' * 64}  README.md", "line 1 is not '<sha256>  <path>'"),
        (f"{'0' * 64}  README.md\n{'1' * 64}  README.md", "line 2 repeats README.md"),
    ],
    ids=["parent", "absolute", "upper-case", "twice"],
)
def test_checksums_that_do_not_fit_their_shape(tmp_path: Path, line: str, problem: str):
    folder = tmp_path / "1.0.0"
    folder.mkdir()
    (folder / "SHA256SUMS").write_text(line + "\n", encoding="utf-8")

    with pytest.raises(IntegrityError) as caught:
        read_checksums(folder)
    assert caught.value.problems == [f"1.0.0/SHA256SUMS: {problem}"]


def test_missing_checksums(root: Path):
    (root / "1.0.0" / "SHA256SUMS").unlink()

    assert verify_dataset(root)[1] == ["1.0.0/SHA256SUMS: missing"]


COLUMN_2 = "line 1 column 2 (char 1))"
CATALOG_SHAPES = [
    ("[]", ["the document is a list, expected an object"]),
    (
        '{"versions": 3}',
        [
            "the document has no name",
            "the document has no latest",
            "versions is 3, expected a list",
        ],
    ),
    (
        '{"name": "werkonderzoek", "latest": "1.0.0", "versions": 3}',
        ["versions is 3, expected a list"],
    ),
    (
        '{"name": "werkonderzoek", "latest": "1.0.0", "versions": [{"created": null}]}',
        [
            "versions[0] has no version",
            "versions[0] has no bump",
            "versions[0] has no reason",
            "versions[0] has no editions",
            "versions[0] has no datapackage_sha256",
        ],
    ),
    (
        '{"name": "werkonderzoek", "latest": "1.0", "versions": ["1.0.0"]}',
        ['latest is "1.0", expected a version such as 1.0.0'],
    ),
    ("{", ["not valid JSON (Expecting property name enclosed in double quotes: " + COLUMN_2]),
    ("\xff", ["not UTF-8 text (byte 0)"]),
    ("[" * 100_000, ["nested too deeply to read"]),
]


@pytest.mark.parametrize(("text", "problems"), CATALOG_SHAPES, ids=lambda v: str(v)[:20])
def test_catalog_of_the_wrong_shape(root: Path, text: str, problems: list[str]):
    (root / "catalog.json").write_bytes(text.encode("latin-1"))

    with pytest.raises(IntegrityError) as caught:
        read_catalog(root)
    assert caught.value.problems == [f"werkonderzoek/catalog.json: {p}" for p in problems]
    assert verify_dataset(root) == (["1.0.0"], caught.value.problems)


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        (lambda e: e.update(version=3), ["version is 3, expected a version such as 1.0.0"]),
        (lambda e: e.update(editions="2019"), ['editions is "2019", expected a list of years']),
        (lambda e: e.pop("file_bytes"), ["has no file_bytes"]),
        (
            lambda e: e["file_bytes"].update({"../x": 1}),
            ["file_bytes is not an object of sizes by release path"],
        ),
        (
            lambda e: e.update(sha256sums_sha256="abc"),
            ['sha256sums_sha256 is "abc", expected a sha256 (64 hex digits)'],
        ),
    ],
    ids=["version", "editions", "one-pin", "pin-path", "pin-digest"],
)
def test_catalog_entry_of_the_wrong_shape(root: Path, change, problems: list[str]):
    edit_catalog(root, lambda c: change(c["versions"][0]))

    name = "werkonderzoek/catalog.json: versions[0]"
    assert verify_dataset(root)[1] == [
        f"{name} {p}" if p.startswith("has ") else f"{name}.{p}" for p in problems
    ]


def test_catalog_listing_a_version_twice(root: Path):
    edit_catalog(root, lambda c: c["versions"].append(c["versions"][0]))

    assert verify_dataset(root)[1] == ["werkonderzoek/catalog.json: versions[1] lists 1.0.0 again"]


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        (lambda d: d.update(resources=3), ["resources is 3, expected a list"]),
        (lambda d: d.pop("created"), ["the document has no created"]),
        (
            lambda d: d["resources"][0].update(path="../../catalog.json"),
            ['resources[0].path is "../../catalog.json", expected a path inside the release'],
        ),
        (
            lambda d: d["resources"][1].update(bytes="many"),
            ['resources[1].bytes is "many", expected a number of bytes'],
        ),
        (lambda d: d["resources"][2].pop("schema"), ["resources[2] has no schema"]),
    ],
    ids=["resources", "created", "path", "bytes", "schema"],
)
def test_datapackage_of_the_wrong_shape(root: Path, change, problems: list[str]):
    path = root / "1.0.0" / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor), encoding="utf-8")

    with pytest.raises(IntegrityError) as caught:
        read_descriptor(root / "1.0.0")
    expected = [f"1.0.0/datapackage.json: {p}" for p in problems]
    assert caught.value.problems == expected
    assert folder_problems(root / "1.0.0") == [
        "1.0.0/datapackage.json: sha256 differs from SHA256SUMS",
        *expected,
    ]


@pytest.mark.parametrize(
    "args",
    [("verify",), ("versions",), ("query", "SELECT 1"), ("shell",), ("publish", "--local")],
    ids=lambda a: a[0],
)
def test_every_command_exits_4_on_a_catalog_of_the_wrong_shape(real: Path, args):
    (real / "catalog.json").write_text("[]\n", encoding="utf-8")
    project = real.parent.parent
    shutil.copytree(REPO / "raw", project / "raw")
    shutil.copytree(REPO / "schemas", project / "schemas")
    shutil.copy2(REPO / "werkdata.toml", project / "werkdata.toml")

    result = run_werkdata(*args, cwd=project)

    assert (result.returncode, result.stdout, result.stderr) == (
        4,
        "",
        f"werkdata {args[0]}: integrity check failed\n"
        "  werkonderzoek/catalog.json: the document is a list, expected an object\n",
    )


def test_with_frictionless_on_intact_release(root: Path):
    assert folder_problems(root / "1.0.0") == []
    assert frictionless_problems(root / "1.0.0") == []
