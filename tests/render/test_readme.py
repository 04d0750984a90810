"""The release README, rendered from its template: facts from the dataset file, tables from
datapackage.json, Markdown table cells kept intact."""

from pipeline.core.schemas import dataset_metadata
from pipeline.render.readme import release_readme
from tests.helpers import REPO

DESCRIPTOR = {
    "version": "2.1.0",
    "created": "2026-12-01T00:00:00Z",
    "resources": [
        {
            "name": "themes",
            "format": "csv",
            "schema": {
                "title": "Thema's / Themes",
                "primaryKey": ["theme_id"],
                "fields": [{"name": "theme_id", "type": "string", "description": "a | b"}],
            },
        },
        {"name": "themes", "format": "parquet", "schema": {"fields": []}},
    ],
}


def test_licence_citation_and_example_come_from_the_dataset_file():
    meta = {
        **dataset_metadata(REPO / "schemas"),
        "licenses": [{"name": "X-1", "title": "Licence X", "path": "https://x.example/1"}],
        "example": {"indicator_id": "some_indicator"},
    }
    text = release_readme(DESCRIPTOR, meta, None, "Eerste versie.")
    assert text.endswith("Licence X (X-1): https://x.example/1\n")
    assert "WHERE indicator_id = 'some_indicator';" in text
    assert meta["citation"].format(version="2.1.0") in text
    assert "Vorige versie" not in text


def test_each_csv_table_once_with_pipes_escaped_and_the_previous_version_linked():
    meta = dataset_metadata(REPO / "schemas")
    text = release_readme(DESCRIPTOR, meta, "2.0.0", "Nieuw.")
    assert text.count("### themes: Thema's / Themes") == 1
    assert "| `theme_id` | string |  | a \\| b |" in text
    assert "[2.0.0](../2.0.0/README.md)" in text
    assert "Key: theme_id" in text


def test_the_estimates_paragraph_only_with_estimate_rows_and_the_stated_threshold():
    meta = dataset_metadata(REPO / "schemas")
    assert "## Schattingen / Estimates" not in release_readme(DESCRIPTOR, meta, None, "x.")
    empty = release_readme(DESCRIPTOR, meta, None, "x.", {"estimates": 0, "themes": 9})
    assert "## Schattingen / Estimates" not in empty
    text = release_readme(DESCRIPTOR, meta, None, "x.", {"estimates": 3})
    assert "## Schattingen / Estimates" in text
    assert "onderdrukt (status Q, waarde leeg): minder dan 10 respondenten" in text
    assert "suppressed (status Q, value empty): fewer than 10 respondents" in text
    assert "fewer than 5 answered yes or no" in text and "conf_status D" in text
    assert "Taylor linearisation" in text and "Korn-Graubard" in text
    stated = {**DESCRIPTOR, "disclosure": {"threshold": 7, "sensitive_threshold": 3}}
    text = release_readme(stated, meta, None, "x.", {"estimates": 3})
    assert "fewer than 7 respondents, a group of fewer than 7" in text
    assert "fewer than 3 answered yes or no" in text
    assert text.index("## Schattingen") < text.index("## Bestanden / Files")
