"""The one pass over the wide respondent table, returning small partial sums that merge.

The result has one row per leaf population x breakdown value x stratum x PSU (`totaal` included
as its own breakdown) and, per indicator, exact sums: respondents who answered (n), who gave a
counted code (ny), their weights (sw, swy) and, without a psu column, the squared weights (sww,
swwy). Partial sums of several partitions of the respondents merge by concatenation
(merge_partials): the estimation adds them exactly, in any order.

Two passes compute them, with the same result bit for bit: numpy for designs with a psu column
(bincount_pass.py), DuckDB's aggregation (partials.sql) for designs without, whose squared
weights only 128-bit integers sum exactly. Both sum the weights as integers at the edition's
scale (pipeline/core/weight_scale.py), which every partition of an edition must share: the
partials carry it, and merge_partials refuses to merge partials of different scales.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.breakdowns import TOTAL, UNKNOWN
from pipeline.core.sql import check_identifier, quote_identifier, sql_text
from pipeline.core.weight_scale import (
    RULE,
    TOO_SMALL,
    UNIT_HINT,
    WeightScale,
    binades,
    edition_scale,
    merged_binades,
)
from pipeline.estimate.bincount_pass import BATCH_ROWS, finest_groups, grouping_sets
from pipeline.estimate.design import Design, Indicator
from pipeline.estimate.refusal import RespondentDataRefused
from pipeline.estimate.scipy_import import imported_meanwhile

SQL = "pipeline.estimate"  # its queries: pipeline/estimate/sql/<name>.sql

# Weights are summed as integers at the edition's scale (pipeline/core/weight_scale.py), held in
# doubles: exact while every sum stays below 2^53 units, which the scale ensures for the
# edition's own weights.
EXACT_LIMIT = 2**53
# The two counts of an indicator share one sum (one aggregate less per indicator: a quarter fewer
# aggregate states in the pass's hash tables): answered + counted * 2^26, exact while a row of
# the partials has fewer than 2^26 (67,108,864) respondents.
COUNT_SHIFT = 2**26
KEYS = ("breakdown_id", "breakdown_value", "population_id", "stratum", "psu")
UNIT_COLUMNS = ("respondents", "weight", "fpc_min", "fpc_max")
SUMS = ("n", "ny", "sw", "swy")
SQUARED = ("sww", "swwy")  # only without psu, as exact 128-bit integers


@dataclass(frozen=True)
class Partials:
    """Partial sums of one or more partitions, one row per leaf x breakdown value x stratum x
    PSU: `keys` holds the KEYS and UNIT_COLUMNS of each row; `sums` maps each of SUMS (and
    SQUARED without psu) to a rows x indicators array, of `indicators` in order. SUMS are exact
    integer-valued floats; SQUARED are Python integers (object arrays), as they exceed 2^53.
    The weights are in units of 2^-shift of `scale`, their edition's."""

    keys: pa.Table
    sums: dict[str, np.ndarray]
    indicators: tuple[str, ...]
    has_psu: bool
    scale: WeightScale

    @property
    def units(self) -> pa.Table:
        """Respondents, weight and the fpc's range per leaf x stratum x PSU (the `totaal` rows)."""
        total = self.keys.filter(pc.equal(self.keys["breakdown_id"], TOTAL))
        return total.select(["population_id", "stratum", "psu", *UNIT_COLUMNS])

    @property
    def rows(self) -> int:
        return self.keys.num_rows


def source_clause(source: str | Path | Sequence[str | Path]) -> tuple[str, dict]:
    """The FROM clause and its parameters: a table or view name (a str without a slash or a
    .parquet suffix), or Parquet files and folders of Parquet files (*.parquet, sorted)."""
    if isinstance(source, str) and not source.endswith(".parquet") and "/" not in source:
        return quote_identifier(source, "respondent table"), {}
    given = [source] if isinstance(source, (str, Path)) else list(source)
    paths = []
    for path in map(Path, given):
        found = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
        if not found:
            raise ValueError(f"{path}: a folder without Parquet files")
        paths.extend(found)
    if not paths:
        raise ValueError("no respondent files given")
    return "read_parquet($source_paths)", {"source_paths": [str(path) for path in paths]}


def code_list(codes: Sequence[int], prefix: str, params: dict) -> str:
    """Bound parameters for a list of codes, registered in params: `$prefix0, $prefix1`."""
    names = []
    for position, code in enumerate(codes):
        params[f"{prefix}{position}"] = code
        names.append(f"${prefix}{position}")
    return ", ".join(names)


def indicator_sums(index: int, indicator: Indicator, has_psu: bool, params: dict) -> str:
    """The aggregate columns of one indicator, with its codes as bound parameters. A NULL
    answer makes both conditions NULL, which sum() skips."""
    item = quote_identifier(indicator.item_id, "item_id")
    if indicator.exclude_codes:
        excluded = code_list(indicator.exclude_codes, f"i{index}_x", params)
        answered = f"{item} NOT IN ({excluded})"
    else:
        answered = f"{item} IS NOT NULL"
    counted = f"{item} IN ({code_list(indicator.count_codes, f'i{index}_c', params)})"
    parts = [sql_text(SQL, "indicator_sums")]
    if not has_psu:
        parts.append(sql_text(SQL, "respondent_sums"))
    return "".join(parts).format(index=index, answered=answered, counted=counted).rstrip("\n")


def sum_names(indicators: Sequence[Indicator], has_psu: bool) -> list[str]:
    """The SQL names of the sums of the pass, in order (nn__0, sw__0, ...)."""
    names = ("nn", "sw", "swy", *(() if has_psu else SQUARED))
    return [f"{name}__{index}" for index in range(len(indicators)) for name in names]


def respondents_sql(
    source: str,
    design: Design,
    indicators: Sequence[Indicator],
    breakdowns: Sequence[str],
    population: str,
    params: dict,
    scale: WeightScale,
) -> str:
    """The text of respondents.sql, filled in: the columns both passes read, the weights at
    `scale`."""
    params["weight_scale"] = scale.factor
    if breakdowns:
        params["unknown"] = UNKNOWN
    breakdown_columns = "".join(
        f",\n    COALESCE(CAST({quote_identifier(b, 'breakdown_id')} AS VARCHAR), $unknown) "
        f"AS {quote_identifier(b, 'breakdown_id')}"
        for b in breakdowns
    )
    items = sorted({indicator.item_id for indicator in indicators})
    item_columns = "".join(f",\n    {quote_identifier(item, 'item_id')}" for item in items)
    optional = {"stratum": design.strata, "psu": design.psu, "fpc": design.fpc}
    columns = {
        role: quote_identifier(name, f"{role} column") if name else "NULL"
        for role, name in optional.items()
    }
    return sql_text(SQL, "respondents").format(
        source=source,
        population=quote_identifier(population, "population column"),
        stratum=f"CAST({columns['stratum']} AS VARCHAR)",
        psu=f"CAST({columns['psu']} AS VARCHAR)",
        weight=quote_identifier(design.weight, "weight column"),
        fpc=columns["fpc"],
        breakdown_columns=breakdown_columns,
        item_columns=item_columns,
    )


def pass_sql(
    respondents: str,
    has_psu: bool,
    indicators: Sequence[Indicator],
    breakdowns: Sequence[str],
    params: dict,
) -> str:
    """The text of the SQL pass (partials.sql) over `respondents` (respondents_sql's text),
    filled in; params receives its bound values."""
    breakdown_names = [quote_identifier(b, "breakdown_id") for b in breakdowns]
    params["total"] = TOTAL
    params["count_shift"] = COUNT_SHIFT
    cases = []
    for position, (breakdown, name) in enumerate(zip(breakdowns, breakdown_names, strict=True)):
        params[f"breakdown_{position}"] = breakdown
        cases.append(f"WHEN GROUPING({name}) = 0 THEN $breakdown_{position}")
    breakdown_id = f"CASE {' '.join(cases)} ELSE $total END" if cases else "$total"
    breakdown_value = f"COALESCE({', '.join([*breakdown_names, '$total'])})"
    base = "__population, __stratum, __psu"
    sets = [f"({base})", *(f"({base}, {name})" for name in breakdown_names)]
    sums = "".join(
        indicator_sums(index, indicator, has_psu, params)
        for index, indicator in enumerate(indicators)
    )
    rolled = "".join(f',\n    sum("{name}") AS "{name}"' for name in sum_names(indicators, has_psu))
    return sql_text(SQL, "partials").format(
        respondents=respondents,
        breakdown_names="".join(f",\n        {name}" for name in breakdown_names),
        breakdown_id=breakdown_id,
        breakdown_value=breakdown_value,
        grouping_sets=", ".join(sets),
        sums=sums,
        rolled=rolled,
    )


def compute_partials(
    con: duckdb.DuckDBPyConnection,
    source: str | Path | Sequence[str | Path],
    design: Design,
    indicators: Sequence[Indicator],
    breakdowns: Sequence[str] = (),
    population: str = "population_id",
    scale: WeightScale | None = None,
) -> Partials:
    """The partial sums of the respondents in source (a table name or Parquet file(s)), in one
    pass, with the weights at `scale`: the edition's (source_scale of all its respondents),
    which a partition of an edition must be given; None: source_scale of source itself.
    RespondentDataRefused when a weight is too small beside the source's total to keep 6
    significant digits (with scale None) or the weights exceed exact sums at `scale`."""
    for breakdown in breakdowns:
        check_identifier(breakdown, "breakdown_id")
    if len(set(breakdowns)) != len(breakdowns):
        raise ValueError(f"breakdowns repeat a name: {list(breakdowns)}")
    ids = [indicator.indicator_id for indicator in indicators]
    if len(set(ids)) != len(ids):
        raise ValueError(f"indicator ids repeat: {ids}")
    if scale is None:
        scale = source_scale([source_binades(con, source, design.weight)], design.weight)
    engine = bincount_partials if design.psu is not None else sql_partials
    partials = engine(con, source, design, indicators, breakdowns, population, scale)
    check_exact(partials.keys, design.weight)
    return partials


def source_binades(
    con: duckdb.DuckDBPyConnection, source: str | Path | Sequence[str | Path], weight: str
) -> dict[int, tuple[int, int]]:
    """The binades of the weights of the respondents in source (weight_scale.binades: per binary
    exponent, how many and their exact sum), read in record batches."""
    from_clause, params = source_clause(source)
    sql = sql_text(SQL, "weights").format(
        weight=quote_identifier(weight, "weight column"), source=from_clause
    )
    found = [
        binades(batch.column(0).to_numpy(zero_copy_only=False))
        for batch in con.sql(sql, params=params).to_arrow_reader(BATCH_ROWS)
    ]
    return merged_binades(found)


def weight_range_refusal(too_small: int, weight: str) -> RespondentDataRefused:
    """The refusal of weights too small beside the edition's total (`too_small` of them): its
    texts give the count and the rule, never a weight."""
    text = f"{too_small} {TOO_SMALL}"
    return RespondentDataRefused(text, text, weight, RULE, UNIT_HINT)


def source_scale(found: Sequence[dict[int, tuple[int, int]]], weight: str) -> WeightScale:
    """The scale of the weights counted in `found` (source_binades of each partition);
    RespondentDataRefused when some are too small beside their total."""
    counted = merged_binades(found)
    scale = edition_scale(counted)
    too_small = scale.too_small(counted)
    if too_small:
        raise weight_range_refusal(too_small, weight)
    return scale


def bincount_partials(con, source, design, indicators, breakdowns, population, scale) -> Partials:
    """The partial sums summed in numpy (bincount_pass.py): designs with PSUs."""
    from_clause, params = source_clause(source)
    size = finest_group_count(con, from_clause, dict(params), design, breakdowns, population, scale)
    sql = respondents_sql(from_clause, design, indicators, breakdowns, population, params, scale)
    with imported_meanwhile():  # grouping_sets needs scipy: imported while DuckDB reads
        groups = finest_groups(con, sql, params, indicators, breakdowns, size)
    keys, sums = grouping_sets(groups, breakdowns, TOTAL)
    ids = tuple(indicator.indicator_id for indicator in indicators)
    return Partials(pa.table(keys), sums, ids, design.psu is not None, scale)


def finest_group_count(
    con, from_clause, params, design, breakdowns, population, scale
) -> int | None:
    """How many finest groups the respondents fall in, when they fill more than one record
    batch of the numpy pass (None otherwise: one batch sizes the sums once by itself)."""
    count = sql_text(SQL, "respondent_count").format(source=from_clause)
    if con.execute(count, params).fetchall()[0][0] <= BATCH_ROWS:
        return None
    keys_sql = respondents_sql(from_clause, design, (), breakdowns, population, params, scale)
    breakdown_keys = [quote_identifier(b, "breakdown_id") for b in breakdowns]
    keys = ", ".join(["__population", "__stratum", "__psu", *breakdown_keys])
    query = sql_text(SQL, "finest_group_count").format(respondents=keys_sql, keys=keys)
    return con.execute(query, params).fetchall()[0][0]


def sql_partials(con, source, design, indicators, breakdowns, population, scale) -> Partials:
    """The partial sums by DuckDB's aggregation (partials.sql): any design, and the only pass
    that sums squared weights, which designs without PSUs need, exactly."""
    from_clause, params = source_clause(source)
    respondents = respondents_sql(
        from_clause, design, indicators, breakdowns, population, params, scale
    )
    sql = pass_sql(respondents, design.psu is not None, indicators, breakdowns, params)
    ids = [indicator.indicator_id for indicator in indicators]
    with imported_meanwhile():  # the estimation after the pass needs scipy
        wide = con.sql(sql, params=params).to_arrow_table()
    return partials_of(wide, ids, design.psu is not None, scale)


def check_exact(keys: pa.Table, weight: str | None = None) -> None:
    """RespondentDataRefused when the weights add up to 2^53 units or more: sums would be
    rounded. The edition's scale keeps its own weights below; this catches partials summed at
    a scale that is not their edition's."""
    total = pc.sum(keys.filter(pc.equal(keys["breakdown_id"], TOTAL))["weight"]).as_py()
    if total is not None and total >= EXACT_LIMIT:
        text = (
            "the weights, at the scale given, add up to more than exact sums allow (a "
            "partition was given a scale that is not its edition's)"
        )
        raise RespondentDataRefused(text, text, weight)


def partials_of(wide: pa.Table, ids: Sequence[str], has_psu: bool, scale: WeightScale) -> Partials:
    """The pass's result as Partials; a sum over no answers (NULL) is 0."""
    keys = pa.table(
        {
            "breakdown_id": wide["__breakdown_id"],
            "breakdown_value": wide["__breakdown_value"],
            "population_id": wide["__population"],
            "stratum": wide["__stratum"],
            "psu": wide["__psu"],
            "respondents": wide["__respondents"].cast(pa.int64()),
            "weight": wide["__weight"].cast(pa.float64()),
            "fpc_min": wide["__fpc_min"].cast(pa.float64()),
            "fpc_max": wide["__fpc_max"].cast(pa.float64()),
        }
    )
    most = pc.max(keys["respondents"]).as_py() or 0
    if most >= COUNT_SHIFT:
        raise ValueError(
            f"{most:,} respondents in one PSU and breakdown value: the pass counts at most "
            f"{COUNT_SHIFT - 1:,} (split the file or add a psu column)"
        )

    def matrix(name: str) -> np.ndarray:
        columns = [column_values(wide[f"{name}__{k}"], name) for k in range(len(ids))]
        return np.column_stack(columns).reshape(wide.num_rows, len(ids))

    packed = matrix("nn")
    counted = np.floor(packed / COUNT_SHIFT)
    sums = {"n": packed - counted * COUNT_SHIFT, "ny": counted}
    for name in ("sw", "swy", *(() if has_psu else SQUARED)):
        sums[name] = matrix(name)
    return Partials(keys, sums, tuple(ids), has_psu, scale)


def column_values(column: pa.ChunkedArray, name: str) -> np.ndarray:
    """One sum column as numpy: floats, or Python integers for the squared weights."""
    if name in SQUARED:
        return np.array([int(v) for v in column.fill_null(0).to_pylist()], dtype=object)
    return column.fill_null(0).to_numpy()


def merge_partials(parts: Sequence[Partials]) -> Partials:
    """The partials of several partitions as one: their rows one after the other, with the
    indicators of all parts in order (a sum a partition lacks, for an item it does not have,
    is 0)."""
    if not parts:
        raise ValueError("no partials to merge")
    if len({part.has_psu for part in parts}) != 1:
        raise ValueError("partials of different designs cannot be merged")
    if len({part.scale for part in parts}) != 1:
        raise ValueError("partials of different weight scales cannot be merged")
    if len(parts) == 1:
        return parts[0]
    ids = tuple(dict.fromkeys(i for part in parts for i in part.indicators))
    sums = {}
    for name, first in parts[0].sums.items():
        blocks = []
        for part in parts:
            block = np.zeros((part.rows, len(ids)), dtype=first.dtype)
            if first.dtype == object:
                block[:] = 0
            columns = [ids.index(i) for i in part.indicators]
            block[:, columns] = part.sums[name]
            blocks.append(block)
        sums[name] = np.concatenate(blocks)
    keys = pa.concat_tables([part.keys for part in parts])
    return Partials(keys, sums, ids, parts[0].has_psu, parts[0].scale)
