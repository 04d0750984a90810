"""What the microdata checks return: the problems with respondent ids, for the terminal and a
local log only, apart from a public view of counts that holds nothing read from a respondent row.

The public view is safe by construction, not by care: a `PublicProblem` holds only the file as
reports show it, a kind from a closed list (which fixes the rule and the message's template), a
column name (the file's schema or the code lists), a count, a column role from a closed list and
a DuckDB type name. Its message is rendered from the template with those fields; there is no
field in which a respondent id or an answer could be put. The local problems' messages (which
may quote a respondent's value) are made here too, by row_message.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.core import weight_scale
from pipeline.core.error_log import ERROR_LOG
from pipeline.core.report import Problem

# kind: (rule, the public message's template over {count}, {column}, {role}, {found}, {expected})
TEMPLATES: dict[str, tuple[str, str]] = {
    "unreadable-missing": ("microdata-unreadable", "no such file or folder"),
    "unreadable-empty-folder": ("microdata-unreadable", "a folder without Parquet files"),
    "unreadable-not-parquet": ("microdata-unreadable", "not a readable Parquet file"),
    "unreadable-columns": (
        "microdata-unreadable",
        "{count} Parquet file(s) do not have the same columns (names and types) as the first",
    ),
    "unreadable-rows": (
        "microdata-unreadable",
        "DuckDB could not read or check its rows; the error's full text (which may quote a "
        f"value) is kept locally in {ERROR_LOG.as_posix()}",
    ),
    "missing-column": ("microdata-missing-column", "the file has no {role} column {column}"),
    "wrong-type": (
        "microdata-column-type",
        "the {role} column {column} is {found}; it must be {expected}",
    ),
    "microdata-respondent-id-missing": (
        "microdata-respondent-id-missing",
        "{count} respondent row(s) have no respondent_id",
    ),
    "microdata-unknown-population": (
        "microdata-unknown-population",
        "{count} respondent(s) have a population_id that is not a leaf population of "
        "populations.csv",
    ),
    "microdata-unknown-breakdown-value": (
        "microdata-unknown-breakdown-value",
        "{count} respondent(s) have a value of breakdown {column} that breakdowns.csv does not "
        "list (an empty value counts as onbekend)",
    ),
    "microdata-weight-missing": (
        "microdata-weight-missing",
        "{count} respondent(s) have no weight ({column} is empty or NaN)",
    ),
    "microdata-weight-not-positive": (
        "microdata-weight-not-positive",
        "{count} respondent(s) have a weight ({column}) that is not a positive finite number",
    ),
    "microdata-design-value-missing": (
        "microdata-design-value-missing",
        "{count} respondent(s) have no value in the design column {column}",
    ),
    "weight-range": (
        weight_scale.RULE,
        f"{{count}} {weight_scale.TOO_SMALL}; {weight_scale.UNIT_HINT}",
    ),
    "microdata-fpc-not-positive": (
        "microdata-fpc-not-positive",
        "{count} respondent(s) have an fpc ({column}) that is not a positive finite number",
    ),
    "microdata-code-outside-scale": (
        "microdata-code-outside-scale",
        "{count} answer(s) to item {column} are not a code of the item's scale",
    ),
    "microdata-duplicate-respondent": (
        "microdata-duplicate-respondent",
        "{count} respondent_id value(s) occur more than once",
    ),
    "single-psu": (
        "microdata-single-psu-stratum",
        "{count} stratum/strata have a single PSU that was not sampled with certainty: the "
        "variance of such a stratum cannot be estimated (R survey's lonely.psu 'fail'); merge "
        "it with a similar stratum, or, if its PSU was sampled with certainty, give it an fpc "
        "(the column that edition.yaml's microdata.fpc names) of 1, its PSUs in the population",
    ),
    "single-respondent": (
        "microdata-single-psu-stratum",
        "{count} stratum/strata have a single respondent (without a psu column each respondent "
        "is a PSU) who was not sampled with certainty: the variance of such a stratum cannot "
        "be estimated (R survey's lonely.psu 'fail'); merge it with a similar stratum, or, if "
        "the respondent was sampled with certainty, give it an fpc (the column that "
        "edition.yaml's microdata.fpc names) of 1, the stratum's population",
    ),
}

# role: (the DuckDB types a column of that role may have, the type in words)
INTEGER_TYPES = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
)
FLOAT_TYPES = frozenset({"DOUBLE", "FLOAT"})
ROLES: dict[str, tuple[frozenset[str], str]] = {
    "respondent_id": (INTEGER_TYPES | {"VARCHAR"}, "text or an integer"),
    "population_id": (frozenset({"VARCHAR"}), "text"),
    "weight": (FLOAT_TYPES, "a floating-point number (double)"),
    "strata": (INTEGER_TYPES | {"VARCHAR"}, "text or an integer"),
    "psu": (INTEGER_TYPES | {"VARCHAR"}, "text or an integer"),
    "fpc": (FLOAT_TYPES, "a floating-point number (double)"),
    "item": (INTEGER_TYPES, "an integer answer code"),
    "breakdown": (frozenset({"VARCHAR"}), "text"),
}
TYPE_NAME = re.compile(r"[A-Z][A-Z0-9_]*(\[\])?")


def type_name(duckdb_type: str) -> str:
    """The name of a DuckDB type without its parameters ('DECIMAL(9,2)' -> 'DECIMAL')."""
    base = re.match(r"[A-Z][A-Z0-9_]*", duckdb_type.upper())
    name = base.group() if base else "UNKNOWN"
    return f"{name}[]" if duckdb_type.endswith("]") else name


@dataclass(frozen=True)
class PublicProblem:
    """A problem of a respondent file as it may leave the machine (Prefect's logs, the published
    validation.json): where, which rule, which column and how often; never which respondent."""

    file: str
    kind: str
    column: str | None = None
    count: int = 1
    role: str | None = None
    found: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in TEMPLATES:
            raise ValueError(f"unknown kind of microdata problem {self.kind!r}")
        if type(self.count) is not int or self.count < 1:
            raise ValueError(f"a count must be a positive int, not {self.count!r}")
        if self.role is not None and self.role not in ROLES:
            raise ValueError(f"unknown column role {self.role!r}")
        if self.found is not None and not TYPE_NAME.fullmatch(self.found):
            raise ValueError(f"{self.found!r} is not a DuckDB type name")

    @property
    def rule(self) -> str:
        return TEMPLATES[self.kind][0]

    @property
    def message(self) -> str:
        expected = ROLES[self.role][1] if self.role else None
        return TEMPLATES[self.kind][1].format(
            count=self.count,
            column=self.column,
            role=self.role,
            found=self.found,
            expected=expected,
        )

    def problem(self) -> Problem:
        """As a report's problem: no row and no value, ever."""
        return Problem(self.file, None, self.column, None, self.rule, self.message)


@dataclass(frozen=True)
class MicrodataCheck:
    """The outcome of checking one edition's respondent data.

    `public`: the problems as counts (see PublicProblem); `counts` sums them per rule.
    `local`: the full report for the terminal and a local log file: every file-level problem,
    plus, per rule, up to `cap` problems that name a respondent (value = its respondent_id,
    column = the column) and one "and N more" when there were more. It is left out of repr, so
    that a log line showing the object cannot leak it.
    `errors`: DuckDB's error texts, for the local error log only.
    `ignored`: columns that are no respondent_id, population_id, design column, known item or
    known breakdown (not an error); `skipped_items`, `skipped_breakdowns`: those of the code
    lists that the file lacks (not an error: skipped for this edition).
    """

    file: str
    public: tuple[PublicProblem, ...] = ()
    local: tuple[Problem, ...] = field(default=(), repr=False)
    ignored: tuple[str, ...] = ()
    skipped_items: tuple[str, ...] = ()
    skipped_breakdowns: tuple[str, ...] = ()
    # (file, DuckDB's error text) of every query that failed on the rows: for the local error
    # log only, never the terminal (the text may quote a respondent's value)
    errors: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def valid(self) -> bool:
        return not self.public

    @property
    def counts(self) -> dict[str, int]:
        """{rule: how often it is broken}: respondent rows, answers, ids, strata, columns or
        files, as the rule counts."""
        totals: Counter[str] = Counter()
        for problem in self.public:
            totals[problem.rule] += problem.count
        return dict(sorted(totals.items()))

    def public_problems(self) -> list[Problem]:
        """The public view as report problems (no row, no value)."""
        return [problem.problem() for problem in self.public]

    def public_view(self) -> dict:
        """Everything that may be logged or published, as JSON data."""
        return {
            "file": self.file,
            "valid": self.valid,
            "counts": self.counts,
            "problems": [problem.record() for problem in self.public_problems()],
            "ignored_columns": list(self.ignored),
            "skipped_items": list(self.skipped_items),
            "skipped_breakdowns": list(self.skipped_breakdowns),
        }


def column_difference(first: dict[str, str], other: dict[str, str]) -> str:
    """In words, how the columns of `other` differ from `first` (names and types)."""
    parts = []
    if missing := [c for c in first if c not in other]:
        parts.append("lacks " + ", ".join(missing))
    if extra := [c for c in other if c not in first]:
        parts.append("adds " + ", ".join(extra))
    if typed := [f"{c} is {other[c]}" for c in first if c in other and other[c] != first[c]]:
        parts.append(", ".join(typed) + " there")
    return "; ".join(parts) or "the columns are in another order"


def more_problems(
    counted: list[tuple[str, str, int]], named: dict[str, int], shown: str
) -> list[Problem]:
    """One "and N more" problem per rule with more broken rows than were named."""
    totals: dict[str, int] = {}
    for rule, _, n in counted:
        totals[rule] = totals.get(rule, 0) + n
    return [
        more_problem(shown, rule, total - named.get(rule, 0), total)
        for rule, total in totals.items()
        if total > named.get(rule, 0)
    ]


def more_problem(shown: str, rule: str, more: int, total: int) -> Problem:
    return Problem(shown, None, None, None, rule, f"and {more} more ({total} in all)")


def row_message(
    rule: str, column: str, value: str | None, file_row: int, items: dict[str, set[int]]
) -> str:
    """The local message of one broken row (it may quote the row's value)."""
    if rule == "microdata-respondent-id-missing":
        return f"row {file_row + 1} of the file (the first is 1) has no respondent_id"
    if rule == "microdata-unknown-population":
        if value is None:
            return "population_id is empty"
        return f"population_id {value!r} is not a leaf population of populations.csv"
    if rule == "microdata-unknown-breakdown-value":
        return f"{value!r} is not a value of breakdown {column} in breakdowns.csv"
    if rule == "microdata-code-outside-scale":
        codes = " ".join(str(code) for code in sorted(items[column]))
        return f"answer code {value} is not in the scale of item {column} ({codes})"
    if rule in ("microdata-weight-missing", "microdata-design-value-missing") or value is None:
        return f"{column} is empty" if value is None else f"{column} is {value}"
    return f"{column} is {value}: it must be a positive finite number"


def problems_of(public: list[PublicProblem]) -> list[Problem]:
    return [problem.problem() for problem in public]
