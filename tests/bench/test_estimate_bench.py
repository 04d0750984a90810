"""The estimation benchmark (bench/estimate_bench.py): one real small run end to end, and its
correctness guard on a share that is wrong by more than the tolerance."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.helpers import REPO

sys.path.insert(0, str(REPO / "bench"))

import estimate_bench

FIGURES = {
    "respondents": int,
    "pipeline_s": float,
    "estimate_s": float,
    "floor_s": float,
    "scan_s": float,
    "peak_rss_mb": float,
    "estimate_vs_floor": float,
    "pandas_s": float,
    "pandas_vs_estimate": float,
    "steps": dict,
    "runs": dict,
}
CELL = {
    "population_id": ["rijk", "rijk"],
    "breakdown_id": ["totaal", "geslacht"],
    "breakdown_value": ["totaal", "man"],
    "indicator_id": ["eens_v001", "eens_v001"],
}


@pytest.mark.slow
@pytest.mark.xdist_group("serial")
def test_a_small_run_prints_its_figures_as_json_and_the_guard_passes():
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "estimate_bench.py"),
            "--respondents",
            "2000",
            "--runs",
            "1",
            "--prefect-runs",
            "1",
            # 30 items, not the default 150: the run checks the bench's figures and guard, and
            # the audit of 2,000 respondents' sparse cells costs seconds per item set
            "--items",
            "30",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert {key: type(result[key]) for key in FIGURES} == FIGURES
    assert result["respondents"] == 2000
    assert result["guard"]["passed"] and result["guard"]["cells_checked"] > 1000
    assert result["estimate_s"] == result["steps"]["estimate"]
    assert result["estimate_vs_floor"] == result["estimate_s"] / result["floor_s"]
    assert result["floor_best_s"] == min(run["floor_s"] for run in result["runs"]["floor"])
    assert result["shape_mismatches"] == []
    # the Prefect flow's run: its time and estimate step beside the local path's
    (prefect,) = result["runs"]["prefect"]
    assert result["prefect_extra_s"] == result["prefect_s"] - result["pipeline_s"]
    assert 0 < prefect["prefect_estimate_s"] < prefect["prefect_s"]
    assert [len(result["runs"][kind]) for kind in ("pipeline", "floor", "scan", "pandas")] == [
        1,
        1,
        1,
        1,
    ]


def write(path: Path, columns: dict) -> Path:
    pq.write_table(pa.table(columns), path)
    return path


def test_the_guard_names_the_cell_whose_share_differs(tmp_path):
    published = write(tmp_path / "published.parquet", {**CELL, "value": [40.0, None]})
    right = write(tmp_path / "right.parquet", {**CELL, "share": [40.0 + 1e-11, 12.0]})
    wrong = write(tmp_path / "wrong.parquet", {**CELL, "share": [40.0 + 1e-8, 12.0]})
    assert estimate_bench.compare(published, right, "floor") == 1  # the suppressed cell is free
    with pytest.raises(
        estimate_bench.GuardFailed, match="floor: cell rijk/totaal/totaal/eens_v001"
    ):
        estimate_bench.compare(published, wrong, "floor")


def test_the_guard_fails_on_a_published_cell_the_floor_lacks(tmp_path):
    published = write(tmp_path / "published.parquet", {**CELL, "value": [40.0, 12.0]})
    partial = write(
        tmp_path / "partial.parquet", {k: v[:1] for k, v in {**CELL, "share": [40.0, 0]}.items()}
    )
    with pytest.raises(
        estimate_bench.GuardFailed, match=r"geslacht/man/eens_v001 published 12\.0, pandas None"
    ):
        estimate_bench.compare(published, partial, "pandas")


def test_the_published_value_is_the_floor_share_rounded_as_stated(tmp_path):
    """The guard holds the published (rounded) value to the floor's share rounded with
    Python's round to the stated decimals, either side of a rounding boundary within the
    tolerance; a value with more decimals than stated fails."""
    floor = write(tmp_path / "floor.parquet", {**CELL, "share": [40.04, 12.25 - 1e-12]})
    published = write(tmp_path / "published.parquet", {**CELL, "value": [40.0, 12.3]})
    assert estimate_bench.compare_rounded(published, floor, 1, "floor") == 2
    unrounded = write(tmp_path / "unrounded.parquet", {**CELL, "value": [40.04, 12.2]})
    with pytest.raises(estimate_bench.GuardFailed, match=r"published 40\.04, floor 40\.04 rounded"):
        estimate_bench.compare_rounded(unrounded, floor, 1, "floor")
    two = write(tmp_path / "two.parquet", {**CELL, "value": [40.04, 12.25]})
    assert estimate_bench.compare_rounded(two, floor, 2, "floor") == 2
