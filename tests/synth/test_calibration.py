"""At 100,000 respondents each calibrated indicator's weighted national share, computed by the
real engine on the generated Parquet, is within 0.5 percentage point of the real 2024 figure."""

from __future__ import annotations

import duckdb
import pytest

from pipeline.estimate import estimate
from pipeline.synth import write_project
from tests.synth.readers import SOURCE, design, indicators, real_national_figures, spec, tree

RESPONDENTS = 100_000
TOLERANCE = 0.5  # percentage point: the calibration target of docs/estimation.md


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    targets = real_national_figures()
    out = tmp_path_factory.mktemp("synth") / "demo"
    # Only the calibrated items (they come first, so they are the same as in a 150-item run).
    write_project(SOURCE, out, RESPONDENTS, seed=1, items=len(targets))
    return out


def national_shares(project) -> dict[str, float]:
    con = duckdb.connect()
    files = [str(path) for path in spec(project).files()]
    result = estimate(con, files, design(project), indicators(project), tree(project))
    return {
        row["indicator_id"]: row["share"]
        for row in result.to_pylist()
        if row["population_id"] == "openbaar_bestuur" and row["breakdown_id"] == "totaal"
    }


def test_every_real_national_figure_has_a_calibrated_indicator(project):
    targets = real_national_figures()
    assert len(targets) >= 3  # the 2024 figures of raw/: 68, 14.3 and 20 percent
    assert {i.indicator_id for i in indicators(project)} == set(targets)


def test_weighted_national_shares_are_within_half_a_point_of_the_real_figures(project):
    shares = national_shares(project)
    targets = real_national_figures()
    for indicator_id, target in targets.items():
        assert abs(shares[indicator_id] - target) <= TOLERANCE, (indicator_id, shares, target)


def test_the_weights_matter_for_the_calibration(project):
    """The unweighted shares are off target: the fit comes from the weighted thresholds, not
    from answers that ignore the design."""
    con = duckdb.connect()
    files = [str(path) for path in spec(project).files()]
    worst = 0.0
    for indicator in indicators(project):
        counted = ", ".join(map(str, indicator.count_codes))
        excluded = ", ".join(map(str, indicator.exclude_codes))
        (share,) = con.execute(
            f"SELECT 100 * avg(CASE WHEN {indicator.item_id} IN ({counted}) THEN 1 ELSE 0 END) "
            f"FROM read_parquet(?) WHERE {indicator.item_id} IS NOT NULL "
            f"AND {indicator.item_id} NOT IN ({excluded})",
            [files],
        ).fetchone()
        worst = max(worst, abs(share - real_national_figures()[indicator.indicator_id]))
    assert worst > TOLERANCE
