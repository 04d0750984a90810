"""Checks the raw inputs and collects every problem into one report, in one run.

1. Files: which exist, their bytes within the limits (pipeline/ingest/limits.py), each
   edition.yaml (pipeline/checks/edition_checks.py), declared dialects decoded
   (pipeline/ingest/dialects.py), headers.
   A file that fails here is left out of the checks below that need it, and only of those.
2. Frictionless checks each CSV file that passed: types, constraints, keys, and the foreign keys
   between an edition's files and the code lists (pipeline/checks/table_checks.py).
3. The rules of rules.py, named Pandera checks of what a Table Schema cannot say, check the
   typed findings rows, leaving out the cells the layer above refused (frame_checks.py).
4. Each edition's respondent files (pipeline/checks/microdata/): planned from their footers by
   begin_validation, checked one part per file (the publish plan's validation steps fan them
   out, to a cluster's workers if it runs on one), merged by finish_validation.

Problems carry a hint where one is known (pipeline/ingest/hints.py). Nothing here raises on input.
"""

from __future__ import annotations

import csv
import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.checks.edition_checks import declared_dialects, edition_metadata, load_meta
from pipeline.checks.frame_checks import frame_problems
from pipeline.checks.microdata.editions import (
    has_microdata,
    merge_respondent_checks,
    microdata_entry,
    microdata_specs,
    normalise_specs,
    respondent_plans,
    synthetic_problems,
)
from pipeline.checks.microdata.part import FilePart, FileResult
from pipeline.checks.microdata.plan import MicrodataPlan
from pipeline.checks.table_checks import frictionless_problems, typed_rows
from pipeline.core.paths import Project
from pipeline.core.report import Problem, Report
from pipeline.core.schemas import OPTIONAL_CODELISTS, raw_file_schema, raw_inputs, table_schema
from pipeline.ingest import dialects, hints
from pipeline.ingest.inputs import Edition, RawInputs, codelist_files, display_path, find_editions
from pipeline.ingest.limits import byte_problems, read_bounded

__all__ = ["begin_validation", "finish_validation", "frame_problems"]


@dataclass
class Validation:
    """A validation up to the respondent files: the report so far, the inputs as read, the
    plan of each edition's respondent files and the problems of the typed findings rows (they
    follow the respondents' in the report)."""

    report: Report
    inputs: RawInputs
    plans: list[MicrodataPlan]
    frame: list[Problem]

    @property
    def parts(self) -> list[FilePart]:
        """One part per respondent file, edition by edition: the checks of its rows."""
        return [part for planned in self.plans for part in planned.parts]


def finish_validation(
    project: Project, validation: Validation, results: list[FileResult]
) -> tuple[Report, RawInputs | None]:
    """The validation completed with the results of its respondent files' parts, in their
    order; the typed inputs come back only when there is no problem."""
    report = validation.report
    merge_respondent_checks(project, validation.plans, results, report)
    report.extend(validation.frame)
    return report, validation.inputs if report.valid else None


def begin_validation(project: Project) -> Validation:
    """Every check but those of the respondent files' rows, which it plans (from the files'
    footers) as one part per file."""
    report = Report()
    with tempfile.TemporaryDirectory(prefix="werkdata-staging-") as staging:
        editions = discover(project, report)
        stage_declared(project, editions, report, Path(staging))
        resources = csv_resources(project, editions, report)
        report.extend(frictionless_problems(resources))
        metadata = edition_metadata(project, editions, report)
        inputs = read_inputs(resources, metadata)
        inputs.microdata = microdata_specs(project, editions, report)
        normalise_specs(project, editions, inputs, report)
        report.extend(synthetic_problems(project, inputs))
        plans = respondent_plans(project, inputs)
    return Validation(report, inputs, plans, frame_problems(project, inputs))


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
    """Edition folders and code lists, with a problem for each missing or misnamed one; each
    edition.yaml is read here, once, for its declarations and its checks."""
    for table, path in codelist_files(project).items():
        if not path.is_file() and table not in OPTIONAL_CODELISTS:
            report.extend([missing_file(project, path, f"the code list {table} is required")])
    editions, rejected = find_editions(project)
    years = {str(e.year) for e in editions}
    for folder, reason in rejected:
        hint = hints.edition_folder(folder.name, years)
        shown = display_path(project, folder)
        report.extend([Problem(shown, None, None, folder.name, "edition-name", reason, hint)])
    if not editions and not rejected:
        message = "no edition folder (raw/<year>/) found"
        shown = display_path(project, project.raw)
        report.extend([Problem(shown, None, None, None, "no-editions", message)])
    for edition in editions:
        load_meta(project, edition)
        edition.dialects, problems = declared_dialects(project, edition)
        report.extend(problems)
        report.extend(workbook_problems(project, edition))
        report.extend(missing_problems(project, edition))
        report.extend(unexpected_problems(project, edition))
    return editions


def workbook_problems(project: Project, edition: Edition) -> list[Problem]:
    """Point each file declared in a workbook at that workbook; a problem when the workbook is
    missing or a file of the same name is there too."""
    problems = []
    for name, dialect in edition.dialects.items():
        if not dialect.workbook:
            continue
        if name in edition.files:
            message = (
                f"edition.yaml declares {name} in {dialect.workbook}; "
                "remove this file or the declaration"
            )
            shown = display_path(project, edition.files[name])
            problems.append(Problem(shown, None, None, None, "ambiguous-source", message))
        edition.files.pop(name, None)
        workbook = edition.folder / dialect.workbook
        if workbook.is_file():
            edition.files[name] = workbook
        else:
            message = f"edition.yaml declares {name} in this workbook"
            problems.append(missing_file(project, workbook, message))
    return problems


def missing_problems(project: Project, edition: Edition) -> list[Problem]:
    """A problem for every required file the edition folder lacks."""
    in_workbook = {n for n, d in edition.dialects.items() if d.workbook}
    return [
        missing_file(project, edition.folder / name, f"every edition folder needs {name}")
        for name, info in raw_inputs(project.schemas).items()
        if info.get("required")
        and name not in edition.files
        and name not in in_workbook
        and not (name == "findings.csv" and has_microdata(edition))
    ]


def unexpected_problems(project: Project, edition: Edition) -> list[Problem]:
    """A problem for every file of the edition folder that is no raw input."""
    spec = raw_inputs(project.schemas)
    expected = set(spec) | {d.workbook for d in edition.dialects.values() if d.workbook}
    expected |= microdata_entry(edition)
    message = f"an edition folder holds only {', '.join(sorted(spec))}"
    return [
        Problem(display_path(project, path), None, None, None, "unexpected-file", message)
        for path in sorted(edition.folder.iterdir())
        if path.name not in expected and not path.name.startswith(".")
    ]


def missing_file(project: Project, path: Path, message: str) -> Problem:
    return Problem(display_path(project, path), None, None, None, "missing-file", message)


def csv_resources(project: Project, editions: list[Edition], report: Report) -> list[dict]:
    """Frictionless resource descriptors for every CSV input that passes the file checks."""
    resources = []
    for table, path in codelist_files(project).items():
        if path.is_file():
            schema = table_schema(project.schemas, table)
            resources.append(resource(project, table, path, path, schema))
    for edition in editions:
        for name, path in edition.files.items():
            if name.endswith(".csv"):
                table = raw_inputs(project.schemas)[name]["table"]
                schema = raw_file_schema(project.schemas, name)
                name_in_package = f"{table}-{edition.year}"
                origin = edition.origin(name)
                extra = {"table": table, "edition": edition.year}
                resources.append(resource(project, name_in_package, path, origin, schema, **extra))
    checked = []
    for res in resources:
        report.checked.append(res["_shown"])
        problems = file_problems(project, res)
        report.extend(problems)
        if not problems:
            checked.append(res)
    return checked


def file_problems(project: Project, res: dict) -> list[Problem]:
    """The problems of one CSV file as a whole: its size and bytes, then its header."""
    path, shown = res["_path"], res["_shown"]
    data, problems = read_bounded(path, shown)
    if data is None:
        return problems
    if not data:
        return [Problem(shown, None, None, None, "empty-file", "the file is empty (0 bytes)")]
    staged = path != res["_origin"]  # a staged copy was checked in its own dialect
    problems = [] if staged else byte_problems(shown, data, "utf-8")
    if any(p.rule == "encoding-error" for p in problems):
        hint = dialect_hint(project, res, data)
        problems = [dataclasses.replace(p, hint=hint) for p in problems]
    if problems:
        return problems
    problems = header_problems(shown, path, res["schema"])
    if problems and not staged:
        return delimiter_problem(project, res, data) or problems
    return problems


def dialect_hint(project: Project, res: dict, data: bytes) -> str | None:
    """The declaration that would read the file, as a hint (for a code list, which cannot
    declare one: how to save it)."""
    fields = res["schema"]["fields"]
    expected = [f["name"] for f in fields]
    numbers = [f["name"] for f in fields if f["type"] == "number"]
    found = hints.sniffed_dialect(data, expected, numbers)
    if not found:
        return None
    if res["_edition"] is None:
        return hints.resave_codelist(res["_shown"])
    origin = res["_origin"]
    return hints.declare(origin.name, found, display_path(project, origin.parent / "edition.yaml"))


def delimiter_problem(project: Project, res: dict, data: bytes) -> list[Problem]:
    """One problem, with the declaration to add, for a header that another delimiter splits
    into the expected names (instead of a missing-column problem for each); [] otherwise."""
    text = data.decode("utf-8").removeprefix("\ufeff")
    line = hints.first_line(text)
    expected = [f["name"] for f in res["schema"]["fields"]]
    delimiter = hints.sniffed_delimiter(text, expected)
    if delimiter is None:
        return []
    message = f"the header is separated by {delimiter!r}; a file without a declaration by ','"
    value = line if len(line) <= 100 else f"{line[:100]}..."
    hint = dialect_hint(project, res, data)
    return [Problem(res["_shown"], 1, None, value, "undeclared-delimiter", message, hint=hint)]


def header_problems(file: str, path: Path, schema: dict) -> list[Problem]:
    """Compare the header row with the schema's columns: missing, unknown, repeated or moved.

    A file whose header is wrong gets only these problems: its rows would repeat them.
    """
    # utf-8-sig: a byte-order mark (Excel's "CSV UTF-8") is not part of the first name;
    # frictionless, which reads the rows, skips it too. The bytes were checked already.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    expected = [f["name"] for f in schema["fields"]]
    missing = [name for name in expected if name not in header]
    problems = [
        Problem(file, 1, name, None, "missing-column", f"the column {name!r} is missing")
        for name in missing
    ]
    problems += [
        Problem(
            file,
            1,
            name,
            name,
            "unknown-column",
            f"the column {name!r} is not part of {path.name} (expected: {', '.join(expected)})",
            hint=hints.did_you_mean(name, missing),
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


def read_inputs(resources: list[dict], editions: list[dict]) -> RawInputs:
    """Typed rows of every input that passed the file checks, with where each row came from and
    which of its cells were refused."""
    inputs = RawInputs()
    for res in resources:
        rows, numbers, refused = typed_rows(res)
        file = res["_shown"]
        edition = {"edition": res["_edition"]} if res["_edition"] is not None else {}
        inputs.add(
            res["_table"],
            [{**edition, **row} for row in rows],
            [(file, number) for number in numbers],
            refused,
        )
    inputs.add(
        "editions", editions, [(f"raw/{row['edition']}/edition.yaml", None) for row in editions]
    )
    return inputs
