"""The engine against R's survey package itself, run by the tests (tests/estimate/r_survey.py,
once per session): every cell of every case of tests/estimate/r_cases.py, R's per cell being
svyciprop(~I(...), subset(design, domain & answered), method = "logit") with that subset's degf.

Agreement on the engine's unrounded output, |ours - R| <= 1e-9 x max(|R|, 1e-12), and df and
respondents exactly:
- 0 < p < 1: value, SE and both interval bounds, R's value and interval being svyciprop's
  logistic fit iterated to convergence (tests/estimate/r_reference.R says why);
- p = 0 or 1: value (svymean's coefficient) and SE; the engine's Korn-Graubard interval there is
  compared with svy (tests/estimate/test_against_svy.py);
- df = 0: no interval on either side.
svyciprop's own output is held to the engine too, to what its logit method can give: value and
interval to 1e-7 relative (svyglm stops at a deviance change of 1e-8: up to 3.7e-8 seen),
its value within 1e-9 of 0 or 1 at the edges (1.6e-10 seen), and its interval only where
df >= 2 (at df = 1 confint.svyglm's qnorm(pnorm(qt())) makes it infinite)."""

from __future__ import annotations

import duckdb
import pytest

from pipeline.estimate import estimate
from tests.estimate.r_cases import COMPARED, Case, cells
from tests.estimate.r_survey import RCell, Reference

REL = 1e-9
FLOOR = 1e-12
# What svyciprop's logit method itself is held to (see the module's docstring).
SVYCIPROP_REL = 1e-7
SVYCIPROP_EDGE = 1e-9


def agrees(ours: float | None, theirs: float | None, rel: float = REL) -> bool:
    """|ours - theirs| <= rel x max(|theirs|, FLOOR); both present."""
    if ours is None or theirs is None:
        return False
    return abs(ours - theirs) <= rel * max(abs(theirs), FLOOR)


def engine_cells(case: Case, folder) -> dict[tuple[str, str, str, str], dict]:
    """The engine's unrounded cells of `case`, share, SE and bounds as fractions."""
    path = folder / "respondents.parquet"
    case.data.write_parquet(path)
    table = estimate(
        duckdb.connect(), path, case.design, case.indicators, case.tree, case.breakdowns
    )
    found = {}
    for row in table.to_pylist():
        for name in ("share", "se", "ci_low", "ci_high"):
            row[name] = None if row[name] is None else row[name] / 100
        key = (row["population_id"], row["breakdown_id"], row["breakdown_value"])
        found[(*key, row["indicator_id"])] = row
    return found


def differences(key, row: dict, r: RCell) -> list[str]:
    """What of one engine cell disagrees with R's, as readable lines (empty: it agrees)."""
    if r.error:
        return [f"{key}: R refused the cell: {r.error}"]
    if r.respondents == 0:  # nobody answered: no share, status U (R has no subset to estimate)
        same = (row["respondents"], row["share"], row["se"], row["status"]) == (0, None, None, "U")
        return [] if same else [f"{key}: nobody answered, yet the engine gives {row}"]
    wrong = []
    if (row["respondents"], row["df"]) != (r.respondents, r.df):
        found = (row["respondents"], row["df"])
        wrong.append(f"{key}: respondents, df {found} R {(r.respondents, r.df)}")
    edge = r.mean is not None
    compared = {
        "value": (row["share"], r.mean if edge else r.fit_value, REL),
        "se": (row["se"], r.se, REL),
    }
    if edge:
        if not abs(r.value - r.mean) <= SVYCIPROP_EDGE:
            wrong.append(f"{key}: svyciprop's value {r.value!r} far from {r.mean!r}")
    else:
        compared["svyciprop value"] = (row["share"], r.value, SVYCIPROP_REL)
    if not edge and r.df == 0:  # no interval (R: NaN)
        if (row["ci_low"], row["ci_high"], r.fit_low, r.fit_high) != (None,) * 4:
            wrong.append(f"{key}: df 0 with an interval ({row['ci_low']}, {row['ci_high']})")
    elif not edge:
        compared["ci_low"] = (row["ci_low"], r.fit_low, REL)
        compared["ci_high"] = (row["ci_high"], r.fit_high, REL)
        if r.df >= 2:
            compared["svyciprop ci_low"] = (row["ci_low"], r.ci_low, SVYCIPROP_REL)
            compared["svyciprop ci_high"] = (row["ci_high"], r.ci_high, SVYCIPROP_REL)
    for name, (ours, theirs, rel) in compared.items():
        if not agrees(ours, theirs, rel):
            wrong.append(f"{key}: {name} {ours!r} R {theirs!r}")
    return wrong


@pytest.mark.slow  # R and its survey package: ~4 s of CPU for the session, the first test pays
@pytest.mark.xdist_group("r_survey")
@pytest.mark.parametrize("name", list(COMPARED))
def test_every_cell_matches_r_survey(tmp_path, r_survey: Reference, record_property, name):
    record_property("r_survey", r_survey.versions)
    case = COMPARED[name]
    ours = engine_cells(case, tmp_path)
    theirs = r_survey.of_case(name)
    assert sorted(theirs) == sorted(cell.key for cell, _ in cells(case))
    # the engine has no row for a breakdown value that no respondent of the node has
    absent = {key for key in theirs if key not in ours}
    assert set(ours) <= set(theirs) and all(theirs[key].respondents == 0 for key in absent)
    wrong = [line for key in ours for line in differences(key, ours[key], theirs[key])]
    assert not wrong, f"against {r_survey.versions}:\n" + "\n".join(wrong[:20])
    intervals = sum(r.fit_low is not None for r in theirs.values())
    assert intervals > 20, intervals  # the comparison is not vacuous


def test_the_comparison_sees_a_difference_of_two_in_a_billion():
    """The rule itself: 2e-9 relative is a difference, 0.5e-9 is not; at 0 the floor holds."""
    assert agrees(0.3 * (1 + 0.5e-9), 0.3) and not agrees(0.3 * (1 + 2e-9), 0.3)
    assert agrees(0.0, 0.0) and not agrees(1e-20, 0.0) and not agrees(None, 0.3)


@pytest.mark.slow  # shares R's session with the tests above
@pytest.mark.xdist_group("r_survey")
def test_the_cases_hold_every_kind_of_cell(r_survey: Reference):
    """Between them the compared cases hold cells nobody answered, shares of 0 or 1, cells of
    df 0 (no interval) and of df 1 (svyciprop's infinite interval), so each branch of the
    comparison is taken."""
    found = [cell for name in COMPARED for cell in r_survey.of_case(name).values()]
    inner = [cell for cell in found if cell.fit_value is not None]
    assert sum(cell.respondents == 0 for cell in found) > 10
    assert sum(cell.mean is not None for cell in found) > 10
    assert sum(cell.df == 0 for cell in inner) >= 2 and sum(cell.df == 1 for cell in inner) >= 2
