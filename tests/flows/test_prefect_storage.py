"""Prefect stores nothing respondent-level, even when told to persist every result: a marked
synthetic project published by `werkdata publish` (a fresh Prefect in its own home, so that the
settings below apply), on the default task runner and on Dask, valid and invalid, leaves no
respondent id, weight or answer in Prefect's home, in published/ or in the run's temporary
folder (docs/reliability.md, "Respondent data")."""

from __future__ import annotations

import base64
import json
import os
import pickle
import re
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.servers import TEMPORARY
from pipeline.core.paths import Project
from tests.respondents import (
    MARKER,
    MARKER_CODES,
    MARKER_ITEM,
    add_marker_item,
    break_respondents,
    marked_project,
)

pytestmark = pytest.mark.slow  # real Prefect flows in a fresh Prefect home each

# What a deployment might set: every flow and task result persisted unless the task says not.
PERSIST_EVERYTHING = {
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "true",
    "PREFECT_TASKS_DEFAULT_PERSIST_RESULT": "true",
}
NUMBER = re.compile(rb"-?[0-9]+\.[0-9]+(?:e[+-]?[0-9]+)?")
# An answer code as text: not part of a longer token (a hex id, a port, a decimal, a date).
CODE_TEXT = re.compile(rb"(?<![0-9A-Za-z._:/-])(?:7919|7927)(?![0-9A-Za-z._:/-])")
# Base64 over lines, as Prefect stores a pickled result or exception: its lines end in a newline,
# or in the two characters \n inside a JSON string.
BASE64_RUN = re.compile(rb"(?:[A-Za-z0-9+/]|\\n|\r?\n){24,}={0,2}")


@dataclass(frozen=True)
class Markers:
    """The respondents' values to look for: every weight as Python prints it, and every weight
    and answer code as 8 bytes (little-endian int64 and float64, and the big-endian float64 a
    pickled Python float is), held as uint64 words; the respondent ids by their MARKER prefix."""

    weights_text: frozenset[bytes]
    weight_words: np.ndarray
    code_words: np.ndarray

    @classmethod
    def of(cls, respondents: pa.Table) -> Markers:
        weights = respondents["weight"].to_pylist()
        assert set(respondents[MARKER_ITEM].to_pylist()) == {*MARKER_CODES, None}
        codes = [struct.pack(f, c) for c in MARKER_CODES for f in ("<q", "<d", ">d")]
        return cls(
            frozenset(repr(w).encode() for w in weights),
            words_of(struct.pack(f, w) for w in weights for f in ("<d", ">d")),
            words_of(codes),
        )


def words_of(patterns) -> np.ndarray:
    return np.unique(np.frombuffer(b"".join(patterns), dtype="<u8"))


def found_in(data: bytes, markers: Markers, codes: bool = True) -> set[str]:
    """Which kinds of marker `data` holds (as is, and inside any base64 run it contains)."""
    blobs = [data] + [decoded(run) for run in BASE64_RUN.findall(data)]
    kinds = set()
    for blob in blobs:
        if MARKER.encode() in blob:
            kinds.add("respondent id")
        if markers.weights_text.intersection(NUMBER.findall(blob)):
            kinds.add("weight as text")
        if holds_word(blob, markers.weight_words):
            kinds.add("weight as float64")
        if codes and CODE_TEXT.search(blob):
            kinds.add("answer code as text")
        if codes and holds_word(blob, markers.code_words):
            kinds.add("answer code as int64/float64")
    return kinds


def decoded(run: bytes) -> bytes:
    run = run.replace(b"\\n", b"").replace(b"\n", b"").replace(b"\r", b"")
    try:
        return base64.b64decode(run + b"=" * (-len(run) % 4))
    except ValueError:
        return b""


def holds_word(blob: bytes, words: np.ndarray) -> bool:
    """Whether any 8 bytes of `blob`, at any offset, are one of `words` (sorted and unique, as
    words_of gives them: a binary search of each word of the blob, without sorting the blob as
    np.isin would)."""
    for shift in range(8):
        count = (len(blob) - shift) // 8
        if count > 0:
            found = np.frombuffer(blob, "<u8", count, shift)
            at = np.minimum(np.searchsorted(words, found), len(words) - 1)
            if (words[at] == found).any():
                return True
    return False


def views(path: Path) -> list[bytes]:
    """A file's bytes, and a Parquet file's rows uncompressed (Arrow IPC) as well."""
    data = path.read_bytes()
    return [data, arrow_bytes(pq.read_table(path))] if path.suffix == ".parquet" else [data]


def arrow_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def search(folder: Path, markers: Markers, codes: bool = True) -> list[str]:
    """'<file>: <kind>' for every marker found in any file under `folder`."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        kinds = set().union(*(found_in(view, markers, codes) for view in views(path)))
        found += [f"{path.relative_to(folder.parent)}: {kind}" for kind in sorted(kinds)]
    return found


def publish(project: Project, home: Path, tmp: Path, *options: str) -> subprocess.CompletedProcess:
    """`werkdata publish` in a fresh process with Prefect's home at `home`, its temporary folder
    `tmp` and every result persisted by default; no other Prefect setting of this session."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update(PERSIST_EVERYTHING, PREFECT_HOME=str(home), TMPDIR=str(tmp))
    exe = Path(sys.executable).parent / "werkdata"
    return subprocess.run(
        [str(exe), "--root", str(project.root), "publish", *options],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=420,
        check=False,
    )


def marked_with_item(folder: Path) -> Project:
    project = marked_project(folder, respondents=1000, items=3)
    add_marker_item(project)
    return project


def respondents_of(project: Project) -> pa.Table:
    (path,) = (project.raw / "2024" / "microdata").glob("*.parquet")
    return pq.read_table(path)


def test_the_search_finds_each_kind_of_marker(tmp_path):
    """The search itself finds the respondents' values as Arrow buffers, as numbers, as a
    base64 pickle inside JSON (Prefect's stored result) and as text, and ignores a code's
    digits inside a longer token."""
    project = marked_with_item(tmp_path / "project")
    respondents = respondents_of(project)
    markers = Markers.of(respondents)
    rows = respondents.slice(0, 5).to_pylist()
    answers = np.array([r[MARKER_ITEM] or 0 for r in rows], dtype="<i8").tobytes()
    stored = json.dumps({"result": base64.encodebytes(pickle.dumps(rows)).decode()}).encode()
    text = f"weight {rows[0]['weight']!r}, code {MARKER_CODES[1]}".encode()

    assert found_in(arrow_bytes(respondents), markers) == {"respondent id", "weight as float64"}
    assert found_in(answers, markers) == {"answer code as int64/float64"}
    assert found_in(stored, markers) == {"respondent id", "weight as float64"}
    assert found_in(text, markers) == {"weight as text", "answer code as text"}
    assert found_in(text, markers, codes=False) == {"weight as text"}
    assert found_in(b"port :7919/ id 7919ab-7927- 0.7919 17919", markers) == set()


def publish_marked_projects(folder: Path, home: Path, tmp: Path, *options: str) -> list[str]:
    """Publish a valid and an invalid marked project (in `folder`) with `options`; every marker
    found since in Prefect's home, the temporary folder and the projects' published/."""
    valid = marked_with_item(folder / "valid")
    invalid = marked_with_item(folder / "invalid")
    markers = Markers.of(respondents_of(valid))  # before the break: its weight -1.0 is no marker
    break_respondents(invalid)

    published = publish(valid, home, tmp, *options)
    assert published.returncode == 0, published.stderr
    assert "published" in published.stdout
    # no server is configured or served: the run starts Prefect's temporary one, and says so
    assert published.stderr.splitlines()[0] == TEMPORARY
    refused = publish(invalid, home, tmp, *options)
    assert refused.returncode == 1, refused.stderr
    assert "microdata-duplicate-respondent" in refused.stdout + refused.stderr

    assert any(home.rglob("*.db")), "Prefect kept no database: the search would find nothing"
    found = search(home, markers) + search(tmp, markers)
    # The answer codes are published on purpose, as the marker scale in scales.csv.
    found += search(valid.published, markers, codes=False)
    found += search(invalid.published, markers, codes=False) if invalid.published.exists() else []
    return found


# One test per task runner, each with a Prefect home of its own (its database is made, ~6 s):
# the default runner's beside the rest of the suite, Dask's LocalCluster of worker processes in
# `serial`, so that the serial worker (which sets make test's wall time) carries only that half.
def test_prefect_keeps_no_respondent_data_on_the_default_task_runner(tmp_path):
    home, tmp = tmp_path / "prefect-home", tmp_path / "tmp"
    tmp.mkdir()
    assert publish_marked_projects(tmp_path / "default", home, tmp) == []


@pytest.mark.xdist_group("serial")
def test_prefect_keeps_no_respondent_data_on_dask(tmp_path):
    home, tmp = tmp_path / "prefect-home", tmp_path / "tmp"
    tmp.mkdir()
    assert publish_marked_projects(tmp_path / "dask", home, tmp, "--task-runner", "dask") == []
