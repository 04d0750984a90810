"""The Prefect publish flow: discover and validate -> transform -> publish, each a task around
one pipeline function, with a markdown artifact that says what happened."""

from __future__ import annotations

from flows.quiet import quiet_prefect

quiet_prefect()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402

from pipeline.config import load_config  # noqa: E402
from pipeline.errors import RawDataInvalid  # noqa: E402
from pipeline.fingerprint import fingerprint  # noqa: E402
from pipeline.paths import Project  # noqa: E402
from pipeline.publish import PublishResult, publish_release  # noqa: E402
from pipeline.report import Report  # noqa: E402
from pipeline.retry import is_transient  # noqa: E402
from pipeline.runner import unchanged_result  # noqa: E402
from pipeline.transform import build_tables  # noqa: E402
from pipeline.validate import validate_raw  # noqa: E402


def transient(task, task_run, state) -> bool:
    """Retry only transient I/O errors; a data error stays the same however often it is tried."""
    try:
        state.result()
    except Exception as error:
        return is_transient(error)
    return False


@task(name="skip when no input changed", cache_policy=NONE)
def skip_if_unchanged(project: Project) -> PublishResult | None:
    return unchanged_result(project)


@task(name="validate raw inputs", cache_policy=NONE)
def validate(project: Project):
    return validate_raw(project)


@task(name="build tables", cache_policy=NONE)
def transform(project: Project, inputs):
    return build_tables(project.schemas, inputs)


@task(
    name="publish release",
    cache_policy=NONE,
    retries=2,
    retry_delay_seconds=[0.5, 2],
    retry_condition_fn=transient,
)
def publish(project: Project, tables, report: Report, bump: str | None) -> PublishResult:
    config = load_config(project.config_file)
    return publish_release(project, tables, report, config, bump=bump, inputs=fingerprint(project))


def release_markdown(result: PublishResult, report: Report) -> str:
    lines = [
        f"# werkonderzoek {result.version}: {result.status}",
        "",
        result.summary,
        "",
        f"Validation: {'valid' if report.valid else 'invalid'}, "
        f"{len(report.checked)} raw file(s) checked.",
        "",
        "| table | rows |",
        "|---|---|",
    ]
    lines += [f"| {name} | {count} |" for name, count in result.rows.items()]
    return "\n".join(lines) + "\n"


@flow(name="werkdata-publish", log_prints=False)
def publish_flow(
    root: str = ".", raw: str | None = None, published: str | None = None, bump: str | None = None
) -> dict:
    """Publish the raw inputs under `root` as the next version of the werkonderzoek dataset."""
    logger = get_run_logger()
    project = Project.at(root, raw=raw, published=published)
    skipped = skip_if_unchanged(project)
    if skipped is not None:
        create_markdown_artifact(markdown=f"# {skipped.summary}\n", key="werkdata-release")
        return outcome_dict(skipped)
    report, inputs = validate(project)
    if inputs is None:
        create_markdown_artifact(
            markdown="# Invalid raw inputs\n\n```\n" + report.to_text() + "```\n",
            key="werkdata-validation",
        )
        raise RawDataInvalid(report)
    tables = transform(project, inputs)
    result = publish(project, tables, report, bump)
    logger.info("%s", result.summary)
    create_markdown_artifact(markdown=release_markdown(result, report), key="werkdata-release")
    return outcome_dict(result)


def outcome_dict(result: PublishResult) -> dict:
    """The flow's return value: plain JSON-able facts about the run."""
    return {
        "status": result.status,
        "version": result.version,
        "folder": str(result.folder),
        "summary": result.summary,
        "bump": result.bump,
        "rows": result.rows,
    }
