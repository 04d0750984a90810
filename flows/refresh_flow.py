"""The Prefect refresh flow, for schedules: publish only when an input changed since the
latest release, and say in an artifact what it did or that nothing changed.

It runs the plan's fingerprint step (`pipeline.orchestrate.plan.FINGERPRINT`) as a task: its
"unchanged" result, with the tidy-up it does, is the refresh's; when the inputs changed, the
publish flow takes that fingerprint and starts after the step, so the inputs are hashed once.
"""

from __future__ import annotations

from flows.quiet import quiet_prefect

quiet_prefect()

from prefect import flow  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402

from flows.publish_flow import PrefectTasks, publish_flow  # noqa: E402
from pipeline.core.paths import Project  # noqa: E402
from pipeline.orchestrate import plan  # noqa: E402


@flow(name="werkdata-refresh")
def refresh_flow(root: str = ".", raw: str | None = None, published: str | None = None) -> dict:
    """Publish a new version when raw inputs, schemas, configuration or code changed."""
    project = Project.at(root, raw=raw, published=published)
    run = plan.PublishRun(project)
    PrefectTasks().run_step(plan.FINGERPRINT, run)
    if run.result is not None:
        summary = run.result.summary
        create_markdown_artifact(
            markdown=f"# Refresh: nothing changed\n\n{summary}; no inputs changed.\n",
            key="werkdata-refresh",
        )
        return {
            "status": "unchanged",
            "version": run.result.version,
            "summary": summary,
            "changed": [],
        }
    outcome = publish_flow(
        root=str(project.root),
        raw=str(project.raw),
        published=str(project.published),
        # Only the one hash the release records: the per-file hashes (a respondent file's
        # among them) would otherwise be kept by Prefect as a parameter of the flow run.
        fingerprint={"sha256": run.fingerprint["sha256"]},
    )
    changed = run.changed
    listed = "\n".join(f"- {name}" for name in changed[:50])
    more = f"\n- ... and {len(changed) - 50} more" if len(changed) > 50 else ""
    create_markdown_artifact(
        markdown=f"# Refresh: {outcome['status']} {outcome['version']}\n\n{outcome['summary']}\n\n"
        f"Changed inputs:\n\n{listed}{more}\n",
        key="werkdata-refresh",
    )
    return {**outcome, "changed": changed}
