"""The respondent tables and designs on which the engine is compared with R's survey package
(tests/estimate/test_against_r.py, tests/estimate/test_certainty_strata.py): R's public `api`
samples in three designs (strata with fpc and no psu; PSUs within strata; one-stage clusters
with fpc, of apiclus1 and of apiclus2's first stage), a synthetic table with strata, PSUs, fpc,
item non-response and "weet niet" (9) in domains that cut across PSUs, and the certainty-stratum
tables. tests/estimate/r_survey.py runs R once per test session over all of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from pipeline.core.breakdowns import TOTAL, UNKNOWN
from pipeline.estimate import Design, Indicator, PopulationTree
from tests.estimate import reference_data as api


@dataclass(frozen=True, eq=False)
class Case:
    """One respondent table and design: the engine estimates every cell of it, R too."""

    data: pl.DataFrame
    design: Design
    indicators: Sequence[Indicator]
    tree: PopulationTree
    breakdowns: Sequence[str] = ()


@dataclass(frozen=True)
class Cell:
    """One population node x breakdown value (or totaal) x indicator of a case."""

    population_id: str
    breakdown_id: str
    breakdown_value: str
    indicator_id: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.population_id, self.breakdown_id, self.breakdown_value, self.indicator_id)


def cells(case: Case) -> list[tuple[Cell, list[str]]]:
    """Every cell of `case` that has respondents in its node, with the node's leaves: the nodes
    of the tree x (totaal and every value of every breakdown, a missing answer as onbekend) x
    the indicators."""
    leaves_of: dict[str, list[str]] = {}
    for leaf, node in case.tree.ancestry():
        leaves_of.setdefault(node, []).append(leaf)
    present = set(case.data["population_id"].to_list())
    columns = [(TOTAL, TOTAL)]
    for breakdown in case.breakdowns:
        values = case.data[breakdown].fill_null(UNKNOWN).unique().sort().to_list()
        columns += [(breakdown, value) for value in values]
    found = []
    for node, leaves in sorted(leaves_of.items()):
        if not present & set(leaves):
            continue  # the engine gives a node without respondents no rows
        for breakdown, value in columns:
            for indicator in case.indicators:
                found.append((Cell(node, breakdown, value, indicator.indicator_id), leaves))
    return found


def synthetic_respondents(seed: int = 30) -> pl.DataFrame:
    """400 respondents in 3 strata of 5, 6 and 8 sampled PSUs (of 12, 30 and 8: the last taken
    whole), in 4 leaves that cut across the PSUs; answers 1-5 and 9 ("weet niet", 8%), 10%
    unanswered; a breakdown `geslacht` with 5% missing (onbekend); skewed weights. A leaf of
    few respondents gives cells with one PSU (df 0) and shares of 0 or 1."""
    rng = np.random.default_rng(seed)
    strata = {"s1": (5, 12.0), "s2": (6, 30.0), "s3": (8, 8.0)}
    psus = [(s, f"{s}_{k}", fpc) for s, (count, fpc) in strata.items() for k in range(count)]
    n = 400
    picked = rng.integers(0, len(psus), n)
    leaf = rng.choice(["l1", "l2", "l3", "klein"], n, p=[0.35, 0.35, 0.27, 0.03])
    geslacht = rng.choice(["man", "vrouw"], n).astype(object)
    geslacht[rng.random(n) < 0.05] = None

    def answers() -> pl.Series:
        codes = rng.choice([1, 2, 3, 4, 5, 9], n, p=[0.1, 0.15, 0.2, 0.3, 0.17, 0.08])
        return pl.Series(codes, dtype=pl.Int16).scatter(np.flatnonzero(rng.random(n) < 0.1), None)

    return pl.DataFrame(
        {
            "population_id": leaf,
            "stratum": [psus[k][0] for k in picked],
            "psu": [psus[k][1] for k in picked],
            "fpc": [psus[k][2] for k in picked],
            "weight": rng.lognormal(2.0, 0.6, n).round(6),
            "geslacht": pl.Series(geslacht.tolist(), dtype=pl.String),
            "q1": answers(),
            "q2": answers(),
        }
    )


SYNTHETIC_TREE = PopulationTree(
    {"alle": None, "groot": "alle", "l1": "groot", "l2": "groot", "l3": "alle", "klein": "alle"}
)
SYNTHETIC_INDICATORS = [
    Indicator("q1_eens", "q1", (4, 5), (9,)),
    Indicator("q1_oneens", "q1", (1, 2), (9,)),
    Indicator("q2_eens", "q2", (4, 5), (9,)),
]

CERTAINTY_TREE = PopulationTree({"a": None})
CERTAINTY_YES = Indicator("yes", "q", (1,))


def certainty_respondents() -> pl.DataFrame:
    """Strata s1 (4 PSUs of 40) and s2 (3 of 30), eight respondents a PSU, and s3, one PSU of
    5 respondents that is its stratum's whole population (fpc 1). Without psu each respondent
    is a PSU: `fpc_person` gives s1 and s2 ten times their respondents and s3, a stratum of
    one respondent, 1."""
    rng = np.random.default_rng(29)
    rows = []
    for stratum, psus, fpc in (("s1", 4, 40.0), ("s2", 3, 30.0)):
        for psu in range(psus):
            rows += [(stratum, f"{stratum}p{psu}", fpc, 10.0 * psus * 8) for _ in range(8)]
    rows += [("s3", "s3p0", 1.0, 10.0 * 5)] * 4 + [("s3", "s3p0", 1.0, 1.0)]
    n = len(rows)
    return pl.DataFrame(
        {
            "population_id": ["a"] * n,
            "st": [r[0] for r in rows],
            "psu": [r[1] for r in rows],
            "fpc": [r[2] for r in rows],
            "fpc_person": [r[3] for r in rows],
            "w": rng.uniform(1.0, 9.0, n).round(3),
            "q": rng.integers(0, 2, n),
            "sex": rng.choice(["man", "vrouw"], n).tolist(),
        }
    )


def certainty_stratum_alone(data: pl.DataFrame) -> pl.DataFrame:
    """Without psu, s3 as a stratum of one respondent (the others of s3 moved to s2), with
    `fpc` the persons' fpc."""
    moved = pl.when((pl.col("st") == "s3") & (pl.col("fpc_person") != 1.0))
    return (
        data.with_columns(
            moved.then(pl.lit("s2")).otherwise(pl.col("st")).alias("st"),
            moved.then(pl.lit(10.0 * 29)).otherwise(pl.col("fpc_person")).alias("fpc_person"),
        )
        .with_columns(
            pl.when(pl.col("st") == "s2")
            .then(10.0 * pl.len().over("st"))
            .otherwise(pl.col("fpc_person"))
            .alias("fpc_person")
        )
        .with_columns(pl.col("fpc_person").alias("fpc"))
    )


def certainty_case(data: pl.DataFrame, design: Design) -> Case:
    return Case(data, design, [CERTAINTY_YES], CERTAINTY_TREE, ["sex"])


WITH_PSU = Design("w", strata="st", psu="psu", fpc="fpc")
WITHOUT_PSU = Design("w", strata="st", fpc="fpc")


def lonely(fpc: float | None) -> Case:
    """The certainty table with s3's single PSU given `fpc` (None: no fpc at all), which R's
    survey refuses as a lonely PSU."""
    data = certainty_respondents()
    if fpc is None:
        return certainty_case(data, Design("w", strata="st", psu="psu"))
    single = pl.when(pl.col("st") == "s3").then(fpc).otherwise(pl.col("fpc"))
    return certainty_case(data.with_columns(single.alias("fpc")), WITH_PSU)


def api_case(name: str, design: Design) -> Case:
    return Case(api.respondents(name), design, api.INDICATORS, api.TREE, api.BREAKDOWNS)


# The cases that every cell is compared on (tests/estimate/test_against_r.py).
COMPARED = {
    "apistrat: strata, fpc, no psu": api_case(
        "apistrat", Design("weight", strata="stratum", fpc="fpc")
    ),
    "apistrat: districts within strata": api_case(
        "apistrat", Design("weight", strata="stratum", psu="district_in_stratum")
    ),
    "apiclus1: one-stage clusters, fpc": api_case(
        "apiclus1", Design("weight", psu="district", fpc="fpc")
    ),
    "apiclus2: first-stage clusters, fpc": api_case(
        "apiclus2", Design("weight", psu="district", fpc="fpc")
    ),
    "synthetic: strata, psu, fpc, weet niet": Case(
        synthetic_respondents(),
        Design("weight", strata="stratum", psu="psu", fpc="fpc"),
        SYNTHETIC_INDICATORS,
        SYNTHETIC_TREE,
        ["geslacht"],
    ),
}

# The certainty strata (tests/estimate/test_certainty_strata.py): estimated with psu and
# without, and refused by R as lonely PSUs with fpc 2 or without fpc.
CERTAINTY = {
    "certainty: psu": certainty_case(certainty_respondents(), WITH_PSU),
    "certainty: respondents": certainty_case(
        certainty_stratum_alone(certainty_respondents()), WITHOUT_PSU
    ),
    "lonely: fpc 2": lonely(2.0),
    "lonely: no fpc": lonely(None),
}

CASES = {**COMPARED, **CERTAINTY}
