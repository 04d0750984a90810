"""verify_dataset on a copy of a published tree: intact, then broken in one way at a time."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline.files import sha256_file
from pipeline.paths import Project
from pipeline.verify import folder_problems, frictionless_problems, verify_dataset


@pytest.fixture
def root(release: Project, tmp_path: Path) -> Path:
    """A writable copy of the release's published/werkonderzoek (1.0.0, catalog, latest)."""
    shutil.copytree(release.published, tmp_path / "published", symlinks=True)
    return tmp_path / "published" / "werkonderzoek"


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_intact(root: Path):
    assert os.readlink(root / "latest") == "1.0.0"
    assert verify_dataset(root) == (["1.0.0"], [])


def test_nothing_published(tmp_path: Path):
    assert verify_dataset(tmp_path / "werkonderzoek") == ([], [])


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
    ]


def test_extra_file(root: Path):
    (root / "1.0.0" / "data" / "extra.csv").write_text("a,b\n", encoding="utf-8")

    assert verify_dataset(root)[1] == ["1.0.0/data/extra.csv: not recorded in SHA256SUMS"]


def test_catalog_missing_a_version(root: Path):
    path = root / "catalog.json"
    catalog = json.loads(path.read_text(encoding="utf-8"))
    catalog["versions"] = []
    path.write_text(json.dumps(catalog), encoding="utf-8")

    assert verify_dataset(root)[1] == ["werkonderzoek/catalog.json: version 1.0.0 is not listed"]


def test_catalog_listing_a_version_without_folder(root: Path):
    path = root / "catalog.json"
    catalog = json.loads(path.read_text(encoding="utf-8"))
    catalog["versions"].append({**catalog["versions"][0], "version": "1.0.1"})
    path.write_text(json.dumps(catalog), encoding="utf-8")

    assert verify_dataset(root)[1] == [
        "werkonderzoek/catalog.json: lists 1.0.1, which has no folder"
    ]


def test_catalog_and_latest_gone(root: Path):
    (root / "catalog.json").unlink()
    (root / "latest").unlink()

    assert verify_dataset(root)[1] == [
        "werkonderzoek/catalog.json: missing",
    ]


def test_latest_pointing_elsewhere(root: Path):
    (root / "latest").unlink()
    (root / "latest").symlink_to("0.9.0")

    assert verify_dataset(root)[1] == ["werkonderzoek/latest: does not point to 1.0.0"]


def test_datapackage_edited_with_its_checksums(root: Path):
    """Rewriting datapackage.json and SHA256SUMS together is still caught by the catalog."""
    folder = root / "1.0.0"
    path = folder / "datapackage.json"
    path.write_bytes(path.read_bytes().replace(b'"title": "Werkonderzoek', b'"title": "Werk', 1))
    sums = folder / "SHA256SUMS"
    lines = [
        line
        if not line.endswith("  datapackage.json")
        else f"{sha256_file(path)}  datapackage.json"
        for line in sums.read_text(encoding="utf-8").splitlines()
    ]
    sums.write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert verify_dataset(root)[1] == [
        "werkonderzoek/1.0.0/datapackage.json: sha256 differs from catalog.json"
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
    with (root / "1.0.0" / "SHA256SUMS").open("a", encoding="utf-8") as handle:
        handle.write("not a checksum line\n")

    assert verify_dataset(root)[1] == ["1.0.0/SHA256SUMS: a line is not '<sha256>  <path>'"]


def test_missing_checksums(root: Path):
    (root / "1.0.0" / "SHA256SUMS").unlink()

    assert verify_dataset(root)[1] == ["1.0.0/SHA256SUMS: missing"]


def test_catalog_not_json(root: Path):
    """Reported, not a crash (json.loads raised JSONDecodeError)."""
    (root / "catalog.json").write_text("{", encoding="utf-8")

    assert verify_dataset(root)[1] == [
        "werkonderzoek/catalog.json: not valid JSON "
        "(Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"
    ]


def test_with_frictionless_on_intact_release(root: Path):
    assert folder_problems(root / "1.0.0") == []
    assert frictionless_problems(root / "1.0.0") == []
