"""Certainty strata as R's survey package treats them (pipeline/core/certainty.py): a stratum
whose single PSU is all of its population (fpc equal to its units) adds zero variance and is
estimated; a true lonely PSU (no fpc, or a sampling fraction below 1) is refused, as R refuses
it with its default `survey.lonely.psu = "fail"`, with a message that says how to fix it.

R itself is the reference: its survey package estimates the same respondents once per test
session, with every other case (tests/estimate/r_survey.py). Without R the comparison skips,
except on CI (CI=true), where it fails."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from pipeline.core.errors import RawDataInvalid
from pipeline.estimate import estimate
from pipeline.estimate.refusal import RespondentDataRefused
from pipeline.orchestrate.runner import publish_local
from tests.estimate.r_cases import CERTAINTY, Case
from tests.estimate.r_survey import Reference
from tests.respondents import marked_project, one_psu_stratum

REL = 1e-9


def ours(case: Case) -> dict[str, tuple[float, float]]:
    """(share, SE) of the totaal cell and of each sex, as fractions."""
    con = duckdb.connect()
    con.register("respondents", case.data.to_arrow())
    rows = estimate(
        con, "respondents", case.design, case.indicators, case.tree, case.breakdowns
    ).to_pylist()
    return {row["breakdown_value"]: (row["share"] / 100, row["se"] / 100) for row in rows}


@pytest.mark.slow  # R and its survey package, shared with tests/estimate/test_against_r.py
@pytest.mark.xdist_group("r_survey")
def test_a_certainty_stratum_has_the_variance_r_survey_gives_it(r_survey: Reference):
    """With psu (s3: one PSU, fpc 1) and without (s3: one respondent, fpc 1): every cell's share
    and SE equal R's svyciprop (svymean's at 0 or 1) to 1e-9 relative; R refuses the same PSU
    with fpc 2 or without any fpc."""
    for name in ("certainty: psu", "certainty: respondents"):
        found = ours(CERTAINTY[name])
        theirs = {key[2]: cell for key, cell in r_survey.of_case(name).items()}
        assert sorted(found) == sorted(theirs) == ["man", "totaal", "vrouw"]
        for cell, (share, se) in found.items():
            r = theirs[cell]
            assert r.error == "", (name, cell)
            assert share == pytest.approx(r.fit_value, rel=REL), (name, cell)
            assert se == pytest.approx(r.se, rel=REL), (name, cell)
            assert se > 0, (name, cell)  # the other strata still vary
    for name in ("lonely: fpc 2", "lonely: no fpc"):
        refused = r_survey.of_case(name).values()
        assert refused and all("has only one PSU" in cell.error for cell in refused), name


@pytest.mark.parametrize("name", ["lonely: fpc 2", "lonely: no fpc"])
def test_a_true_lonely_psu_is_refused_saying_how_to_fix_it(name):
    with pytest.raises(RespondentDataRefused) as refused:
        ours(CERTAINTY[name])
    public = refused.value.public
    assert public.startswith("a stratum has a single sampled unit that was not sampled with")
    assert "merge it with a similar stratum" in public and "fpc" in public
    assert "s3" not in public  # the stratum is named in the local text only
    assert "'s3'" in str(refused.value)


@pytest.mark.slow  # two publishes' validation, one publish
def test_a_certainty_stratum_is_published_and_a_lonely_psu_refused(tmp_path):
    """publish --local's path: a synthetic project whose stratum rijk_hoge_colleges has one
    PSU. With fpc 1 there it is published; with fpc 2 validation refuses the edition."""
    published = None
    for fpc in (1.0, 2.0):
        project = marked_project(tmp_path / f"fpc-{fpc}", 600, items=3)
        one_psu_stratum(project, fpc)  # rijk_hoge_colleges
        if fpc == 1.0:
            published = publish_local(project).folder
            continue
        with pytest.raises(RawDataInvalid) as refused:
            publish_local(project)
        (problem,) = refused.value.report.problems
        assert problem.rule == "microdata-single-psu-stratum"
        assert "not sampled with certainty" in problem.message
        assert "merge it with a similar stratum" in problem.message
        # the stratum is named in the local log only (0600: docs/reliability.md L1)
        assert "rijk_hoge_colleges" not in str(refused.value.report.problems)
        log = project.root / ".werkdata" / "log" / "microdata-problems.txt"
        assert "stratum 'rijk_hoge_colleges' has a single PSU" in log.read_text(encoding="utf-8")
    estimates = pl.read_csv(published / "data" / "estimates.csv")
    # the cells of every respondent (the certainty stratum's among them), with their intervals
    whole = estimates.filter(
        pl.col("respondents") == pl.col("respondents").max().over("indicator_id")
    )
    assert whole.height >= 3
    assert whole.select("value", "ci_low", "ci_high").null_count().sum_horizontal().item() == 0
