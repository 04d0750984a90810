"""The output contract (pipeline/checks/output_contract.py): the real built tables keep their
published Table Schemas, a built table that breaks one is refused with every problem named, and
on the path users take (`werkdata publish --local`) nothing is written."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pipeline.build.transform import build_tables
from pipeline.checks.output_contract import check_built_tables, contract_problems
from pipeline.core.errors import BuiltTableInvalid, RawDataInvalid
from pipeline.core.paths import Project
from pipeline.orchestrate.runner import validate_local
from tests.helpers import REPO, run_werkdata

FINDINGS = "built table findings (data/findings.csv)"


@pytest.fixture(scope="module")
def built() -> dict[str, pa.Table]:
    """The real tables, built from the real raw inputs as the build step builds them."""
    project = Project.at(REPO)
    report, inputs = validate_local(project)
    assert report.valid
    return build_tables(project.schemas, inputs)


def places(problems) -> list[tuple]:
    return [(p.file, p.row, p.column, p.value, p.rule) for p in problems]


def replaced(table: pa.Table, column: str, row: int, value) -> pa.Table:
    """`table` with one cell changed (pyarrow tables are immutable)."""
    values = table[column].to_pylist()
    values[row] = value
    i = table.schema.get_field_index(column)
    return table.set_column(i, table.schema.field(i), pa.array(values, table.schema.field(i).type))


def test_the_real_built_tables_keep_the_contract(built):
    assert set(built) == {
        "themes", "scales", "items", "indicators", "breakdowns", "populations", "statuses",
        "conf_statuses", "sources", "editions", "findings", "conclusions", "estimates",
    }  # fmt: skip
    assert contract_problems(REPO / "schemas", built) == []
    check_built_tables(REPO / "schemas", built)  # raises nothing


def test_a_corrupted_built_table_is_refused_with_every_problem(built):
    """A real built findings table, corrupted as a faulty SQL could: a value out of 0..100, an
    empty required label, a status outside its enum and a row repeated (the primary key)."""
    findings = built["findings"]
    findings = replaced(findings, "value", 0, 168.0)
    findings = replaced(findings, "indicator_label_nl", 1, None)
    findings = replaced(findings, "status", 2, "X")
    findings = pa.concat_tables([findings, findings.slice(3, 1)])
    tables = {**built, "findings": findings}
    with pytest.raises(BuiltTableInvalid) as caught:
        check_built_tables(REPO / "schemas", tables)
    assert isinstance(caught.value, RawDataInvalid)  # reported (and exits 1) like bad inputs
    assert str(caught.value) == "5 problem(s) in the built tables"
    key = ", ".join(str(findings[c][3]) for c in ("edition", "population_id", "indicator_id"))
    columns = "edition, population_id, indicator_id"
    assert places(caught.value.report.sorted()) == [
        (FINDINGS, 2, "value", "168.0", "output-contract:in_range"),
        (FINDINGS, 3, "indicator_label_nl", None, "output-contract:not_nullable"),
        (FINDINGS, 4, "status", "X", "output-contract:isin"),
        (FINDINGS, 5, columns, key, "output-contract:primary-key"),
        (FINDINGS, findings.num_rows + 1, columns, key, "output-contract:primary-key"),
    ]


def test_a_build_that_breaks_the_published_schema_publishes_nothing(project):
    """On the user's path: a published schema that the built findings break (change_pp, which
    the build computes and no raw file has, may not be positive) refuses the release before
    anything is written: exit 1, a report naming the rows, published/ left empty."""
    path = project.schemas / "findings.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    field = next(f for f in schema["fields"] if f["name"] == "change_pp")
    field["constraints"] = {"maximum": 0}
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    report, inputs = validate_local(project)
    assert report.valid  # frictionless reads no change_pp: the raw files are fine
    positive = pc.sum(pc.greater(build_tables(project.schemas, inputs)["findings"]["change_pp"], 0))
    assert positive.as_py() > 0

    done = run_werkdata("--published", str(project.published), "publish", "--local",
                        cwd=project.root)  # fmt: skip

    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = [
        line for line in done.stderr.splitlines() if "output-contract:less_than_or_equal_to" in line
    ]
    assert len(lines) == positive.as_py(), done.stderr
    assert FINDINGS in done.stderr
    assert list(project.published.iterdir()) == []
