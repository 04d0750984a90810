"""The publish job in-process, step by step: the same steps the Prefect flow runs as tasks."""

from __future__ import annotations

from pipeline.config import load_config
from pipeline.errors import RawDataInvalid
from pipeline.paths import Project
from pipeline.publish import PublishResult, publish_release
from pipeline.transform import build_tables
from pipeline.validate import validate_raw


def publish_local(project: Project, bump: str | None = None) -> PublishResult:
    """validate -> transform -> publish, raising RawDataInvalid before anything is written."""
    report, inputs = validate_raw(project)
    if inputs is None:
        raise RawDataInvalid(report)
    tables = build_tables(project.schemas, inputs)
    return publish_release(project, tables, report, load_config(project.config_file), bump=bump)
