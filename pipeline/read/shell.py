"""The DuckDB shell in the latest release: which program to start, in which folder, with the
release's views loaded (`werkdata shell` replaces its own process by it)."""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import WerkdataError
from pipeline.read.query import latest_folder, release_views


class ShellMissing(WerkdataError):
    """The DuckDB CLI is not installed beside this Python nor on the PATH (exit 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Shell:
    """The DuckDB CLI to start in `folder`: `argv` loads the release's views."""

    program: str
    argv: list[str]
    folder: Path


def duckdb_shell(dataset_root: Path) -> Shell:
    """The DuckDB CLI started in the intact latest release with its views.sql; for a release
    made before views.sql existed, the same views in a temporary file. ShellMissing when the
    CLI is not installed; NothingPublished or IntegrityError as `latest_folder` says."""
    folder = latest_folder(dataset_root)
    here = str(Path(sys.executable).parent)
    duckdb = shutil.which("duckdb", path=here) or shutil.which("duckdb")
    if duckdb is None:
        raise ShellMissing("the DuckDB CLI is missing (pip install duckdb-cli)")
    views = folder / "views.sql"
    if not views.is_file():
        with tempfile.NamedTemporaryFile(
            "w", suffix=".sql", delete=False, encoding="utf-8"
        ) as handle:
            handle.write(release_views(folder))
        views = Path(handle.name)
    return Shell(duckdb, [duckdb, "-init", str(views)], folder)
