"""Generated wide respondent tables for the engine's determinism tests and timing: answers 1-5
plus 9 ("weet niet"), 3% item non-response, 15 leaf populations under 3 sectors, 3 breakdowns
with missing answers, one stratum per leaf with 20 PSUs each (an employer's units), skewed
(log-normal) weights and correlated answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.estimate import Design, Indicator, PopulationTree

SECTORS = 3
LEAVES_PER_SECTOR = 5
PSUS_PER_LEAF = 20
BREAKDOWNS = {"leeftijd": ["jong", "midden", "oud"], "geslacht": ["m", "v"], "regio": list("abcd")}
DESIGN = Design("weight", strata="stratum", psu="psu")

TREE = PopulationTree(
    {
        "overheid": None,
        **{f"sector_{s}": "overheid" for s in range(SECTORS)},
        **{
            f"sector_{s}_{leaf}": f"sector_{s}"
            for s in range(SECTORS)
            for leaf in range(LEAVES_PER_SECTOR)
        },
    }
)


def indicators(items: int) -> list[Indicator]:
    """One "satisfied" indicator (codes 4 5, 9 excluded) per item."""
    return [Indicator(f"tevreden_q{i:03d}", f"q{i:03d}", (4, 5), (9,)) for i in range(items)]


def respondent_table(respondents: int, items: int, seed: int = 12) -> pa.Table:
    """A wide table of `respondents` rows and `items` answer columns (int8)."""
    rng = np.random.default_rng(seed)
    leaves = TREE.leaves
    leaf = rng.integers(0, len(leaves), respondents)
    psu = rng.integers(0, PSUS_PER_LEAF, respondents)
    columns = {
        "respondent_id": pa.array(np.arange(respondents)),
        "population_id": pa.array(np.array(leaves)[leaf]),
        "stratum": pa.array(np.array(leaves)[leaf]),
        "psu": pa.array(leaf * PSUS_PER_LEAF + psu),
        "weight": pa.array(rng.lognormal(3.0, 0.7, respondents)),
    }
    for name, values in BREAKDOWNS.items():
        picked = np.array(values, dtype=object)[rng.integers(0, len(values), respondents)]
        picked[rng.random(respondents) < 0.02] = None
        columns[name] = pa.array(picked, pa.string())
    tendency = rng.normal(0, 1, respondents)
    for i in range(items):
        answer = np.clip(np.rint(3.4 + tendency + rng.normal(0, 1, respondents)), 1, 5)
        answer[rng.random(respondents) < 0.03] = 9
        codes = pa.array(answer.astype(np.int8), mask=rng.random(respondents) < 0.03)
        columns[f"q{i:03d}"] = codes
    return pa.table(columns)


def write_parts(table: pa.Table, folder: Path, parts: int) -> list[Path]:
    """The table as `parts` Parquet files of consecutive rows."""
    folder.mkdir(parents=True, exist_ok=True)
    size = -(-table.num_rows // parts)
    paths = []
    for part in range(parts):
        path = folder / f"part-{part}.parquet"
        pq.write_table(table.slice(part * size, size), path)
        paths.append(path)
    return paths
