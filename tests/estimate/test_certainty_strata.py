"""Certainty strata as R's survey package treats them (pipeline/core/certainty.py): a stratum
whose single PSU is all of its population (fpc equal to its units) adds zero variance and is
estimated; a true lonely PSU (no fpc, or a sampling fraction below 1) is refused, as R refuses
it with its default `survey.lonely.psu = "fail"`, with a message that says how to fix it.

R itself is the reference: Rscript with the survey package runs on the same respondents. Without
Rscript the comparison skips, except on CI (CI=true), where it fails."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from pipeline.core.errors import RawDataInvalid
from pipeline.estimate import Design, Indicator, PopulationTree, estimate
from pipeline.estimate.refusal import RespondentDataRefused
from pipeline.orchestrate.runner import publish_local
from tests.respondents import marked_project, one_psu_stratum

REL = 1e-9
TREE = PopulationTree({"a": None})
YES = Indicator("yes", "q", (1,))
WITH_PSU = Design("w", strata="st", psu="psu", fpc="fpc")
WITHOUT_PSU = Design("w", strata="st", fpc="fpc")


def respondents() -> pl.DataFrame:
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
    """Without psu, s3 as a stratum of one respondent (the others of s3 moved to s2)."""
    moved = pl.when((pl.col("st") == "s3") & (pl.col("fpc_person") != 1.0))
    return data.with_columns(
        moved.then(pl.lit("s2")).otherwise(pl.col("st")).alias("st"),
        moved.then(pl.lit(10.0 * 29)).otherwise(pl.col("fpc_person")).alias("fpc_person"),
    ).with_columns(
        pl.when(pl.col("st") == "s2")
        .then(10.0 * pl.len().over("st"))
        .otherwise(pl.col("fpc_person"))
        .alias("fpc_person")
    )


def ours(data: pl.DataFrame, design: Design) -> dict[str, tuple[float, float]]:
    """(share, SE) of the totaal cell and of each sex, as fractions."""
    con = duckdb.connect()
    con.register("respondents", data.to_arrow())
    rows = estimate(con, "respondents", design, [YES], TREE, ["sex"]).to_pylist()
    return {row["breakdown_value"]: (row["share"] / 100, row["se"] / 100) for row in rows}


R_SCRIPT = r"""
library(survey)
data <- read.csv(commandArgs(TRUE)[1], stringsAsFactors = FALSE)
alone <- read.csv(commandArgs(TRUE)[2], stringsAsFactors = FALSE)
show <- function(label, design) {
  total <- svymean(~q, design)
  cat(label, "totaal", sprintf("%.17g", coef(total)), sprintf("%.17g", SE(total)), "\n")
  by_sex <- svyby(~q, ~sex, design, svymean)
  for (k in seq_len(nrow(by_sex))) {
    cat(label, by_sex$sex[k], sprintf("%.17g", by_sex$q[k]), sprintf("%.17g", by_sex$se[k]), "\n")
  }
}
refuses <- function(label, make) {
  failed <- tryCatch({ svymean(~q, make()); FALSE }, error = function(e) TRUE)
  cat(label, "refused", failed, "\n")
}
show("psu", svydesign(ids = ~psu, strata = ~st, weights = ~w, fpc = ~fpc, data = data))
show("respondent", svydesign(ids = ~1, strata = ~st, weights = ~w, fpc = ~fpc_person, data = alone))
half <- data; half$fpc[half$st == "s3"] <- 2
refuses("fpc2", function() svydesign(ids = ~psu, strata = ~st, weights = ~w, fpc = ~fpc,
                                     data = half))
refuses("nofpc", function() svydesign(ids = ~psu, strata = ~st, weights = ~w, data = data))
"""


def rscript() -> str:
    found = shutil.which("Rscript")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Rscript is missing; CI must run the comparison with R's survey")
        pytest.skip("Rscript is missing")
    return found


def r_results(tmp_path: Path, data: pl.DataFrame, alone: pl.DataFrame) -> dict:
    """R survey's (share, SE) per (design, cell), and whether it refused each lonely variant."""
    data.write_csv(tmp_path / "data.csv")
    alone.write_csv(tmp_path / "alone.csv")
    (tmp_path / "certainty.R").write_text(R_SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [rscript(), *(str(tmp_path / name) for name in ("certainty.R", "data.csv", "alone.csv"))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = {}
    for line in done.stdout.splitlines():
        label, cell, *values = line.split()
        if cell == "refused":
            found[(label, cell)] = values[0] == "TRUE"
        else:
            found[(label, cell)] = (float(values[0]), float(values[1]))
    return found


@pytest.mark.slow  # R and its survey package start in 2-3 s
def test_a_certainty_stratum_has_the_variance_r_survey_gives_it(tmp_path):
    """With psu (s3: one PSU, fpc 1) and without (s3: one respondent, fpc 1): every cell's share
    and SE equal R's to 1e-9 relative; R refuses the same PSU with fpc 2 or without any fpc."""
    data = respondents()
    alone = certainty_stratum_alone(data)
    theirs = r_results(tmp_path, data, alone)
    without = alone.with_columns(pl.col("fpc_person").alias("fpc"))
    for label, found in (("psu", ours(data, WITH_PSU)), ("respondent", ours(without, WITHOUT_PSU))):
        assert sorted(found) == ["man", "totaal", "vrouw"]
        for cell, (share, se) in found.items():
            r_share, r_se = theirs[(label, cell)]
            assert share == pytest.approx(r_share, rel=REL), (label, cell)
            assert se == pytest.approx(r_se, rel=REL), (label, cell)
            assert se > 0, (label, cell)  # the other strata still vary
    assert theirs[("fpc2", "refused")] and theirs[("nofpc", "refused")]


@pytest.mark.parametrize("fpc", [2.0, None], ids=["fraction-one-half", "no-fpc"])
def test_a_true_lonely_psu_is_refused_saying_how_to_fix_it(fpc):
    data = respondents()
    if fpc is None:
        design = Design("w", strata="st", psu="psu")
    else:
        data = data.with_columns(
            pl.when(pl.col("st") == "s3").then(fpc).otherwise(pl.col("fpc")).alias("fpc")
        )
        design = WITH_PSU
    with pytest.raises(RespondentDataRefused) as refused:
        ours(data, design)
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
