"""The dataset descriptions name the editions of the data, not a list typed into dataset.json."""

import pyarrow as pa

from pipeline.core.schemas import dataset_metadata
from pipeline.release.package import release_metadata
from tests.helpers import REPO


def test_descriptions_list_the_editions_of_the_built_tables():
    meta = dataset_metadata(REPO / "schemas")
    tables = {"editions": pa.table({"edition": [2027, 2019, 2022, 2024]})}
    filled = release_metadata(meta, tables)
    for key in ("description_nl", "description_en"):
        assert "(2019, 2022, 2024, 2027)" in filled[key]
        assert "{" not in filled[key]
    assert "{editions}" in meta["description_nl"]  # the file itself keeps the placeholder
