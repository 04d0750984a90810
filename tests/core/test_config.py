"""werkdata.toml's contact point, and its fall-back to the dataset file (schemas/dataset.json)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.config import Config, load_config, publisher_title
from pipeline.core.errors import ConfigurationInvalid
from pipeline.core.schemas import dataset_metadata
from tests.helpers import REPO

META = dataset_metadata(REPO / "schemas")


def test_the_repository_contact_comes_from_werkdata_toml():
    name, email, url = load_config(REPO / "werkdata.toml").contact(META)
    assert (name, email, url) == (
        "Werkonderzoek, ministerie van BZK",
        "werkonderzoek@example.org",
        "https://www.werkonderzoek.nl",
    )


def test_without_a_name_the_contact_is_the_publisher_of_the_dataset_file(tmp_path: Path):
    toml = tmp_path / "werkdata.toml"
    toml.write_text('[contact]\nemail = "team@example.org"\n', encoding="utf-8")
    name, email, url = load_config(toml).contact(META)
    publisher = next(c for c in META["contributors"] if c["roles"] == ["publisher"])
    assert name == publisher["title"]
    assert (email, url) == ("team@example.org", META["homepage"])
    assert Config().contact(META)[0] == name


def test_a_dataset_file_without_a_publisher_is_refused():
    meta = {
        **META,
        "contributors": [c for c in META["contributors"] if "publisher" not in c["roles"]],
    }
    with pytest.raises(ConfigurationInvalid, match="role 'publisher'"):
        publisher_title(meta)
