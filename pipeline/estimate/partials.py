"""The one pass over the wide respondent table, returning small partial sums that merge.

The result has one row per leaf population x breakdown value x stratum x PSU x indicator
(`totaal` included as its own breakdown), with exact integer sums: respondents who answered (n),
who gave a counted code (ny), their weights (sw, swy) and, without a psu column, the squared
weights (sww, swwy). Partial sums of several partitions of the respondents merge by
concatenation (merge_partials): the roll-up adds them exactly, in any order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.identifiers import check_identifier, quote_identifier
from pipeline.estimate.design import Design, Indicator
from pipeline.estimate.sql import sql_text

TOTAL = "totaal"
UNKNOWN = "onbekend"
WEIGHT_SCALE = 10**9  # weights are summed as integers in units of 1e-9
KEYS = ("breakdown_id", "breakdown_value", "population_id", "stratum", "psu")
SUMS = ("n", "ny", "sw", "swy", "sww", "swwy")
# n, ny, sw, swy per PSU fit 64 bits (a PSU's weight below 9.2e9); squared weights need 128
SUM_TYPES = {"n": pa.int64(), "ny": pa.int64(), "sw": pa.int64(), "swy": pa.int64()}
WIDE = pa.decimal128(38, 0)


@dataclass(frozen=True)
class Partials:
    """Partial sums of one or more partitions: `cells` per leaf x breakdown value x stratum x
    PSU x indicator, `units` per leaf x stratum x PSU (respondents and the fpc's range)."""

    cells: pa.Table
    units: pa.Table
    has_psu: bool


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
    """The aggregate columns of one indicator, with its codes as bound parameters."""
    item = quote_identifier(indicator.item_id, "item_id")
    answered = f"{item} IS NOT NULL"
    if indicator.exclude_codes:
        excluded = code_list(indicator.exclude_codes, f"i{index}_x", params)
        answered += f" AND {item} NOT IN ({excluded})"
    counted = f"{item} IN ({code_list(indicator.count_codes, f'i{index}_c', params)})"
    parts = [sql_text("indicator_sums")]
    if not has_psu:
        parts.append(sql_text("respondent_sums"))
    return "".join(parts).format(index=index, answered=answered, counted=counted).rstrip("\n")


def pass_sql(
    source: str,
    design: Design,
    indicators: Sequence[Indicator],
    breakdowns: Sequence[str],
    population: str,
    params: dict,
) -> str:
    """The text of the one pass, filled in; params receives its bound values."""
    breakdown_names = [quote_identifier(b, "breakdown_id") for b in breakdowns]
    params["total"] = TOTAL
    if breakdowns:
        params["unknown"] = UNKNOWN
    breakdown_columns = "".join(
        f",\n        COALESCE(CAST({name} AS VARCHAR), $unknown) AS {name}"
        for name in breakdown_names
    )
    items = sorted({indicator.item_id for indicator in indicators})
    item_columns = "".join(f",\n        {quote_identifier(item, 'item_id')}" for item in items)
    cases = []
    for position, (breakdown, name) in enumerate(zip(breakdowns, breakdown_names, strict=True)):
        params[f"breakdown_{position}"] = breakdown
        cases.append(f"WHEN GROUPING({name}) = 0 THEN $breakdown_{position}")
    breakdown_id = f"CASE {' '.join(cases)} ELSE $total END" if cases else "$total"
    breakdown_value = f"COALESCE({', '.join([*breakdown_names, '$total'])})"
    base = "__population, __stratum, __psu"
    sets = [f"({base})", *(f"({base}, {name})" for name in breakdown_names)]
    sums = "".join(
        indicator_sums(index, indicator, design.psu is not None, params)
        for index, indicator in enumerate(indicators)
    )
    optional = {
        "stratum": design.strata,
        "psu": design.psu,
        "fpc": design.fpc,
    }
    columns = {
        role: quote_identifier(name, f"{role} column") if name else "NULL"
        for role, name in optional.items()
    }
    return sql_text("partials").format(
        source=source,
        population=quote_identifier(population, "population column"),
        stratum=f"CAST({columns['stratum']} AS VARCHAR)",
        psu=f"CAST({columns['psu']} AS VARCHAR)",
        weight=quote_identifier(design.weight, "weight column"),
        fpc=columns["fpc"],
        breakdown_columns=breakdown_columns,
        item_columns=item_columns,
        breakdown_id=breakdown_id,
        breakdown_value=breakdown_value,
        grouping_sets=", ".join(sets),
        sums=sums,
    )


def compute_partials(
    con: duckdb.DuckDBPyConnection,
    source: str | Path | Sequence[str | Path],
    design: Design,
    indicators: Sequence[Indicator],
    breakdowns: Sequence[str] = (),
    population: str = "population_id",
) -> Partials:
    """The partial sums of the respondents in source (a table name or Parquet file(s)), in one
    pass. Indicator i's sums are looked up by its position in `indicators`."""
    for breakdown in breakdowns:
        check_identifier(breakdown, "breakdown_id")
    if len(set(breakdowns)) != len(breakdowns):
        raise ValueError(f"breakdowns repeat a name: {list(breakdowns)}")
    ids = [indicator.indicator_id for indicator in indicators]
    if len(set(ids)) != len(ids):
        raise ValueError(f"indicator ids repeat: {ids}")
    from_clause, params = source_clause(source)
    sql = pass_sql(from_clause, design, indicators, breakdowns, population, params)
    wide = con.sql(sql, params=params).to_arrow_table()
    return Partials(
        cells=long_cells(wide, indicators, design.psu is not None),
        units=units_of(wide),
        has_psu=design.psu is not None,
    )


def units_of(wide: pa.Table) -> pa.Table:
    """Respondents and the fpc's range per leaf x stratum x PSU, from the `totaal` rows."""
    total = wide.filter(pc.equal(wide["__breakdown_id"], TOTAL))
    return pa.table(
        {
            "population_id": total["__population"],
            "stratum": total["__stratum"],
            "psu": total["__psu"],
            "respondents": total["__respondents"].cast(pa.int64()),
            "fpc_min": total["__fpc_min"],
            "fpc_max": total["__fpc_max"],
        }
    )


def long_cells(wide: pa.Table, indicators: Sequence[Indicator], has_psu: bool) -> pa.Table:
    """The wide result as one row per group x indicator (a few thousand rows per indicator, not
    respondents), so that the roll-up is one static query."""
    keys = {
        "breakdown_id": wide["__breakdown_id"],
        "breakdown_value": wide["__breakdown_value"],
        "population_id": wide["__population"],
        "stratum": wide["__stratum"],
        "psu": wide["__psu"],
    }
    pieces = []
    for index, indicator in enumerate(indicators):
        columns = dict(keys)
        columns["indicator_id"] = pa.array([indicator.indicator_id] * wide.num_rows, pa.string())
        for name in SUMS:
            source = f"{name}__{index}"
            kind = SUM_TYPES.get(name, WIDE)
            if source in wide.column_names:
                columns[name] = pc.fill_null(wide[source].cast(kind), 0)  # safe cast: checked
            else:
                columns[name] = pa.nulls(wide.num_rows, kind).fill_null(0)
        pieces.append(pa.table(columns))
    schema = pa.schema(
        [(key, pa.string()) for key in (*KEYS, "indicator_id")]
        + [(name, SUM_TYPES.get(name, WIDE)) for name in SUMS]
    )
    if not pieces:
        return schema.empty_table()
    return pa.concat_tables(pieces).cast(schema)


def merge_partials(parts: Sequence[Partials]) -> Partials:
    """The partials of several partitions as one (a concatenation: the roll-up sums exactly)."""
    if not parts:
        raise ValueError("no partials to merge")
    if len({part.has_psu for part in parts}) != 1:
        raise ValueError("partials of different designs cannot be merged")
    return Partials(
        cells=pa.concat_tables([part.cells for part in parts]),
        units=pa.concat_tables([part.units for part in parts]),
        has_psu=parts[0].has_psu,
    )
