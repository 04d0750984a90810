"""bench/spss_publish_bench.py, the first publish from SPSS against its floor that
docs/performance.md quotes: a small real run publishes both projects and reports each
measurement and the ratio the target is judged on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "spss_publish_bench.py"


@pytest.mark.slow  # two synth runs, a read and two first publishes in fresh processes: ~7 s CPU
def test_a_small_run_measures_both_publishes_and_the_ratio_to_the_floor():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "300", "3", "1"], capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert (report["respondents"], report["items"], report["runs"]) == (300, 3, 1)
    medians = report["medians"]
    assert set(medians) == {"read_sav", "parquet", "sav"}
    for figures in medians.values():
        assert figures["wall"] > 0 and figures["cpu"] > 0 and figures["peak_mb"] > 20
    for key in ("wall", "cpu"):
        floor = medians["read_sav"][key] + medians["parquet"][key]
        assert report["ratio_to_floor"][key] == pytest.approx(medians["sav"][key] / floor, abs=0.01)
    assert report["met_on_cpu"] == (report["ratio_to_floor"]["cpu"] <= report["target"] == 1.5)
