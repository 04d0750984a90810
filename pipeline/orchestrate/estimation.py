"""The estimate step of the publish plan: per edition with respondent data, the partial sums of
each respondent file (a part: on a cluster, one task on the worker that reads it), merged in a
fixed order into the cells of every population x breakdown value x indicator.

A part carries a path and the names the engine needs, never respondents; what comes back is
small (one row per leaf x breakdown value x stratum x PSU x indicator), or, when the file cannot
be summed, a PartFailed.

An error of the estimation (DuckDB's own, or the engine's refusal) may quote a respondent's value:
its text goes to the project's local error log only (pipeline/core/error_log.py), and the report
names the file, the column where one is known and the rule, with a hint pointing to that log.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import groupby
from pathlib import Path

import pyarrow as pa

from pipeline.core import trace
from pipeline.core.error_log import keep_error_texts
from pipeline.core.errors import RawDataInvalid
from pipeline.core.report import Problem, Report
from pipeline.core.weight_scale import WeightScale, edition_scale, merged_binades
from pipeline.disclose import DisclosureConfig, with_earlier
from pipeline.estimate import (
    Design,
    Indicator,
    Partials,
    PopulationTree,
    compute_partials,
    estimate_from_partials,
    merge_partials,
)
from pipeline.estimate.partials import source_binades, weight_range_refusal
from pipeline.estimate.refusal import RespondentDataRefused
from pipeline.ingest.inputs import RawInputs
from pipeline.ingest.microdata import MicrodataSpec
from pipeline.orchestrate.disclosure import (
    DifferencingRefused,
    disclosure_table,
    protected_cells,
)
from pipeline.orchestrate.disclosure_report import published_record, write_audit, write_report
from pipeline.orchestrate.earlier_cells import earlier_cells, new_readings


@dataclass(frozen=True)
class Part:
    """One respondent file of one edition and what to estimate from it."""

    edition: int
    path: Path
    shown: str
    design: Design
    indicators: tuple[Indicator, ...]
    breakdowns: tuple[str, ...]
    respondents: int  # rows of the file (its Parquet metadata), for progress
    scale: WeightScale  # the edition's fixed-point scale of the weights, the same in every part


RULE = "microdata-estimation"


@dataclass(frozen=True)
class PartFailed:
    """What a part returns in place of its partial sums when its file cannot be summed: the
    public problem (file, column, rule and a message without any value from the file) and the
    full error text, which only the local error log gets (merged_cells writes it)."""

    problem: Problem
    detail: str = field(repr=False)


def failure(file: str, error: Exception, weight: str | None = None) -> PartFailed:
    """`error` of the estimation as a PartFailed: the engine's refusals say in public what is
    wrong; any other error (DuckDB's, which may quote a value) only its type. An overflow can
    only be a sum of the `weight` column's values (the other sums count respondents)."""
    import duckdb

    if isinstance(error, RespondentDataRefused):
        message, column = error.public, error.column
    elif isinstance(error, duckdb.OutOfRangeException):
        message = "a sum of the weights overflowed: they are far too large (rescale the weights)"
        column = weight
    else:
        message, column = f"the respondents could not be summed ({type(error).__name__})", None
    rule = getattr(error, "rule", None) or RULE
    problem = Problem(file, None, column, None, rule, message, getattr(error, "hint", None))
    return PartFailed(problem, f"{type(error).__name__}: {error}")


def refused(root: Path, failures: list[PartFailed]) -> RawDataInvalid:
    """The failures' full texts kept in the local error log, and the error that reports them
    with a hint naming that log."""
    log = keep_error_texts(root, [(failed.problem.file, failed.detail) for failed in failures])
    hint = f"the full error text is kept locally in {log} (it may quote respondent data)"
    report = Report(
        problems=[
            replace(failed.problem, hint="; ".join(filter(None, (failed.problem.hint, hint))))
            for failed in failures
        ]
    )
    return RawDataInvalid(report)


def codes(text: object) -> tuple[int, ...]:
    """Space-separated integer codes ('4 5') as a tuple; empty for an empty cell."""
    return tuple(int(code) for code in str(text or "").split())


def indicators_of(inputs: RawInputs) -> list[Indicator]:
    """Every indicator with an item, sorted by id."""
    rows = sorted(inputs.tables.get("indicators", []), key=lambda row: row["indicator_id"])
    return [
        Indicator(
            row["indicator_id"],
            row["item_id"],
            codes(row.get("count_codes")),
            codes(row.get("exclude_codes")),
        )
        for row in rows
        if row.get("item_id")
    ]


def population_tree(inputs: RawInputs) -> PopulationTree:
    """The estimation tree: the populations that are parts (not subgroups) of the tree."""
    return PopulationTree(inputs.estimation_tree())


def file_shape(path: Path) -> tuple[set[str], int]:
    """The column names and the number of rows of a Parquet file, from its footer."""
    import pyarrow.parquet as pq

    metadata = pq.read_metadata(path)
    return set(metadata.schema.names), metadata.num_rows


def edition_parts(year: int, spec: MicrodataSpec, inputs: RawInputs, shown) -> list[Part]:
    """One part per respondent file, all at the edition's weight scale (chosen here, before the
    parts, from every file's weights); an item or breakdown the file lacks is skipped.
    RawDataInvalid naming each file with weights too small beside the edition's total."""
    design = Design(spec.weight, spec.strata, spec.psu, spec.fpc)
    all_indicators = indicators_of(inputs)
    breakdown_ids = list(inputs.breakdown_values())
    paths = list(spec.parquet_files())

    def origin_shown(path: Path) -> str:
        return shown(spec.origin(path))

    scale = weight_scale(paths, design.weight, origin_shown)
    parts = []
    for path in paths:
        columns, rows = file_shape(path)
        parts.append(
            Part(
                year,
                path,
                origin_shown(path),
                design,
                tuple(i for i in all_indicators if i.item_id in columns),
                tuple(b for b in breakdown_ids if b in columns),
                rows,
                scale,
            )
        )
    return parts


def weight_scale(paths: list[Path], weight: str, shown) -> WeightScale:
    """The edition's scale from the weights of all its files (one column read per file); a
    file DuckDB cannot read is left to its part, which reports it. RawDataInvalid naming each
    file, with how many of its weights are too small beside the edition's total: the respondent
    checks refused those already, unless a file changed since."""
    import duckdb

    found = {}
    con = duckdb.connect(":memory:")
    try:
        for path in paths:
            try:
                found[path] = source_binades(con, path, weight)
            except duckdb.Error:
                continue
    finally:
        con.close()
    scale = edition_scale(merged_binades(found.values()))
    problems = []
    for path, counted in found.items():
        if too_small := scale.too_small(counted):
            problems.append(failure(shown(path), weight_range_refusal(too_small, weight)).problem)
    if problems:  # the texts hold counts only: nothing for the local error log
        raise RawDataInvalid(Report(problems=problems))
    return scale


def partials_of(part: Part) -> tuple[Part, Partials | PartFailed]:
    """The partial sums of one respondent file, computed by DuckDB where the file is read; a
    PartFailed when they cannot be (no exception: its text could quote the file's data, and a
    task's exception is recorded by Prefect)."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        partials = compute_partials(
            con, part.path, part.design, part.indicators, part.breakdowns, scale=part.scale
        )
        return part, partials
    except (ValueError, duckdb.Error) as error:
        return part, failure(part.shown, error, part.design.weight)
    finally:
        con.close()


def merged_cells(
    results: list[tuple[Part, Partials | PartFailed]],
    inputs: RawInputs,
    settings: DisclosureConfig,
    root: Path,
    published: Path | None = None,
) -> tuple[pa.Table | None, dict | None]:
    """The protected cells of every edition (with an `edition` column), from the parts'
    partial sums in the order of the parts, and the disclosure record of each edition; (None,
    None) when no edition has respondent data. Why each cell was suppressed goes to the local
    report under `root` (disclosure_report.py), replaced whole, and nowhere else. Each edition
    is protected together with what the releases under `published` (the dataset's folder)
    published of it before (D11).
    RawDataInvalid when a part failed or an edition cannot be estimated, its full error texts
    kept in the local error log under `root`."""
    failures = [outcome for _, outcome in results if isinstance(outcome, PartFailed)]
    if failures:
        raise refused(root, failures)
    tree = population_tree(inputs)
    values = inputs.breakdown_values()
    sensitive = {row["item_id"] for row in inputs.tables.get("items", []) if row.get("sensitive")}
    estimated = []
    for year, group in groupby(results, key=lambda result: result[0].edition):
        group = list(group)
        merged = merge_partials([partials for _, partials in group])
        try:
            cells = estimate_from_partials(merged, tree, settings.low_reliability_n_eff)
        except ValueError as error:
            raise refused(root, [failure(f"raw/{year}", error)]) from None
        estimated.append((year, group[0][0], cells))
    if not estimated:
        return None, None
    trace.mark("disclosure")  # estimation ends here; the rest is disclosure control
    tables, records, patterns = [], {}, {}
    flagged = {
        i.indicator_id
        for _, part, _ in estimated
        for i in part.indicators
        if i.item_id in sensitive
    }
    earlier = earlier_cells(published, flagged) if published is not None else {}
    for year, part, cells in estimated:
        table = disclosure_table(
            cells,
            tree,
            {b: values.get(b, ()) for b in part.breakdowns},
            part.indicators,
            sensitive,
        )
        readings = new_readings(cells, settings.decimals, flagged)
        table = with_earlier(table, earlier.get(year, {}), readings)
        try:
            cells, records[str(year)], patterns[year] = protected_cells(
                year, cells, table, settings
            )
        except DifferencingRefused as refusal:
            named = "whole-population cells D11 would suppress: " + ", ".join(refusal.cells)
            keep_error_texts(root, [(f"raw/{year}", named)])
            raise RawDataInvalid(refusal.report) from None
        edition = pa.array([year] * cells.num_rows, pa.int64())
        tables.append(cells.add_column(0, "edition", edition))
    write_report(root, patterns)
    write_audit(root, records)
    published = {year: published_record(record) for year, record in records.items()}
    return pa.concat_tables(tables), {"settings": settings.to_json(), "editions": published}
