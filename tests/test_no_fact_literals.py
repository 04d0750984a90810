"""Each fact once (issue 11): the licence and the ministry are named in schemas/dataset.json (the
contact in werkdata.toml), never in a Python file under pipeline/ or flows/."""

from __future__ import annotations

import re

from tests.conftest import REPO

NAMES = re.compile(r"CC0|Ministerie van BZK|Binnenlandse Zaken", re.IGNORECASE)

# Temporary: being converted to Jinja2 templates by the lead (issue 11); remove when done.
ALLOWED = ("pipeline/render/landing/", "pipeline/render/readme.py")


def holders() -> dict[str, str]:
    """{path: first name found} for every .py file under pipeline/ and flows/ outside ALLOWED."""
    found = {}
    for folder in ("pipeline", "flows"):
        for path in sorted((REPO / folder).rglob("*.py")):
            rel = path.relative_to(REPO).as_posix()
            if rel.startswith(ALLOWED):
                continue
            if match := NAMES.search(path.read_text(encoding="utf-8")):
                found[rel] = match.group(0)
    return found


def test_no_python_file_names_the_licence_or_the_ministry():
    assert holders() == {}


def test_the_pattern_finds_the_names_the_dataset_file_holds():
    text = (REPO / "schemas" / "dataset.json").read_text(encoding="utf-8")
    assert {m.lower() for m in NAMES.findall(text)} >= {"cc0", "binnenlandse zaken"}
