"""Each fact once: the licence and the publisher are named in schemas/dataset.json (and the
contact in werkdata.toml), never in the Python that renders them."""

import re

from tests.conftest import REPO

NAMES = re.compile(r"CC0|Ministerie van|Binnenlandse Zaken|Creative Commons", re.IGNORECASE)


def test_no_python_file_names_the_licence_or_the_ministry():
    found = {
        path.relative_to(REPO).as_posix(): match.group(0)
        for folder in ("pipeline", "flows")
        for path in (REPO / folder).rglob("*.py")
        if (match := NAMES.search(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_no_python_file_holds_css():
    rule = re.compile(r"[.#][a-z][\w-]*\s*\{[^}]*:[^}]*;")
    holders = [
        path.relative_to(REPO).as_posix()
        for folder in ("pipeline", "flows")
        for path in (REPO / folder).rglob("*.py")
        if rule.search(path.read_text(encoding="utf-8"))
    ]
    assert holders == []
