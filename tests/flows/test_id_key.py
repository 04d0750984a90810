"""The key of the respondent_id hashes (pipeline/checks/microdata/id_key.py) stays in the run's
memory and in the parts' payload: its bytes, in any of the forms below, are in nothing a run
writes or prints, on either publish path: the terminal, the JSON report, the local log, the
published files, and with Prefect its home and its database."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from flows.cli import main
from pipeline.checks.microdata.id_key import IdKey
from tests.respondents import break_respondents, marked_project

# Three real runs of a marked project (a validation and two publishes): over 2 s on any path.
pytestmark = pytest.mark.slow


@pytest.fixture
def on_path(request):
    """The publish path of the test's parameter; the Prefect one under the shared harness."""
    if request.param == "prefect":
        request.getfixturevalue("prefect_harness")
    return request.param


@pytest.fixture
def made_keys(monkeypatch) -> list[IdKey]:
    """Every id key the runs make, recorded as it is made (the key itself is the real one)."""
    made: list[IdKey] = []
    fresh = IdKey.fresh.__func__

    def recorded(cls) -> IdKey:
        made.append(fresh(cls))
        return made[-1]

    monkeypatch.setattr(IdKey, "fresh", classmethod(recorded))
    return made


def traces(key: IdKey) -> list[bytes]:
    """The forms in which the key could be written: its bytes, their hex and base64, and HMAC's
    two padded keys derived from it (which give the key back by one xor)."""
    forms = [key.secret, *key.pads().values()]
    return [
        form
        for raw in forms
        for form in (raw, raw.hex().encode(), raw.hex().upper().encode(), base64.b64encode(raw))
    ]


def holding(folders: list[Path], keys: list[IdKey]) -> list[str]:
    """Every file under `folders` that holds a trace of one of `keys`."""
    marks = [mark for key in keys for mark in traces(key)]
    found = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            if any(mark in data for mark in marks):
                found.append(str(path))
    return found


def prefect_database_folder() -> list[Path]:
    """The folder of the Prefect test harness's SQLite database (with its journal files)."""
    from prefect.settings import PREFECT_SERVER_DATABASE_CONNECTION_URL

    database = Path(str(PREFECT_SERVER_DATABASE_CONNECTION_URL.value()).split(":///", 1)[1])
    assert database.is_file()  # the search below reads it
    return [database.parent]


@pytest.mark.parametrize("on_path", ["local", "prefect"], indirect=True)
def test_the_id_key_is_in_nothing_a_run_writes(on_path, made_keys, tmp_path, capfd):
    invalid = marked_project(tmp_path / "invalid", respondents=1000, items=3)
    break_respondents(invalid)  # an id twice: its hashes are compared, then the exact query
    valid = marked_project(tmp_path / "valid", respondents=1000, items=3)
    publish = ["publish"] if on_path == "prefect" else ["publish", "--local"]
    report = tmp_path / "report.json"
    assert main(["--root", str(invalid.root), "validate", "--json", str(report)]) == 1
    assert main(["--root", str(invalid.root), *publish]) == 1
    assert main(["--root", str(valid.root), *publish]) == 0
    out, err = capfd.readouterr()
    assert len({key.secret for key in made_keys}) == len(made_keys) == 3  # one per validation
    assert "microdata-duplicate-respondent" in report.read_text(encoding="utf-8")
    assert (invalid.root / ".werkdata").is_dir() and any(valid.published.rglob("*.parquet"))
    printed = (out + err).encode()
    assert [mark for key in made_keys for mark in traces(key) if mark in printed] == []
    folders = [tmp_path]
    if on_path == "prefect":
        folders += [Path(os.environ["PREFECT_HOME"]), *prefect_database_folder()]
    assert holding(folders, made_keys) == []


def test_the_search_finds_a_key_that_was_written(made_keys, tmp_path):
    """The check itself: a key written in hex to a file under the folders is found."""
    key = IdKey.fresh()
    (tmp_path / "log.txt").write_text(f"key {key.secret.hex()}\n", encoding="utf-8")
    assert holding([tmp_path], made_keys) == [str(tmp_path / "log.txt")]
