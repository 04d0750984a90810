"""Scale-free weights and a certainty stratum on the Prefect flow's publish path (the `--local`
path: tests/estimate/test_weight_scale.py and tests/estimate/test_certainty_strata.py).

One synthetic project whose stratum rijk_hoge_colleges is a single PSU sampled with certainty
(fpc 1), published twice: through the Prefect flow with every weight x 1e8, and by
`publish --local` with the weights as written. Its data files must be byte-identical: the
weights' unit changes nothing (the edition's power-of-two scale, docs/estimation.md), and the
certainty stratum, which adds zero variance as R's survey gives it (checked with Rscript by
tests/estimate/test_certainty_strata.py), is estimated and published alike on both paths."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.orchestrate.runner import publish_local
from tests.respondents import CERTAINTY_STRATUM, marked_project, one_psu_stratum, scale_weights

pytestmark = pytest.mark.slow  # a real Prefect flow


def data_files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((folder / "data").iterdir())}


def test_the_flow_publishes_weights_x_1e8_and_a_certainty_stratum_as_local_does(
    prefect_harness, tmp_path
):
    from flows.publish_flow import publish_flow

    projects = {}
    for name in ("flow", "local"):
        projects[name] = marked_project(tmp_path / name, 600, items=3)
        one_psu_stratum(projects[name], fpc=1.0)
    scale_weights(projects["flow"], 1e8)

    outcome = publish_flow(root=str(projects["flow"].root))
    assert outcome["status"] == "published"
    flow = data_files(Path(outcome["folder"]))
    local = data_files(publish_local(projects["local"]).folder)
    assert sorted(flow) == sorted(local)
    assert [name for name in flow if flow[name] != local[name]] == []

    # the certainty stratum's own cells are estimated and published (not refused, not all
    # suppressed), and so are those of the population it belongs to, with their intervals
    estimates = pl.read_csv(flow["estimates.csv"])
    own = estimates.filter(
        pl.col("population_id") == CERTAINTY_STRATUM, pl.col("value").is_not_null()
    )
    assert own.height >= 1
    rijk = estimates.filter(pl.col("population_id") == "rijk", pl.col("breakdown_id") == "totaal")
    assert rijk.height >= 3
    assert rijk.select("value", "ci_low", "ci_high").null_count().sum_horizontal().item() == 0
