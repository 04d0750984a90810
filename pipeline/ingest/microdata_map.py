"""From a respondent file's own columns and codes to the contract's (README, "Respondent data"):
which file column becomes which contract column (`columns:`, else the contract's names as
they are), the file codes of coded population and breakdown columns (`codes:`), Stata's
extended missing values (`missing:`), and the type each contract column has in the typed copy
(text for populations and breakdowns, 64-bit integers for answer codes, doubles for weights
and fpc, text or integers for ids, strata and PSUs), whatever numeric type the file used.

`plan_columns` decides from the file's layout alone (no row read) and reports what a steward
must fix in the `microdata:` section; `convert` turns one chunk of rows into the typed columns
and counts what the rows break (codes without a mapping, answers that are no integer, text
where a number belongs, unmapped extended missing values): counts only, never a value.
`label_problems` holds the file's value labels against scales.csv.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.report import Problem
from pipeline.ingest import hints
from pipeline.ingest.microdata import MicrodataSpec
from pipeline.ingest.microdata_read import Chunk, FileLayout

FIXED = ("respondent_id", "population_id")
CODED = ("population_id", "breakdown")  # roles whose columns may carry file codes
NUMBER_ROLES = ("item", "weight", "fpc")
RULE_MAPPING = "microdata-mapping"
RULE_TYPE = "microdata-column-type"
RULE_LABELS = "microdata-labels"


@dataclass(frozen=True)
class Contract:
    """What the code lists allow in a respondent file: the leaf populations, each item's codes
    with their Dutch labels (scales.csv), each breakdown's values."""

    leaves: frozenset[str]
    items: dict[str, dict[int, str]]
    breakdowns: dict[str, frozenset[str]]

    def role(self, name: str) -> str | None:
        """The role of a contract column name, or None when it is none."""
        if name in FIXED:
            return name
        if name in self.items:
            return "item"
        if name in self.breakdowns:
            return "breakdown"
        return None


@dataclass(frozen=True)
class Target:
    """One column of the typed copy: made from the file column `source`, named `name`, of
    `role`, as `kind` (text, integer or number)."""

    source: str
    name: str
    role: str
    kind: str
    codes: tuple[tuple[object, str], ...] | None = None  # (file code, value) of a coded column


@dataclass
class Broken:
    """What the rows of a file break, counted per (rule, contract column, message)."""

    counts: Counter = field(default_factory=Counter)

    def add(self, rule: str, column: str, message: str, count: int) -> None:
        if count:
            self.counts[(rule, column, message)] += int(count)

    def problems(self, shown: str) -> list[Problem]:
        return [
            Problem(shown, None, column, None, rule, message.format(count=count))
            for (rule, column, message), count in sorted(self.counts.items())
        ]


def problem(shown: str, column: str | None, message: str, hint: str | None = None) -> Problem:
    return Problem(shown, None, column, None, RULE_MAPPING, message, hint)


def plan_columns(
    layout: FileLayout,
    spec: MicrodataSpec,
    contract: Contract,
    shown: str,
    csv: bool,
    whole: frozenset[str] = frozenset(),
) -> tuple[list[Target], list[Problem]]:
    """The typed copy's columns from the file's layout, and every problem of the mapping;
    `whole`: the text columns of a CSV file that hold whole numbers only (typed as integers
    where the contract allows text or an integer, as SPSS and Stata hold them)."""
    names = set(layout.names)
    mapping, problems = mapped_names(layout, spec, contract, shown)
    targets = []
    for source, name in mapping.items():
        role = contract.role(name)
        targets.append(target(source, name, role, layout, spec, csv, whole))
    for role, source in spec.design_roles().items():
        if source not in names:
            message = f"the file has no {role} column {source} (microdata.{role})"
            hint = hints.did_you_mean(source, sorted(names))
            problems.append(problem(shown, f"microdata.{role}", message, hint))
        else:
            targets.append(target(source, role, role, layout, spec, csv, whole))
    produced = {t.name for t in targets}
    for role in FIXED:
        if role not in produced:
            message = f"the file has no {role} column; name the file's column under columns:"
            problems.append(problem(shown, role, message))
    for t in targets:
        problems += target_problems(t, layout, spec, shown, csv)
    return targets, problems


def mapped_names(
    layout: FileLayout, spec: MicrodataSpec, contract: Contract, shown: str
) -> tuple[dict[str, str], list[Problem]]:
    """{file column: contract name}: `columns:`, and every other file column that carries a
    contract name as it is; the problems of that map."""
    names = set(layout.names)
    known = {*FIXED, *contract.items, *contract.breakdowns}
    design = set(spec.design_roles().values())
    problems = []
    mapping = {}
    for source, name in spec.columns.items():
        if name not in known:
            message = (
                f"columns maps {source} to {name}, which is not respondent_id, population_id, "
                "a breakdown_id of breakdowns.csv or an item_id of items.csv"
            )
            hint = hints.did_you_mean(name, sorted(known))
            problems.append(problem(shown, f"microdata.columns.{source}", message, hint))
        elif source not in names:
            message = f"columns maps {source} to {name}, but the file has no column {source}"
            hint = hints.did_you_mean(source, sorted(names))
            problems.append(problem(shown, f"microdata.columns.{source}", message, hint))
        else:
            mapping[source] = name
    for source in layout.names:
        if source in known and source not in spec.columns and source not in design:
            if source in mapping.values():
                message = (
                    f"the file's column {source} carries a contract name that columns: maps "
                    "another column to; rename or drop one of them"
                )
                problems.append(problem(shown, source, message))
            else:
                mapping[source] = source
    problems += same_target_problems(mapping, shown)
    lowered = {name.lower(): name for name in (*known, *spec.columns)}
    for source in layout.names:
        meant = lowered.get(source.lower())
        if meant and meant != source and source not in mapping and source not in design:
            message = (
                f"the file's column {source} is not mapped, but differs from {meant} only in "
                "case: column names match exactly"
            )
            hint = f"columns: {{{source}: {meant if meant in known else '...'}}}"
            problems.append(problem(shown, source, message, hint))
    if spec.columns:
        problems += absent_contract_columns(mapping, contract, shown)
    return mapping, problems


def same_target_problems(mapping: dict[str, str], shown: str) -> list[Problem]:
    """A problem for every contract name that two file columns are mapped to."""
    counted = Counter(mapping.values())
    return [
        problem(
            shown,
            name,
            f"{counted[name]} file columns are mapped to {name}: "
            + ", ".join(sorted(s for s, n in mapping.items() if n == name)),
        )
        for name in sorted(n for n, k in counted.items() if k > 1)
    ]


def absent_contract_columns(mapping: dict[str, str], contract: Contract, shown: str) -> list:
    """With a `columns:` map, the items and breakdowns of the code lists that the file lacks
    (a renaming that missed one would otherwise skip it without a word)."""
    produced = set(mapping.values())
    problems = []
    for kind, names in (("item", contract.items), ("breakdown", contract.breakdowns)):
        absent = sorted(set(names) - produced)
        if absent:
            message = (
                f"{len(absent)} {kind}(s) of the code lists are in no column of the file: "
                f"{', '.join(absent[:10])}{' ...' if len(absent) > 10 else ''}; map them under "
                f"columns: or remove them from the code lists"
            )
            problems.append(problem(shown, None, message))
    return problems


def target(
    source: str,
    name: str,
    role: str,
    layout: FileLayout,
    spec: MicrodataSpec,
    csv: bool,
    whole: frozenset[str],
) -> Target:
    """The column of the typed copy made from `source`, its kind decided by its role."""
    codes = spec.codes.get(name)
    if role in ("population_id", "breakdown"):
        pairs = tuple(codes.items()) if codes else None
        return Target(source, name, role, "text", pairs)
    if role in NUMBER_ROLES:
        return Target(source, name, role, "integer" if role == "item" else "number")
    numeric = (source in layout.numeric and not csv) or source in whole
    return Target(source, name, role, "integer" if numeric else "text")


def target_problems(
    t: Target, layout: FileLayout, spec: MicrodataSpec, shown: str, csv: bool
) -> list[Problem]:
    """What the layout already shows wrong with a column: text where a number belongs, file
    codes without a `codes:` map, codes of a labelled column that the map lacks."""
    numeric = t.source in layout.numeric
    if t.role in NUMBER_ROLES and not numeric and not csv:
        message = f"the column {t.source} holds text; {t.name} ({t.role}) is a number"
        return [Problem(shown, None, t.name, None, RULE_TYPE, message)]
    if t.role in ("population_id", "breakdown") and numeric and t.codes is None:
        message = f"the column {t.source} holds numeric codes; {t.name} needs its values"
        hint = f"map each code under codes: {t.name}: {{1: ..., 2: ...}}"
        return [problem(shown, t.name, message, hint)]
    if t.codes is not None and t.source in layout.value_labels:
        mapped = {code_key(code, numeric) for code, _ in t.codes}
        # a Stata extended missing value's label (its letter) is no code: it stays empty
        unmapped = [
            code
            for code in layout.value_labels[t.source]
            if code_key(code, numeric) not in mapped and not (numeric and isinstance(code, str))
        ]
        if unmapped:
            listed = " ".join(format_code(code) for code in sorted(unmapped, key=str)[:10])
            message = f"codes.{t.name} does not map the labelled code(s) {listed} of {t.source}"
            return [problem(shown, t.name, message, f"add them under codes: {t.name}:")]
    return []


def code_key(code: object, numeric: bool) -> object:
    """A file code as it is matched: by number in a numeric column (1, 1.0 and '1' are one
    code), by exact text in a text column."""
    if not numeric:
        return str(code)
    try:
        return float(code)
    except (TypeError, ValueError):
        return str(code)


def format_code(code: object) -> str:
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code)


def convert(
    targets: list[Target],
    chunk: Chunk,
    layout: FileLayout,
    spec: MicrodataSpec,
    fmt: str,
    broken: Broken,
) -> pa.RecordBatch:
    """One chunk of rows of a file of format `fmt` as the typed copy's columns; what its rows
    break added to `broken`. SPSS and Stata have no empty text apart from "": it is missing."""
    csv, decimal = fmt == "csv", spec.csv.decimal
    arrays, fields = [], []
    for t in targets:
        array = chunk.columns[t.source]
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        if fmt in ("sav", "dta") and t.source not in layout.numeric:
            array = blank_as_missing(array)
        numeric = t.source in layout.numeric and not csv
        if t.codes is not None:
            typed = coded(t, array, numeric, decimal, broken)
        elif t.kind == "text":
            typed = pc.cast(array, pa.string()) if numeric else as_text(array)
        else:
            numbers = array if numeric else parsed(t, array, decimal, broken)
            numbers = pc.cast(numbers, pa.float64())
            if t.kind == "integer":
                typed = integers(t, numbers, chunk.extended.get(t.source), spec, broken)
            else:
                typed = numbers
        arrays.append(typed)
        fields.append(pa.field(t.name, typed.type))
    return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields))


def blank_as_missing(array: pa.Array) -> pa.Array:
    text = pc.cast(array, pa.string())
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def as_text(array: pa.Array) -> pa.Array:
    return pc.cast(array, pa.string())


def parsed(t: Target, array: pa.Array, decimal: str, broken: Broken) -> pa.Array:
    """Text read as numbers (a CSV column, `decimal` its decimal mark); text that is no number
    becomes null and is counted."""
    text = pc.utf8_trim_whitespace(pc.cast(array, pa.string()))
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    if decimal == ",":
        text = pc.replace_substring(text, ",", ".")
    try:
        return pc.cast(text, pa.float64())
    except pa.ArrowInvalid:
        import pandas as pd

        numbers = pd.to_numeric(text.to_pandas(), errors="coerce")
        result = pa.array(numbers, pa.float64(), from_pandas=True)
        bad = pc.sum(pc.and_(pc.is_valid(text), pc.is_null(result))).as_py() or 0
        broken.add(
            RULE_TYPE,
            t.name,
            f"{{count}} value(s) of the column {t.source} are text where a number belongs",
            bad,
        )
        return result


def integers(
    t: Target, numbers: pa.Array, extended: pa.Array | None, spec: MicrodataSpec, broken: Broken
) -> pa.Array:
    """Answer codes as 64-bit integers: a number with a fraction (4.5) is counted and left
    out; Stata's extended missing values become the code `missing:` gives them, or are counted
    when it gives none."""
    values = numbers.to_numpy(zero_copy_only=False)
    valid = ~np.isnan(values)
    whole = valid & (np.floor(values) == values) & (np.abs(values) < 2**53)
    broken.add(
        RULE_MAPPING,
        t.name,
        f"{{count}} value(s) of the column {t.source} are not whole numbers (an answer is a code)",
        int((valid & ~whole).sum()),
    )
    out = np.where(whole, values, 0).astype(np.int64)
    mask = ~whole
    if extended is not None:
        letters = extended.to_numpy(zero_copy_only=False)
        for letter in {x for x in letters if isinstance(x, str)}:
            hits = letters == letter
            code = spec.missing.get(f".{letter}")
            if code is None:
                message = (
                    f"{{count}} value(s) of the column {t.source} are Stata's missing value "
                    f".{letter}, which missing: does not map to an answer code"
                )
                broken.add(RULE_MAPPING, t.name, message, int(hits.sum()))
                continue
            out = np.where(hits, code, out)
            mask = mask & ~hits
    return pa.array(out, pa.int64(), mask=mask)


def coded(t: Target, array: pa.Array, numeric: bool, decimal: str, broken: Broken) -> pa.Array:
    """A coded column's file codes replaced by the contract's values; a code the map lacks is
    counted (and left empty)."""
    by_number = numeric or all(number_like(code) for code, _ in t.codes)
    if by_number:
        keys = pa.array([float(code) for code, _ in t.codes], pa.float64())
        values = pc.cast(array, pa.float64()) if numeric else parsed(t, array, decimal, broken)
    else:
        keys = pa.array([str(code) for code, _ in t.codes], pa.string())
        values = as_text(array)
    index = pc.index_in(values, value_set=keys)
    result = pc.take(pa.array([value for _, value in t.codes], pa.string()), index)
    missing = pc.sum(pc.and_(pc.is_valid(values), pc.is_null(index))).as_py() or 0
    broken.add(
        RULE_MAPPING,
        t.name,
        f"{{count}} respondent(s) have a code of {t.source} that codes.{t.name} does not map",
        missing,
    )
    return result


def number_like(code: object) -> bool:
    if isinstance(code, bool):
        return False
    try:
        return math.isfinite(float(code))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def normal_label(text: str) -> str:
    """A label as compared: Unicode NFC, case folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def label_problems(
    targets: list[Target], layout: FileLayout, contract: Contract, shown: str
) -> list[Problem]:
    """The value labels of each item's file column against its scale in scales.csv: a
    labelled code outside the scale, or a label other than the code's label_nl, is an error
    naming the item, the code and both labels (shown quoted, as text)."""
    problems = []
    for t in targets:
        labels = layout.value_labels.get(t.source)
        if t.role != "item" or not labels:
            continue
        scale = contract.items.get(t.name, {})
        for code, label in sorted(labels.items(), key=lambda pair: str(pair[0])):
            number = code_key(code, True)
            if isinstance(number, str) or not float(number).is_integer():
                continue  # a Stata extended missing value's label: missing: decides
            known = scale.get(int(number))
            shown_code = format_code(code)
            if known is None:
                message = (
                    f"item {t.name} ({t.source}): the file labels code {shown_code} as "
                    f"{str(label)!r}, but the item's scale in scales.csv has no code "
                    f"{shown_code} (codes {' '.join(map(str, sorted(scale)))})"
                )
            elif normal_label(str(label)) != normal_label(known):
                message = (
                    f"item {t.name} ({t.source}): the file labels code {shown_code} as "
                    f"{str(label)!r}, scales.csv as {known!r}: a reversed or changed scale?"
                )
            else:
                continue
            problems.append(Problem(shown, None, t.name, None, RULE_LABELS, message))
    return problems
