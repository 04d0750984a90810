"""Estimation: weighted shares with Taylor-linearised standard errors and 95% intervals, from a
wide respondent table, following R's `survey` package as `svy` computes it (docs/estimation.md).

The stage takes plain arguments (a DuckDB connection, a table or Parquet files, a design, the
indicators, the population tree and the breakdown columns) and imports nothing else of pipeline/.
"""

from pipeline.estimate.design import Design, Indicator, PopulationTree
from pipeline.estimate.engine import estimate, estimate_from_partials
from pipeline.estimate.partials import Partials, compute_partials, merge_partials

__all__ = [
    "Design",
    "Indicator",
    "Partials",
    "PopulationTree",
    "compute_partials",
    "estimate",
    "estimate_from_partials",
    "merge_partials",
]
