"""The life of a publication, scripted on a temporary copy: first release, an unchanged run, a
correction, a new edition and a breaking schema change; earlier versions never change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.core.schemas import _table_schema_cached
from pipeline.orchestrate.runner import publish_local
from pipeline.release.verify import verify_dataset
from tests.helpers import run_werkdata
from tests.release.checksums import manifest


def version_folders(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name[0].isdigit())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.slow
def test_publication_lifecycle(project):
    root = project.published / "werkonderzoek"
    manifests: dict[str, dict[str, str]] = {}

    def check_history() -> None:
        for version, files in manifests.items():
            assert manifest(root / version) == files, f"{version} changed"
        assert verify_dataset(root)[1] == []

    first = publish_local(project)
    assert (first.status, first.version) == ("published", "1.0.0")
    manifests["1.0.0"] = manifest(root / "1.0.0")

    again = publish_local(project)
    assert (again.status, again.summary) == ("unchanged", "unchanged (latest is 1.0.0)")
    assert version_folders(root) == ["1.0.0"]
    check_history()

    # A missing 2024 figure becomes known (a test value on a copy, not a real figure).
    edit(
        project.raw / "2024" / "findings.csv",
        "openbaar_bestuur,talent_aantrekken_voldoende,,M,,,",
        "openbaar_bestuur,talent_aantrekken_voldoende,38,A,38%,C,",
    )
    fix = publish_local(project)
    assert (fix.version, fix.bump) == ("1.0.1", "patch")
    changes = json.loads((root / "1.0.1" / "changes.json").read_text())
    assert changes["rows_changed"] == [
        {
            "table": "findings",
            "key": ["2024", "openbaar_bestuur", "talent_aantrekken_voldoende"],
            "old": {"confidence": "", "status": "M", "value": "", "value_label": ""},
            "new": {"confidence": "C", "status": "A", "value": "38", "value_label": "38%"},
        }
    ]
    changelog = (root / "1.0.1" / "CHANGELOG.md").read_text()
    assert "findings 2024/openbaar_bestuur/talent_aantrekken_voldoende" in changelog
    assert "status: 'M' -> 'A'" in changelog
    assert "value: '' -> '38'" in changelog
    manifests["1.0.1"] = manifest(root / "1.0.1")
    check_history()

    # A new edition folder (a copy of 2019 under another year).
    shutil.copytree(project.raw / "2019", project.raw / "2025")
    edit(project.raw / "2025" / "edition.yaml", 'title_nl: "Werkonderzoek 2019"', 'title_nl: "X"')
    new_edition = publish_local(project)
    assert (new_edition.version, new_edition.bump) == ("1.1.0", "minor")
    manifests["1.1.0"] = manifest(root / "1.1.0")
    check_history()

    # A field dropped from a published table's schema breaks users' code: MAJOR.
    schema_file = project.schemas / "findings.schema.json"
    schema = json.loads(schema_file.read_text())
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "source_url"]
    schema_file.write_text(json.dumps(schema, indent=2))
    _table_schema_cached.cache_clear()
    breaking = publish_local(project)
    _table_schema_cached.cache_clear()
    assert (breaking.version, breaking.bump) == ("2.0.0", "major")
    dropped = json.loads((root / "2.0.0" / "changes.json").read_text())["schema_changes"]
    assert {
        "table": "findings",
        "field": "source_url",
        "change": "field removed",
        "bump": "major",
    } in dropped
    check_history()

    catalog = json.loads((root / "catalog.json").read_text())
    assert [(v["version"], v["bump"], v["editions"]) for v in catalog["versions"]] == [
        ("1.0.0", None, [2019, 2022, 2024]),
        ("1.0.1", "patch", [2019, 2022, 2024]),
        ("1.1.0", "minor", [2019, 2022, 2024, 2025]),
        ("2.0.0", "major", [2019, 2022, 2024, 2025]),
    ]
    assert (root / "latest").resolve().name == "2.0.0"
    readme = (root / "2.0.0" / "README.md").read_text()
    assert "[1.1.0](../1.1.0/README.md)" in readme
    cli = run_werkdata("verify", cwd=project.root)
    assert (cli.returncode, cli.stdout) == (
        0,
        "verified: 4 version(s) intact (1.0.0, 1.0.1, 1.1.0, 2.0.0)\n",
    )
