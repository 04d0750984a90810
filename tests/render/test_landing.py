"""The landing page: index.html in every release and, for the latest, beside the releases.

Unit tests read the HTML with html.parser; the browser tests open both pages as files in
headless Chromium (Debian's, through Playwright). Without Chromium they skip, except on CI
(CI=true), where they fail.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyarrow as pa
import pytest

from pipeline.core.schemas import TABLES, dataset_metadata
from pipeline.orchestrate.runner import publish_local
from pipeline.render import landing
from pipeline.render.landing import charts
from pipeline.render.protocol import Release
from tests.helpers import REPO, copy_project
from tests.render.dom import Node, parse

# In one worker, one after another: the module's publish and the browser are made once.
pytestmark = pytest.mark.xdist_group("pages")

UNKNOWN = "onbekend / not known"


# --- one publish for the whole module ---------------------------------------------------------


@dataclasses.dataclass
class Built:
    root: Path  # published/werkonderzoek
    folder: Path  # the release
    release: Release  # as the landing page saw it (its folder: the final one)
    files: dict[str, dict]  # the files known to the landing page
    html: str
    doc: Node


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    """The real data published once into a project copy, with what the landing page got."""
    project = copy_project(tmp_path_factory.mktemp("landing") / "project")
    seen: dict = {}
    real = landing.release_files

    def spy(release, files):
        seen.update(release=release, files=dict(files))
        return real(release, files)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(landing, "release_files", spy)
        result = publish_local(project)
    assert result.status == "published"
    html = (result.folder / "index.html").read_text(encoding="utf-8")
    release = dataclasses.replace(seen["release"], folder=result.folder)
    return Built(result.folder.parent, result.folder, release, seen["files"], html, parse(html))


def findings(built: Built) -> list[dict]:
    return built.release.tables["findings"].to_pylist()


def key(row: dict) -> str:
    return f"{row['edition']}/{row['population_id']}/{row['indicator_id']}"


def missing_keys(built: Built) -> set[str]:
    return {key(r) for r in findings(built) if r["value"] is None}


def required_downloads() -> list[str]:
    data = [f"data/{t}.{ext}" for t in TABLES for ext in ("csv", "parquet")]
    return [*data, "datapackage.json", "views.sql", "README.md", "CHANGELOG.md"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the HTML ---------------------------------------------------------------------------------


def test_the_page_is_dutch_with_english_beside_it(built):
    html = built.doc.one("html")
    assert html.attrs["lang"] == "nl"
    # the descriptions as released: their {editions} filled from the data
    meta = {
        k: v.replace("{editions}", "2019, 2022, 2024") if isinstance(v, str) else v
        for k, v in dataset_metadata(REPO / "schemas").items()
    }
    title = built.doc.one("head").one("title").text()
    assert meta["title_nl"] in title and meta["title_en"] in title and "1.0.0" in title
    description = built.doc.one("meta", name="description").attrs["content"]
    assert meta["description_nl"] in description and meta["description_en"] in description
    assert "width=device-width" in built.doc.one("meta", name="viewport").attrs["content"]
    assert built.doc.one("meta", charset="utf-8")
    h1 = built.doc.one("h1")
    assert meta["title_nl"] in h1.text() and meta["title_en"] in h1.text()
    assert h1.one("span", lang="en")
    assert [h.text().split()[0] for h in built.doc.all("h2")] == [
        "Over",
        "Kerncijfers",
        "Conclusies",
        "Edities",
        "Downloads",
        "Direct",
        "Gegevenswoordenboek",
        "Bronnen",
        "Wijzigingen",
        "Citeren",
    ]


def test_the_editions_covered(built):
    section = built.doc.one("section", id="edities")
    for edition in built.release.tables["editions"].to_pylist():
        card = section.one("article", id=f"editie-{edition['edition']}")
        assert edition["title_nl"] in card.text() and edition["title_en"] in card.text()
    assert "2019, 2022, 2024" in built.doc.one("p", cls="meta").text()


def test_one_chart_per_theme_with_data(built):
    rows = findings(built)
    themes = {r["theme_id"] for r in rows}
    charts = built.doc.all("svg", cls="chart")
    assert sorted(c.attrs["data-theme"] for c in charts) == sorted(themes)
    labels = {t["theme_id"]: t["label_nl"] for t in built.release.tables["themes"].to_pylist()}
    for svg in charts:
        theme = svg.attrs["data-theme"]
        assert svg.attrs["role"] == "img"
        title = svg.one("title", id=svg.attrs["aria-labelledby"]).text()
        assert labels[theme] in title
        desc = svg.one("desc", id=svg.attrs["aria-describedby"]).text()
        own = [r for r in rows if r["theme_id"] == theme]
        for r in own:
            assert r["indicator_label_nl"] in desc
        # The same figures as a table beside the chart, one row per figure.
        figure = svg.parent
        assert figure.tag == "figure" and figure.attrs["data-theme"] == theme
        table = figure.one("details", cls="figures").one("table")
        assert table.all("th", scope="col")
        assert sorted(tr.attrs["data-key"] for tr in table.all("tr") if "data-key" in tr.attrs) == (
            sorted(key(r) for r in own)
        )


def test_bars_are_drawn_to_scale(built):
    bars = {b.attrs["data-key"]: b for b in built.doc.all("rect", cls="bar")}
    known = [r for r in findings(built) if r["value"] is not None]
    assert sorted(bars) == sorted(key(r) for r in known)
    for r in known:
        assert float(bars[key(r)].attrs["width"]) == pytest.approx(
            charts.SPAN * r["value"] / 100, abs=0.01
        )
        assert float(bars[key(r)].attrs["x"]) == charts.X0
        assert ("estimated" in bars[key(r)].attrs["class"]) == (r["status"] == "E")


def test_missing_values_are_a_marker_and_a_label_never_a_bar(built):
    missing = missing_keys(built)
    assert len(missing) == 8
    assert {k.split("/")[0] for k in missing} == {"2024"}
    marks = built.doc.all("g", cls="missing")
    assert sorted(m.attrs["data-key"] for m in marks) == sorted(missing)
    for mark in marks:
        assert mark.all("circle", cls="c-marker")
        assert UNKNOWN in mark.text()
        assert not mark.all("rect")
    bar_keys = {b.attrs.get("data-key") for b in built.doc.all("rect")}
    assert not missing & bar_keys
    # Nowhere a 0 for them: the table says "not known" too.
    for k in missing:
        row = built.doc.one("tr", data_key=k)
        assert UNKNOWN in row.text()
        assert "0%" not in row.text()


def test_every_download_with_its_size_and_sha256(built):
    rows = {tr.attrs["data-path"]: tr for tr in built.doc.all("tr", cls="download")}
    for rel in required_downloads():
        assert rel in rows, rel
        path = built.folder / rel
        row = rows[rel]
        links = row.all("a")
        assert [a.attrs["href"] for a in links] == [rel]
        assert int(row.attrs["data-bytes"]) == path.stat().st_size
        assert row.attrs["data-sha256"] == sha256(path)
        assert sha256(path) in row.text()
        assert f"{path.stat().st_size} bytes" in row.text()
    # Everything the generators before it wrote is offered too.
    assert set(built.files) <= set(rows)
    assert built.doc.all("a", href="SHA256SUMS")


def test_nothing_is_loaded_from_elsewhere(built):
    for node in built.doc.all():
        # Its one script is the schema.org JSON-LD: data, which a browser neither runs nor
        # follows (tests/render/test_schemaorg.py reads it).
        if node.tag == "script" and node.attrs != {"type": "application/ld+json"}:
            pytest.fail(f"the page has a script {node.attrs}")
        for name in ("src", "srcset", "data", "poster", "background"):
            assert name not in node.attrs, (node.tag, name)
        if node.tag != "a" and "href" in node.attrs:  # <link>, <base>, <use> ...
            pytest.fail(f"<{node.tag} href={node.attrs['href']}>")
        for value in node.attrs.values():
            assert not re.search(r"url\(|(^|\s)//", value), (node.tag, value)
    style = "".join(s.text() for s in built.doc.all("style"))
    assert "@import" not in style and "url(" not in style and "@font-face" not in style
    assert not re.search(r"https?://", style)
    # Links to other sites are plain links (the sources, the licence); every other link is
    # relative, and every in-page link has its target.
    ids = {n.attrs["id"] for n in built.doc.all() if "id" in n.attrs}
    for a in built.doc.all("a"):
        href = a.attrs["href"]
        if href.startswith("#"):
            assert href[1:] in ids, href
        elif not href.startswith("https://"):
            assert not urlparse(href).scheme and not href.startswith("/"), href


REBUILD_PAGE = """
import pickle, sys
from pipeline.render import landing
release, files = pickle.loads(open(sys.argv[1], "rb").read())
sys.stdout.buffer.write(landing.release_files(release, files)["index.html"])
"""


def test_no_local_paths_and_the_same_bytes_every_time(built, tmp_path):
    """Made again from a copy of the release in another folder, by a fresh interpreter with
    another hash seed, the page has the same bytes; none of them names a local path."""
    moved = tmp_path / "elsewhere" / built.root.name
    shutil.copytree(built.root, moved, symlinks=True)
    release = dataclasses.replace(built.release, folder=moved / built.folder.name)
    state = tmp_path / "release.pickle"
    state.write_bytes(pickle.dumps((release, built.files)))
    again = subprocess.run(
        [sys.executable, "-c", REBUILD_PAGE, str(state)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONHASHSEED": "4242"},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert (again.returncode, again.stderr.decode()) == (0, "")
    assert again.stdout == (built.folder / "index.html").read_bytes()
    assert str(built.root.parent.parent) not in built.html
    assert "/tmp" not in built.html and "file:" not in built.html


def test_the_data_dictionary_has_every_table_and_column(built):
    section = built.doc.one("section", id="woordenboek")
    resources = [r for r in built.release.descriptor["resources"] if r["format"] == "csv"]
    assert [r["name"] for r in resources] == list(TABLES)
    for res in resources:
        table = section.one("details", id=f"tabel-{res['name']}").one("table")
        rows = table.one("tbody").all("tr")
        assert len(rows) == len(res["schema"]["fields"])
        for tr, field in zip(rows, res["schema"]["fields"], strict=True):
            cells = tr.all("td")
            assert tr.one("th", scope="row").one("code").text() == field["name"]
            assert cells[0].text() == field["type"]
            nl = field["description"].split(" / ")[0]
            assert nl in cells[1].text()


def test_changelog_citation_licence_and_duckdb(built):
    text = built.doc.text()
    assert built.doc.one("section", id="wijzigingen").one("h3").text() == "1.0.0"
    citation = dataset_metadata(REPO / "schemas")["citation"].format(version="1.0.0")
    assert built.doc.one("section", id="citeren").one("pre").text() == citation
    assert "CC0 1.0" in text
    assert built.doc.all("a", href="https://creativecommons.org/publicdomain/zero/1.0/")
    commands = [pre.text() for pre in built.doc.one("section", id="duckdb").all("pre")]
    assert commands[0] == (
        "duckdb -c \"SELECT edition, population_id, value, status FROM 'data/findings.parquet' "
        "WHERE indicator_id = 'tevreden_organisatie' ORDER BY population_id, edition\""
    )
    assert "duckdb -init views.sql" in commands


def test_every_text_is_escaped(built):
    evil = "<script>alert('x')</script> & \"quoted\""
    themes = built.release.tables["themes"]
    labels = themes.column("label_nl").to_pylist()
    labels[0] = evil
    tables = dict(built.release.tables)
    tables["themes"] = themes.set_column(
        themes.schema.get_field_index("label_nl"), "label_nl", pa.array(labels)
    )
    release = dataclasses.replace(
        built.release, tables=tables, changelog=f"# 1.0.0\n\n- {evil}\n", version="1.0.0<b>"
    )
    html = landing.release_files(release, dict(built.files))["index.html"].decode()
    assert "<script>" not in html and "<b>" not in html
    # autoescape (markupsafe) writes quotes as numeric references
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quoted&#34;" in html
    doc = parse(html)
    assert any(evil in h.text() for h in doc.all("h3"))


def test_the_datasets_page_is_the_latest_with_links_into_its_folder(built):
    html = (built.root / "index.html").read_text(encoding="utf-8")
    doc = parse(html)
    assert "1.0.0/index.html" in doc.one("p", cls="banner").text()
    assert [a.attrs["href"] for a in doc.one("p", cls="banner").all("a")] == [
        "1.0.0/index.html",
        "1.0.0/index.html",
        "catalog.json",
    ]
    for a in doc.all("a"):
        href = a.attrs["href"]
        if href.startswith("#"):
            continue
        if href.startswith("https://"):
            continue
        assert (built.root / href).exists(), href
    for rel in required_downloads():
        assert doc.all("a", href=f"1.0.0/{rel}")
    # Apart from the links and the banner it is the release's page.
    same = re.sub(r'href="1\.0\.0/', 'href="', html)
    same = re.sub(r'<p class="banner">.*?</p>', landing.ROOT_MARK, same, count=1, flags=re.S)
    # and the JSON-LD of the stable dataset instead of the version's (test_schemaorg.py)
    version_iri = "https://data.example.org/werkdata/werkonderzoek/1.0.0"
    stable = version_iri.removesuffix("/1.0.0")
    assert same != built.html
    same = same.replace(f'"{stable}"', f'"{version_iri}"')
    same = same.replace(f'"{stable}/index.html"', f'"{version_iri}/index.html"')
    assert same == built.html
    assert landing.root_files(built.root, {"latest": None}) == {}


def test_a_release_without_a_page_makes_no_root_page(tmp_path):
    (tmp_path / "1.0.0").mkdir()
    assert landing.root_files(tmp_path, {"latest": "1.0.0", "versions": []}) == {}


# --- in a real browser ------------------------------------------------------------------------


def path_of(url: str) -> Path:
    parsed = urlparse(url)
    assert parsed.scheme == "file", url
    return Path(unquote(parsed.path))


@pytest.mark.slow
@pytest.mark.parametrize("which", ["release", "dataset"])
def test_the_page_in_chromium(built, browser, which, tmp_path):
    from playwright.sync_api import expect

    page_file = built.folder / "index.html" if which == "release" else built.root / "index.html"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"console {m.type}: {m.text}"))
    page.on("pageerror", lambda exc: messages.append(f"page error: {exc}"))
    page.on(
        "request",
        lambda r: None if r.url.startswith("file:") else messages.append(f"request {r.url}"),
    )
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        assert page.evaluate("document.documentElement.lang") == "nl"

        themes = {r["theme_id"] for r in findings(built)}
        charts = page.locator("svg.chart")
        expect(charts).to_have_count(len(themes))
        for i in range(len(themes)):
            chart = charts.nth(i)
            expect(chart).to_be_visible()
            expect(chart).to_have_role("img")
            expect(chart).to_have_accessible_name(re.compile(r"Staafdiagram / Bar chart: \S"))
            expect(chart).to_have_accessible_description(re.compile(r"\S"))
        expect(page.get_by_role("img")).to_have_count(len(themes))

        links = page.locator("tr.download a")
        hrefs = links.evaluate_all("links => links.map(a => a.href)")
        assert len(hrefs) >= len(required_downloads())
        targets = {path_of(h) for h in hrefs}
        for rel in required_downloads():
            assert built.folder / rel in targets, rel
        for target in targets:
            assert target.is_file() and target.parent.resolve().is_relative_to(built.folder), target

        for k in missing_keys(built):
            mark = page.locator(f'g.missing[data-key="{k}"]')
            expect(mark).to_be_visible()
            expect(mark.locator("circle.c-marker")).to_have_count(1)
            expect(mark).to_contain_text(UNKNOWN)
            expect(page.locator(f'rect[data-key="{k}"]')).to_have_count(0)

        page.screenshot(path=str(tmp_path / f"{which}.png"), full_page=True)
        assert (tmp_path / f"{which}.png").stat().st_size > 10_000

        # Readable on a phone: nothing wider than the screen.
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        page.close()
    assert messages == []


def run_screenshot(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "tools" / "screenshot.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_the_screenshot_tool(built, chromium, tmp_path):
    out = tmp_path / "docs" / "landing-page.png"
    done = run_screenshot(str(built.root / "index.html"), str(out))
    assert (done.returncode, done.stderr) == (0, "")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_screenshot_tool_fails_on_console_errors(chromium, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(
        '<!doctype html><html lang="nl"><title>x</title><script>console.error("kapot")</script>',
        encoding="utf-8",
    )
    done = run_screenshot(str(page), str(tmp_path / "out.png"))
    assert done.returncode == 1
    assert "kapot" in done.stderr
