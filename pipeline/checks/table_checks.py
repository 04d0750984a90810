"""The first layer of validation: Frictionless reads every CSV input against its Table Schema
(types, constraints, keys, and the foreign keys between an edition's files and the code lists),
and its errors become problems with hints. It also reads the typed rows for the second layer,
marking the cells it refused so that the rules leave them alone.
"""

from __future__ import annotations

import csv
from functools import cache

from frictionless import FrictionlessException, Package, Resource, system

from pipeline.core.report import Problem
from pipeline.ingest import hints
from pipeline.ingest.inputs import Row, plain

RAGGED = {"missing-cell", "extra-cell"}
# A row with one of these is not read for the second layer: its cells are not where they belong.
ROW_ERRORS = RAGGED | {"blank-row"}
# Cells with one of these are refused; the rest of their row is read.
CELL_ERRORS = {"type-error", "constraint-error"}
ENUM_NOTE = 'constraint "enum"'
REQUIRED_NOTE = 'constraint "required"'


def descriptor(res: dict) -> dict:
    return {k: v for k, v in res.items() if not k.startswith("_")}


class CodeLists:
    """The code lists among the resources, read (only when a hint needs them) as plain rows."""

    def __init__(self, resources: list[dict]):
        self.by_name = {r["name"]: r for r in resources}
        self.rows = cache(self._rows)

    def _rows(self, name: str) -> list[dict]:
        res = self.by_name.get(name)
        if res is None:
            return []
        with res["_path"].open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))

    def shown(self, name: str) -> str:
        return self.by_name[name]["_shown"] if name in self.by_name else name

    def codes(self, name: str, field: str) -> list[str]:
        return [row[field] for row in self.rows(name) if row.get(field)]

    def labels(self, name: str, field: str) -> dict[str, str]:
        return {row[field]: row["label_en"] for row in self.rows(name) if row.get("label_en")}


def frictionless_problems(resources: list[dict]) -> list[Problem]:
    """Validate all CSV inputs as one package, so foreign keys reach the code lists."""
    if not resources:
        return []
    names = {r["name"] for r in resources}
    descriptors = []
    for res in resources:
        d = descriptor(res)
        fks = d["schema"].get("foreignKeys", [])
        # A foreign key to a code list that is itself missing would only repeat that problem.
        d["schema"] = {
            **d["schema"],
            "foreignKeys": [
                fk for fk in fks if fk["reference"].get("resource", d["name"]) in names | {""}
            ],
        }
        descriptors.append(d)
    # Absolute paths (a declared dialect is read from a staging copy outside raw/) need a
    # trusted context; every path here is one the validator built.
    with system.use_context(trusted=True):
        package = Package({"name": "raw", "resources": descriptors})
        report = package.validate()
    by_name = {r["name"]: r for r in resources}
    codelists = CodeLists(resources)
    problems = []
    for task in report.tasks:
        res = by_name[task.name]
        file = res["_shown"]
        problems.extend(task_problems(file, task.errors, res, codelists))
        if any(w.startswith("reached error limit") for w in task.warnings):
            message = "more problems than are listed here: fix these and validate again"
            problems.append(Problem(file, None, None, None, "too-many-problems", message))
        # frictionless leaves "rows" out of the stats when it read none
        if task.valid and not task.stats.get("rows"):
            problems.append(
                Problem(
                    file, None, None, None, "no-data-rows", "the file has a header but no data rows"
                )
            )
    return problems


def task_problems(
    file: str, errors: list, res: dict | None = None, codelists: CodeLists | None = None
) -> list[Problem]:
    """Frictionless errors as problems; a ragged row becomes one problem, not one per cell."""
    ragged_rows = {e.row_number for e in errors if e.type in RAGGED}
    problems = []
    for row in sorted(ragged_rows):
        cells = next(e.cells for e in errors if e.type in RAGGED and e.row_number == row)
        problems.append(
            Problem(
                file,
                row,
                None,
                None,
                "ragged-row",
                f"the row has {len(cells)} cell(s); the header has a different number of columns",
            )
        )
    cell_errors = {(e.row_number, e.field_name) for e in errors if e.type == "constraint-error"}
    blank_rows = {e.row_number for e in errors if e.type == "blank-row"}
    for e in errors:
        row = getattr(e, "row_number", None)
        if row in ragged_rows:
            continue
        problem = error_problem(file, e, res, codelists)
        # A code outside its enum also misses its code list: say it once.
        if e.type == "foreign-key" and (row, problem.column) in cell_errors:
            continue
        # A blank row has no key cells, which frictionless also reports as a duplicate key.
        if e.type == "primary-key" and row in blank_rows:
            continue
        problems.append(problem)
    return problems


def error_problem(
    file: str, e, res: dict | None = None, codelists: CodeLists | None = None
) -> Problem:
    """One frictionless error as a problem naming the row, column and value, with a hint when
    `res` (the resource it is about) and the code lists tell one."""
    row = getattr(e, "row_number", None)
    column = getattr(e, "field_name", None)
    value = getattr(e, "cell", None)
    message = e.note or e.message
    hint = None
    if e.type == "foreign-key":
        column = ", ".join(e.field_names)
        value = ", ".join(str(c) for c in e.field_cells)
        target = e.reference_name or "this table"
        message = f"{value!r} is not a known {', '.join(e.reference_field_names)} in {target}"
        if res is not None and codelists is not None:
            hint = code_hint(e, res, codelists)
    elif e.type == "primary-key":
        message = f"duplicate key: {e.note}"
    elif e.type in {
        "incorrect-label",
        "missing-label",
        "extra-label",
        "duplicate-label",
        "blank-label",
    }:
        value = getattr(e, "label", None)
        message = e.message
    elif e.type == "type-error":
        message = f"not a valid {e.note}" if e.note else e.message
        hint = type_hint(str(value or ""), field_of(res, column))
    elif e.type == "constraint-error" and (e.note or "").startswith(ENUM_NOTE):
        message = f"{value!r} is not an allowed {column}"
        hint = enum_hint(column, res, codelists)
    elif e.type == "constraint-error" and (e.note or "").startswith(REQUIRED_NOTE):
        hint = f"{column} is required: fill it in"
    return Problem(file, row, column, value, e.type, message, hint=hint)


def field_of(res: dict | None, name: str | None) -> dict:
    """The schema field `name` of resource `res` (empty when unknown)."""
    fields = res["schema"]["fields"] if res else []
    return next((f for f in fields if f["name"] == name), {})


def reference(res: dict, column: str) -> tuple[str, str] | None:
    """(code list, field) that `column` of `res` refers to, or None."""
    for fk in res["schema"].get("foreignKeys", []):
        if fk["fields"] == [column]:
            return fk["reference"].get("resource") or res["name"], fk["reference"]["fields"][0]
    return None


def code_hint(e, res: dict, codelists: CodeLists) -> str | None:
    """For an unknown code: the closest existing one and the code list to add it to."""
    target = e.reference_name or res["name"]
    if target not in codelists.by_name or len(e.reference_field_names) != 1:
        return None
    codes = codelists.codes(target, e.reference_field_names[0])
    return hints.unknown_code(str(e.field_cells[0]), codes, codelists.shown(target))


def enum_hint(column: str, res: dict | None, codelists: CodeLists | None) -> str | None:
    """The allowed values of `column` in words: labelled from its code list when it has one."""
    field = field_of(res, column)
    values = field.get("constraints", {}).get("enum")
    if not values:
        return None
    target = reference(res, column) if res else None
    if target is None and res and res.get("_edition") is None:
        target = (res["name"], column)  # a code list's own codes, labelled in its rows
    labels = codelists.labels(*target) if codelists and target else {}
    return hints.allowed_values(column, values, labels, hints.english(field.get("description")))


def type_hint(value: str, field: dict) -> str | None:
    if field.get("type") == "number":
        return hints.number(value)
    if field.get("type") == "date":
        return "write a date as YYYY-MM-DD"
    return None


def typed_rows(res: dict) -> tuple[list[Row], list[int], list[frozenset[str]]]:
    """The rows of one resource as plain values, their spreadsheet rows, and per row the
    columns Frictionless refused. Rows whose cells are out of place (ragged, blank) are left
    out: the first layer reported them."""
    d = descriptor(res)
    d["schema"] = {k: v for k, v in d["schema"].items() if k != "foreignKeys"}
    key = set(d["schema"].get("primaryKey", []))
    rows, numbers, refused = [], [], []
    try:
        with system.use_context(trusted=True):
            read = Resource(d).read_rows()
    except FrictionlessException:  # a file frictionless cannot open: its problem is reported
        return [], [], []
    for row in read:
        kinds = {e.type for e in row.errors}
        if kinds & ROW_ERRORS:
            continue
        bad = {e.field_name for e in row.errors if e.type in CELL_ERRORS}
        rows.append({k: plain(v) for k, v in row.items()})
        numbers.append(row.row_number)
        refused.append(frozenset(bad | key if "primary-key" in kinds else bad))
    return rows, numbers, refused
