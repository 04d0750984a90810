"""Small hand-built respondent files for the microdata check tests (six clean respondents, and
the same with some columns changed), and the checks run on one file or folder."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.checks.microdata.merge import merge_microdata
from pipeline.checks.microdata.part import check_file
from pipeline.checks.microdata.plan import plan_microdata
from pipeline.ingest.microdata import MicrodataSpec

SHOWN = "raw/2024/microdata/respondents.parquet"
LEAVES = {"rijk", "gemeenten"}
ITEMS = {"v001": {1, 2, 3, 4, 5, 9}, "v002": {1, 2, 3}}
BREAKDOWNS = {"leeftijd": {"tot25", "25_34"}}


def base() -> dict[str, pa.Array]:
    """Six clean respondents: two strata of two PSUs each, every column of the contract."""
    return {
        "respondent_id": pa.array(["r1", "r2", "r3", "r4", "r5", "r6"]),
        "population_id": pa.array(["rijk", "rijk", "gemeenten", "gemeenten", "rijk", "gemeenten"]),
        "stratum": pa.array(["s1", "s1", "s1", "s2", "s2", "s2"]),
        "psu": pa.array([1, 2, 1, 3, 4, 3], pa.int32()),
        "weight": pa.array([1.5, 2.0, 1.0, 3.25, 1.0, 2.5]),
        "leeftijd": pa.array(["tot25", None, "25_34", "tot25", "onbekend", "25_34"]),
        "v001": pa.array([1, 9, None, 5, 2, 3], pa.int8()),
        "v002": pa.array([1, 2, 3, None, 1, 2], pa.int8()),
    }


def write(path: Path, columns: dict[str, pa.Array]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns), path)
    return path


def changed(**columns: list) -> dict[str, pa.Array]:
    """The base file with some columns replaced (typed like the base column)."""
    data = base()
    for name, values in columns.items():
        data[name] = pa.array(values, data[name].type)
    return data


def checked(microdata, shown, leaves, items, breakdowns, cap: int = 20):
    """The check of `microdata` as validation composes it: the plan from the files' footers,
    each file's part in turn, then their merge."""
    with duckdb.connect() as con:
        planned = plan_microdata(con, microdata, shown, leaves, items, breakdowns, cap)
        return merge_microdata(con, planned, [check_file(part) for part in planned.parts])


def run(path: Path, cap: int = 20, **design: str | None):
    design = {"weight": "weight", "strata": "stratum", "psu": "psu", **design}
    microdata = MicrodataSpec(path=path, synthetic=True, **design)
    return checked(microdata, SHOWN, LEAVES, ITEMS, BREAKDOWNS, cap=cap)
