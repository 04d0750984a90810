"""The schema.org Dataset (JSON-LD) of the landing pages, read as a search engine reads it
(tests/render/schemaorg_reading.py: pyld, the stored schema.org context, no network) on the real
data published once; the synthetic data's page: tests/render/test_landing_estimates.py."""

from __future__ import annotations

import pytest
from pyld import jsonld

from pipeline.core.paths import Project
from pipeline.core.schemas import dataset_metadata
from pipeline.render.dcat.schemaorg import dataset_page
from tests.helpers import REPO
from tests.render.schemaorg_reading import (
    S,
    check_dataset,
    expand,
    offline_loader,
    one,
    page_jsonld,
    values,
)


@pytest.mark.parametrize("which", ["release", "dataset"])
def test_the_page_describes_its_dataset_as_its_files_and_dcat_say(release: Project, which):
    root = release.dataset_dir()
    folder = release.version_dir("1.0.0")
    page = folder / "index.html" if which == "release" else root / "index.html"
    node = check_dataset(page.read_text(encoding="utf-8"), folder, stable_page=which == "dataset")

    meta = dataset_metadata(REPO / "schemas")
    assert one(node, "name") == meta["title"]
    assert "synthet" not in one(node, "description").casefold()
    assert one(node, "citation") == meta["citation"].format(version="1.0.0")


def test_a_page_from_before_the_json_ld_describes_nothing_of_it(release: Project):
    """Releases made before the JSON-LD keep their pages: the dataset page of such a release
    has none either (landing.root_page leaves a page without the marks as it is)."""
    from pipeline.render import landing

    text = "<!doctype html><html><head></head><body></body></html>"
    assert landing.dataset_jsonld(text) == text


def test_the_dataset_page_swaps_only_identifier_and_url():
    described = {
        "@id": "https://x.org/w/2.0.1",
        "identifier": "https://x.org/w/2.0.1",
        "url": "https://x.org/w/2.0.1/index.html",
        "version": "2.0.1",
        "name": "n",
    }
    assert dataset_page(described) == {
        "@id": "https://x.org/w",
        "identifier": "https://x.org/w",
        "url": "https://x.org/w/index.html",
        "version": "2.0.1",
        "name": "n",
    }


def test_the_offline_loader_fetches_nothing():
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(
            {"@context": "https://example.org/context.jsonld", "name": "x"},
            {"documentLoader": offline_loader},
        )
    node = expand({"@context": "https://schema.org", "@type": "Dataset", "name": "x"})
    assert node["@type"] == [S + "Dataset"] and values(node, "name") == ["x"]


def test_no_value_can_end_the_script():
    """tojson writes <, > and & as \\u escapes: a label holding </script> stays inside the
    JSON-LD, and the page still has that one script."""
    from pipeline.render import landing

    evil = "</script><script>alert('x')</script> & <!--"
    block = landing.template("jsonld.html").render(jsonld={"@type": "Dataset", "name": evil})
    html = f"<!doctype html><html><head>{block}</head><body></body></html>"
    assert block.count("</script>") == 1
    assert page_jsonld(html) == {"@type": "Dataset", "name": evil}
