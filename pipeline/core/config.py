"""Reads werkdata.toml: the few settings a publisher changes (base URL, contact point)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import ConfigurationInvalid

DEFAULT_BASE_URL = "https://data.example.org/werkdata"


@dataclass(frozen=True)
class Config:
    """Publisher settings; every field has a documented default.

    An empty contact name or website means the dataset file's own (schemas/dataset.json): the
    publisher's title and the homepage, so that no name is written twice (see contact()).
    """

    base_url: str = DEFAULT_BASE_URL
    contact_name: str = ""
    contact_email: str = "werkonderzoek@example.org"
    contact_url: str = ""
    # [disclosure] (docs/disclosure.md): unweighted respondents, stated in the package metadata
    disclosure_threshold: int = 10
    sensitive_threshold: int = 5
    low_reliability_n_eff: int = 30
    decimals: int = 1  # of a published value and interval bound (presentation, D10)
    # [microdata] cache_dir: the typed copies of respondent files (pipeline/ingest/
    # microdata_cache.py); empty: .werkdata/cache/ under the project root
    microdata_cache_dir: str = ""

    def dataset_id(self, dataset: str) -> str:
        """The dataset's stable URI: the same for every version."""
        return f"{self.base_url}/{dataset}"

    def contact(self, meta: dict) -> tuple[str, str, str]:
        """(name, e-mail, website) of the contact point: werkdata.toml's, else from `meta`
        (schemas/dataset.json) the publisher's title and the homepage."""
        name = self.contact_name or publisher_title(meta)
        return name, self.contact_email, self.contact_url or meta["homepage"]


def publisher_title(meta: dict) -> str:
    """The title of the contributor with role "publisher" in the dataset file."""
    for contributor in meta.get("contributors", []):
        if "publisher" in contributor.get("roles", []):
            return contributor["title"]
    raise ConfigurationInvalid("schemas/dataset.json: no contributor has the role 'publisher'")


def load_config(path: Path) -> Config:
    """Read `path` (werkdata.toml); a missing file gives the defaults."""
    if not path.is_file():
        return Config()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    publication = data.get("publication", {})
    contact = data.get("contact", {})
    disclosure = data.get("disclosure", {})
    microdata = data.get("microdata", {})
    defaults = Config()
    return Config(
        base_url=str(publication.get("base_url", defaults.base_url)).rstrip("/"),
        contact_name=str(contact.get("name", defaults.contact_name)),
        contact_email=str(contact.get("email", defaults.contact_email)),
        contact_url=str(contact.get("url", defaults.contact_url)),
        disclosure_threshold=disclosure.get("threshold", defaults.disclosure_threshold),
        sensitive_threshold=disclosure.get("sensitive_threshold", defaults.sensitive_threshold),
        low_reliability_n_eff=disclosure.get(
            "low_reliability_n_eff", defaults.low_reliability_n_eff
        ),
        decimals=disclosure.get("decimals", defaults.decimals),
        microdata_cache_dir=str(microdata.get("cache_dir", defaults.microdata_cache_dir)),
    )
