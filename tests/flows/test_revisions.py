"""Revisions of an edition protected together with the earlier release (D11, docs/disclosure.md
"Revisions"), through `werkdata publish --local` run in this process: a census (equal weights,
so a published share times its respondents is a count) is published once per module, copied,
its respondent file changed, and published again.

- One respondent removed: the whole population changed by one, so the publish stops (exit 1)
  and `latest` is untouched (the code before D11 published it: 8 cells changed by exactly one
  respondent).
- 40 respondents of one unit removed (no sensitive item): the release lands; every cell both
  releases publish is unchanged or changed by at least the threshold, and the attacker of
  tests/disclose/attacker.py, holding the earlier release's unchanged cells, narrows no
  suppressed cell below the guarantee.
- 40 removed of whom 3 answered yes to a sensitive item: the whole population's yes count moves
  by 3, so the publish stops.
- Only the weights changed: nobody's answer or presence changed, so the release lands with the
  same pattern and no D11 cell.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows import cli
from pipeline.core.errors import RawDataInvalid
from tests.disclose.attacker import (
    differencing_violations,
    range_violations,
    read_release,
    revision,
)
from tests.disclose.equal_weights import (
    SENSITIVE_INDICATOR,
    SENSITIVE_ITEM,
    YES,
    Respondent,
    group,
    write_equal_weight_project,
)
from tests.flows.outputs import read_artifact
from tests.flows.test_disclosure_report import RULE_WORD

# Two publishes for the module and one per test (~1-2 s each); one worker runs the module, so
# that the two published censuses are made once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("revisions")]

PARENTS = {"alle": None, "a": "alle", "b": "alle"}
# respondent i of the file is RESPONDENTS[i]: a's men are 0-59 (0-29 yes), a's women 60-109
# (60-79 yes), a's unknown sex 110-119 (110-114 yes)
RESPONDENTS = [
    *group(60, "a", "man", yes=30),
    *group(50, "a", "vrouw", yes=20),
    *group(10, "a", None, yes=5),
    *group(50, "b", "man", yes=25),
    *group(50, "b", "vrouw", yes=25),
    *group(12, "b", "anders", yes=6),
    *group(8, "b", None, yes=4),
]
PLAIN_INDICATOR = "tevreden_organisatie"
EDITION = 2024
KEY = ("population_id", "breakdown_id", "breakdown_value", "indicator_id")


@dataclass
class Outcome:
    root: Path
    code: int
    output: str

    @property
    def dataset(self) -> Path:
        return self.root / "published" / "werkonderzoek"


def publish(root: Path) -> Outcome:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main(["--root", str(root), "publish", "--local"])
    return Outcome(root, code, out.getvalue())


def census(root: Path, sensitive: bool) -> Path:
    """The census published once as 1.0.0 (its sensitive item made plain when not `sensitive`)."""
    write_equal_weight_project(root, PARENTS, RESPONDENTS)
    if not sensitive:
        items = root / "raw" / "codelists" / "items.csv"
        text = items.read_text(encoding="utf-8")
        items.write_text(re.sub(rf"(?m)^({SENSITIVE_ITEM},.*),true$", r"\1,false", text))
    outcome = publish(root)
    assert outcome.code == 0, outcome.output
    return root


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    return census(tmp_path_factory.mktemp("plain") / "project", sensitive=False)


@pytest.fixture(scope="module")
def sensitive(tmp_path_factory) -> Path:
    return census(tmp_path_factory.mktemp("sensitive") / "project", sensitive=True)


def revise(base: Path, target: Path, dropped: set[int], weights=None) -> Path:
    """A copy of `base` (its releases included) without the respondents `dropped`, each kept
    one with the weight `weights(respondent)` when given."""
    shutil.copytree(base, target, symlinks=True)
    path = target / "raw" / str(EDITION) / "microdata" / "respondents.parquet"
    table = pq.read_table(path)
    rows = [row for i, row in enumerate(table.to_pylist()) if i not in dropped]
    kept = [r for i, r in enumerate(RESPONDENTS) if i not in dropped]
    for row, person in zip(rows, kept, strict=True):
        row["weight"] = weights(person) if weights else row["weight"]
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    yaml = path.parent.parent / "edition.yaml"
    text = re.sub(r"(?m)^respondents: \d+$", f"respondents: {len(rows)}", yaml.read_text())
    yaml.write_text(text)
    return target


def republish(base: Path, target: Path, dropped: set[int], weights=None) -> Outcome:
    """`revise`, then `werkdata publish --local`."""
    return publish(revise(base, target, dropped, weights))


def truth(people: list[Respondent]) -> dict[tuple, tuple[int, int]]:
    """(edition, population, breakdown, value, indicator) -> (respondents, counted) of the
    census `people` (everyone answers both items; 4 and 5 are counted)."""
    out: dict[tuple, tuple[int, int]] = {}
    for person in people:
        nodes = [person.unit]
        while PARENTS[nodes[-1]] is not None:
            nodes.append(PARENTS[nodes[-1]])
        columns = [("totaal", "totaal"), ("geslacht", person.geslacht or "onbekend")]
        answers = {SENSITIVE_INDICATOR: person.sensitive, PLAIN_INDICATOR: person.plain}
        for node in nodes:
            for b, v in columns:
                for indicator, answer in answers.items():
                    key = (EDITION, node, b, v, indicator)
                    n, counted = out.get(key, (0, 0))
                    out[key] = (n + 1, counted + (answer in (YES, 5)))
    return out


def unchanged_cells(earlier_rows: list[dict], people: list[Respondent]) -> set[tuple]:
    """The cells the earlier release published whose respondents and counted count are still
    the true ones: what the attacker's best guess of "unchanged" holds."""
    now = truth(people)
    found = set()
    for row in earlier_rows:
        if row["conf_status"] != "F":
            continue
        key = (row["edition"], *cell_of(row))
        counted = round(row["value"] * row["respondents"] / 100)
        if now.get(key) == (row["respondents"], counted):
            found.add(key)
    return found


def report_rules(root: Path) -> dict[tuple, str]:
    """The local report's rule of every suppressed cell."""
    with (root / ".werkdata" / "disclosure-report.csv").open(encoding="utf-8") as handle:
        return {cell_of(row): row["rule"] for row in csv.DictReader(handle)}


def cell_of(row: dict) -> tuple:
    return tuple(row[k] for k in KEY)


def files_of(dataset: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(dataset)): p.read_bytes()
        for p in sorted(dataset.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def assert_stopped(outcome: Outcome, before: dict[str, bytes], names: list[str]) -> None:
    """Exit 1, the differencing message, the whole population's cells `names` in the local error
    log and in no output (which indicators moved a little tells what the changed respondents
    answered), and the published files (and `latest`) as they were."""
    assert outcome.code == 1, outcome.output
    assert "disclosure-differencing" in outcome.output
    assert "comparing this release with an earlier one would show how few" in outcome.output
    assert "keep the earlier release, or bundle corrections" in outcome.output
    log = (outcome.root / ".werkdata" / "log" / "respondent-errors.log").read_text("utf-8")
    for name in names:
        assert name in log
        assert name not in outcome.output
    assert "Traceback" not in outcome.output
    assert files_of(outcome.dataset) == before
    assert (outcome.dataset / "latest").resolve().name == "1.0.0"


def test_removing_one_respondent_stops_the_publish(plain, tmp_path):
    before = files_of(plain / "published" / "werkonderzoek")
    outcome = republish(plain, tmp_path / "one", dropped={0})
    assert_stopped(
        outcome,
        before,
        [f"alle/totaal/totaal/{PLAIN_INDICATOR}", f"alle/totaal/totaal/{SENSITIVE_INDICATOR}"],
    )


def test_the_prefect_flow_stops_the_same_revision(plain, tmp_path, prefect_harness):
    """The flow runs the same plan (`pipeline.orchestrate.plan`), so it refuses the same way,
    and its validation artifact names the rule."""
    from flows.publish_flow import publish_flow

    before = files_of(plain / "published" / "werkonderzoek")
    root = revise(plain, tmp_path / "one", dropped={0})
    with pytest.raises(RawDataInvalid) as raised:
        publish_flow(root=str(root))
    (problem,) = raised.value.report.problems
    assert problem.rule == "disclosure-differencing"
    assert "alle/totaal/totaal" not in problem.message
    log = (root / ".werkdata" / "log" / "respondent-errors.log").read_text("utf-8")
    assert f"alle/totaal/totaal/{PLAIN_INDICATOR}" in log
    assert files_of(root / "published" / "werkonderzoek") == before
    assert "disclosure-differencing" in read_artifact("werkdata-validation").data


def test_forty_respondents_of_one_unit_removed_are_published_protected_together(plain, tmp_path):
    """25 men, 12 women and 3 of unknown sex of unit a: a's and everyone's unknown sex change
    by 3, which D11 suppresses; the rest changes by 0 or by at least 10."""
    dropped = {*range(0, 25), *range(60, 72), *range(110, 113)}
    outcome = republish(plain, tmp_path / "forty", dropped)
    assert outcome.code == 0, outcome.output
    earlier = read_release(outcome.dataset / "1.0.0")
    new = read_release(outcome.dataset / "1.0.1")
    assert differencing_violations(earlier, new) == []
    people = [p for i, p in enumerate(RESPONDENTS) if i not in dropped]
    both = revision(earlier, new, unchanged_cells(earlier.rows, people))
    assert len(both.rows) > len(new.rows), "the earlier release must add known cells"
    assert range_violations(both) == []
    rules = report_rules(outcome.root)
    small = ("alle", "geslacht", "onbekend", PLAIN_INDICATOR)
    assert rules.get(small) == "D11", "everyone's unknown sex changed by 3 (18 to 15)"
    hidden = {cell_of(row) for row in new.rows if row["conf_status"] == "C"}
    assert {k for k, rule in rules.items() if rule == "D11"} <= hidden
    for name, data in files_of(outcome.dataset).items():  # the reason stays in the local report
        assert not RULE_WORD.search(data), name


def test_a_sensitive_yes_count_moved_by_fewer_than_five_stops(sensitive, tmp_path):
    """40 of unit a removed (27 men and 10 women answering no, 3 men answering yes): every
    whole-population count moves by 40 but the yes count of the sensitive item by 3."""
    before = files_of(sensitive / "published" / "werkonderzoek")
    dropped = {*range(0, 3), *range(30, 57), *range(80, 90)}
    assert sum(RESPONDENTS[i].sensitive == YES for i in dropped) == 3
    outcome = republish(sensitive, tmp_path / "yes", dropped)
    assert_stopped(outcome, before, [f"alle/totaal/totaal/{SENSITIVE_INDICATOR}"])
    log = (outcome.root / ".werkdata" / "log" / "respondent-errors.log").read_text("utf-8")
    assert f"alle/totaal/totaal/{PLAIN_INDICATOR}" not in log


def test_a_revision_of_the_weights_only_keeps_the_pattern(sensitive, tmp_path):
    """Unit b's weights doubled: every share of the whole population moves, nobody's presence
    or answer does, so no cell is differenced and the pattern is the earlier one. (The attacker
    of tests/disclose/attacker.py assumes equal weights, which this release no longer has.)"""
    outcome = republish(
        sensitive, tmp_path / "weights", set(), lambda p: 2.0 if p.unit == "b" else 1.0
    )
    assert outcome.code == 0, outcome.output
    earlier = read_release(outcome.dataset / "1.0.0")
    new = read_release(outcome.dataset / "1.0.1")
    assert "D11" not in report_rules(outcome.root).values()
    flags = {cell_of(row): (row["conf_status"], row["respondents"]) for row in earlier.rows}
    assert {cell_of(row): (row["conf_status"], row["respondents"]) for row in new.rows} == flags
    values = {cell_of(row): row["value"] for row in earlier.rows}
    moved = [row for row in new.rows if row["value"] != values[cell_of(row)]]
    assert moved, "doubling unit b's weights moves the shares of the whole population"
