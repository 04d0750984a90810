"""The `microdata:` section of edition.yaml read into a MicrodataSpec."""

from pathlib import Path

from pipeline.ingest.microdata import microdata_spec


def test_relative_path_is_relative_to_the_edition_folder_and_design_keeps_its_order(tmp_path):
    meta = {
        "microdata": {
            "path": "microdata/respondents.parquet",
            "weight": "w",
            "psu": "school",
            "strata": "stype",
            "synthetic": True,
        }
    }
    spec = microdata_spec(meta, tmp_path / "2024")
    assert spec.path == tmp_path / "2024" / "microdata" / "respondents.parquet"
    assert spec.synthetic is True
    assert spec.fpc is None
    assert spec.design_columns() == ["w", "stype", "school"]


def test_absolute_path_is_kept_and_no_section_means_no_spec(tmp_path):
    meta = {"microdata": {"path": str(tmp_path / "m"), "weight": "w", "synthetic": False}}
    assert microdata_spec(meta, Path("/elsewhere")).path == tmp_path / "m"
    assert microdata_spec({"title_nl": "x"}, tmp_path) is None
    assert microdata_spec(None, tmp_path) is None


def test_a_folder_gives_its_parquet_files_sorted(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    for name in ("b.parquet", "a.parquet", "notes.txt"):
        (folder / name).write_bytes(b"")
    spec = microdata_spec(
        {"microdata": {"path": str(folder), "weight": "w", "synthetic": True}}, tmp_path
    )
    assert [p.name for p in spec.files()] == ["a.parquet", "b.parquet"]
