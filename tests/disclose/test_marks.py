"""One flag for every suppressed cell (D9): `mark_rows` sets conf_status C whatever rule
suppressed a cell, the code list and the schemas hold exactly F and C, and the release that
drops A and D is a MAJOR version whose changelog says why."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline.core.paths import Project
from pipeline.disclose import mark_rows
from pipeline.orchestrate.runner import publish_local
from tests.helpers import REPO, copy_project

HIDDEN = ("value", "ci_low", "ci_high", "respondents")
# Every rule a pattern can name today or after the audit's rules (docs/disclosure.md): the
# flag must not depend on it.
RULES = ("D1", "D2", "D7", "D3", "D8", "A", "D")


def row(value: str) -> dict:
    return {
        "population_id": "a",
        "breakdown_id": "leeftijd",
        "breakdown_value": value,
        "indicator_id": "i1",
        "value": 50.0,
        "ci_low": 40.0,
        "ci_high": 60.0,
        "respondents": 30,
        "status": "A",
    }


def test_every_suppressed_row_gets_c_whatever_the_rule_and_every_other_row_f():
    values = [f"v{i}" for i in range(len(RULES))] + ["free"]
    pattern = {("a", "leeftijd", v, "i1"): rule for v, rule in zip(values, RULES, strict=False)}
    marked = mark_rows([row(v) for v in values], pattern)
    *suppressed, free = marked
    for out in suppressed:
        assert (out["status"], out["conf_status"]) == ("Q", "C"), out["breakdown_value"]
        assert [out[c] for c in HIDDEN] == [None] * 4
    assert (free["status"], free["conf_status"]) == ("A", "F")
    assert [free[c] for c in HIDDEN] == [50.0, 40.0, 60.0, 30]
    assert "rule" not in free and all("rule" not in out for out in marked)


def codes(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def enum(schema: str, field: str) -> list[str]:
    fields = json.loads((REPO / "schemas" / schema).read_text(encoding="utf-8"))["fields"]
    (found,) = [f for f in fields if f["name"] == field]
    return found["constraints"]["enum"]


def test_the_code_list_and_the_schemas_hold_exactly_f_and_c():
    rows = {r["conf_status"]: r for r in codes(REPO / "raw" / "codelists" / "conf_statuses.csv")}
    assert sorted(rows) == ["C", "F"]
    assert enum("conf_statuses.schema.json", "conf_status") == ["F", "C"]
    assert enum("estimates.schema.json", "conf_status") == ["F", "C"]
    confidential = rows["C"]
    assert (confidential["label_nl"], confidential["label_en"]) == ("Vertrouwelijk", "Confidential")
    assert confidential["description_nl"].startswith("Onderdrukt om respondenten te beschermen")
    assert confidential["description_en"].startswith("Suppressed to protect respondents")
    # C says no more than "to protect respondents": never why a cell was hidden
    why = re.compile(r"weinig|few|ander|another|gevoelig|sensitive|primair|primary|second", re.I)
    for text in (confidential["description_nl"], confidential["description_en"]):
        assert not why.search(text), text


# The code list and enums of the releases made before D9: primary (A) and secondary (D).
PREVIOUS_CODES = """conf_status,label_nl,label_en,description_nl,description_en
A,Primair vertrouwelijk,Primary confidential,Te weinig respondenten.,Too few respondents.
D,Secundair vertrouwelijk,Secondary confidential,Beschermt een andere cel.,Protects another cell.
F,Vrij,Free,Vrij gepubliceerd.,Published freely.
"""


def as_before_d9(project_root: Path) -> None:
    """The project's code list and schemas as a release before D9 had them (A, D, F)."""
    (project_root / "raw" / "codelists" / "conf_statuses.csv").write_text(
        PREVIOUS_CODES, encoding="utf-8"
    )
    for name in ("conf_statuses.schema.json", "estimates.schema.json"):
        path = project_root / "schemas" / name
        schema = json.loads(path.read_text(encoding="utf-8"))
        for field in schema["fields"]:
            if field["name"] == "conf_status":
                field["constraints"]["enum"] = ["F", "A", "D"]
                field["description"] = "SDMX CONF_STATUS: F, A, D."
        path.write_text(json.dumps(schema), encoding="utf-8")


@pytest.mark.slow
def test_dropping_a_and_d_is_a_major_release_whose_changelog_says_why(tmp_path: Path):
    """The real project published with the code list of before (A, D, F), then with this
    code's (F, C): a MAJOR version, its changelog naming conf_status and the reason."""
    before = copy_project(tmp_path / "before")
    as_before_d9(before.root)
    assert publish_local(before).version == "1.0.0"
    # the same project with this code's code list and schemas (in a folder of its own: the
    # schemas are read once per folder and process)
    shutil.copytree(before.root, tmp_path / "project", symlinks=True)
    project = Project.at(tmp_path / "project")
    for name in ("conf_statuses.schema.json", "estimates.schema.json"):
        shutil.copy2(REPO / "schemas" / name, project.schemas / name)
    shutil.copy2(
        REPO / "raw" / "codelists" / "conf_statuses.csv",
        project.raw / "codelists" / "conf_statuses.csv",
    )

    result = publish_local(project)

    assert (result.status, result.version, result.bump) == ("published", "2.0.0", "major")
    changes = json.loads((result.folder / "changes.json").read_text(encoding="utf-8"))
    assert changes["required_bump"] == "major"
    removed = [c["key"] for c in changes["rows_removed"] if c["table"] == "conf_statuses"]
    assert removed == [["A"], ["D"]]
    changelog = (result.folder / "CHANGELOG.md").read_text(encoding="utf-8")
    (line,) = [x for x in changelog.splitlines() if x.startswith("- estimates.conf_status:")]
    assert "constraint enum: ['F', 'A', 'D'] -> ['F', 'C'] (major)" in line
    assert "told an attacker that a cell was small" in line
    assert "a rule for sensitive questions fired" in line
    assert "die vertelde een aanvaller dat een cel klein was" in line
