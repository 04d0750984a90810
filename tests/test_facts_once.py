"""Each fact once: the licence and the publisher are named in schemas/dataset.json (and the
contact in werkdata.toml), never in the Python that renders them."""

import ast
import re

from tests.helpers import REPO

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


LANDING = REPO / "pipeline" / "render" / "landing"


def test_the_landing_page_markup_lives_in_its_templates():
    """No Python of the landing page holds an HTML or SVG tag (its templates/ do), nor escapes
    by hand: autoescape does all of it."""
    tag = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:[\s>/]|$)", re.MULTILINE)
    by_hand = re.compile(r"\bescape\(|\bMarkup\b|markupsafe|\bhtml\.|\be\(")
    found = {
        path.relative_to(REPO).as_posix(): match.group(0)
        for path in LANDING.rglob("*.py")
        if (match := tag.search(text := path.read_text(encoding="utf-8")) or by_hand.search(text))
    }
    assert found == {}
    assert {p.name for p in (LANDING / "templates").glob("*.html")} >= {
        "page.html",
        "banner.html",
        "chart.html",
        "intervals.html",
        *(
            f"{section}.html"
            for section in (
                "over",
                "cijfers",
                "schattingen",
                "conclusies",
                "edities",
                "downloads",
                "duckdb",
                "woordenboek",
                "bronnen",
                "wijzigingen",
                "citeren",
            )
        ),
    }


BREAKDOWN_VALUES = {"totaal", "onbekend"}


def test_totaal_and_onbekend_are_defined_once_in_core():
    """The breakdowns' whole-population and unknown values are named in pipeline/core/
    breakdowns.py only: no other module of the code or the benchmarks assigns them to a name or
    compares with them as literals (it imports TOTAL and UNKNOWN)."""
    found = set()
    for folder in ("pipeline", "flows", "bench", "tools"):
        for path in (REPO / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Assign | ast.AnnAssign):  # NAME = "totaal" (or a, b = ...)
                    values = [node.value]
                    if isinstance(node.value, ast.Tuple):
                        values = node.value.elts
                elif isinstance(node, ast.Compare):  # x == "onbekend", x in ("totaal", ...)
                    values = [
                        leaf for side in (node.left, *node.comparators) for leaf in ast.walk(side)
                    ]
                else:
                    continue
                for value in values:
                    if isinstance(value, ast.Constant) and value.value in BREAKDOWN_VALUES:
                        found.add((path.relative_to(REPO).as_posix(), value.value))
    assert found == {
        ("pipeline/core/breakdowns.py", "totaal"),
        ("pipeline/core/breakdowns.py", "onbekend"),
    }
