"""The Prefect refresh flow, for schedules: publish only when an input changed since the
latest release, and say in an artifact what it did or that nothing changed."""

from __future__ import annotations

from flows.quiet import quiet_prefect

quiet_prefect()

from prefect import flow, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402

from flows.publish_flow import publish_flow  # noqa: E402
from pipeline.core.paths import Project  # noqa: E402
from pipeline.orchestrate.fingerprint import input_changes  # noqa: E402


@task(name="look for changed inputs", cache_policy=NONE)
def look_for_changes(project: Project) -> list[str] | None:
    _, changed = input_changes(project, project.dataset_dir())
    return changed


@flow(name="werkdata-refresh")
def refresh_flow(root: str = ".", raw: str | None = None, published: str | None = None) -> dict:
    """Publish a new version when raw inputs, schemas, configuration or code changed."""
    project = Project.at(root, raw=raw, published=published)
    changed = look_for_changes(project)
    if changed is None:
        latest = (project.dataset_dir() / "latest").resolve().name
        summary = f"unchanged (latest is {latest})"
        create_markdown_artifact(
            markdown=f"# Refresh: nothing changed\n\n{summary}; no inputs changed.\n",
            key="werkdata-refresh",
        )
        return {"status": "unchanged", "version": latest, "summary": summary, "changed": []}
    outcome = publish_flow(
        root=str(project.root), raw=str(project.raw), published=str(project.published)
    )
    listed = "\n".join(f"- {name}" for name in changed[:50])
    more = f"\n- ... and {len(changed) - 50} more" if len(changed) > 50 else ""
    create_markdown_artifact(
        markdown=f"# Refresh: {outcome['status']} {outcome['version']}\n\n{outcome['summary']}\n\n"
        f"Changed inputs:\n\n{listed}{more}\n",
        key="werkdata-refresh",
    )
    return {**outcome, "changed": changed}
