"""Validation of the respondent data of every edition of a project that has some: its
edition.yaml section (section.py), the rules for synthetic data, and the respondent files
themselves: planned here from their footers (plan.py), checked file by file (part.py, on a
cluster's workers when the publish runs on one) and merged here, edition by edition (merge.py).

What may be published or sent to Prefect about respondent problems is counts only (the public
problems go into the report). The problems that name respondents are written to one local file,
`.werkdata/log/microdata-problems.txt` under the project root, which only its owner can read
(pipeline/core/private_files.py) and whose path the terminal shows; it is rewritten by every
validation and removed when there is nothing to say.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.checks.microdata.git_ignored import unignored_problems
from pipeline.checks.microdata.id_key import IdKey
from pipeline.checks.microdata.merge import merge_microdata
from pipeline.checks.microdata.part import FileResult
from pipeline.checks.microdata.plan import MicrodataPlan, plan_microdata
from pipeline.checks.microdata.section import checked_spec
from pipeline.core.config import load_config
from pipeline.core.error_log import keep_error_texts
from pipeline.core.paths import Project
from pipeline.core.private_files import (
    LOCAL_STATE,
    local_state,
    log_folder,
    private_folder,
    write_private,
)
from pipeline.core.report import Problem, Report
from pipeline.core.schemas import dataset_metadata
from pipeline.ingest.inputs import Edition, RawInputs, display_path
from pipeline.ingest.microdata_cache import cache_folder
from pipeline.ingest.microdata_map import Contract
from pipeline.ingest.microdata_normalise import normalise

RULE_SYNTHETIC = "synthetic-microdata"
LOCAL_LOG_NAME = "microdata-problems.txt"
# Where earlier versions kept that log, readable by every user of the machine: removed when the
# log is written, so that no respondent id stays behind there.
FORMER_LOCAL_LOG = Path(LOCAL_STATE) / LOCAL_LOG_NAME


def local_log(project: Project) -> Path:
    """Where the problems that name respondents are kept (never published; 0600)."""
    return log_folder(project.root) / LOCAL_LOG_NAME


def microdata_entry(edition: Edition) -> set[str]:
    """The name in the edition folder that the `microdata:` path starts with, if it is there."""
    section = edition.meta.get("microdata") if isinstance(edition.meta, dict) else None
    path = section.get("path") if isinstance(section, dict) else None
    if not isinstance(path, str) or not path or Path(path).is_absolute():
        return set()
    return {Path(path).parts[0]}


def has_microdata(edition: Edition) -> bool:
    """Whether edition.yaml has a `microdata:` section (then findings.csv is optional)."""
    return isinstance(edition.meta, dict) and "microdata" in edition.meta


def microdata_specs(project: Project, editions: list[Edition], report: Report) -> dict:
    """The checked `microdata:` section of every edition that has one, by year; a path that
    git could commit is reported (git_ignored.py)."""
    specs = {}
    for edition in editions:
        path = edition.files.get("edition.yaml")
        if path is None or edition.meta_problems:
            continue
        shown = display_path(project, path)
        spec, problems = checked_spec(shown, edition.meta, edition.folder)
        report.extend(problems)
        if spec is not None:
            written = str(edition.meta["microdata"]["path"])
            report.extend(unignored_problems(shown, written, spec))
            specs[edition.year] = spec
    return specs


def normalise_specs(
    project: Project, editions: list[Edition], inputs: RawInputs, report: Report
) -> None:
    """Each edition's respondent files typed into the cache (pipeline/ingest/
    microdata_normalise.py): its spec then reads the cache; an edition whose files have a
    problem is reported and left out of the respondent checks."""
    folder = cache_folder(project.root, load_config(project.config_file).microdata_cache_dir)
    contract = respondent_contract(inputs)
    sections = {e.year: e.meta["microdata"] for e in editions if e.year in inputs.microdata}
    errors = []
    for year, spec in sorted(inputs.microdata.items()):

        def shown(path):
            return display_path(project, path)

        outcome = normalise(spec, shown, contract, sections[year], folder)
        report.extend(outcome.problems)
        errors += outcome.errors
        if outcome.spec is None:
            del inputs.microdata[year]
        else:
            inputs.microdata[year] = outcome.spec
    if errors:  # a reader's text may quote a value: kept apart, never shown on the terminal
        keep_error_texts(project.root, errors)


def respondent_contract(inputs: RawInputs) -> Contract:
    """The code lists as a respondent file is held to: leaf populations, each item's codes
    with their Dutch labels, each breakdown's values."""
    leaves, _, breakdowns = code_lists(inputs)
    labels: dict[str, dict[int, str]] = {}
    for row in inputs.tables.get("scales", []):
        labels.setdefault(row["scale_id"], {})[int(row["code"])] = str(row["label_nl"])
    items = {
        row["item_id"]: labels.get(row["scale_id"], {}) for row in inputs.tables.get("items", [])
    }
    return Contract(frozenset(leaves), items, {k: frozenset(v) for k, v in breakdowns.items()})


def synthetic_problems(project: Project, inputs: RawInputs) -> list[Problem]:
    """Synthetic respondents are published only on their own: never beside real transcribed
    figures, and only under a dataset title that says synthetisch."""
    synthetic = sorted(year for year, spec in inputs.microdata.items() if spec.synthetic)
    if not synthetic:
        return []
    problems = []
    shown = f"raw/{synthetic[0]}/edition.yaml"
    if inputs.tables.get("findings"):
        message = (
            "synthetic microdata cannot be published in a project that holds real figures "
            "(findings.csv); publish it in its own project (werkdata synth --out DIR)"
        )
        problems.append(
            Problem(shown, None, "microdata.synthetic", "true", RULE_SYNTHETIC, message)
        )
    title = str(dataset_metadata(project.schemas).get("title_nl", ""))
    if "synthetisch" not in title.lower():
        message = (
            f"synthetic microdata needs a dataset title that says so; schemas/dataset.json "
            f"title_nl is {title!r}"
        )
        problems.append(
            Problem(shown, None, "microdata.synthetic", "true", RULE_SYNTHETIC, message)
        )
    return problems


def code_lists(inputs: RawInputs) -> tuple[set[str], dict[str, set[int]], dict[str, set[str]]]:
    """The leaf populations of the estimation tree, each item's codes and each breakdown's
    values, from the code lists as read."""
    tree = inputs.estimation_tree()
    leaves = set(tree) - {parent for parent in tree.values() if parent}
    codes: dict[str, set[int]] = {}
    for row in inputs.tables.get("scales", []):
        codes.setdefault(row["scale_id"], set()).add(int(row["code"]))
    items = {r["item_id"]: codes.get(r["scale_id"], set()) for r in inputs.tables.get("items", [])}
    breakdowns = {b: set(values) for b, values in inputs.breakdown_values().items()}
    return leaves, items, breakdowns


def respondent_plans(project: Project, inputs: RawInputs) -> list[MicrodataPlan]:
    """Every edition's respondent data planned from its files' footers (by year): one part per
    file, to check where the file is read, each with the one id key made for this validation."""
    import duckdb

    leaves, items, breakdowns = code_lists(inputs)
    id_key = IdKey.fresh()
    con = duckdb.connect(":memory:")
    try:
        return [
            plan_microdata(
                con,
                spec,
                display_path(project, spec.path),
                leaves,
                items,
                breakdowns,
                id_key=id_key,
            )
            for _, spec in sorted(inputs.microdata.items())
        ]
    finally:
        con.close()


def merge_respondent_checks(
    project: Project, plans: list[MicrodataPlan], results: list[FileResult], report: Report
) -> None:
    """The files' results (in the order of the plans' parts) merged per edition: counts into
    the report (public), the problems that name respondents into the local log (written, or
    removed when there are none)."""
    import duckdb

    local: list[Problem] = []
    errors: list[tuple[str, str]] = []
    con = duckdb.connect(":memory:")
    try:
        start = 0
        for planned in plans:
            mine = results[start : start + len(planned.parts)]
            start += len(planned.parts)
            check = merge_microdata(con, planned, mine)
            report.checked.append(planned.shown)
            report.respondent_files.append(planned.shown)
            report.extend(check.public_problems())
            local.extend(check.local)
            errors.extend(check.errors)
    finally:
        con.close()
    if start != len(results):
        raise ValueError(f"{len(results)} results for {start} respondent files")
    # the log holds what the report cannot: a problem the report shows already is not repeated
    shown = set(report.problems)
    write_local_log(project, [problem for problem in local if problem not in shown])
    if errors:  # DuckDB's texts may quote a value: kept apart, never shown on the terminal
        keep_error_texts(project.root, errors)


def write_local_log(project: Project, problems: list[Problem]) -> None:
    """The problems that name respondents into the local log, a file only its owner can read in
    a folder only its owner can enter; no log when there are none."""
    (project.root / FORMER_LOCAL_LOG).unlink(missing_ok=True)
    path = local_log(project)
    if not problems:
        path.unlink(missing_ok=True)
        return
    private_folder(local_state(project.root))  # it also holds bug reports: narrowed too
    text = Report(problems=problems).to_text().replace("invalid:", "respondents named:", 1)
    write_private(path, text)
