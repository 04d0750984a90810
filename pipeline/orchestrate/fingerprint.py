"""A cheap hash over everything a release is built from: the raw inputs, the schemas, the
configuration and the pipeline's own code. Equal fingerprints mean the build can be skipped."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml

import pipeline
from pipeline.core.errors import IntegrityError
from pipeline.core.files import sha256_file
from pipeline.core.paths import Project
from pipeline.core.private_files import local_state, write_private
from pipeline.ingest.microdata import microdata_spec
from pipeline.ingest.safe_yaml import read_yaml
from pipeline.release.records import read_json


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def input_hashes(project: Project) -> dict[str, str]:
    """sha256 of every input file by its display path (raw/..., schemas/..., werkdata.toml),
    respondent files outside raw/ included (as raw/<year>/microdata:<name>)."""
    hashes = {}
    for base in (project.raw, project.schemas):
        for path in _files(base):
            hashes[f"{base.name}/{path.relative_to(base).as_posix()}"] = sha256_file(path)
    if project.config_file.is_file():
        hashes["werkdata.toml"] = sha256_file(project.config_file)
    hashes.update(outside_microdata(project))
    return hashes


def outside_microdata(project: Project) -> dict[str, str]:
    """sha256 of each respondent file that an edition.yaml's `microdata: path` puts outside
    raw/ (those inside are hashed with raw/), named without the folder so that no local path
    shows in the list of changed inputs (the refresh flow's artifact). An edition.yaml that
    cannot be read adds nothing: validation reports it."""
    hashes = {}
    raw = project.raw.resolve()
    for folder in project.edition_dirs():
        try:
            meta = read_yaml(folder / "edition.yaml")
            spec = microdata_spec(meta, folder)
        except (OSError, ValueError, TypeError, KeyError, yaml.YAMLError):
            continue
        if spec is None or spec.path.resolve().is_relative_to(raw):
            continue
        for path in spec.files() if spec.path.exists() else []:
            hashes[f"raw/{folder.name}/microdata:{path.name}"] = sha256_file(path)
    return hashes


def code_hash() -> str:
    """sha256 over the pipeline package's source, SQL, CSS and templates, and its version."""
    digest = hashlib.sha256(pipeline.__version__.encode())
    package = Path(pipeline.__file__).parent
    for path in _files(package):
        if path.suffix in {".py", ".sql", ".css", ".html", ".md"}:  # code and the assets it reads
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(project: Project) -> dict:
    """{"sha256": one hash of it all, "code": code_hash(), "files": input_hashes()}."""
    files = input_hashes(project)
    code = code_hash()
    digest = hashlib.sha256(code.encode())
    for name, value in sorted(files.items()):
        digest.update(f"{name}\0{value}\n".encode())
    return {"sha256": digest.hexdigest(), "code": code, "files": files}


# What changed, when the latest release records only one hash over all inputs and the code.
UNKNOWN_WHICH = "inputs or pipeline code (the latest release records one hash over them all)"


def changed_inputs(old: dict, new: dict) -> list[str]:
    """Input files added, removed or changed between two fingerprints (plus 'pipeline code');
    one entry saying so when `old` (a release's record) has no per-file hashes."""
    if "files" not in old:
        return [UNKNOWN_WHICH]
    before, after = old.get("files", {}), new.get("files", {})
    names = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return (["pipeline code"] if old.get("code") != new.get("code") else []) + names


def recorded_fingerprint(dataset_root: Path) -> dict | None:
    """The fingerprint the latest release was built from, as its validation.json records it:
    {"sha256": ...} from `inputs_sha256`, or a release made before that field existed: the whole
    fingerprint (`inputs`, with its per-file hashes); None when there is none. IntegrityError
    naming the file when it is not the object a release writes."""
    path = dataset_root / "latest" / "validation.json"
    if not path.is_file():
        return None
    name = f"{path.resolve().parent.name}/validation.json"
    report = read_json(path, name)
    if not isinstance(report, dict):
        raise IntegrityError([f"{name}: not the validation report a release writes"])
    if "inputs_sha256" in report:
        digest = report["inputs_sha256"]
        if not isinstance(digest, str | None):
            raise IntegrityError([f"{name}: inputs_sha256 is not a sha256"])
        return None if digest is None else {"sha256": digest}
    inputs = report.get("inputs")
    if not isinstance(inputs, dict | None):
        raise IntegrityError([f"{name}: not the validation report a release writes"])
    return inputs


def input_changes(project: Project, dataset_root: Path) -> tuple[dict, list[str] | None]:
    """(the current fingerprint, what changed since the latest release; None when nothing did).

    Nothing changed when the fingerprint equals the latest release's, or the one a run of this
    project found to build exactly the latest release (`remember_unchanged`). With no release
    yet, every input counts as changed.
    """
    current = fingerprint(project)
    previous = recorded_fingerprint(dataset_root)
    if previous is None:
        return current, sorted(current["files"])
    if current["sha256"] in (previous.get("sha256"), rebuilt_unchanged(project, dataset_root)):
        return current, None
    return current, changed_inputs(previous, current)


# Under the project's local state: the fingerprint a run found to build the latest release.
UNCHANGED_RECORD = "unchanged-fingerprint.json"


def remember_unchanged(project: Project, dataset_root: Path, sha256: str) -> None:
    """Record that inputs of fingerprint `sha256` build exactly the latest release under
    `dataset_root`, as a run that built its tables and found them equal to it just did.

    A release records the fingerprint it was built from and is never written again, so inputs
    or code that change without changing a table (a comment, a refactoring) would otherwise be
    built again by every run until the next release; the next run of the same fingerprint knows
    from this record that nothing changed. The record names the dataset folder and the version,
    so it says nothing once another version is the latest.
    """
    record = {
        "dataset": str(dataset_root.resolve()),
        "version": (dataset_root / "latest").resolve().name,
        "sha256": sha256,
    }
    write_private(local_state(project.root) / UNCHANGED_RECORD, json.dumps(record) + "\n")


def rebuilt_unchanged(project: Project, dataset_root: Path) -> str | None:
    """The fingerprint `remember_unchanged` recorded for the latest release under
    `dataset_root`; None when there is none, it cannot be read, or it names another folder or
    version."""
    try:
        record = json.loads((local_state(project.root) / UNCHANGED_RECORD).read_text("utf-8"))
        same = record["dataset"] == str(dataset_root.resolve()) and record["version"] == (
            (dataset_root / "latest").resolve().name
        )
        return record["sha256"] if same and isinstance(record["sha256"], str) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None
