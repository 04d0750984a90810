"""R's survey package, run once for every case of tests/estimate/r_cases.py: each case's
respondents as CSV, its cells as one list, one Rscript call (tests/estimate/r_reference.R), its
results parsed here. Without R or its survey package the tests that need it skip naming the
install command, except on CI (CI=true), where they fail."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.estimate.r_cases import Case, cells

SCRIPT = Path(__file__).with_name("r_reference.R")
INSTALL = "make r (or: sudo apt-get install r-base-core r-cran-survey)"
MISSING_SURVEY = "there is no package called"
RESULT_KEY = ("case", "population_id", "breakdown_id", "breakdown_value", "indicator_id")
CELL_SPEC = ("leaves", "breakdown", "item", "count_codes", "exclude_codes")


@dataclass(frozen=True)
class RCell:
    """R's estimate of one cell, as fractions: svyciprop's logit value, SE and interval, the
    subset's degf; svymean's coefficient where every member's y is the same (else None); where
    it is not, the same logistic fit iterated to convergence (`fit_*`: value and Wald interval
    with t(degf), NaN at df 0 read as None); `error` is R's message where it refused the cell.
    tests/estimate/r_reference.R says why both svyciprop and the refit."""

    respondents: int | None
    value: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    df: int | None
    mean: float | None
    fit_value: float | None
    fit_low: float | None
    fit_high: float | None
    error: str


@dataclass(frozen=True)
class Reference:
    """R's cells by (case, population_id, breakdown_id, breakdown_value, indicator_id), and the
    versions of R and survey that computed them."""

    cells: Mapping[tuple[str, str, str, str, str], RCell]
    r_version: str
    survey_version: str

    @property
    def versions(self) -> str:
        return f"{self.r_version}, survey {self.survey_version}"

    def of_case(self, case: str) -> dict[tuple[str, str, str, str], RCell]:
        return {key[1:]: cell for key, cell in self.cells.items() if key[0] == case}


def missing(what: str) -> None:
    """Fail on CI, skip elsewhere, naming what to install."""
    message = f"{what} is missing; install it: {INSTALL}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}. CI must compare the estimates with R's survey package")
    pytest.skip(message)


def write_cases(folder: Path, cases: Mapping[str, Case]) -> None:
    """cases.csv, cells.csv and one data CSV per case, as r_reference.R reads them."""
    with open(folder / "cases.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["case", "data", "ids", "strata", "fpc", "weights"])
        for k, (name, case) in enumerate(cases.items()):
            case.data.write_csv(folder / f"case-{k}.csv")
            design = case.design
            arguments = (design.psu, design.strata, design.fpc, design.weight)
            writer.writerow([name, f"case-{k}.csv", *(column or "" for column in arguments)])
    indicators = {
        (name, i.indicator_id): i for name, case in cases.items() for i in case.indicators
    }
    with open(folder / "cells.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([*RESULT_KEY, *CELL_SPEC])
        for name, case in cases.items():
            for cell, leaves in cells(case):
                indicator = indicators[(name, cell.indicator_id)]
                breakdown = "" if cell.breakdown_id == "totaal" else cell.breakdown_id
                codes = (indicator.count_codes, indicator.exclude_codes)
                writer.writerow(
                    [name, *cell.key, " ".join(leaves), breakdown, indicator.item_id]
                    + [" ".join(map(str, listed)) for listed in codes]
                )


def run_r(folder: Path, cases: Mapping[str, Case]) -> Reference:
    """R's survey package's estimate of every cell of `cases`, in one Rscript call."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        missing("R (Rscript)")
    write_cases(folder, cases)
    done = subprocess.run(
        [rscript, str(SCRIPT), str(folder)], capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0 and MISSING_SURVEY in done.stderr and "survey" in done.stderr:
        missing("R's survey package")
    assert done.returncode == 0, f"Rscript failed:\n{done.stderr}"
    with open(folder / "versions.csv", encoding="utf-8") as source:
        (versions,) = csv.DictReader(source)
    with open(folder / "results.csv", encoding="utf-8") as source:
        found = {
            tuple(row[name] for name in RESULT_KEY): parsed(row) for row in csv.DictReader(source)
        }
    return Reference(found, versions["r"], versions["survey"])


def parsed(row: dict[str, str]) -> RCell:
    def number(name: str) -> float | None:
        return None if row[name] in ("", "NA") else float(row[name])

    def count(name: str) -> int | None:
        return None if row[name] in ("", "NA") else int(row[name])

    return RCell(
        respondents=count("respondents"),
        value=number("value"),
        se=number("se"),
        ci_low=number("ci_low"),
        ci_high=number("ci_high"),
        df=count("df"),
        mean=number("mean"),
        fit_value=number("fit_value"),
        fit_low=number("fit_low"),
        fit_high=number("fit_high"),
        error=row["error"],
    )
