"""The records a publication keeps, each read by one reader that checks its shape.

Three kinds: a release's SHA256SUMS (the sha256 of every other file of the release) and
datapackage.json (its Data Package), and the dataset's catalog.json (every version, with the
pins that anchor it; see pipeline/release/pins.py). Every command reads them through
these readers.
A record that is not what its kind must be (missing, not UTF-8, not JSON, a field missing or of
the wrong type, a malformed line, a path that leaves the release folder) raises IntegrityError
naming the file: a damaged publication is exit 4 with a message, never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from pipeline.core.errors import IntegrityError
from pipeline.core.paths import VERSION_PATTERN

CHECKSUMS = "SHA256SUMS"
DESCRIPTOR = "datapackage.json"
CATALOG = "catalog.json"
CHANGES = "changes.json"
CHECKSUM_LINE = re.compile(r"([0-9a-f]{64})  (.+)")
SHA256 = re.compile(r"[0-9a-f]{64}")


def version_key(version: str) -> tuple[int, int, int]:
    """A version's (major, minor, patch) as numbers, so that 1.10.0 sorts after 1.9.0."""
    major, minor, patch = (int(p) for p in version.split("."))
    return major, minor, patch


def versions(root: Path) -> list[str]:
    """Every version folder, oldest first (one only appears by a rename of a whole folder)."""
    if not root.is_dir():
        return []
    found = [
        p.name
        for p in root.iterdir()
        if p.is_dir() and not p.is_symlink() and VERSION_PATTERN.fullmatch(p.name)
    ]
    return sorted(found, key=version_key)


def is_text(value: object) -> bool:
    return isinstance(value, str)


def is_text_or_null(value: object) -> bool:
    return value is None or isinstance(value, str)


def is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def is_version(value: object) -> bool:
    return isinstance(value, str) and VERSION_PATTERN.fullmatch(value) is not None


def is_sha256(value: object) -> bool:
    return isinstance(value, str) and SHA256.fullmatch(value) is not None


def is_prefixed_sha256(value: object) -> bool:
    return isinstance(value, str) and is_sha256(value.removeprefix("sha256:"))


def is_list(value: object) -> bool:
    return isinstance(value, list)


def is_years(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(y, int) and not isinstance(y, bool) for y in value
    )


def is_release_path(value: object) -> bool:
    """A relative POSIX path that stays inside the release folder."""
    if not isinstance(value, str) or not value or "\\" in value:
        return False
    path = PurePosixPath(value)
    return not path.is_absolute() and all(part not in ("", ".", "..") for part in path.parts)


def is_file_bytes(value: object) -> bool:
    """{release path: size in bytes}."""
    return isinstance(value, dict) and all(
        is_release_path(k) and is_count(v) for k, v in value.items()
    )


def is_table_schema(value: object) -> bool:
    """A Table Schema as the readers use it: named fields, and a primary key of field names."""
    if not isinstance(value, dict) or not isinstance(value.get("fields"), list):
        return False
    named = all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in value["fields"])
    key = value.get("primaryKey", [])
    return named and isinstance(key, list) and all(isinstance(k, str) for k in key)


Fields = dict[str, tuple[Callable[[object], bool], str]]

CATALOG_FIELDS: Fields = {
    "name": (is_text, "a text"),
    "latest": (is_version, "a version such as 1.0.0"),
    "versions": (is_list, "a list"),
}
ENTRY_FIELDS: Fields = {
    "version": (is_version, "a version such as 1.0.0"),
    "created": (is_text_or_null, "a time or null"),
    "bump": (is_text_or_null, "a bump or null"),
    "reason": (is_text_or_null, "a text or null"),
    "editions": (is_years, "a list of years"),
    "datapackage_sha256": (is_sha256, "a sha256 (64 hex digits)"),
}
# The pins beside datapackage_sha256 (see pipeline/release/pins.py): both, or neither (an
# unpinned entry, from before they existed: verify reports it and publish refuses it).
PIN_FIELDS: Fields = {
    "sha256sums_sha256": (is_sha256, "a sha256 (64 hex digits)"),
    "file_bytes": (is_file_bytes, "an object of sizes by release path"),
}
DESCRIPTOR_FIELDS: Fields = {
    "title": (is_text, "a text"),
    "version": (is_version, "a version such as 1.0.0"),
    "created": (is_text, "a time"),
    "resources": (is_list, "a list"),
}
RESOURCE_FIELDS: Fields = {
    "name": (is_text, "a text"),
    "path": (is_release_path, "a path inside the release"),
    "format": (is_text, "a text"),
    "schema": (is_table_schema, "a Table Schema with named fields"),
}
RESOURCE_OPTIONAL: Fields = {
    "bytes": (is_count, "a number of bytes"),
    "hash": (is_prefixed_sha256, "sha256:<64 hex digits>"),
}


def kind(value: object) -> str:
    """What a JSON value is, in words."""
    kinds = ((dict, "an object"), (list, "a list"), (str, "a text"), (bool, "true or false"))
    found = next((word for type_, word in kinds if isinstance(value, type_)), None)
    return found or ("null" if value is None else "a number")


def wrong(where: str, value: object, what: str) -> str:
    """'<where> is <value>, expected <what>' for a scalar (shown as JSON, shortened), and
    '<where> is not <what>' for a list or an object."""
    if isinstance(value, dict | list):
        return f"{where} is not {what}"
    text = json.dumps(value, ensure_ascii=False)
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"{where} is {text}, expected {what}"


def field_problems(
    value: object, fields: Fields, name: str, where: str, optional: Fields | None = None
) -> list[str]:
    """What is wrong with the object `value` at `where` in the record `name`, by `fields`
    (required) and `optional` (checked when present)."""
    if not isinstance(value, dict):
        return [f"{name}: {where} is {kind(value)}, expected an object"]
    problems = []
    prefix = "" if where == "the document" else f"{where}."
    for key, (ok, what) in fields.items():
        if key not in value:
            problems.append(f"{name}: {where} has no {key}")
        elif not ok(value[key]):
            problems.append(f"{name}: {wrong(prefix + key, value[key], what)}")
    for key, (ok, what) in (optional or {}).items():
        if key in value and not ok(value[key]):
            problems.append(f"{name}: {wrong(prefix + key, value[key], what)}")
    return problems


def read_text(path: Path, name: str) -> str:
    """The UTF-8 text of a record, or IntegrityError naming it as missing or not text."""
    if path.is_dir():
        raise IntegrityError([f"{name}: a folder, not a file"])
    if not path.is_file():
        raise IntegrityError([f"{name}: missing"])
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IntegrityError([f"{name}: not UTF-8 text (byte {exc.start})"]) from None


def read_json(path: Path, name: str) -> object:
    """A JSON record, parsed; IntegrityError naming it when it is not JSON."""
    text = read_text(path, name)
    try:
        return json.loads(text)
    except ValueError as exc:
        raise IntegrityError([f"{name}: not valid JSON ({exc})"]) from None
    except RecursionError:
        raise IntegrityError([f"{name}: nested too deeply to read"]) from None


def read_changes(folder: Path) -> dict:
    """The release's changes.json, an object; {} for a release made before it existed."""
    path = folder / CHANGES
    if not path.is_file():
        return {}
    name = f"{folder.name}/{CHANGES}"
    changes = read_json(path, name)
    problems = field_problems(changes, {}, name, "the document")
    if problems:
        raise IntegrityError(problems)
    return changes


def read_checksums(folder: Path) -> dict[str, str]:
    """{path: sha256} from the release's SHA256SUMS, every line '<sha256>  <path>'."""
    name = f"{folder.name}/{CHECKSUMS}"
    recorded: dict[str, str] = {}
    problems = []
    for number, line in enumerate(read_text(folder / CHECKSUMS, name).splitlines(), start=1):
        match = CHECKSUM_LINE.fullmatch(line)
        if match is None:
            problems.append(f"{name}: line {number} is not '<sha256>  <path>'")
        elif not is_release_path(match[2]):
            problems.append(f"{name}: line {number} names a path outside the release")
        elif match[2] in recorded:
            problems.append(f"{name}: line {number} repeats {match[2]}")
        else:
            recorded[match[2]] = match[1]
    if problems:
        raise IntegrityError(problems)
    return recorded


def read_descriptor(folder: Path) -> dict:
    """The release's datapackage.json, with the fields every reader uses checked."""
    name = f"{folder.name}/{DESCRIPTOR}"
    descriptor = read_json(folder / DESCRIPTOR, name)
    problems = field_problems(descriptor, DESCRIPTOR_FIELDS, name, "the document")
    if not problems:
        for i, res in enumerate(descriptor["resources"]):
            problems += field_problems(
                res, RESOURCE_FIELDS, name, f"resources[{i}]", RESOURCE_OPTIONAL
            )
    if problems:
        raise IntegrityError(problems)
    return descriptor


def read_catalog(root: Path) -> dict | None:
    """The dataset's catalog.json with every entry's fields checked; None when there is none.

    An entry has both pins or neither (unpinned: reported by verify, refused by publish).
    """
    path = root / CATALOG
    if not path.exists() and not path.is_symlink():
        return None
    name = f"{root.name}/{CATALOG}"
    catalog = read_json(path, name)
    problems = field_problems(catalog, CATALOG_FIELDS, name, "the document")
    if not problems:
        problems += entry_problems(catalog["versions"], name)
    if problems:
        raise IntegrityError(problems)
    return catalog


def entry_problems(entries: list, name: str) -> list[str]:
    """What is wrong with the catalog's version entries (fields, pins, a version twice)."""
    problems = []
    seen = set()
    for i, entry in enumerate(entries):
        where = f"versions[{i}]"
        found = field_problems(entry, ENTRY_FIELDS, name, where)
        if not found and PIN_FIELDS.keys() & entry.keys():
            found = field_problems(entry, PIN_FIELDS, name, where)
        if not found and entry["version"] in seen:
            found = [f"{name}: {where} lists {entry['version']} again"]
        problems += found
        if not found:
            seen.add(entry["version"])
    return problems


def rows_by_key(data: bytes, key: list[str]) -> dict[tuple, dict]:
    """The rows of a release's CSV data file keyed by its primary key (or by the whole row when
    it has none), every cell as the text the file holds."""
    rows = csv.DictReader(io.StringIO(data.decode("utf-8")))
    return {tuple(r[k] for k in key) if key else tuple(r.values()): r for r in rows}
