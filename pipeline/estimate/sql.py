"""The SQL texts beside these modules."""

from __future__ import annotations

from importlib import resources


def sql_text(name: str) -> str:
    """The text of pipeline/estimate/<name>.sql."""
    return resources.files("pipeline.estimate").joinpath(f"{name}.sql").read_text(encoding="utf-8")
