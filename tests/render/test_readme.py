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


def test_the_estimates_paragraph_only_with_estimate_rows_and_the_stated_settings():
    meta = dataset_metadata(REPO / "schemas")
    assert "## Schattingen / Estimates" not in release_readme(DESCRIPTOR, meta, None, "x.")
    empty = release_readme(DESCRIPTOR, meta, None, "x.", {"estimates": 0, "themes": 9})
    assert "## Schattingen / Estimates" not in empty
    text = release_readme(DESCRIPTOR, meta, None, "x.", {"estimates": 3})
    assert "## Schattingen / Estimates" in text
    assert "onderdrukt om respondenten te beschermen (status Q, conf_status C" in text
    assert "suppressed to protect respondents (status Q, conf_status C, value empty)" in text
    assert "minder dan 10 respondenten" in text and "fewer than 5 answered yes or no" in text
    assert "conf_status A" not in text and "conf_status D" not in text
    assert "Taylor linearisation" in text and "Korn-Graubard" in text
    # no decimals stated: a release from before rounding, at full precision
    assert "The figures are given at full precision." in text
    stated = {
        **DESCRIPTOR,
        "disclosure": {"threshold": 7, "sensitive_threshold": 3, "decimals": 2},
    }
    text = release_readme(stated, meta, None, "x.", {"estimates": 3})
    assert "fewer than 7 respondents, a group of fewer than 7" in text
    assert "fewer than 3 answered yes or no" in text
    assert "cannot be narrowed below a margin of 7" in text and "not below 3" in text
    assert "niet nauwer te bepalen dan tot een marge van 7" in text
    assert "afgerond op 2 decimalen, als presentatie en niet als bescherming" in text
    assert "rounded to 2 decimals, as presentation, not as protection" in text
    assert text.index("## Schattingen") < text.index("## Bestanden / Files")


def test_the_estimates_paragraph_states_the_attacker_model_and_what_is_not_covered():
    """Dutch first with English beside: who the guarantee holds against, and what it does not
    cover (docs/disclosure.md)."""
    meta = dataset_metadata(REPO / "schemas")
    stated = {**DESCRIPTOR, "disclosure": {"decimals": 1}}
    text = release_readme(stated, meta, None, "x.", {"estimates": 3})
    dutch = text.index("elk gepubliceerd bestand van elke versie heeft")
    english = text.index("holds every published file of every version")
    assert dutch < english
    assert "even zwaar wegen" in text and "weigh the same" in text
    assert "iemand van binnen die de gewichten kent" in text
    assert "an insider who knows the weights" in text
    assert "inference from how the cells were chosen" in text
    assert "linking with outside data" in text
    assert "afgerond op 1 decimaal," in text and "rounded to 1 decimal," in text
