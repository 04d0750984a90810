"""What an analyst would write in pandas for the same shares and variance sums: melt the items
to long form, look the codes up, then groupby per breakdown, up the population tree, per PSU
and per cell x stratum.

Run as a fresh process: `python bench/estimate_pandas.py PROJECT OUT.parquet` prints one JSON
line (seconds timed in-process from reading the file to the shares in memory, and peak RSS)
and writes the long shares to OUT.parquet (untimed) for the correctness guard.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from estimate_project import TOTAL, UNKNOWN, Project, load, weight_factor


def code_flags(project: Project, items: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Lookup arrays indexed by item position * 10 + code: counted, excluded; and the
    indicator id of each item position (one indicator per item in the synthetic project)."""
    by_item = {ind.item_id: ind for ind in project.indicators}
    counted = np.zeros(len(items) * 10, dtype=bool)
    excluded = np.zeros(len(items) * 10, dtype=bool)
    for position, item in enumerate(items):
        for code in by_item[item].count_codes:
            counted[position * 10 + code] = True
        for code in by_item[item].exclude_codes:
            excluded[position * 10 + code] = True
    return counted, excluded, [by_item[item].indicator_id for item in items]


def shares(project: Project) -> pd.DataFrame:
    design = [project.weight, project.strata, project.psu]
    items = sorted({ind.item_id for ind in project.indicators})
    df = pd.read_parquet(
        project.respondents, columns=["population_id", *design, *project.breakdowns, *items]
    )
    # the engine's fixed-point weights (estimate_project.weight_factor)
    df[project.weight] = (df[project.weight] * weight_factor(project)).round()
    for b in project.breakdowns:
        df[b] = df[b].fillna(UNKNOWN).astype("category")
    for column in ("population_id", project.strata):
        df[column] = df[column].astype("category")
    long = df.melt(
        id_vars=["population_id", *design, *project.breakdowns],
        value_vars=items,
        var_name="item_id",
        value_name="value",
    )
    # melt stacks the value columns in order: item positions without parsing 15M strings
    position = np.repeat(np.arange(len(items)), len(df))
    answered = long["value"].notna().to_numpy()
    long, position = long[answered], position[answered]
    counted, excluded, indicator_ids = code_flags(project, items)
    key = position * 10 + long["value"].to_numpy().astype("int64")
    long = long.assign(
        indicator_id=pd.Categorical.from_codes(position, categories=indicator_ids),
        counted=counted[key],
    )[~excluded[key]]
    long["wy"] = long[project.weight] * long["counted"]
    pieces = []
    for b in (None, *project.breakdowns):
        value = long[b] if b else TOTAL
        part = long.assign(breakdown_id=b or TOTAL, breakdown_value=value)
        pieces.append(
            part.groupby(
                [
                    "population_id",
                    "breakdown_id",
                    "breakdown_value",
                    project.strata,
                    project.psu,
                    "indicator_id",
                ],
                observed=True,
            )
            .agg(B=(project.weight, "sum"), A=("wy", "sum"))
            .reset_index()
        )
    leaves = pd.concat(pieces)
    ancestry = pd.DataFrame(list(project.ancestry), columns=["population_id", "node"])
    psus = (
        leaves.merge(ancestry, on="population_id")
        .groupby(
            ["node", "breakdown_id", "breakdown_value", project.strata, project.psu, "indicator_id"]
        )[["A", "B"]]
        .sum()
        .reset_index()
    )
    psus["AA"], psus["AB"], psus["BB"] = psus.A * psus.A, psus.A * psus.B, psus.B * psus.B
    strata = (
        psus.groupby(["node", "breakdown_id", "breakdown_value", project.strata, "indicator_id"])[
            ["A", "B", "AA", "AB", "BB"]
        ]
        .sum()
        .reset_index()
    )
    cells = (
        strata.groupby(["node", "breakdown_id", "breakdown_value", "indicator_id"])[["A", "B"]]
        .sum()
        .reset_index()
    )
    cells["share"] = 100 * cells.A / cells.B
    return cells.rename(columns={"node": "population_id"})[
        ["population_id", "breakdown_id", "breakdown_value", "indicator_id", "share"]
    ]


def main() -> None:
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    project = load(root)
    start = time.perf_counter()
    result = shares(project)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result.to_parquet(out, index=False)
    print(json.dumps({"pandas_s": seconds, "pandas_rss_mb": peak}))


if __name__ == "__main__":
    main()
