"""Reads werkdata.toml: the few settings a publisher changes (base URL, contact point)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE_URL = "https://data.example.org/werkdata"


@dataclass(frozen=True)
class Config:
    """Publisher settings; every field has a documented default."""

    base_url: str = DEFAULT_BASE_URL
    contact_name: str = "Werkonderzoek, ministerie van BZK"
    contact_email: str = "werkonderzoek@example.org"
    contact_url: str = "https://www.werkonderzoek.nl"

    def dataset_id(self, dataset: str) -> str:
        """The dataset's stable URI: the same for every version."""
        return f"{self.base_url}/{dataset}"


def load_config(path: Path) -> Config:
    """Read `path` (werkdata.toml); a missing file gives the defaults."""
    if not path.is_file():
        return Config()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    publication = data.get("publication", {})
    contact = data.get("contact", {})
    defaults = Config()
    return Config(
        base_url=str(publication.get("base_url", defaults.base_url)).rstrip("/"),
        contact_name=str(contact.get("name", defaults.contact_name)),
        contact_email=str(contact.get("email", defaults.contact_email)),
        contact_url=str(contact.get("url", defaults.contact_url)),
    )
