"""The scaling benchmark's in-process costs (bench/scaling_bench.py part_costs): one estimate
part and one respondent-check part per file, of a real small partitioned synthetic project,
each with the pickled size of what it returns."""

from __future__ import annotations

import sys

from pipeline.core.paths import Project
from pipeline.synth import write_project
from tests.helpers import REPO

sys.path.insert(0, str(REPO / "bench"))

import scaling_bench


def test_part_costs_times_each_file_of_both_fan_outs(tmp_path):
    write_project(Project.at(REPO), tmp_path / "p", 3_000, seed=3, partitions=2, items=4)
    costs = scaling_bench.part_costs(tmp_path / "p")
    assert [c[0] for c in costs] == [1_500, 1_500]  # respondents of each file, in file order
    for _, estimate_s, estimate_bytes, check_s, check_bytes in costs:
        assert estimate_s > 0 and check_s > 0
        # the checks return a 64-bit hash per respondent and the design's units: more than
        # the hashes alone, far less than the file
        assert 1_500 * 8 < check_bytes < 200_000 and estimate_bytes > 1_000
