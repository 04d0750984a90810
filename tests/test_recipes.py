"""The recipes of docs/design.md, each done once here on a copy of the project: a side file
added through the registry, a new edition, and a new rule's place in the report."""

from __future__ import annotations

import shutil
import types

from pipeline.orchestrate.runner import publish_local
from pipeline.release.records import read_checksums, read_descriptor
from pipeline.release.verify import verify_dataset
from pipeline.render import registry
from tests.helpers import copy_project

TOY = types.SimpleNamespace(
    FORMAT=1,
    LABEL="toy.txt (a recipe's example)",
    release_files=lambda release, files: {
        "toy.txt": f"werkonderzoek {release.version}: {len(files)} files before me\n".encode()
    },
)


def test_a_side_file_added_through_the_registry_is_released_listed_and_verified(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(registry, "GENERATORS", (*registry.GENERATORS, TOY))
    project = copy_project(tmp_path / "project")
    result = publish_local(project)

    toy = result.folder / "toy.txt"
    assert toy.read_text(encoding="utf-8").startswith("werkonderzoek 1.0.0: ")
    assert "toy.txt" in read_checksums(result.folder)
    assert verify_dataset(project.dataset_dir()) == (["1.0.0"], [])

    toy.write_text("changed\n", encoding="utf-8")
    assert verify_dataset(project.dataset_dir())[1][:1] == [
        "1.0.0/toy.txt: sha256 differs from SHA256SUMS"
    ]


def test_a_new_edition_is_a_minor_version(tmp_path):
    project = copy_project(tmp_path / "project")
    publish_local(project)
    new = project.raw / "2026"
    shutil.copytree(project.raw / "2024", new)
    for name in ("findings.csv", "conclusions.csv"):
        (new / name).unlink(missing_ok=True)
    header = (project.raw / "2024" / "findings.csv").read_text(encoding="utf-8").splitlines()[0]
    (new / "findings.csv").write_text(
        header + "\nopenbaar_bestuur,tevreden_organisatie,,M,,,wo2024-infographic,"
        "is tevreden over de organisatie,Recept-test: een editie zonder cijfer.\n",
        encoding="utf-8",
    )
    edition = (new / "edition.yaml").read_text(encoding="utf-8")
    (new / "edition.yaml").write_text(edition.replace("2024", "2026"), encoding="utf-8")

    result = publish_local(project)

    assert (result.status, result.version, result.bump) == ("published", "1.1.0", "minor")
    editions = [r["name"] for r in read_descriptor(result.folder)["resources"]]
    assert "editions" in editions
    rows = (result.folder / "data" / "editions.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in rows[1:]] == ["2019", "2022", "2024", "2026"]
