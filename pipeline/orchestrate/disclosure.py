"""Disclosure control of one edition's estimates (docs/disclosure.md): the engine's cells as the
disclosure table (every cell of the structure, 0 where nobody answered), the pattern that
`protect` chooses, one more audit of that final pattern by the independent audit (nothing is
published unless it passes), and the rows marked: suppressed cells keep their row with value,
interval and respondents null, status Q and conf_status C, whatever rule suppressed them (D9; the
rule goes to the steward's local report only, pipeline/orchestrate/disclosure_report.py).

A new release of an edition is protected together with the earlier releases that published it
(D11): when that would suppress the whole population's totaal of any indicator, the publish
stops (`differencing_refusal`), naming the cells only in the local error log.

Counts only, never weights (D4). A group's size regardless of item (D2) is taken as the largest
number of respondents of any indicator in the group: a lower bound, so D2 errs on the safe side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyarrow as pa

from pipeline.core.breakdowns import TOTAL, UNKNOWN
from pipeline.core.error_log import ERROR_LOG
from pipeline.core.errors import RawDataInvalid
from pipeline.core.report import Problem, Report
from pipeline.disclose import DisclosureConfig, DisclosureError, Key, Table, audit, mark_rows
from pipeline.disclose import differenced as differenced_cells
from pipeline.disclose import protect as protect_pattern
from pipeline.disclose.classes import cell_classes, item_classes
from pipeline.estimate import Indicator, PopulationTree

RULE = "disclosure-audit"
DIFFERENCING = "disclosure-differencing"
D11 = "D11"  # the rule of a cell suppressed for a small change since an earlier release


def disclosure_table(
    cells: pa.Table,
    tree: PopulationTree,
    breakdowns: Mapping[str, Sequence[str]],
    indicators: Sequence[Indicator],
    sensitive_items: set[str],
) -> Table:
    """The counts of one edition's cells over the full structure: every population node x
    (totaal, and every value of every breakdown, onbekend included) x indicator, and each item's
    answer classes per cell (the atoms of its indicators' count codes, for the audit).
    RawDataInvalid naming the item when its indicators' count codes have no atoms."""
    columns = [(TOTAL, TOTAL)] + [
        (b, v) for b in sorted(breakdowns) for v in (*breakdowns[b], UNKNOWN)
    ]
    ids = [indicator.indicator_id for indicator in indicators]
    group_n = dict.fromkeys([(node, b, v) for node in tree.parents for b, v in columns], 0)
    n = dict.fromkeys([(node, b, v, i) for node, b, v in group_n for i in ids], 0)
    yes, no = {}, {}
    # column by column: the whole table as row dicts (Table.to_pylist) made this ~0.1 s slower
    # at 50,000 cells
    names = ("population_id", "breakdown_id", "breakdown_value", "indicator_id")
    names += ("respondents", "respondents_counted")
    for population, b, v, indicator, count, counted in zip(
        *(cells.column(name).to_pylist() for name in names), strict=True
    ):
        key = (population, b, v, indicator)
        if key not in n:
            continue  # a value outside the code lists cannot pass validation
        n[key] = count
        yes[key] = counted
        no[key] = count - counted
        group = key[:3]
        if count > group_n[group]:
            group_n[group] = count
    items = {i.indicator_id: i.item_id for i in indicators}
    try:
        plans = [
            item_classes(
                item,
                {i.indicator_id: i.count_codes for i in indicators if i.item_id == item},
                {i.indicator_id: i.exclude_codes for i in indicators if i.item_id == item},
            )
            for item in sorted(set(items.values()))
        ]
    except ValueError as error:  # the indicators' declared codes are at fault, not the answers
        where = "raw/codelists/indicators.csv"
        problem = Problem(where, None, "count_codes", None, RULE, str(error))
        raise RawDataInvalid(Report(problems=[problem])) from None
    return Table(
        parents=dict(tree.parents),
        breakdowns={b: (*values, UNKNOWN) for b, values in breakdowns.items()},
        items=items,
        n=n,
        sensitive=frozenset(sensitive_items),
        yes=yes,
        no=no,
        group_n=group_n,
        classes=cell_classes(plans, items, n, yes),
    )


def protected_cells(
    year: int, cells: pa.Table, table: Table, config: DisclosureConfig
) -> tuple[pa.Table, dict, dict[Key, str]]:
    """The cells of every key of `table`, marked by the pattern `protect` chooses, the audit
    record, and the pattern itself ({cell: the rule that suppressed it}, for the local report
    only: never published); RawDataInvalid naming the cells when no pattern passes the audit,
    or when the final pattern fails the independent audit run here, or when protecting this
    release together with the earlier ones would suppress a whole population's totaal (D11)."""
    small = dict.fromkeys(differenced_cells(table, config), D11)
    early = differencing_refusal(year, table, small, config)
    if early is not None:  # a D11 cell that is a whole population's totaal: no need to protect
        raise early
    try:
        protected = protect_pattern(table, config)
    except DisclosureError as error:
        raise RawDataInvalid(refusal(year, str(error))) from None
    stop = differencing_refusal(year, table, protected.pattern, config)
    if stop is not None:
        raise stop
    final = audit(table, protected.pattern, config.threshold, config.sensitive_threshold)
    if not final.passed:
        failing = ", ".join(
            "/".join(
                f[k] for k in ("population_id", "breakdown_id", "breakdown_value", "indicator_id")
            )
            + f" ({f['count']} from {f['min']:g} to {f['max']:g})"
            for f in final.failures[:10]
        )
        message = (
            f"the suppression pattern fails the disclosure audit: {len(final.failures)} "
            f"suppressed cell(s) can be narrowed below {config.threshold} respondents, or an "
            f"answer count of a sensitive item below {config.sensitive_threshold}: {failing}"
        )
        raise RawDataInvalid(refusal(year, message))
    by_key = {
        (r["population_id"], r["breakdown_id"], r["breakdown_value"], r["indicator_id"]): r
        for r in cells.to_pylist()
    }
    rows = [by_key.get(key) or empty_row(key) for key in sorted(table.n)]
    marked = [hide_estimate(row) for row in mark_rows(rows, protected.pattern)]
    schema = cells.schema.append(pa.field("conf_status", pa.string()))
    return pa.Table.from_pylist(marked, schema=schema), protected.record, protected.pattern


# The engine's own columns that hold what a suppressed cell hides (besides mark_rows' value,
# interval and respondents): the share is published as `value`.
ENGINE_HIDDEN = ("share", "se", "respondents_counted", "n_effective", "df", "ci_method")


def hide_estimate(row: dict) -> dict:
    """A suppressed row with every number of the engine's cell emptied, not only the published
    names: the share travels as `share` until the build names it `value`."""
    if row.get("conf_status") in (None, "F"):
        return row
    return {**row, **dict.fromkeys(ENGINE_HIDDEN)}


def empty_row(key: tuple[str, str, str, str]) -> dict:
    """A cell nobody answered: 0 respondents (it is always suppressed)."""
    population_id, breakdown_id, breakdown_value, indicator_id = key
    return {
        "population_id": population_id,
        "breakdown_id": breakdown_id,
        "breakdown_value": breakdown_value,
        "indicator_id": indicator_id,
        "respondents": 0,
        "respondents_counted": 0,
        "status": "U",
    }


def whole_population(table: Table) -> list[Key]:
    """The totaal/totaal cell of every root population and indicator: the edition's headline."""
    roots = sorted(node for node, parent in table.parents.items() if parent is None)
    return [key for key in sorted(table.n) if key[0] in roots and key[1] == key[2] == TOTAL]


class DifferencingRefused(RawDataInvalid):
    """The differencing refusal: `report` names no cell (which indicators' whole-population
    figures moved a little tells which items the changed respondents answered, and how), and
    `cells` names at most 10 of them, for the steward's local error log only."""

    def __init__(self, report: Report, cells: list[str]):
        super().__init__(report)
        self.cells = cells


def differencing_refusal(
    year: int, table: Table, pattern: dict[Key, str], config: DisclosureConfig
) -> DifferencingRefused | None:
    """The refusal when `pattern` holds a D11 cell and suppresses a whole population's totaal
    (docs/disclosure.md, "Revisions"); None otherwise. Its message names neither a cell nor a
    count: the cells (at most 10) travel apart, for the local error log."""
    if D11 not in pattern.values():
        return None
    hidden = [key for key in whole_population(table) if key in pattern]
    if not hidden:
        return None
    cells = ["/".join(key) for key in hidden[:10]]
    if len(hidden) > 10:
        cells.append(f"and {len(hidden) - 10} more")
    t, s = config.threshold, config.sensitive_threshold
    message = (
        "comparing this release with an earlier one would show how few respondents changed: "
        f"cells of edition {year} changed by 1 to {t - 1} respondents (or, of a sensitive item, "
        f"by 1 to {s - 1} answers) since an earlier release published them, and protecting the "
        "releases together (rule D11) would suppress the whole population's figure of one or "
        f"more indicators (named in {ERROR_LOG.as_posix()}, readable by you only)"
    )
    hint = (
        f"a correction that changes fewer than {t} respondents in the whole population can "
        "never be published: keep the earlier release, or bundle corrections until at least "
        f"{t} respondents change"
    )
    report = Report(
        problems=[Problem(f"raw/{year}", None, None, None, DIFFERENCING, message, hint)]
    )
    return DifferencingRefused(report, cells)


def refusal(year: int, message: str) -> Report:
    return Report(problems=[Problem(f"raw/{year}", None, None, None, RULE, message)])
