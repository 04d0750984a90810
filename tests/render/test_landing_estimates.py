"""The landing page's estimates section and synthetic banner: a small synthetic project
(`werkdata synth`, 3,000 respondents, 30 items) published for real, its figures checked against
its own estimates Parquet file; the real data's page has neither; the dot chart's geometry as
numbers."""

from __future__ import annotations

import dataclasses
import re

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from pipeline.core.paths import Project
from pipeline.orchestrate.runner import publish_local
from pipeline.render import landing
from pipeline.render.landing import charts, estimates_view
from pipeline.synth.project import write_project
from tests.helpers import REPO
from tests.render.dom import Node, parse
from tests.render.schemaorg_reading import check_dataset, one

# In one worker, one after another: the module's publish and the browser are made once.
pytestmark = pytest.mark.xdist_group("pages")

BANNER = "Synthetische gegevens: geen echte antwoorden / Synthetic data: no real answers"
U_WORDS = "onbetrouwbaar: effectieve steekproef onder 30 / low reliability"
EXAMPLE = "tevreden_organisatie"  # schemas/dataset.json "example"


@dataclasses.dataclass
class Synthetic:
    release: landing.Release  # as the landing page saw it
    files: dict[str, dict]
    html: str
    doc: Node
    estimates: list[dict]  # the published estimates Parquet, as rows
    readme: str


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Synthetic:
    out = tmp_path_factory.mktemp("synthetic") / "project"
    # 30 items, not synth's 150: the page's sections are tested, not the scale (the audit of
    # 150 items' sparse cells made this publish ~22 s of make check)
    write_project(Project.at(REPO), out, respondents=3000, seed=1, items=30)
    seen: dict = {}
    real = landing.release_files

    def spy(release, files):
        seen.update(release=release, files=dict(files))
        return real(release, files)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(landing, "release_files", spy)
        result = publish_local(Project.at(out))
    assert result.status == "published", result.message
    html = (result.folder / "index.html").read_text(encoding="utf-8")
    release = dataclasses.replace(seen["release"], folder=result.folder)
    rows = pq.read_table(result.folder / "data" / "estimates.parquet").to_pylist()
    readme = (result.folder / "README.md").read_text(encoding="utf-8")
    return Synthetic(release, seen["files"], html, parse(html), rows, readme)


def pct(x: float) -> str:
    """A share as the page writes it: one decimal, a decimal comma."""
    return f"{x:.1f}".replace(".", ",")


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def national(s: Synthetic, indicator: str) -> dict:
    (row,) = [
        r
        for r in s.estimates
        if r["indicator_id"] == indicator
        and r["population_id"] == "openbaar_bestuur"  # the root of the synthetic tree
        and r["breakdown_id"] == "totaal"
    ]
    return row


def key(r: dict) -> str:
    return "/".join(
        str(r[c])
        for c in ("edition", "population_id", "breakdown_id", "breakdown_value", "indicator_id")
    )


@pytest.mark.slow
def test_the_section_shows_the_national_figures_of_the_parquet_file(synthetic):
    section = synthetic.doc.one("section", id="schattingen")
    assert section.one("h2").text() == "Schattingen Estimates"
    row = national(synthetic, EXAMPLE)
    assert row["edition"] == 2024 and row["status"] == "A"
    tr = section.one("tr", data_key=key(row))
    cells = [td.text() for td in tr.all("td")]
    value = pct(row["value"]) + "%"
    interval = f"{pct(row['ci_low'])}\u2013{pct(row['ci_high'])}%"
    assert cells == [value, interval, thousands(row["respondents"])]
    # The same figure in the chart: its text alternative and the whisker's geometry.
    svg = section.one("svg", data_chart="schattingen")
    desc = svg.one("desc").text()
    assert f"{value} (95%: {pct(row['ci_low'])} tot {pct(row['ci_high'])}%" in desc
    mark = svg.one("g", data_key=key(row))
    whisker = mark.all("line", cls="c-whisker")[0]
    assert float(whisker.attrs["x1"]) == pytest.approx(44 + 3 * row["ci_low"], abs=1e-3)
    assert float(whisker.attrs["x2"]) == pytest.approx(44 + 3 * row["ci_high"], abs=1e-3)
    assert float(mark.one("circle").attrs["cx"]) == pytest.approx(44 + 3 * row["value"], abs=1e-3)
    assert (
        svg.attrs["role"] == "img" and svg.attrs["aria-describedby"] == svg.one("desc").attrs["id"]
    )


@pytest.mark.slow
def test_the_featured_indicators_then_the_rest_collapsed(synthetic):
    """No synthetic indicator has a transcribed figure, so the example and then the first by
    code are featured (charts and table); every other national figure is in a closed details."""
    section = synthetic.doc.one("section", id="schattingen")
    nat = [r for r in synthetic.estimates if r["breakdown_id"] == "totaal"]
    nat = [r for r in nat if r["population_id"] == "openbaar_bestuur"]
    assert {r["edition"] for r in nat} == {2024}
    ids = sorted(r["indicator_id"] for r in nat)
    featured = [EXAMPLE, *[i for i in ids if i != EXAMPLE][: estimates_view.FEATURED - 1]]
    svg = section.one("svg", data_chart="schattingen")
    assert [g.attrs["data-indicator"] for g in svg.all("g", cls="indicator")] == featured
    details = section.one("details", id="schattingen-overig")
    assert "open" not in details.attrs
    rest = [
        tr.attrs["data-key"].rsplit("/", 1)[1] for tr in details.all("tr") if "data-key" in tr.attrs
    ]
    assert sorted(rest) == sorted(set(ids) - set(featured))
    assert len(featured) + len(rest) == len(ids) == 30


@pytest.mark.slow
def test_a_table_per_breakdown_for_the_example_indicator(synthetic):
    section = synthetic.doc.one("section", id="schattingen")
    own = [
        r
        for r in synthetic.estimates
        if r["indicator_id"] == EXAMPLE
        and r["population_id"] == "openbaar_bestuur"
        and r["breakdown_id"] != "totaal"
    ]
    tables = [
        t
        for t in section.all("table")
        if "data-breakdown" in t.attrs and "data-populations" not in t.attrs
    ]
    assert sorted(t.attrs["data-breakdown"] for t in tables) == sorted(
        {r["breakdown_id"] for r in own}
    )
    for table in tables:
        bid = table.attrs["data-breakdown"]
        mine = {key(r): r for r in own if r["breakdown_id"] == bid}
        trs = [tr for tr in table.all("tr") if "data-key" in tr.attrs]
        assert sorted(tr.attrs["data-key"] for tr in trs) == sorted(mine)
        assert trs[-1].attrs["data-key"].split("/")[3] == "onbekend"  # unknown comes last
        for tr in trs:
            r = mine[tr.attrs["data-key"]]
            assert r["breakdown_label_nl"] in tr.one("th").text()
            text = [td.text() for td in tr.all("td")]
            assert text[:3] == [
                pct(r["value"]) + "%",
                f"{pct(r['ci_low'])}\u2013{pct(r['ci_high'])}%",
                thousands(r["respondents"]),
            ]
            assert (U_WORDS in text) == (r["status"] == "U")
    leeftijd = [
        tr.attrs["data-key"].split("/")[3]
        for table in tables
        for tr in table.all("tr")
        if "/leeftijd/" in tr.attrs.get("data-key", "")
    ]
    assert leeftijd == ["tot25", "25_34", "35_44", "45_54", "55plus", "onbekend"]


@pytest.mark.slow
def test_the_section_says_how_and_against_whom_dutch_first(synthetic):
    """How the figures were computed, the attacker model, the guarantee, what it does not
    cover and the rounding, Dutch first with English beside (the README says the same)."""
    method = synthetic.doc.one("section", id="schattingen").one("p", cls="method")
    english = method.one("span", lang="en").text()
    dutch = method.text().replace(english, "")
    for term in (
        "gewogen aandeel",
        "Taylor-linearisatie",
        "logit",
        "Korn-Graubard",
        "onderdrukt om respondenten te beschermen",
        "minder dan 10 respondenten",
        "elk gepubliceerd bestand van elke versie",
        "even zwaar wegen",
        "niet nauwer te bepalen dan tot een marge van 10",
        "niet nauwer dan tot 5",
        "iemand van binnen die de gewichten kent",
        "afgerond op 1 decimaal, als presentatie en niet als bescherming",
    ):
        assert term in dutch, term
    assert len(re.findall(r"\.(?:\s|$)", dutch.strip())) == 6  # six sentences
    for term in (
        "weighted share",
        "Taylor linearisation",
        "logit",
        "Korn-Graubard",
        "suppressed to protect respondents",
        "fewer than 10",
        "holds every published file of every version",
        "weigh the same",
        "cannot be narrowed below a margin of 10",
        "an insider who knows the weights",
        "rounded to 1 decimal, as presentation, not as protection",
    ):
        assert term in english, term
    assert "conf_status A" not in method.text() and "conf_status D" not in method.text()
    assert "Elk cijfer is een gewogen aandeel" in synthetic.readme
    assert "suppressed to protect respondents (status Q, conf_status C" in synthetic.readme
    assert "rounded to 1 decimal, as presentation" in synthetic.readme


@pytest.mark.slow
def test_the_synthetic_banner_opens_the_page_and_the_toc_lists_the_section(synthetic):
    body = synthetic.doc.one("body")
    first = [c for c in body.children if not isinstance(c, str)][:2]
    assert first[0].attrs["class"] == "skip"
    assert first[1].tag == "p" and first[1].attrs["class"] == "synthetic"
    assert first[1].text() == BANNER
    toc = [a.attrs["href"] for a in synthetic.doc.one("nav").all("a")]
    assert toc[:2] == ["#over", "#schattingen"]  # no findings, so no key-figure charts
    assert not synthetic.doc.all("section", id="cijfers")
    tiles = [li.text() for li in synthetic.doc.one("ul", cls="tiles").all("li")]
    n = len({r["indicator_id"] for r in synthetic.estimates})
    assert tiles == [
        "1 edities editions2024",
        f"{thousands(len(synthetic.estimates))} schattingen estimates{n} indicatoren",
    ]
    assert len(synthetic.html.encode()) < 400_000  # 150 indicators: one table is collapsed


def suppressed_page(s: Synthetic, threshold: int) -> Node:
    """The synthetic release with two national cells suppressed (status Q: no value, interval
    or respondents) and one of low reliability, and a stated disclosure threshold."""
    table = s.release.tables["estimates"]
    targets = {key(national(s, EXAMPLE)), key(national(s, "beloningsbeleid_stimulerend"))}
    keys = [
        key(r)
        for r in table.select(
            ["edition", "population_id", "breakdown_id", "breakdown_value", "indicator_id"]
        ).to_pylist()
    ]
    hit = pa.array([k in targets for k in keys])
    unreliable = key(national(s, "eens_v001"))
    low = pa.array([k == unreliable for k in keys])
    cols = {name: table[name] for name in table.column_names}
    for name in ("value", "ci_low", "ci_high", "respondents"):
        cols[name] = pc.if_else(hit, pa.scalar(None, table[name].type), table[name])
    cols["status"] = pc.if_else(hit, "Q", pc.if_else(low, "U", table["status"]))
    release = dataclasses.replace(
        s.release,
        tables={**s.release.tables, "estimates": pa.table(cols)},
        descriptor={**s.release.descriptor, "disclosure": {"threshold": threshold}},
    )
    return parse(landing.page(release, s.files))


@pytest.mark.slow
def test_suppressed_and_unreliable_cells_are_said_in_words(synthetic):
    doc = suppressed_page(synthetic, 7)
    section = doc.one("section", id="schattingen")
    words = "onderdrukt om respondenten te beschermen / suppressed to protect respondents"
    for indicator in (EXAMPLE, "beloningsbeleid_stimulerend"):
        tr = section.one("tr", data_key=key(national(synthetic, indicator)))
        td, *status = tr.all("td")  # the status column: a U row is in the same table
        assert (td.text(), td.attrs["colspan"]) == (words, "3")
        assert [t.text() for t in status] == [""]
        svg = section.one("svg", data_chart="schattingen")
        group = svg.one("g", data_indicator=indicator)
        assert not group.all("circle")
        assert "onderdrukt om respondenten te beschermen" in group.text()
    tr = section.one("tr", data_key=key(national(synthetic, "eens_v001")))
    assert tr.all("td")[-1].text() == U_WORDS
    assert section.one("g", data_key=key(national(synthetic, "eens_v001"))).attrs["class"] == (
        "estimate unreliable"
    )
    assert "minder dan 7 respondenten, een groep van minder dan 7" in (
        section.one("p", cls="method").text()
    )


def test_the_real_page_has_no_estimates_and_no_banner(release):
    html = (release.dataset_dir() / "latest" / "index.html").read_text(encoding="utf-8")
    doc = parse(html)
    assert not doc.all("section", id="schattingen")
    assert not doc.all("p", cls="synthetic") and "Synthetische gegevens" not in html
    assert "#schattingen" not in html
    assert landing.MICRODATA_CSS.strip() not in html
    readme = (release.dataset_dir() / "latest" / "README.md").read_text(encoding="utf-8")
    assert "## Schattingen / Estimates" not in readme and "Taylor" not in readme


def test_the_dot_chart_is_records_of_numbers():
    """One indicator with a reliable estimate near 100% (its label goes left of the whisker)
    and one suppressed: every coordinate."""
    base = {"edition": 2024, "population_id": "p", "breakdown_id": "totaal"}
    base |= {"breakdown_value": "totaal", "population_label_nl": "Populatie"}
    shown = {**base, "indicator_id": "a", "value": 98.0, "ci_low": 96.0, "ci_high": 99.5}
    shown |= {"respondents": 1234, "status": "A"}
    hidden = {**base, "indicator_id": "b", "value": None, "ci_low": None, "ci_high": None}
    hidden |= {"respondents": None, "status": "Q"}
    indicators = [
        {"indicator_id": "a", "label_nl": "Uitspraak", "label_en": "Statement"},
        {"indicator_id": "b", "label_nl": "Ander", "label_en": "Other"},
    ]
    drawn = charts.interval_chart(2024, indicators, {"a": [shown], "b": [hidden]}, "onderdrukt")
    assert (drawn.width, drawn.height) == (400, 171)
    assert [(g.x, g.y1, g.y2, g.base) for g in drawn.grid] == [
        (x, y, y + 24, x == 44.0) for y in (43.5, 117.0) for x in (44.0, 119.0, 194.0, 269.0, 344.0)
    ]
    assert [(t.x, t.y, t.text) for t in drawn.axis] == [
        (44.0, 163.0, "0%"),
        (194.0, 163.0, "50%"),
        (344.0, 163.0, "100%"),
    ]
    first, second = drawn.indicators
    (interval,) = [m for m in first.marks if m.kind == "interval"]
    assert (interval.x1, interval.x2, interval.cx, interval.y) == (332.0, 342.5, 338.0, 55.5)
    assert (interval.cap, interval.r, interval.reliable) == (5, 4.5, True)
    label = interval.label
    assert (label.x, label.y, label.text, label.anchor) == (326.0, 60.0, "98,0%", "end")
    assert interval.key == "2024/p/totaal/totaal/a"
    labels = [(m.x, m.y, m.text, m.cls) for m in second.marks if m.kind == "label"]
    assert labels == [
        (4, 96.5, "Ander", "c-ind"),
        (4, 113.0, "Other", "c-en"),
        (44, 133.5, "onderdrukt", "c-unknown"),
    ]
    assert drawn.desc == (
        "Uitspraak — Populatie: 98,0% (95%: 96,0 tot 99,5%, 1.234 respondenten). "
        "Ander — Populatie: onderdrukt."
    )


@pytest.mark.parametrize(("ci_high", "x", "anchor"), [(60.0, 230.0, ""), (99.5, 188.0, "end")])
def test_a_value_label_goes_right_of_its_whisker_when_there_is_room(ci_high, x, anchor):
    row = {"edition": 2024, "population_id": "p", "breakdown_id": "totaal"}
    row |= {"breakdown_value": "totaal", "indicator_id": "i", "value": 50.0, "ci_low": 50.0}
    row |= {"ci_high": ci_high, "respondents": 40, "status": "U"}
    drawn, said = charts.interval(row, 0.0, "onderdrukt")
    assert (drawn.label.x, drawn.label.anchor, drawn.reliable) == (x, anchor, False)
    assert said.endswith("40 respondenten, onbetrouwbaar)")


@pytest.mark.slow
def test_the_synthetic_page_in_chromium(synthetic, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"console {m.type}: {m.text}"))
    page.on("pageerror", lambda exc: messages.append(f"page error: {exc}"))
    try:
        page.goto((synthetic.release.folder / "index.html").as_uri(), wait_until="load")
        banner = page.locator("p.synthetic")
        expect(banner).to_be_visible()
        expect(banner).to_have_text(BANNER)
        assert banner.bounding_box()["y"] == 0  # the first thing on the page
        chart = page.locator('svg[data-chart="schattingen"]')
        expect(chart).to_be_visible()
        expect(chart).to_have_role("img")
        expect(chart).to_have_accessible_name(re.compile(r"^Puntdiagram / Dot chart: "))
        expect(chart.locator("g.estimate")).to_have_count(estimates_view.FEATURED)
        expect(page.locator("#schattingen-overig table")).to_be_hidden()  # collapsed
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        page.close()
    assert messages == []


def test_every_suppressed_cell_is_said_in_the_same_words_whatever_its_flag():
    """One phrase for every suppressed cell (D9), also for the A and D of older releases: a
    reason per cell would tell an attacker that the cell is small or protects another."""
    words = {"Q": estimates_view.SUPPRESSED}
    row = {
        "edition": 2024,
        "population_id": "rijk",
        "breakdown_id": "totaal",
        "breakdown_value": "totaal",
        "indicator_id": "x",
        "value": None,
        "status": "Q",
    }
    said = {
        estimates_view.estimate_cells({**row, "conf_status": c}, words)["suppressed"] for c in "CAD"
    }
    assert said == {"onderdrukt om respondenten te beschermen / suppressed to protect respondents"}


@pytest.mark.slow
def test_the_suppressed_cells_of_a_real_publish_are_shown_in_words(synthetic):
    """The example indicator in every population by the breakdown with the most suppressed
    cells: each suppressed cell of the published estimates (conf_status C) is said in the one
    phrase, with no reason and no number."""
    section = synthetic.doc.one("section", id="schattingen")
    table = section.one("table", data_populations="all")
    breakdown = table.attrs["data-breakdown"]
    published = [
        r
        for r in synthetic.estimates
        if r["indicator_id"] == EXAMPLE and r["breakdown_id"] == breakdown
    ]
    suppressed = [r for r in published if r["status"] == "Q"]
    assert suppressed, "the 3,000-respondent project suppresses some cells of its example"
    for r in published:
        td = table.one("tr", data_key=key(r)).all("td")[1]
        if r["status"] == "Q":
            assert r["conf_status"] == "C"
            assert td.text() == estimates_view.SUPPRESSED and not re.search(r"\d", td.text())
        else:
            assert td.text() == f"{pct(r['value'])}%"


@pytest.mark.slow
@pytest.mark.parametrize("which", ["release", "dataset"])
def test_the_synthetic_pages_json_ld_says_synthetic_and_matches_the_release(synthetic, which):
    """The schema.org Dataset of the synthetic project's pages, read as a search engine reads
    it (tests/render/schemaorg_reading.py), says in its name and description that the data
    are synthetic."""
    folder = synthetic.release.folder
    page = folder / "index.html" if which == "release" else folder.parent / "index.html"
    node = check_dataset(page.read_text(encoding="utf-8"), folder, stable_page=which == "dataset")
    assert "SYNTHETIC" in one(node, "name") and "SYNTHETISCH" in one(node, "name")
    description = one(node, "description")
    assert "Synthetische gegevens" in description and "Synthetic data" in description


@pytest.mark.slow
def test_the_estimates_label_totaal_and_onbekend_in_the_package(synthetic):
    """The breakdown values of the published estimates carry the labels of their rows,
    totaal and onbekend included, and every value that occurs is labelled."""
    from frictionless import Package

    package = Package(str(synthetic.release.folder / "datapackage.json"))
    field = package.get_resource("estimates").schema.get_field("breakdown_value")
    labels = {c["value"]: (c["label"], c["label_en"]) for c in field.custom["categories"]}
    assert labels["totaal"] == ("Totaal", "Total")
    assert labels["onbekend"] == ("Onbekend", "Unknown")
    occurring = {
        r["breakdown_value"]: (r["breakdown_label_nl"], r["breakdown_label_en"])
        for r in synthetic.estimates
    }
    assert {v: labels[v] for v in occurring} == occurring
