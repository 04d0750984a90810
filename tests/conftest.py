"""Shared fixtures: temporary copies of the project, one session-wide local release to read from,
Prefect kept in a temp home, and the hypothesis profiles (the page tests' browser:
tests/render/conftest.py).

Under pytest-xdist every worker is a process of its own: a session fixture is made once per
worker, and each worker gets its own Prefect home."""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Before anything imports Prefect: its state lives in a temporary home, and it stays offline.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="werkdata-prefect-")
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"

from pipeline.core.paths import Project
from pipeline.orchestrate.runner import publish_local
from tests.helpers import copy_project

# Keeps the xdist groups of make check and make test working (see the module).
pytest_plugins = ["tests.xdist_groups"]

# The property tests' profiles, registered here once so that no module's choice leaks into
# another's tests; chosen by HYPOTHESIS_PROFILE: `default` (8 derandomized examples, for make
# check and make test) and `stress` (300 random ones, make stress). The deadline is generous
# because the machines that run this are shared; a module that needs more says so with
# @settings(deadline=...) on its tests.
DEADLINE = timedelta(seconds=10)
settings.register_profile(
    "default",
    max_examples=8,
    deadline=DEADLINE,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "stress",
    max_examples=300,
    deadline=DEADLINE,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A fresh, writable copy of the project with nothing published."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def release(tmp_path_factory) -> Project:
    """A project copy with the real data published once (1.0.0); read it, never change it."""
    project = copy_project(tmp_path_factory.mktemp("released") / "project")
    publish_local(project)
    return project


def pytest_terminal_summary(terminalreporter) -> None:
    """The versions of R and its survey package that the estimates were compared with
    (tests/estimate/test_against_r.py records them; under xdist they travel in the reports)."""
    versions = {
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        for name, value in getattr(report, "user_properties", ())
        if name == "r_survey"
    }
    for version in sorted(versions):
        terminalreporter.write_line(f"estimates compared with {version}")
