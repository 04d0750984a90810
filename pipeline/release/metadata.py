"""The dataset metadata of one release: schemas/dataset.json with the facts that change with the
data filled in from the built tables, so that a description never goes stale at the next
edition. Placeholders: `{editions}` (the edition years, comma-separated, in order)."""

from __future__ import annotations

import pyarrow as pa

FILLED = ("description_nl", "description_en")


def release_metadata(meta: dict, tables: dict[str, pa.Table]) -> dict:
    """`meta` with every placeholder of its descriptions replaced by the value in the data."""
    years = sorted(set(tables["editions"].column("edition").to_pylist()))
    values = {"{editions}": ", ".join(map(str, years))}
    out = dict(meta)
    for key in FILLED:
        text = out[key]
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        out[key] = text
    return out
