"""The landing page's templates and view records: text from the data is escaped on the page
(a real release published from a copy of raw/ with hostile labels), and the charts' geometry
is a set of records of numbers, asserted as numbers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pipeline.orchestrate.runner import publish_local
from pipeline.render import landing
from pipeline.render.landing import charts
from pipeline.render.landing.text import markdown_blocks
from tests.helpers import copy_project
from tests.render.dom import parse
from tests.render.schemaorg_reading import page_jsonld

EVIL = "<script>alert('x')</script> & \"zo\" <b>vet</b>"
EVIL_URL = 'https://example.org/bron?a=1&b="x"><script>alert(1)</script>'


def edit_csv(path: Path, match: dict[str, str], column: str, value: str) -> None:
    """Set `column` to `value` in the rows of a CSV file that match `match`; fail if none."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    hits = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert hits, (path, match)
    for row in hits:
        row[column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The real data published from a copy of raw/ whose labels, a conclusion, a source's URL
    and the dataset's description hold markup, ampersands and quotes."""
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    raw = project.root / "raw"
    ind = {"indicator_id": "tevreden_organisatie"}
    edit_csv(raw / "codelists" / "indicators.csv", ind, "label_nl", f"Tevreden {EVIL}")
    edit_csv(raw / "codelists" / "themes.csv", {"theme_id": "werkbeleving"}, "label_en", EVIL)
    edit_csv(
        raw / "codelists" / "populations.csv", {"population_id": "gemeenten"}, "label_nl", EVIL
    )
    edit_csv(raw / "2024" / "conclusions.csv", {"position": "1"}, "text_nl", EVIL)
    source = {"source_id": "wo2024-infographic"}
    edit_csv(raw / "codelists" / "sources.csv", source, "url", EVIL_URL)
    dataset = project.root / "schemas" / "dataset.json"
    meta = json.loads(dataset.read_text(encoding="utf-8"))
    meta["description_nl"] += f" {EVIL}"
    dataset.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    result = publish_local(project)
    assert result.status == "published", result.message
    return result.folder


@pytest.mark.parametrize("which", ["release", "dataset"])
def test_text_from_the_data_is_escaped_on_the_page(hostile, which):
    path = hostile / "index.html" if which == "release" else hostile.parent / "index.html"
    html = path.read_text(encoding="utf-8")
    # One script, the schema.org JSON-LD, which holds the texts as JSON with \u escapes.
    assert html.lower().count("<script") == 1 and "<b>" not in html
    described = page_jsonld(html)
    assert EVIL in described["description"]
    names = [v["name"] for v in described["variableMeasured"]]
    assert any(name.startswith(f"Tevreden {EVIL} / ") for name in names)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;zo&#34;" in html
    doc = parse(html)
    ind = "tevreden_organisatie"
    # The statement (the indicator's label) in the chart's description and its table's rows.
    chart = doc.one("svg", data_theme="werkbeleving")
    assert f"Tevreden {EVIL}" in chart.one("desc").text()
    assert EVIL in chart.one("title").text()
    rows = [tr for tr in doc.all("tr") if tr.attrs.get("data-key", "").endswith("/" + ind)]
    assert rows and all(tr.one("th").text() == f"Tevreden {EVIL}" for tr in rows)
    # The population's label, the conclusion, the theme's English label.
    assert any(td.text() == EVIL for td in doc.all("td"))
    assert any(li.text().startswith(EVIL) for li in doc.one("section", id="conclusies").all("li"))
    assert any(h.text().endswith(EVIL) for h in doc.all("h3"))
    # In attribute values too: the source's URL and the description in the head.
    source = doc.one("li", id="bron-wo2024-infographic").one("a")
    assert source.attrs["href"] == EVIL_URL
    description = doc.one("meta", name="description").attrs["content"]
    assert EVIL in description


def test_a_chart_is_records_of_numbers():
    """One indicator, one population, one known figure and one missing: every coordinate."""
    theme = {"theme_id": "t", "label_nl": "Thema", "label_en": "Theme"}
    indicator = {"indicator_id": "i", "label_nl": "Uitspraak", "label_en": "Statement"}
    populations = {"p": {"population_id": "p", "label_nl": "Populatie"}}
    known = {"edition": 2022, "population_id": "p", "indicator_id": "i", "value": 68.0}
    findings = {
        "i": [
            {**known, "status": "A"},
            {**known, "edition": 2024, "value": None, "status": "M"},
        ]
    }
    drawn = charts.chart(theme, [indicator], findings, populations, {2022: "#111", 2024: "#222"})
    assert (drawn.width, drawn.height) == (400, 151.5)
    assert [(g.x, g.y1, g.y2, g.base) for g in drawn.grid] == [
        (44.0, 69.5, 117.5, True),
        (119.0, 69.5, 117.5, False),
        (194.0, 69.5, 117.5, False),
        (269.0, 69.5, 117.5, False),
        (344.0, 69.5, 117.5, False),
    ]
    assert [(t.x, t.y, t.text) for t in drawn.axis] == [
        (44.0, 143.5, "0%"),
        (194.0, 143.5, "50%"),
        (344.0, 143.5, "100%"),
    ]
    (group,) = drawn.indicators
    labels = [(m.x, m.y, m.text, m.cls) for m in group.marks if m.kind == "label"]
    assert labels == [
        (4, 23.0, "Uitspraak", "c-ind"),
        (4, 39.5, "Statement", "c-en"),
        (4, 63.5, "Populatie", "c-pop"),
        (4, 86.0, "2022", "c-year"),
        (4, 110.0, "2024", "c-year"),
    ]
    (bar,) = [m for m in group.marks if m.kind == "bar"]
    assert (bar.key, bar.x, bar.y, bar.width, bar.height) == ("2022/p/i", 44, 73.5, 204.0, 16)
    assert (bar.colour, bar.estimated) == ("#111", False)
    assert (bar.label.x, bar.label.y, bar.label.text, bar.label.anchor) == (253.0, 86.0, "68%", "")
    (gap,) = [m for m in group.marks if m.kind == "missing"]
    assert (gap.key, gap.cx, gap.cy, gap.r) == ("2024/p/i", 54, 105.5, 7.5)
    assert (gap.mark.x, gap.mark.y, gap.mark.text) == (54, 109.5, "?")
    assert drawn.desc == "Uitspraak — Populatie: 2022 68%, 2024 onbekend / not known."


@pytest.mark.parametrize(
    ("value", "status", "width", "label_x", "anchor", "text"),
    [
        (0.0, "A", 0.0, 49.0, "", "0%"),
        (50.0, "E", 150.0, 199.0, "", "≈ 50%"),
        (100.0, "A", 300.0, 339.0, "end", "100%"),  # no room right of the bar: inside it
    ],
)
def test_a_bar_is_drawn_to_scale(value, status, width, label_x, anchor, text):
    row = {"edition": 2024, "population_id": "p", "indicator_id": "i"}
    drawn, said = charts.bar({**row, "value": value, "status": status}, 10.0, "#154273")
    assert (drawn.x, drawn.y, drawn.width, drawn.height) == (charts.X0, 14.0, width, 16)
    assert drawn.estimated == (status == "E")
    assert (drawn.label.x, drawn.label.y, drawn.label.anchor) == (label_x, 26.5, anchor)
    assert drawn.label.text == text
    assert said == f"2024 {text}" + (" (geschat)" if status == "E" else "")


def test_the_changelog_markdown_becomes_blocks_of_spans():
    text = "# 1.0.1\n\nBump: `patch`.\n\n## Gewijzigd\n\n- **vet `code`** en <b>\n- twee\n"
    assert markdown_blocks(text) == [
        {"kind": "heading", "level": 3, "spans": [{"style": "text", "text": "1.0.1"}]},
        {
            "kind": "paragraph",
            "spans": [
                {"style": "text", "text": "Bump: "},
                {"style": "code", "text": "patch"},
                {"style": "text", "text": "."},
            ],
        },
        {"kind": "heading", "level": 4, "spans": [{"style": "text", "text": "Gewijzigd"}]},
        {
            "kind": "list",
            "lines": [
                [
                    {
                        "style": "strong",
                        "spans": [
                            {"style": "text", "text": "vet "},
                            {"style": "code", "text": "code"},
                        ],
                    },
                    {"style": "text", "text": " en <b>"},
                ],
                [{"style": "text", "text": "twee"}],
            ],
        },
    ]


def test_the_stylesheet_inlined_unescaped_cannot_end_its_style_element():
    """page.html inlines style.css as it is (it is the package's file, not data): it must not
    hold the end tag that would close the style element early."""
    assert "</" not in landing.CSS
    assert landing.CSS.strip()
