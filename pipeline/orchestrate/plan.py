"""The publish plan: the ordered steps of a publish, defined once.

One loop runs it (`pipeline.orchestrate.runner.run_steps`): in this process for the local
runner, with each step as a Prefect task for the flow (`flows.publish_flow`). Both therefore
take the same steps in the same order, with the same trace marks, progress and retry policy.
Each step reads and fills one `PublishRun`; a step that sets `result` ends the run (nothing
changed, or the release is published). `werkdata validate` runs the `VALIDATION` steps alone.

The inputs are fingerprinted once, first, before anything reads them: the fingerprint recorded
with a release can only be older than the data validated, never newer, so an edit made during a
run is always seen by the next run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

from pipeline.core.config import load_config
from pipeline.core.errors import RawDataInvalid
from pipeline.core.paths import Project
from pipeline.core.report import Problem, Report
from pipeline.ingest.inputs import RawInputs
from pipeline.orchestrate.fingerprint import input_changes, remember_unchanged
from pipeline.release.publish import (
    PublishResult,
    publish_lock,
    publish_release,
    tidy,
    unchanged_result,
    untidy,
)

if TYPE_CHECKING:
    from pipeline.checks.validate import Validation
    from pipeline.disclose import DisclosureConfig


@dataclass
class PublishRun:
    """What the steps of one publish know, filled in step by step."""

    project: Project
    bump: str | None = None
    fingerprint: dict | None = None
    # the inputs changed since the latest release (every input when there is none yet)
    changed: list[str] | None = None
    report: Report | None = None
    # the validation up to the respondent files, whose parts the next step checks
    validation: Validation | None = None
    inputs: RawInputs | None = None
    tables: dict[str, pa.Table] | None = None
    # the estimated cells of every edition with respondent data (None: no such edition), and
    # the disclosure control's settings and audit record of each edition
    estimates: pa.Table | None = None
    disclosure: dict | None = None
    result: PublishResult | None = None


@dataclass(frozen=True)
class Retry:
    """Try a step again after each delay (seconds) when its error is transient I/O."""

    delays: tuple[float, ...]


@dataclass(frozen=True)
class Step:
    """One step of the plan: its name (the Prefect task's), its trace mark and what it does."""

    name: str
    mark: str
    run: Callable[[PublishRun], None]
    retry: Retry | None = None


@dataclass(frozen=True)
class FanOut:
    """A step that splits into parts (one per partition of the respondents' answers, say),
    works on each part on its own and merges the parts' small results, in the order of the
    parts, into the run.

    `each` gets only its part (a path and the like), never the run: on a cluster it runs on a
    worker, so what it takes and returns must be small and picklable. The local runner loops
    over the parts; the Prefect flow maps `each` over them as tasks on its task runner.
    """

    name: str
    mark: str
    parts: Callable[[PublishRun], list]
    each: Callable[[object], object]
    merge: Callable[[PublishRun, list], None]
    retry: Retry | None = None
    # the size of a part and its unit, for progress (respondents of a file, say)
    size: Callable[[object], int] = lambda part: 1
    unit: str = "parts"


def fingerprint_inputs(run: PublishRun) -> None:
    """Hash the inputs; when nothing changed since the latest release, end the run there.

    An unchanged run still sweeps a crashed run's leftovers and completes the derived files.
    """
    root = run.project.dataset_dir()
    run.fingerprint, run.changed = input_changes(run.project, root)
    if run.changed is None:
        tidy(root)
        run.result = unchanged_result((root / "latest").resolve())


def settled(project: Project) -> PublishResult | None:
    """The plan's result without running it, when the run would do nothing at all: the inputs'
    fingerprint equals the latest release's (the comparison the first step makes) and, under the
    publish lock, `untidy` finds nothing for that step to tidy. None: the plan has work to do.

    The CLI asks this before it starts a Prefect flow run for a plan that would find nothing to
    do. LockHeld, as the first step, when another run holds the lock; IntegrityError when the
    latest release cannot be read.
    """
    root = project.dataset_dir()
    _, changed = input_changes(project, root)
    if changed is not None:
        return None
    with publish_lock(root):
        if untidy(root):
            return None
    return unchanged_result((root / "latest").resolve())


def validate(run: PublishRun) -> None:
    """Check every raw input but the respondent files' rows, which it plans as parts."""
    # Imported when the step runs: frictionless, pandera and pandas cost ~0.5 s of start-up,
    # which a run that finds nothing changed never needs.
    from pipeline.checks.validate import begin_validation

    run.validation = begin_validation(run.project)


def respondent_parts(run: PublishRun) -> list:
    """One part per respondent file of every edition: its path and the checks of its rows."""
    return run.validation.parts


def check_part(part) -> object:
    """The checks of one respondent file's rows (runs where the part is sent)."""
    from pipeline.checks.microdata.part import check_file

    return check_file(part)


def finish_validation(run: PublishRun, results: list) -> None:
    """Merge the files' checks into the report; raise RawDataInvalid with the whole report on
    any error."""
    from pipeline.checks.validate import finish_validation as finish

    run.report, run.inputs = finish(run.project, run.validation, results)
    run.validation = None
    if run.inputs is None:
        raise RawDataInvalid(run.report)


def estimate_parts(run: PublishRun) -> list:
    """One part per respondent file of every edition with respondent data, by year."""
    from pipeline.ingest.inputs import display_path
    from pipeline.orchestrate.estimation import edition_parts

    def shown(path):
        return display_path(run.project, path)

    return [
        part
        for year, spec in sorted(run.inputs.microdata.items())
        for part in edition_parts(year, spec, run.inputs, shown)
    ]


def estimate_part(part) -> object:
    """The partial sums of one respondent file (runs where the part is sent)."""
    from pipeline.orchestrate.estimation import partials_of

    return partials_of(part)


def disclosure_settings(project: Project) -> DisclosureConfig:
    """The disclosure settings of werkdata.toml's [disclosure]; RawDataInvalid naming
    werkdata.toml when one is not allowed."""
    from pipeline.disclose import DisclosureConfig

    config = load_config(project.config_file)
    try:
        return DisclosureConfig(
            config.disclosure_threshold,
            config.sensitive_threshold,
            config.low_reliability_n_eff,
            config.decimals,
        )
    except ValueError as error:
        problem = Problem(
            "werkdata.toml", None, "disclosure", None, "disclosure-settings", str(error)
        )
        raise RawDataInvalid(Report(problems=[problem])) from None


def merge_estimates(run: PublishRun, results: list) -> None:
    """The cells of every edition from the parts' partial sums, in the order of the parts,
    protected together with the earlier releases of the dataset (D11)."""
    from pipeline.orchestrate.estimation import merged_cells

    settings = disclosure_settings(run.project)
    if results:
        run.estimates, run.disclosure = merged_cells(
            results, run.inputs, settings, run.project.root, run.project.dataset_dir()
        )


def build(run: PublishRun) -> None:
    """Build every published table from the validated inputs and hold each to its published
    schema (the output contract), raising BuiltTableInvalid before anything is written."""
    from pipeline.build.transform import build_tables  # with DuckDB, only when a build runs
    from pipeline.checks.output_contract import check_built_tables

    decimals = disclosure_settings(run.project).decimals
    run.tables = build_tables(run.project.schemas, run.inputs, run.estimates, decimals)
    check_built_tables(run.project.schemas, run.tables)  # refused before anything is written


def publish(run: PublishRun) -> None:
    """Publish the tables as the next version, or find them equal to the latest and remember
    that these inputs build it (`pipeline.orchestrate.fingerprint.remember_unchanged`)."""
    config = load_config(run.project.config_file)
    run.result = publish_release(
        run.project,
        run.tables,
        run.report,
        config,
        bump=run.bump,
        inputs=run.fingerprint,
        disclosure=run.disclosure,
    )
    if run.result.status == "unchanged" and run.fingerprint is not None:
        remember_unchanged(run.project, run.project.dataset_dir(), run.fingerprint["sha256"])
    prune_respondent_cache(run)


def prune_respondent_cache(run: PublishRun) -> None:
    """Delete the typed respondent files of the cache that this publish did not read
    (pipeline/ingest/microdata_cache.py): a changed or removed file leaves none behind."""
    from pipeline.ingest.microdata_cache import cache_folder, prune

    used = {typed for spec in run.inputs.microdata.values() for _, typed in spec.cached}
    config = load_config(run.project.config_file)
    prune(cache_folder(run.project.root, config.microdata_cache_dir), used)


PUBLISH_RETRY = Retry(delays=(0.5, 2.0))

FINGERPRINT = Step("fingerprint inputs", "fingerprint", fingerprint_inputs)

# What `werkdata validate` runs: every check of the raw inputs, the respondent files' rows in
# parts; the last step raises RawDataInvalid with the whole report when anything is wrong.
VALIDATION: tuple[Step | FanOut, ...] = (
    Step("validate raw inputs", "validation", validate),
    FanOut(
        "validate respondents",
        "respondents",
        respondent_parts,
        check_part,
        finish_validation,
        size=lambda part: part.respondents,
        unit="respondents",
    ),
)

PLAN: tuple[Step | FanOut, ...] = (
    FINGERPRINT,
    *VALIDATION,
    FanOut(
        "estimate",
        "estimate",
        estimate_parts,
        estimate_part,
        merge_estimates,
        size=lambda part: part.respondents,
        unit="respondents",
    ),
    Step("build tables", "build", build),
    Step("publish release", "publish", publish, PUBLISH_RETRY),
)


def finished(run: PublishRun) -> PublishResult:
    """The run's result; a plan whose last step sets none is a bug in PLAN, not in the data."""
    if run.result is None:
        raise RuntimeError("the publish plan ended without a result")
    return run.result
