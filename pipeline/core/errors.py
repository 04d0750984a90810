"""The few named exceptions of the library; only the CLI and the flows turn them into messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.core.report import Report


class WerkdataError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = 1


class RawDataInvalid(WerkdataError):
    """The raw inputs break one or more rules; the report lists every problem."""

    def __init__(self, report: Report):
        super().__init__(f"{len(report.errors)} problem(s) in the raw inputs")
        self.report = report


class BuiltTableInvalid(RawDataInvalid):
    """A built table breaks its published Table Schema (the output contract); the report lists
    every problem. Raised before anything is written, reported like invalid raw inputs."""

    def __init__(self, report: Report):
        super().__init__(report)
        self.args = (f"{len(report.errors)} problem(s) in the built tables",)


class UnsafeName(WerkdataError):
    """A dataset, edition or version name is not on the allowlist, or a path escapes its root."""


class PublishConflict(WerkdataError):
    """A version that should be new already exists: another run published it meanwhile."""


class ConfigurationInvalid(WerkdataError):
    """The project's own settings cannot be used: werkdata.toml, schemas/dataset.json or the
    DCAT allowed values (a publisher's fix, named with the file)."""


class BuildFailed(WerkdataError):
    """The build produced something that cannot be published: a table missing a declared
    column, a release that fails its own checks in staging, a feed the portal would refuse."""


class LockHeld(WerkdataError):
    """Another run holds the publish lock."""

    exit_code = 3

    def __init__(self, holder: str):
        super().__init__(f"another run is publishing: {holder}")
        self.holder = holder


class IntegrityError(WerkdataError):
    """A damaged publication: a release that differs from its records (SHA256SUMS,
    datapackage.json) or from its pins in catalog.json, or a record that is malformed or of the
    wrong shape. Each of `problems` names the file."""

    exit_code = 4

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} integrity problem(s)")
        self.problems = problems


class SchemaMissing(WerkdataError):
    """The project's schemas/ lack a Table Schema this version of werkdata publishes (a project
    set up by an older werkdata, say): a usage error, named with the file."""

    exit_code = 2


class NothingPublished(WerkdataError):
    """A command needs a release, and there is none yet (a usage error: publish first)."""

    exit_code = 2
