"""One set of respondents written as a survey agency delivers them: Parquet, SPSS, Stata or CSV,
with the agency's own column names (RespNr, Sector, Lft, V1..Vk, Gewicht), the population and
the age breakdown as numeric codes with value labels, the items' scales as value labels and
"weet niet" (9) as SPSS user-missing; and the `microdata:` section that maps them back. Written
here with pyreadstat and pyarrow from the contract-shaped table `werkdata synth` makes."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

DONT_KNOW = 9


def agency_frame(table: pa.Table, items: list[str]) -> tuple[pd.DataFrame, dict]:
    """The contract table as an agency's frame, and the `columns:`/`codes:` that map it back."""
    populations = sorted(set(table["population_id"].to_pylist()))
    ages = sorted({v for v in table["leeftijd"].to_pylist() if v is not None})
    population_codes = {k + 1: value for k, value in enumerate(populations)}
    age_codes = {k + 1: value for k, value in enumerate(ages)}
    frame = pd.DataFrame(
        {
            "RespNr": table["respondent_id"].to_numpy().astype("float64"),
            "Sector": codes_of(table["population_id"].to_pylist(), population_codes),
            "Stratum": table["stratum"].to_pylist(),
            "Cluster": table["psu"].to_numpy().astype("float64"),
            "Gewicht": table["weight"].to_numpy(),
            "Lft": codes_of(table["leeftijd"].to_pylist(), age_codes),
            "dienstjaren": table["dienstjaren"].to_pylist(),
            "geslacht": table["geslacht"].to_pylist(),
        }
    )
    columns = {"RespNr": "respondent_id", "Sector": "population_id", "Lft": "leeftijd"}
    for number, item in enumerate(items, start=1):
        frame[f"V{number}"] = table[item].to_pandas().astype("float64").to_numpy()
        columns[f"V{number}"] = item
    codes = {"population_id": population_codes, "leeftijd": age_codes}
    return frame, {"columns": columns, "codes": codes}


def codes_of(values: list, codes: dict[int, str]) -> np.ndarray:
    back = {value: float(code) for code, value in codes.items()}
    return np.array([back.get(v, np.nan) for v in values], dtype="float64")


def write_agency_file(
    frame: pd.DataFrame, fmt: str, folder: Path, scales: dict[str, dict[int, str]]
) -> Path:
    """`frame` written as `fmt` (parquet, sav, dta, csv) in `folder`; `scales` gives each item
    column's value labels (SPSS and Stata)."""
    import pyreadstat

    path = folder / f"wo2024.{fmt}"
    if fmt == "parquet":
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    elif fmt == "sav":
        pyreadstat.write_sav(
            frame,
            str(path),
            variable_value_labels=scales,
            missing_ranges={name: [float(DONT_KNOW)] for name in scales},
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
