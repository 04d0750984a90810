"""Writes the README.md that travels inside every release: what it is, its tables and columns,
how to cite it, its licence and where the previous version is."""

from __future__ import annotations


def release_readme(descriptor: dict, meta: dict, previous: str | None, summary: str) -> str:
    """The README of one release, from its datapackage.json and the dataset metadata."""
    version = descriptor["version"]
    lines = [
        f"# {meta['title_nl']} / {meta['title_en']}",
        "",
        f"Versie / version **{version}**, gemaakt / created {descriptor['created']}.",
        "",
        meta["description_nl"],
        "",
        meta["description_en"],
        "",
        "## Wijzigingen / Changes",
        "",
        summary,
        "",
    ]
    if previous:
        lines += [
            f"Vorige versie / previous version: [{previous}](../{previous}/README.md) "
            "(see CHANGELOG.md and changes.json).",
            "",
        ]
    lines += [
        "## Bestanden / Files",
        "",
        "Every table is here twice: `data/<table>.csv` (UTF-8, for spreadsheets) and "
        "`data/<table>.parquet` (for DuckDB and other analysis tools). `datapackage.json` "
        "describes both (Frictionless Data Package v2); `index.html` shows the figures as "
        "charts; `views.sql` makes every table a DuckDB view (`duckdb -init views.sql` in this "
        "folder); `dcat.jsonld` and `dcat.ttl` describe the release for data portals "
        "(DCAT-AP-DONL), `ckan_package.json` the same for CKAN; `CHANGELOG.md` and "
        "`changes.json` say what changed; `validation.json` is the report of the checks on the "
        "raw inputs; `SHA256SUMS` lists every file's sha256 (`werkdata verify` checks them).",
        "",
        "```sql",
        "-- DuckDB, from this folder",
        "SELECT edition, population_id, indicator_id, value, status",
        "FROM 'data/findings.parquet' WHERE indicator_id = 'tevreden_organisatie';",
        "```",
        "",
    ]
    for resource in descriptor["resources"]:
        if resource["format"] != "csv":
            continue
        schema = resource["schema"]
        lines += [
            f"### {resource['name']}: {schema.get('title', '')}",
            "",
            schema.get("description", ""),
            "",
            f"Key: {', '.join(schema.get('primaryKey', []))}",
            "",
            "| column | type | title | description |",
            "|---|---|---|---|",
        ]
        for f in schema["fields"]:
            description = f.get("description", "").replace("|", "\\|")
            lines.append(f"| `{f['name']}` | {f['type']} | {f.get('title', '')} | {description} |")
        lines.append("")
    lines += [
        "## Citeren / How to cite",
        "",
        meta["citation"].format(version=version),
        "",
        "## Licentie / Licence",
        "",
        "CC0 1.0 Universal (public domain dedication): "
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "",
    ]
    return "\n".join(lines)
