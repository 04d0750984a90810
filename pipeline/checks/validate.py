"""Checks the raw inputs in two layers and collects every problem into one report.

1. Frictionless checks each file: encoding, header, ragged rows, types, constraints, keys, and the
   foreign keys between an edition's files and the code lists.
2. Pandera checks the typed frames against the same Table Schemas, plus the rules of rules.py
   that span columns, files and editions.
"""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

import pandas as pd

from pipeline.checks import rules
from pipeline.core.paths import Project
from pipeline.core.report import Problem, Report
from pipeline.core.schemas import raw_file_schema, raw_inputs, table_schema
from pipeline.ingest import dialects
from pipeline.ingest.inputs import (
    Edition,
    RawInputs,
    codelist_files,
    display_path,
    find_editions,
    plain,
    read_yaml,
    yaml_cell,
)

RAGGED = {"missing-cell", "extra-cell"}


def validate_raw(project: Project) -> tuple[Report, RawInputs | None]:
    """Check every raw input; the typed inputs come back only when there is no error."""
    report = Report()
    with tempfile.TemporaryDirectory(prefix="werkdata-staging-") as staging:
        editions = discover(project, report)
        stage_declared(project, editions, report, Path(staging))
        resources = csv_resources(project, editions, report)
        report.extend(frictionless_problems(project, resources))
        metadata = edition_metadata(project, editions, report)
        if not report.valid:
            return report, None
        inputs = read_inputs(project, resources, metadata)
    report.extend(frame_problems(project, inputs))
    return report, inputs if report.valid else None


def declared_dialects(project: Project, edition: Edition, report: Report | None) -> dict:
    """The dialects edition.yaml declares (empty when it cannot be read: that is reported by
    edition_metadata); problems with the declarations go to `report` when given."""
    path = edition.folder / "edition.yaml"
    try:
        data = read_yaml(path) if path.is_file() else None
    except Exception:  # reported with its line by edition_metadata
        return {}
    allowed = {n for n in raw_inputs(project.schemas) if n.endswith(".csv")}
    found, problems = dialects.declarations(data, display_path(project, path), allowed)
    if report is not None:
        report.extend(problems)
    return found


def stage_declared(project: Project, editions: list[Edition], report: Report, staging: Path):
    """Decode every file with a declared dialect into a canonical UTF-8 CSV in `staging`."""
    for edition in editions:
        for name, dialect in edition.dialects.items():
            source = edition.folder / (dialect.workbook or name)
            if not source.is_file():
                continue  # reported by discover as a missing file
            target = staging / f"{edition.year}-{name}"
            schema = raw_file_schema(project.schemas, name)
            problems = dialects.stage(
                source, display_path(project, source), dialect, schema, target
            )
            report.extend(problems)
            if problems:
                edition.files.pop(name, None)
            else:
                edition.files[name] = target
                edition.origins[name] = source


def discover(project: Project, report: Report) -> list[Edition]:
    """Edition folders and code lists, with a problem for each missing or misnamed one."""
    for table, path in codelist_files(project).items():
        if not path.is_file():
            report.extend([missing_file(project, path, f"the code list {table} is required")])
    editions, rejected = find_editions(project)
    for folder, reason in rejected:
        report.extend(
            [
                Problem(
                    display_path(project, folder), None, None, folder.name, "edition-name", reason
                )
            ]
        )
    if not editions and not rejected:
        report.extend(
            [
                Problem(
                    display_path(project, project.raw),
                    None,
                    None,
                    None,
                    "no-editions",
                    "no edition folder (raw/<year>/) found",
                )
            ]
        )
    spec = raw_inputs(project.schemas)
    for edition in editions:
        edition.dialects = declared_dialects(project, edition, report)
        workbooks = {d.workbook for d in edition.dialects.values() if d.workbook}
        for name, dialect in edition.dialects.items():
            if dialect.workbook:
                if name in edition.files:
                    report.extend(
                        [
                            Problem(
                                display_path(project, edition.files[name]),
                                None,
                                None,
                                None,
                                "ambiguous-source",
                                f"edition.yaml declares {name} in {dialect.workbook}; "
                                "remove this file or the declaration",
                            )
                        ]
                    )
                edition.files.pop(name, None)
                if (edition.folder / dialect.workbook).is_file():
                    edition.files[name] = edition.folder / dialect.workbook
                else:
                    report.extend(
                        [
                            missing_file(
                                project,
                                edition.folder / dialect.workbook,
                                f"edition.yaml declares {name} in this workbook",
                            )
                        ]
                    )
        for name, info in spec.items():
            if (
                info.get("required")
                and name not in edition.files
                and not any(name == n and d.workbook for n, d in edition.dialects.items())
            ):
                report.extend(
                    [
                        missing_file(
                            project, edition.folder / name, f"every edition folder needs {name}"
                        )
                    ]
                )
        for path in sorted(edition.folder.iterdir()):
            if path.name not in set(spec) | workbooks and not path.name.startswith("."):
                report.extend(
                    [
                        Problem(
                            display_path(project, path),
                            None,
                            None,
                            None,
                            "unexpected-file",
                            f"an edition folder holds only {', '.join(sorted(spec))}",
                        )
                    ]
                )
    return editions


def missing_file(project: Project, path: Path, message: str) -> Problem:
    return Problem(display_path(project, path), None, None, None, "missing-file", message)


def csv_resources(project: Project, editions: list[Edition], report: Report) -> list[dict]:
    """Frictionless resource descriptors for every CSV input that passes the byte checks."""
    resources = []
    for table, path in codelist_files(project).items():
        if path.is_file():
            resources.append(
                resource(project, table, path, path, table_schema(project.schemas, table))
            )
    for edition in editions:
        for name, path in edition.files.items():
            if name.endswith(".csv"):
                table = raw_inputs(project.schemas)[name]["table"]
                schema = raw_file_schema(project.schemas, name)
                origin = edition.origin(name)
                resources.append(
                    resource(
                        project,
                        f"{table}-{edition.year}",
                        path,
                        origin,
                        schema,
                        table=table,
                        edition=edition.year,
                    )
                )
    checked = []
    for res in resources:
        path, shown = res["_path"], res["_shown"]
        report.checked.append(shown)
        data = path.read_bytes()
        if not data:
            report.extend(
                [Problem(shown, None, None, None, "empty-file", "the file is empty (0 bytes)")]
            )
            continue
        # A staged copy was checked in its own dialect when it was made.
        problems = [] if path != res["_origin"] else dialects.byte_problems(shown, data, "utf-8")
        problems = problems or header_problems(shown, path, res["schema"])
        report.extend(problems)
        if not problems:
            checked.append(res)
    return checked


def header_problems(file: str, path: Path, schema: dict) -> list[Problem]:
    """Compare the header row with the schema's columns: missing, unknown, repeated or moved.

    A file whose header is wrong gets only these problems: its rows would repeat them.
    """
    try:
        # utf-8-sig: a byte-order mark (Excel's "CSV UTF-8") is not part of the first name;
        # frictionless, which reads the rows, skips it too
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (UnicodeDecodeError, csv.Error):
        return []  # frictionless reports the encoding or format error with its row
    expected = [f["name"] for f in schema["fields"]]
    problems = [
        Problem(file, 1, name, None, "missing-column", f"the column {name!r} is missing")
        for name in expected
        if name not in header
    ]
    problems += [
        Problem(
            file,
            1,
            name,
            name,
            "unknown-column",
            f"the column {name!r} is not part of {path.name} (expected: {', '.join(expected)})",
        )
        for name in dict.fromkeys(header)
        if name not in expected
    ]
    problems += [
        Problem(file, 1, name, name, "duplicate-column", f"the column {name!r} appears twice")
        for name in sorted({n for n in header if header.count(n) > 1})
    ]
    if not problems and header != expected:
        problems.append(
            Problem(
                file,
                1,
                None,
                ",".join(header),
                "column-order",
                f"the columns must be in this order: {', '.join(expected)}",
            )
        )
    return problems


def resource(project: Project, name: str, path: Path, origin: Path, schema: dict, **extra) -> dict:
    """A frictionless resource for the file at `path`, reported as `origin`."""
    return {
        "name": name,
        "path": str(path),
        "format": "csv",
        "encoding": "utf-8",
        "schema": schema,
        "_path": path,
        "_origin": origin,
        "_shown": display_path(project, origin),
        "_table": extra.get("table", name),
        "_edition": extra.get("edition"),
    }


def descriptor(res: dict) -> dict:
    return {k: v for k, v in res.items() if not k.startswith("_")}


def frictionless_problems(project: Project, resources: list[dict]) -> list[Problem]:
    """Validate all CSV inputs as one package, so foreign keys reach the code lists."""
    from frictionless import Package, system

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
    # trusted context; every path here is one this module built.
    with system.use_context(trusted=True):
        package = Package({"name": "raw", "resources": descriptors})
        report = package.validate()
    by_name = {r["name"]: r for r in resources}
    problems = []
    for task in report.tasks:
        file = by_name[task.name]["_shown"]
        problems.extend(task_problems(file, task.errors))
        # frictionless leaves "rows" out of the stats when it read none
        if task.valid and not task.stats.get("rows"):
            problems.append(
                Problem(
                    file, None, None, None, "no-data-rows", "the file has a header but no data rows"
                )
            )
    return problems


def task_problems(file: str, errors: list) -> list[Problem]:
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
        problem = error_problem(file, e)
        # A code outside its enum also misses its code list: say it once.
        if e.type == "foreign-key" and (row, problem.column) in cell_errors:
            continue
        # A blank row has no key cells, which frictionless also reports as a duplicate key.
        if e.type == "primary-key" and row in blank_rows:
            continue
        problems.append(problem)
    return problems


def error_problem(file: str, e) -> Problem:
    """One frictionless error as a problem naming the row, column and value."""
    row = getattr(e, "row_number", None)
    column = getattr(e, "field_name", None)
    value = getattr(e, "cell", None)
    message = e.note or e.message
    if e.type == "foreign-key":
        column = ", ".join(e.field_names)
        value = ", ".join(str(c) for c in e.field_cells)
        target = e.reference_name or "this table"
        message = f"{value!r} is not a known {', '.join(e.reference_field_names)} in {target}"
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
    return Problem(file, row, column, value, e.type, message)


def edition_metadata(project: Project, editions: list[Edition], report: Report) -> list[dict]:
    """Read and check every edition.yaml against the editions schema; return the good rows."""
    from frictionless import Resource, Schema

    schema = raw_file_schema(project.schemas, "edition.yaml")
    names = [f["name"] for f in schema["fields"]]
    rows = []
    for edition in editions:
        path = edition.files.get("edition.yaml")
        if path is None:
            continue
        file = display_path(project, path)
        report.checked.append(file)
        try:
            data = read_yaml(path)
        except Exception as exc:  # every YAML error (syntax, a refused tag) is a data problem
            mark = getattr(exc, "problem_mark", None)
            report.extend(
                [
                    Problem(
                        file,
                        mark.line + 1 if mark else None,
                        None,
                        None,
                        "yaml-error",
                        " ".join(str(exc).split()),
                    )
                ]
            )
            continue
        if not isinstance(data, dict):
            report.extend(
                [
                    Problem(
                        file,
                        None,
                        None,
                        None,
                        "yaml-error",
                        "edition.yaml must hold a mapping of keys to values",
                    )
                ]
            )
            continue
        unknown = sorted(set(map(str, data)) - set(names) - {"files"})
        report.extend(
            [
                Problem(
                    file,
                    None,
                    key,
                    None,
                    "unknown-key",
                    f"edition.yaml has no key {key!r}; allowed: {', '.join(names)}, files",
                )
                for key in unknown
            ]
        )
        cells = [yaml_cell(data.get(n)) for n in names]
        result = Resource(data=[names, cells], schema=Schema.from_descriptor(schema)).validate()
        for task in result.tasks:
            for e in task.errors:
                p = error_problem(file, e)
                report.extend([Problem(p.file, None, p.column, p.value, p.rule, p.message)])
        if result.valid and not unknown:
            typed = Resource(
                data=[names, cells], schema=Schema.from_descriptor(schema)
            ).read_rows()[0]
            rows.append({"edition": edition.year, **{n: plain(typed[n]) for n in names}})
    return rows


def read_inputs(project: Project, resources: list[dict], editions: list[dict]) -> RawInputs:
    """Typed rows of every valid input, with where each row came from."""
    from frictionless import Resource, system

    inputs = RawInputs()
    for res in resources:
        d = descriptor(res)
        d["schema"] = {k: v for k, v in d["schema"].items() if k != "foreignKeys"}
        with system.use_context(trusted=True):
            rows = Resource(d).read_rows()
        file = res["_shown"]
        edition = {"edition": res["_edition"]} if res["_edition"] is not None else {}
        inputs.add(
            res["_table"],
            [{**edition, **{k: plain(v) for k, v in row.items()}} for row in rows],
            [(file, row.row_number) for row in rows],
        )
    inputs.add(
        "editions", editions, [(f"raw/{row['edition']}/edition.yaml", None) for row in editions]
    )
    return inputs


def frame_problems(project: Project, inputs: RawInputs) -> list[Problem]:
    """Pandera checks from the Table Schemas, then the cross-column and cross-edition rules."""

    problems = []
    for table, rows in inputs.tables.items():
        frame = pd.DataFrame(rows)
        places = inputs.places[table]
        if table in ("findings", "conclusions"):
            name = f"{table}.csv"
            schema = raw_file_schema(project.schemas, name)
            schema = {
                **schema,
                "fields": [edition_field(project), *schema["fields"]],
                "primaryKey": ["edition", *schema.get("primaryKey", [])],
            }
        else:
            schema = table_schema(project.schemas, table)
        if frame.empty:
            continue
        problems.extend(pandera_problems(frame, schema, places))
    findings = inputs.tables.get("findings")
    if findings:
        units = {r["indicator_id"]: r["unit"] for r in inputs.tables["indicators"]}
        frame = pd.DataFrame(findings)
        frame["unit"] = frame["indicator_id"].map(units)
        places = inputs.places["findings"]
        for rule, check in rules.FINDINGS_RULES.items():
            for idx, column, message in check(frame):
                file, row = places[idx]
                value = frame.at[idx, column]
                problems.append(Problem(file, row, column, cell_text(value), rule, message))
    return sorted(set(problems))


def edition_field(project: Project) -> dict:
    return next(
        f for f in table_schema(project.schemas, "findings")["fields"] if f["name"] == "edition"
    )


def pandera_problems(frame: pd.DataFrame, schema: dict, places: list) -> list[Problem]:
    """Run the derived Pandera schema lazily and turn its failure cases into problems."""
    import pandera.errors

    from pipeline.core.schemas import pandera_schema

    frame = frame[[f["name"] for f in schema["fields"]]]
    try:
        pandera_schema(schema).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        return [failure_problem(case, places) for case in exc.failure_cases.to_dict("records")]
    return []


def failure_problem(case: dict, places: list) -> Problem:
    index = case.get("index")
    file, row = places[int(index)] if pd.notna(index) else (places[0][0], None)
    check = str(case.get("check"))
    rule = "pandera:" + re.sub(r"\(.*", "", check)
    column = case.get("column") if isinstance(case.get("column"), str) else None
    return Problem(
        file,
        row,
        column,
        cell_text(case.get("failure_case")),
        rule,
        f"fails the schema check {check}",
    )


def cell_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
