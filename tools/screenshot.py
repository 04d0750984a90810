"""A full-page screenshot of a landing page, opened as a file in headless Chromium.

    python tools/screenshot.py PAGE.html OUT.png [--width 1280]

Uses Debian's chromium (/usr/bin/chromium, or CHROMIUM=path) through Playwright; never
downloads a browser. Exits 1 when the page logs to the console, throws, or asks for anything
outside the file system (a page must work offline); 2 on a usage error or a missing browser.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str | None:
    """The Chromium executable to use, or None when there is none."""
    configured = os.environ.get("CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot(page_file: Path, out: Path, width: int = 1280, height: int = 900) -> list[str]:
    """Save a full-page PNG of `page_file` to `out`; return the problems seen (empty: none)."""
    from playwright.sync_api import sync_playwright

    executable = chromium()
    if executable is None:
        raise FileNotFoundError("chromium is missing (sudo apt-get install chromium)")
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}"))
            page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
            page.on(
                "request",
                lambda r: (
                    None
                    if r.url.startswith(("file:", "data:", "about:"))
                    else problems.append(f"request outside the file system: {r.url}")
                ),
            )
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            page.goto(page_file.resolve().as_uri(), wait_until="load")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=True)
        finally:
            browser.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "page", type=Path, help="the HTML file, e.g. published/werkonderzoek/index.html"
    )
    parser.add_argument("out", type=Path, help="the PNG to write")
    parser.add_argument("--width", type=int, default=1280, help="viewport width in CSS pixels")
    args = parser.parse_args(argv)
    if not args.page.is_file():
        print(f"screenshot: no such page: {args.page}", file=sys.stderr)
        return 2
    try:
        problems = screenshot(args.page, args.out, args.width)
    except FileNotFoundError as exc:
        print(f"screenshot: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"screenshot: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"screenshot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
