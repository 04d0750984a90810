"""Writes the README.md that travels inside every release, from the template
pipeline/render/templates/readme.md: what it is, its tables and columns, how to cite it, its
licence and where the previous version is."""

from __future__ import annotations

from pipeline.render.templating import environment

LABEL = "README.md (description of the release)"
# 2: from a template; the licence line names the licence as dataset.json does
# 3: a paragraph on the estimates when the release has estimate rows
# 4: that paragraph states the attacker model, the guarantee, what it does not cover and the
#    rounding, and calls every suppressed cell conf_status C
# 5: a coded column lists its codes with their labels (the `categories` of datapackage.json)
FORMAT = 5


def release_readme(
    descriptor: dict,
    meta: dict,
    previous: str | None,
    summary: str,
    rows: dict[str, int] | None = None,
) -> str:
    """The README of one release, from its datapackage.json and the dataset metadata; `rows`
    (rows per table) says whether it has estimates, whose paragraph states the package's
    disclosure settings (`disclosure` in datapackage.json, else 10 respondents; no rounding
    stated: full precision)."""
    version = descriptor["version"]
    stated = descriptor.get("disclosure") or {}
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
            estimates=(rows or {}).get("estimates", 0) > 0,
            threshold=stated.get("threshold", 10),
            n_eff=stated.get("low_reliability_n_eff", 30),
            sensitive=stated.get("sensitive_threshold", 5),
            decimals=stated.get("decimals"),
        )
    )
