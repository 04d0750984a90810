"""The cache of typed respondent files: each delivered file converted once into a Parquet file
with the contract's column names, codes and types, which every later step reads (the
respondent checks, the plan, the estimate's parts on either runner).

An entry is named by the sha256 of the delivered file, of the edition's `microdata:` section,
of the code lists it was checked against and of the reader's version: a change of any of them
makes a new entry, and an unchanged file is only hashed. The folder (werkdata.toml `[microdata]
cache_dir`, default `.werkdata/cache/`) is 0700 and every file 0600 from its creation, whatever
the umask or the file system (pipeline/core/private_files.py): the entries hold respondents.
The entries the latest publish did not use are deleted at its end (`prune`); `werkdata
clean-cache` deletes them all (`clean`).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa

from pipeline.core.private_files import FILE_MODE, LOCAL_STATE, private_folder
from pipeline.ingest.microdata_read import READER_VERSION

DEFAULT_CACHE_DIR = f"{LOCAL_STATE}/cache"
SUFFIX = ".parquet"
TEMPORARY_PREFIX = ".entry-"


def cache_folder(root: Path, configured: str | None) -> Path:
    """The cache folder: `configured` (relative to the project root, or absolute), else
    `.werkdata/cache/` under the root."""
    folder = Path(configured or DEFAULT_CACHE_DIR).expanduser()
    return folder if folder.is_absolute() else root / folder


def entry_key(file_sha256: str, section: object, code_lists: object) -> str:
    """The name of a file's entry: sha256 over the file's sha256, the `microdata:` section and
    the code lists (each as canonical JSON) and the reader's version."""
    digest = hashlib.sha256()
    for part in (file_sha256, canonical(section), canonical(code_lists), READER_VERSION):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def canonical(value: object) -> str:
    """`value` as JSON with its keys sorted; a key keeps its type (YAML's 1 and '1' differ)."""
    return json.dumps(typed_keys(value), sort_keys=True, default=str, ensure_ascii=False)


def typed_keys(value: object) -> object:
    if isinstance(value, dict):
        return {f"{type(k).__name__}:{k}": typed_keys(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [typed_keys(v) for v in value]
    return value


def entry_path(folder: Path, key: str) -> Path:
    return folder / f"{key}{SUFFIX}"


def write_entry(
    folder: Path, key: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]
) -> Path:
    """Write `batches` as the entry `key` (0600, in a 0700 folder): into a temporary file first,
    renamed into place only when every batch was written, so that no half entry is ever read."""
    import pyarrow.parquet as pq

    private_folder(folder)
    fd, name = tempfile.mkstemp(dir=folder, prefix=TEMPORARY_PREFIX, suffix=SUFFIX)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle, pq.ParquetWriter(handle, schema) as writer:
            for batch in batches:
                writer.write_batch(batch)
        target = entry_path(folder, key)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return target


def prune(folder: Path, used: set[Path]) -> int:
    """Delete every entry of the cache but `used` (and leftovers of interrupted writes);
    how many were deleted."""
    if not folder.is_dir():
        return 0
    keep = {path.resolve() for path in used}
    deleted = 0
    for path in folder.iterdir():
        if path.is_file() and path.suffix == SUFFIX and path.resolve() not in keep:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def clean(folder: Path) -> int:
    """Delete every entry of the cache; how many were deleted."""
    return prune(folder, set())
