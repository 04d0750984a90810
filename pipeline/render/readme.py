"""Writes the README.md that travels inside every release, from the template
pipeline/render/templates/readme.md: what it is, its tables and columns, how to cite it, its
licence and where the previous version is."""

from __future__ import annotations

from pipeline.render.templating import environment

LABEL = "README.md (description of the release)"
# 2: from a template; the licence line names the licence as dataset.json does
FORMAT = 2


def release_readme(descriptor: dict, meta: dict, previous: str | None, summary: str) -> str:
    """The README of one release, from its datapackage.json and the dataset metadata."""
    version = descriptor["version"]
    tables = [r for r in descriptor["resources"] if r["format"] == "csv"]
    return (
        environment("pipeline.render")
        .get_template("readme.md")
        .render(
            meta=meta,
            version=version,
            created=descriptor["created"],
            previous=previous,
            summary=summary,
            tables=tables,
            example_indicator=meta["example"]["indicator_id"],
            citation=meta["citation"].format(version=version),
        )
    )
