"""The only writer of published/: builds a release in staging, verifies it, moves it into place
in one rename, then rewrites the files derived from the set of versions (catalog.json, the
dataset's page and feed, latest), carrying forward the pins of every version already listed.

A version folder exists whole or not at all and is never written again. A file lock keeps two
runs from publishing at once; who holds it is written beside it, since filelock truncates its
own file on open.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from filelock import FileLock, Timeout

from pipeline.core import files as fileio
from pipeline.core import progress, trace
from pipeline.core.config import Config
from pipeline.core.errors import BuildFailed, LockHeld, PublishConflict
from pipeline.core.files import json_bytes, relative_files
from pipeline.core.paths import DATASET, STAGING_PREFIX, Project
from pipeline.core.report import Report
from pipeline.core.schemas import dataset_metadata
from pipeline.release.catalog import catalog_of, derived_files
from pipeline.release.categories import code_labels
from pipeline.release.package import datapackage, logical_descriptor, release_metadata
from pipeline.release.records import (
    CHECKSUMS,
    read_catalog,
    read_changes,
    read_descriptor,
    rows_by_key,
    versions,
)
from pipeline.release.verify import carried_pins, folder_problems, frictionless_problems
from pipeline.release.versioning import (
    Changes,
    Snapshot,
    bump_between,
    changelog_markdown,
    diff,
    next_version,
)
from pipeline.render import registry
from pipeline.render.protocol import Release
from pipeline.render.readme import release_readme

LOCK = ".publish.lock"
# Frictionless checks a CSV resource cell by cell in Python (~25,000 rows/s here): a table of
# more rows than this (the estimates of an edition with respondent data) is read back instead
FRICTIONLESS_ROWS = 20_000
HOLDER = ".publish.holder"


@dataclass
class PublishResult:
    """What a publish did: a new version, or nothing because nothing changed."""

    status: str  # "published" or "unchanged"
    version: str
    folder: Path
    bump: str | None
    summary: str
    rows: dict[str, int]

    def to_dict(self) -> dict:
        """Plain JSON-able facts: the publish flow's return value, and what the CLI prints from
        on both publish paths."""
        return {
            "status": self.status,
            "version": self.version,
            "folder": str(self.folder),
            "summary": self.summary,
            "bump": self.bump,
            "rows": self.rows,
        }


def unchanged_result(latest: Path, rows: dict[str, int] | None = None) -> PublishResult:
    """What a publish that found nothing changed says: the latest release's folder, and the
    rows per table of the build when it got as far as a build."""
    summary = f"unchanged (latest is {latest.name})"
    return PublishResult("unchanged", latest.name, latest, None, summary, rows or {})


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextlib.contextmanager
def publish_lock(root: Path) -> Iterator[None]:
    """Hold the dataset's publish lock, or raise LockHeld naming the holder at once."""
    lock = FileLock(root / LOCK, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise LockHeld(lock_holder(root / HOLDER)) from None
    try:
        info = {"pid": os.getpid(), "host": socket.gethostname(), "since": utc_now()}
        write_atomic(root / HOLDER, json.dumps(info).encode())
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            (root / HOLDER).unlink()
        lock.release()


def lock_holder(path: Path, wait: float = 1.0) -> str:
    """Who holds the lock, as its holder wrote it. The holder writes this just after taking
    the lock, so wait a moment for it before saying "unknown"."""
    deadline = time.monotonic() + wait
    while True:
        with contextlib.suppress(FileNotFoundError):
            text = path.read_text(encoding="utf-8").strip()
            if text:
                return text
        if time.monotonic() >= deadline:
            return "unknown (the holder has not written its name yet)"
        time.sleep(0.05)


def write_atomic(path: Path, data: bytes) -> None:
    """Write by temporary file plus rename, so a reader sees the old or the new file, whole."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fileio.fsync_dir(path.parent)


def leftovers(root: Path) -> tuple[list[Path], list[Path]]:
    """(staging folders, temporary files) that a run which crashed left under `root`."""
    return sorted(root.glob(f"{STAGING_PREFIX}*")), sorted(root.glob(".*.tmp-*"))


def sweep_staging(root: Path) -> None:
    """Remove staging folders and temporary files left by a run that crashed (only called
    under the lock)."""
    staging, temporary = leftovers(root)
    for path in staging:
        shutil.rmtree(path, ignore_errors=True)
    for path in temporary:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def write_data(folder: Path, tables: dict[str, pa.Table]) -> dict[str, dict]:
    """Write every table as CSV and Parquet under folder/data; return each file's record by path."""
    (folder / "data").mkdir()
    written = progress.counter("write", sum(t.num_rows for t in tables.values()), "rows")
    for name, table in tables.items():
        fileio.write_csv(table, folder / "data" / f"{name}.csv")
        fileio.write_parquet(table, folder / "data" / f"{name}.parquet")
        written.advance(table.num_rows)
    return {rel: fileio.file_record(folder, rel) for rel in relative_files(folder / "data", folder)}


def snapshot(folder: Path, descriptor: dict, formats: dict | None = None) -> Snapshot:
    """The logical content of a release folder (or of staging) for comparison.

    `formats` are the side-file generators' formats of a new build; a published release's are
    read from its changes.json (none for a release made before there were side files).
    """
    tables = {}
    for res in descriptor["resources"]:
        if res["format"] == "csv":
            tables[res["name"]] = rows_by_key(
                (folder / res["path"]).read_bytes(), res["schema"].get("primaryKey", [])
            )
    if formats is None:
        formats = {**registry.UNRECORDED, **read_changes(folder).get("side_files", {})}
    return Snapshot(logical_descriptor(descriptor), tables, formats)


def publish_release(
    project: Project,
    tables: dict[str, pa.Table],
    report: Report,
    config: Config,
    *,
    bump: str | None = None,
    created: str | None = None,
    dataset: str = DATASET,
    inputs: dict | None = None,
    disclosure: dict | None = None,
) -> PublishResult:
    """Publish `tables` as the next version, or nothing when they equal the latest release.

    `disclosure` (with estimates only): its settings are stated in datapackage.json, its audit
    records go into validation.json."""
    root = project.dataset_dir(dataset)
    root.mkdir(parents=True, exist_ok=True)
    rows = {name: table.num_rows for name, table in tables.items()}
    with publish_lock(root):
        sweep_staging(root)
        # Roll forward after a crash between the rename and these files; IntegrityError when
        # a version folder is damaged, before anything is built.
        write_derived(root)
        known = versions(root)
        latest = known[-1] if known else None
        trace.mark("staging")
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
        try:
            files = write_data(staging, tables)
            meta = release_metadata(dataset_metadata(project.schemas), tables)
            descriptor = datapackage(
                meta,
                config,
                project.schemas,
                files,
                version="0.0.0",
                created=created or utc_now(),
                sources=tables["sources"].to_pylist(),
                labels=code_labels(tables),
            )
            if disclosure is not None:
                descriptor["disclosure"] = disclosure["settings"]
            changes = Changes()
            if latest:
                changes = diff(
                    snapshot(root / latest, read_descriptor(root / latest)),
                    snapshot(staging, descriptor, registry.formats()),
                )
                if changes.empty:
                    shutil.rmtree(staging)
                    return unchanged_result(root / latest, rows)
            version = next_version(latest, changes.bump, bump)
            descriptor["version"] = version
            applied = bump_between(latest, version)
            summary = changes.summary() if latest else "First release / eerste versie."
            if latest and applied != changes.bump:
                summary += f" (bump raised to {applied} by request)"
            write_metadata(
                staging,
                descriptor,
                meta,
                report,
                changes,
                latest,
                summary,
                inputs,
                rows,
                disclosure,
            )
            history = (read_catalog(root) or {}).get("versions", [])
            release = Release(
                staging,
                version,
                latest,
                descriptor["created"],
                descriptor,
                meta,
                config,
                tables,
                (staging / "CHANGELOG.md").read_text(encoding="utf-8"),
                project.schemas,
                history,
            )
            registry.write_release_files(release, files)
            write_checksums(staging)
            verify_folder(staging, tables)
            staging.chmod(0o755)  # mkdtemp makes it private; a release is for everyone
            fileio.fsync_tree(staging)
            target = project.version_dir(version, dataset)
            if target.exists():
                raise PublishConflict(f"version {version} already exists: {target.name}")
            trace.mark("rename")
            os.replace(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        trace.mark("derived")
        write_derived(root)
        trace.mark("done")
    return PublishResult("published", version, target, applied, summary, rows)


def write_metadata(
    folder: Path,
    descriptor: dict,
    meta: dict,
    report: Report,
    changes: Changes,
    previous: str | None,
    summary: str,
    inputs: dict | None = None,
    rows: dict[str, int] | None = None,
    disclosure: dict | None = None,
) -> None:
    """datapackage.json, README.md, validation.json, changes.json and CHANGELOG.md; `rows`
    (rows per table) tells the README which tables have rows."""
    version = descriptor["version"]
    (folder / "datapackage.json").write_bytes(json_bytes(descriptor))
    (folder / "README.md").write_text(
        release_readme(descriptor, meta, previous, summary, rows), encoding="utf-8"
    )
    record = validation_record(report, inputs, disclosure)
    (folder / "validation.json").write_bytes(json_bytes(record))
    change_record = {"version": version, "previous": previous, **changes.to_dict()}
    change_record.update(
        bump=bump_between(previous, version), required_bump=changes.bump, summary=summary
    )
    if previous is None:
        change_record.update(bump=None, summary="first release")
    change_record["side_files"] = registry.formats()
    (folder / "changes.json").write_bytes(json_bytes(change_record))
    (folder / "CHANGELOG.md").write_text(
        changelog_markdown(version, previous, changes), encoding="utf-8"
    )


def validation_record(report: Report, inputs: dict | None, disclosure: dict | None) -> dict:
    """validation.json: the report without respondent files, one hash over all inputs and the
    pipeline's code (`inputs_sha256`: enough for the next run to say "unchanged"), and with
    estimates the disclosure audit of every edition.

    The per-file hashes of the fingerprint stay out: a respondent file's sha256 would confirm
    a copy of it, and its name could tell who delivered it.
    """
    record = {**report.published_dict(), "inputs_sha256": inputs["sha256"] if inputs else None}
    if disclosure is not None:
        record["disclosure"] = disclosure
    return record


def write_checksums(folder: Path) -> None:
    """SHA256SUMS: the sha256 of every other file in the release, the last file written."""
    lines = [
        f"{fileio.sha256_file(folder / rel)}  {rel}\n"
        for rel in relative_files(folder, folder)
        if rel != CHECKSUMS
    ]
    (folder / CHECKSUMS).write_text("".join(lines), encoding="utf-8")


def verify_folder(folder: Path, tables: dict[str, pa.Table]) -> None:
    """Check a staged release before it goes into place, or raise BuildFailed listing what
    is wrong: every file against SHA256SUMS and datapackage.json; the CSV resources with
    frictionless (types, constraints, keys); every Parquet file read back equal to its table.

    Reading Parquet through frictionless (via pandas) would cost ~1 s here; reading it back
    with pyarrow proves the same rows in a fraction of that. The same holds for a CSV table of
    more than FRICTIONLESS_ROWS rows: frictionless would take seconds, so it is read back with
    the column types of its table (the output contract has held that table to its Table Schema
    before anything was written). `frictionless validate` on the whole package passes too
    (tested, with estimates), as a portal would run it.
    """
    problems = folder_problems(folder)
    if not problems:
        large = frozenset(name for name, t in tables.items() if t.num_rows > FRICTIONLESS_ROWS)
        problems = frictionless_problems(folder, formats=("csv",), leave_out=large)
        problems += [
            f"{folder.name}/data/{name}.csv: rows differ from the table built"
            for name in sorted(large)
            if not read_back_equal(folder / "data" / f"{name}.csv", tables[name])
        ]
        problems += [
            f"{folder.name}/data/{name}.parquet: rows differ from the table built"
            for name, table in tables.items()
            if not pq.read_table(folder / "data" / f"{name}.parquet").equals(table)
        ]
    if problems:
        raise BuildFailed("the release failed its own checks: " + "; ".join(problems))


def read_back_equal(path: Path, table: pa.Table) -> bool:
    """Whether a written CSV file, read with the column types of `table` (an empty cell is
    null), holds exactly its rows: the same columns, types, values and required fields."""
    options = pacsv.ConvertOptions(
        column_types=table.schema, strings_can_be_null=True, null_values=[""]
    )
    try:
        read = pacsv.read_csv(path, convert_options=options)
        return read.schema.names == table.schema.names and read.cast(table.schema).equals(table)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # unparseable, or a null in a required field
        return False


def tidy(root: Path) -> None:
    """Under the lock: sweep leftover staging and complete the derived files (roll forward).

    What an unchanged run still does, so a crash's leftovers never outlive the next run;
    `untidy` says beforehand whether it would change anything.
    """
    with publish_lock(root):
        sweep_staging(root)
        write_derived(root)


def untidy(root: Path) -> list[str]:
    """What `tidy` would change under `root`, by name (relative to `root`): leftover staging
    folders and temporary files, derived files that are missing or differ from what the version
    folders give, and `latest` when it does not point to the newest version. Empty when `tidy`
    has nothing to do. Call it under the lock; IntegrityError as `write_derived`."""
    staging, temporary = leftovers(root)
    names = [path.name for path in (*staging, *temporary)]
    known = versions(root)
    if not known:
        return names
    for name, data in derived_now(root, known).items():
        path = root / name
        if not path.is_file() or path.read_bytes() != data:
            names.append(name)
    if not latest_points_to(root, known[-1]):
        names.append("latest")
    return names


def derived_now(root: Path, known: list[str]) -> dict[str, bytes]:
    """catalog.json, the dataset's page and feed as the version folders `known` give them, with
    the pins `carried_pins` gives: IntegrityError when a version folder is damaged or the catalog
    cannot be trusted."""
    return derived_files(root, catalog_of(root, known, carried_pins(root, known)))


def latest_points_to(root: Path, version: str) -> bool:
    """Whether the `latest` link under `root` points to `version`."""
    link = root / "latest"
    return link.is_symlink() and os.readlink(link) == version


def write_derived(root: Path) -> None:
    """Rewrite catalog.json, the dataset's page and feed, and the latest link from the version
    folders (each atomically), with the pins `carried_pins` gives: IntegrityError, and nothing
    written, when a version folder is damaged or the catalog cannot be trusted."""
    known = versions(root)
    if not known:
        return
    for name, data in derived_now(root, known).items():
        write_atomic(root / name, data)
    if not latest_points_to(root, known[-1]):
        tmp = root / f".latest.tmp-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        tmp.symlink_to(known[-1], target_is_directory=True)
        os.replace(tmp, root / "latest")
