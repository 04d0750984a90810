"""The normalising step: each delivered respondent file (Parquet, SPSS, Stata or CSV) into a
typed Parquet file of the cache (microdata_cache.py) with the contract's column names, codes
and types, its limits and labels checked first. From then on every step reads the cache's
Parquet files exactly as it reads a Parquet input (MicrodataSpec.parquet_files).

A Parquet input without `columns:`, `codes:` or `missing:` whose columns have the contract's
types already and whose design columns are plain names is read in place, as before (no copy).

Problems are reported as the report's problems, by rule: `microdata-format` (a file that
cannot be read), `microdata-limits`, `microdata-mapping`, `microdata-column-type`,
`microdata-labels`. None of them holds a value read from a respondent row; the readers' own
error texts (which may quote one) are returned apart, for the local error log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from pipeline.core.files import sha256_file
from pipeline.core.private_files import private_folder
from pipeline.core.report import Problem
from pipeline.core.sql import IDENTIFIER
from pipeline.ingest.microdata import MicrodataSpec, file_format
from pipeline.ingest.microdata_cache import entry_key, entry_path, write_entry
from pipeline.ingest.microdata_map import (
    Broken,
    Contract,
    Target,
    convert,
    label_problems,
    plan_columns,
)
from pipeline.ingest.microdata_read import (
    FileLayout,
    FileUnreadable,
    csv_whole_numbers,
    read_chunks,
    read_layout,
    utf8_source,
)

RULE_FORMAT = "microdata-format"
RULE_LIMITS = "microdata-limits"
MAX_COLUMNS = 2_000
MAX_ROWS = 10_000_000
MAX_LABEL_CHARS = 1_000
KINDS = {"text": pa.string(), "integer": pa.int64(), "number": pa.float64()}
# The Parquet types each contract column may have to be read in place (DuckDB's checks and the
# estimate take these as they are); any other type goes through the cache.
IN_PLACE = {
    "respondent_id": ("integer", "string"),
    "population_id": ("string",),
    "breakdown": ("string",),
    "item": ("integer",),
    "weight": ("floating",),
    "fpc": ("floating",),
    "strata": ("integer", "string"),
    "psu": ("integer", "string"),
}


@dataclass
class Normalised:
    """An edition's spec reading the cache (or its files in place), the problems found, and
    the readers' error texts (file, text) for the local error log only."""

    spec: MicrodataSpec | None
    problems: list[Problem] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def normalise(
    spec: MicrodataSpec, shown, contract: Contract, section: dict, cache: Path
) -> Normalised:
    """Every file of `spec` typed into the cache (`shown(path)`: the file as reports name it);
    the spec then reads the cache, or None when a file has a problem."""
    outcome = Normalised(None)
    if reads_in_place(spec, contract, shown, outcome):
        outcome.spec = spec if not outcome.problems else None
        return outcome
    code_lists = {
        "leaves": sorted(contract.leaves),
        "items": {k: sorted(v.items()) for k, v in contract.items.items()},
        "breakdowns": {k: sorted(v) for k, v in contract.breakdowns.items()},
    }
    pairs = []
    for path in spec.files():
        key = entry_key(sha256_file(path), section, code_lists)
        target = entry_path(cache, key)
        if not target.is_file():
            problems, errors = convert_file(path, shown(path), spec, contract, cache, key)
            outcome.problems += problems
            outcome.errors += errors
        pairs.append((path, target))
    if not outcome.problems:
        outcome.spec = spec.normalised(tuple(pairs))
    return outcome


def reads_in_place(spec: MicrodataSpec, contract: Contract, shown, outcome: Normalised) -> bool:
    """Whether the files are Parquet files the checks can read as they are; their limits are
    checked here then."""
    if spec.columns or spec.codes or spec.missing:
        return False
    if not all(IDENTIFIER.fullmatch(name) for name in spec.design_columns()):
        return False
    files = spec.files()
    if not files or any(file_format(path) != "parquet" for path in files):
        return False
    import pyarrow.parquet as pq

    roles = {column: role for role, column in spec.design_roles().items()}
    for path in files:
        try:
            schema = pq.read_schema(path)
            layout = read_layout(path, "parquet", spec.csv)
        except (FileUnreadable, OSError, pa.ArrowException):
            return True  # the checks report a file that is no Parquet file, as before
        outcome.problems += limit_problems(layout, shown(path))
        for data_type, name in zip(schema.types, schema.names, strict=True):
            role = roles.get(name) or contract.role(name)
            if role and not in_place_type(data_type, IN_PLACE[role]):
                outcome.problems.clear()
                return False
    return True


def in_place_type(data_type: pa.DataType, kinds: tuple[str, ...]) -> bool:
    checks = {
        "integer": pa.types.is_integer,
        "string": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t),
        "floating": pa.types.is_floating,
    }
    return any(checks[kind](data_type) for kind in kinds)


def limit_problems(layout: FileLayout, shown: str) -> list[Problem]:
    """The limits of a respondent file, from its header or footer, before any row is parsed."""
    problems = []
    if len(layout.names) > MAX_COLUMNS:
        message = f"{len(layout.names)} columns; the limit is {MAX_COLUMNS:,}"
        problems.append(Problem(shown, None, None, None, RULE_LIMITS, message))
    if layout.rows is not None and layout.rows > MAX_ROWS:
        message = f"{layout.rows:,} rows; the limit is {MAX_ROWS:,}"
        problems.append(Problem(shown, None, None, None, RULE_LIMITS, message))
    labels = [*layout.variable_labels.values()]
    labels += [label for codes in layout.value_labels.values() for label in codes.values()]
    long = sum(1 for label in labels if len(str(label)) > MAX_LABEL_CHARS)
    if long:
        message = f"{long} label(s) longer than {MAX_LABEL_CHARS:,} characters"
        problems.append(Problem(shown, None, None, None, RULE_LIMITS, message))
    return problems


def convert_file(
    path: Path, shown: str, spec: MicrodataSpec, contract: Contract, cache: Path, key: str
) -> tuple[list[Problem], list[tuple[str, str]]]:
    """One delivered file into the cache entry `key`: its layout, limits, mapping and labels
    checked first; nothing is kept when its rows break a rule."""
    fmt = file_format(path) or "parquet"
    csv = fmt == "csv"
    try:
        layout = read_layout(path, fmt, spec.csv)
    except FileUnreadable as error:
        problem = Problem(shown, None, None, None, RULE_FORMAT, error.public)
        return [problem], [(shown, error.detail)]
    problems = limit_problems(layout, shown)
    if problems:
        return problems, []
    private_folder(cache)
    try:
        source = utf8_source(path, spec.csv, cache) if csv else path
    except UnicodeDecodeError as error:
        message = f"its text is not in the declared encoding {spec.csv.encoding}"
        return [Problem(shown, None, None, None, RULE_FORMAT, message)], [(shown, repr(error))]
    try:
        return typed_entry(source, shown, fmt, layout, spec, contract, cache, key)
    except FileUnreadable as error:
        problem = Problem(shown, None, None, None, RULE_FORMAT, error.public)
        return [problem], [(shown, error.detail)]
    except (pa.ArrowException, ValueError, TypeError) as error:  # a value no rule foresaw
        message = "its rows could not be typed; the reason is kept in the local error log"
        problem = Problem(shown, None, None, None, RULE_FORMAT, message)
        return [problem], [(shown, f"{type(error).__name__}: {error}")]
    finally:
        if source != path:
            source.unlink(missing_ok=True)


def typed_entry(
    source: Path,
    shown: str,
    fmt: str,
    layout: FileLayout,
    spec: MicrodataSpec,
    contract: Contract,
    cache: Path,
    key: str,
) -> tuple[list[Problem], list[tuple[str, str]]]:
    """The mapping and labels checked, then the rows typed into the entry `key`."""
    whole = frozenset()
    if fmt == "csv":
        whole = csv_whole_numbers(source, layout, id_like_columns(spec, layout), spec.csv)
    targets, problems = plan_columns(layout, spec, contract, shown, fmt == "csv", whole)
    problems += label_problems(targets, layout, contract, shown)
    if problems:
        return problems, []
    broken = Broken()
    schema = pa.schema([pa.field(t.name, KINDS[t.kind]) for t in targets])
    batches = typed_batches(source, fmt, layout, targets, spec, broken)
    written = write_entry(cache, key, schema, batches)
    if broken.counts:
        written.unlink(missing_ok=True)
        return broken.problems(shown), []
    return [], []


def id_like_columns(spec: MicrodataSpec, layout: FileLayout) -> list[str]:
    """The file columns that may be text or an integer: the respondent id, strata and PSU."""
    ids = [source for source, name in spec.columns.items() if name == "respondent_id"]
    ids = ids or ["respondent_id"]
    names = [*ids, spec.strata, spec.psu]
    return [name for name in dict.fromkeys(names) if name and name in layout.names]


def typed_batches(
    path: Path,
    fmt: str,
    layout: FileLayout,
    targets: list[Target],
    spec: MicrodataSpec,
    broken: Broken,
):
    """The typed copy's record batches, chunk by chunk."""
    wanted = list(dict.fromkeys(t.source for t in targets))
    for chunk in read_chunks(path, fmt, layout, wanted, spec.csv):
        yield convert(targets, chunk, layout, spec, fmt, broken)
