"""The publish job in-process, step by step: the same steps the Prefect flow runs as tasks."""

from __future__ import annotations

from pipeline import trace
from pipeline.errors import RawDataInvalid
from pipeline.fingerprint import input_changes
from pipeline.paths import Project
from pipeline.publish import PublishResult, tidy
from pipeline.retry import with_retries


def unchanged_result(project: Project) -> PublishResult | None:
    """A result saying 'unchanged' when no input changed since the latest release, else None.

    Cheap (hashes of a few files), so an unchanged scheduled run does no build at all.
    """
    root = project.dataset_dir()
    _, changed = input_changes(project, root)
    if changed is not None:
        return None
    tidy(root)
    latest = (root / "latest").resolve()
    return PublishResult(
        "unchanged", latest.name, latest, None, f"unchanged (latest is {latest.name})", {}
    )


def publish_local(project: Project, bump: str | None = None) -> PublishResult:
    """validate -> transform -> publish, raising RawDataInvalid before anything is written."""
    from pipeline.config import load_config
    from pipeline.fingerprint import fingerprint
    from pipeline.publish import publish_release
    from pipeline.transform import build_tables
    from pipeline.validate import validate_raw

    if (skipped := unchanged_result(project)) is not None:
        return skipped
    inputs_fingerprint = fingerprint(project)
    trace.mark("validation")
    report, inputs = validate_raw(project)
    if inputs is None:
        raise RawDataInvalid(report)
    trace.mark("build")
    tables = build_tables(project.schemas, inputs)
    config = load_config(project.config_file)
    return with_retries(
        lambda: publish_release(
            project, tables, report, config, bump=bump, inputs=inputs_fingerprint
        )
    )
