"""The browser of the page tests: Debian's Chromium through Playwright, launched once for the
page tests of this folder and closed when the process leaves it (the page tests are one xdist
group, so they run one after another in one worker).

Not for the whole session: while Playwright's sync API is open its event loop runs in the
thread, and every later `asyncio.run` (Prefect's client, the flow tests) fails."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="package")
def chromium() -> str:
    """Chromium's path; without it the browser tests skip, except on CI (CI=true), where the
    page must be tested and they fail."""
    from tools.screenshot import chromium as find_chromium

    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "playwright is not installed"
    executable = find_chromium()
    if executable is None:
        problem = "chromium is missing (make browser, or sudo apt-get install chromium)"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem}; CI must run the browser tests")
        pytest.skip(problem)
    return executable


@pytest.fixture(scope="package")
def browser(chromium: str):
    """One headless Chromium for the page tests; each test opens and closes its own page."""
    from playwright.sync_api import sync_playwright

    from tools.screenshot import ARGS

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=chromium, args=ARGS)
        yield launched
        launched.close()
