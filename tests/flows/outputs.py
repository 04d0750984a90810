"""What a flow run leaves, read back for the flow tests: its Prefect artifacts, and a release's
files in a form two runs can be compared by."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path


def read_artifact(key: str):
    """The newest artifact with `key`."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    async def latest():
        async with get_client() as client:
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
                sort=ArtifactSort.CREATED_DESC,
                limit=1,
            )
            return found[0] if found else None

    return asyncio.run(latest())


def release_files(folder: Path) -> dict[str, bytes]:
    """Every file of a release by its path, with the release's `created` date blanked out, and
    so the sha256 of each file that holds the date (listed in SHA256SUMS, the page, DCAT)."""
    created = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))["created"]
    stamps = [created.encode(), created.removesuffix("Z").encode()]
    raw = {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    dated = {
        hashlib.sha256(data).hexdigest().encode(): f"sha256-of-{rel}".encode()
        for rel, data in raw.items()
        if any(stamp in data for stamp in stamps)
    }
    files = {}
    for rel, data in raw.items():
        if not rel.startswith("data/"):
            for old, new in [*dated.items(), *((stamp, b"CREATED") for stamp in stamps)]:
                data = data.replace(old, new)
        files[rel] = data
    return files
