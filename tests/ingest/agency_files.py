"""One set of respondents written as a survey agency delivers them: Parquet, SPSS, Stata or CSV,
with the agency's own column names (RespNr, Sector, Lft, V1..Vk, Gewicht), the population and
the age breakdown as numeric codes with value labels, the items' scales as value labels and
"weet niet" (9) as SPSS user-missing; and the `microdata:` section that maps them back. Written
here with pyreadstat and pyarrow from the contract-shaped table `werkdata synth` makes."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from pipeline.core.paths import Project

DONT_KNOW = 9


def agency_frame(table: pa.Table, items: list[str]) -> tuple[pd.DataFrame, dict]:
    """The contract table as an agency's frame, and the `columns:`/`codes:` that map it back."""
    populations = sorted(set(table["population_id"].to_pylist()))
    ages = sorted({v for v in table["leeftijd"].to_pylist() if v is not None})
    population_codes = {k + 1: value for k, value in enumerate(populations)}
    age_codes = {k + 1: value for k, value in enumerate(ages)}
    columns = {
        "RespNr": table["respondent_id"].to_numpy().astype("float64"),
        "Sector": codes_of(table["population_id"].to_pylist(), population_codes),
        "Stratum": table["stratum"].to_pylist(),
        "Cluster": table["psu"].to_numpy().astype("float64"),
        "Gewicht": table["weight"].to_numpy(),
        "Lft": codes_of(table["leeftijd"].to_pylist(), age_codes),
        "dienstjaren": table["dienstjaren"].to_pylist(),
        "geslacht": table["geslacht"].to_pylist(),
    }
    mapping = {"RespNr": "respondent_id", "Sector": "population_id", "Lft": "leeftijd"}
    for number, item in enumerate(items, start=1):
        columns[f"V{number}"] = table[item].to_pandas().astype("float64").to_numpy()
        mapping[f"V{number}"] = item
    frame = pd.DataFrame(columns)
    codes = {"population_id": population_codes, "leeftijd": age_codes}
    return frame, {"columns": mapping, "codes": codes}


def codes_of(values: list, codes: dict[int, str]) -> np.ndarray:
    back = {value: float(code) for code, value in codes.items()}
    return np.array([back.get(v, np.nan) for v in values], dtype="float64")


def write_agency_file(
    frame: pd.DataFrame, fmt: str, folder: Path, scales: dict[str, dict[int, str]]
) -> Path:
    """`frame` written as `fmt` (parquet, sav, zsav, dta, csv) in `folder`; `scales` gives each item
    column's value labels (SPSS and Stata)."""
    import pyreadstat

    path = folder / f"wo2024.{fmt}"
    if fmt == "parquet":
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    elif fmt in ("sav", "zsav"):
        pyreadstat.write_sav(
            frame,
            str(path),
            variable_value_labels=scales,
            missing_ranges={name: [float(DONT_KNOW)] for name in scales},
            compress=fmt == "zsav",
        )
    elif fmt == "dta":
        pyreadstat.write_dta(frame, str(path), variable_value_labels=scales)
    else:
        frame.to_csv(path, index=False, float_format="%.17g", quoting=csv.QUOTE_MINIMAL)
    return path


def point_edition_at(edition_yaml: Path, path: str, mapping: dict, **extra) -> None:
    """The edition's `microdata:` section pointed at `path`, with the agency's names."""
    meta = yaml.safe_load(edition_yaml.read_text(encoding="utf-8"))
    meta["microdata"] = {
        "path": path,
        "weight": "Gewicht",
        "strata": "Stratum",
        "psu": "Cluster",
        "synthetic": True,
        **mapping,
        **extra,
    }
    edition_yaml.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")


def data_files(project: Project) -> dict[str, bytes]:
    """The published data files (CSV and Parquet of every table) of the latest release."""
    folder = project.dataset_dir() / "latest" / "data"
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def item_labels(project: Project) -> tuple[list[str], dict[str, dict[float, str]]]:
    """The items of the code lists, and each agency column's value labels from scales.csv."""
    lists = project.raw / "codelists"
    items = list(csv.DictReader((lists / "items.csv").open(encoding="utf-8")))
    scales = list(csv.DictReader((lists / "scales.csv").open(encoding="utf-8")))
    labels = {
        f"V{number}": {
            float(row["code"]): row["label_nl"]
            for row in scales
            if row["scale_id"] == item["scale_id"]
        }
        for number, item in enumerate(items, start=1)
    }
    return [item["item_id"] for item in items], labels


def agency_project(reference_root: Path, target: Path, fmt: str) -> Project:
    """A copy of the reference project whose respondents are the agency's file in `fmt`."""
    shutil.copytree(reference_root / "raw", target / "raw")
    shutil.copytree(reference_root / "schemas", target / "schemas")
    shutil.copy2(reference_root / "werkdata.toml", target / "werkdata.toml")
    project = Project.at(target)
    folder = project.raw / "2024" / "microdata"
    (parquet,) = folder.glob("*.parquet")
    table = pq.read_table(parquet)
    parquet.unlink()
    items, labels = item_labels(project)
    frame, mapping = agency_frame(table, items)
    path = write_agency_file(frame, fmt, folder, labels)
    point_edition_at(project.raw / "2024" / "edition.yaml", f"microdata/{path.name}", mapping)
    return project
