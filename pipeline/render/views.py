"""views.sql: DuckDB views named after the tables, over the release's Parquet files by paths
relative to the release folder, with the schema's titles and descriptions as comments."""

from __future__ import annotations

from pipeline.core.sql import quote_identifier, sql_literal
from pipeline.render.protocol import Release

FORMAT = 1
LABEL = "views.sql (DuckDB views)"


def views_sql(descriptor: dict) -> str:
    """One CREATE VIEW per table, then COMMENT ON the view and each of its columns."""
    lines = [
        f"-- {descriptor['title']}, version {descriptor['version']}.",
        "-- Run from this release's folder: duckdb -init views.sql   or, in Python,",
        "-- duckdb.connect().execute(open('views.sql').read()). Paths are relative to this folder.",
        "",
    ]
    for res in descriptor["resources"]:
        if res["format"] != "parquet":
            continue
        table = res["name"].removesuffix("-parquet")
        view = quote_identifier(table, "table")
        schema = res["schema"]
        lines.append(
            f"CREATE OR REPLACE VIEW {view} AS "  # noqa: S608 (written to a file; names and path quoted)
            f"SELECT * FROM read_parquet({sql_literal(res['path'])});"
        )
        comment = f"{schema.get('title', table)}. {schema.get('description', '')}".strip()
        lines.append(f"COMMENT ON VIEW {view} IS {sql_literal(comment)};")
        for f in schema["fields"]:
            text = f"{f.get('title', f['name'])}: {f.get('description', '')}"
            if "unit" in f:
                text += f" [{f['unit']}]"
            lines.append(
                f"COMMENT ON COLUMN {view}.{quote_identifier(f['name'], 'column')} "
                f"IS {sql_literal(text)};"
            )
        lines.append("")
    return "\n".join(lines)


def release_files(release: Release, files: dict[str, dict]) -> dict[str, bytes]:
    return {"views.sql": views_sql(release.descriptor).encode("utf-8")}
