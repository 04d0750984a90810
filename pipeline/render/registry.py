"""The registry of side-file generators: the files beside the data tables in a release (views,
landing page, DCAT, CKAN) and beside the releases (the feed, the latest page), in the order
they run. What a generator is: `pipeline.render.protocol`."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.files import file_record
from pipeline.render import dcat, landing, readme, views
from pipeline.render.protocol import Generator, Release

# dcat last: it describes the files written before it.
GENERATORS: tuple[Generator, ...] = (views, landing, dcat)


# Files every release has had whose format a release before 2.0.0 did not record: format 1.
UNRECORDED = {readme.LABEL: 1}


def formats() -> dict[str, int]:
    """{generator LABEL: FORMAT}, recorded in changes.json and compared between releases; the
    release README's too, which the publish step writes itself."""
    return {**{g.LABEL: g.FORMAT for g in GENERATORS}, readme.LABEL: readme.FORMAT}


def write_release_files(release: Release, files: dict[str, dict]) -> None:
    """Run every generator into the release folder, adding each new file to `files`."""
    for generator in GENERATORS:
        for rel, data in generator.release_files(release, dict(files)).items():
            path = release.folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files[rel] = file_record(release.folder, rel)


def root_files(root: Path, catalog: dict) -> dict[str, bytes]:
    """The files beside the version folders that generators derive from the catalog."""
    out: dict[str, bytes] = {}
    for generator in GENERATORS:
        if hasattr(generator, "root_files"):
            out.update(generator.root_files(root, catalog))
    return out
