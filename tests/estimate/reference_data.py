"""R survey's `api` data (apistrat, apiclus1, apiclus2; tests/data/reference/, see its README) as
wide respondent tables for the engine: integer item codes, a population tree, breakdown columns.

The items are derived from real columns with real item non-response (target, acs.46 are NA for
some schools); `awards_code` 9 (excluded as "don't know") stands in for year-round schools."""

from __future__ import annotations

import polars as pl

from pipeline.estimate import Indicator, PopulationTree
from tests.helpers import DATA

REFERENCE = DATA / "reference"

INDICATORS = [
    Indicator("target_small", "target_band", (1,)),
    Indicator("target_large", "target_band", (3,), (2,)),
    Indicator("acs46_small", "acs46_band", (1,)),
    Indicator("awards_yes", "awards_code", (1,), (9,)),
]
BREAKDOWNS = ["comp_imp", "acs_core_band"]

TREE = PopulationTree(
    {
        "all": None,
        **{stype: "all" for stype in ("e", "m", "h")},
        **{f"{stype}_both_{both}": stype for stype in ("e", "m", "h") for both in ("yes", "no")},
    }
)


def respondents(name: str) -> pl.DataFrame:
    """The api file `name` (apistrat, apiclus1 or apiclus2) as a wide respondent table; `fpc` is
    apiclus2's first-stage fpc (districts), the engine taking one stage."""
    raw = pl.read_csv(REFERENCE / f"{name}.csv", null_values="NA")
    if "fpc" not in raw.columns:
        raw = raw.rename({"fpc1": "fpc"})
    target = pl.col("target")
    acs46 = pl.col("acs.46")
    return raw.select(
        pl.col("snum").alias("respondent_id"),
        (pl.col("stype").str.to_lowercase() + "_both_" + pl.col("both").str.to_lowercase()).alias(
            "population_id"
        ),
        pl.col("pw").alias("weight"),
        pl.col("stype").alias("stratum"),
        pl.col("dnum").cast(pl.String).alias("district"),
        (pl.col("stype") + "-" + pl.col("dnum").cast(pl.String)).alias("district_in_stratum"),
        pl.col("fpc").cast(pl.Float64).alias("fpc"),
        pl.col("comp.imp").alias("comp_imp"),
        pl.when(pl.col("acs.core").is_null())
        .then(None)
        .when(pl.col("acs.core") <= 25)
        .then(pl.lit("klein"))
        .otherwise(pl.lit("groot"))
        .alias("acs_core_band"),
        pl.when(target.is_null())
        .then(None)
        .when(target <= 10)
        .then(1)
        .when(target <= 20)
        .then(2)
        .otherwise(3)
        .cast(pl.Int16)
        .alias("target_band"),
        pl.when(acs46.is_null())
        .then(None)
        .when(acs46 <= 28)
        .then(1)
        .otherwise(2)
        .cast(pl.Int16)
        .alias("acs46_band"),
        pl.when(pl.col("yr.rnd") == "Yes")
        .then(9)
        .when(pl.col("awards") == "Yes")
        .then(1)
        .otherwise(2)
        .cast(pl.Int16)
        .alias("awards_code"),
    )
