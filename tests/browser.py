"""Headless Chromium for the tests: Debian's /usr/bin/chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import require

CHROMIUM = os.environ.get("CHAINGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--no-first-run", "--disable-component-update", "--disable-sync"]  # fmt: skip


def need_chromium() -> None:
    """A skip (a failure in CI) without Chromium: for a test whose command starts it itself (``--pdf``)."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        require("CHROMIUM", f"no Chromium at {CHROMIUM}")


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched browser, or a skip (a failure in CI) without Chromium or Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require("CHROMIUM", "playwright is not installed")
    need_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_offline(
    browser: Any, path: Path, *, ready: str | None = None, warnings: bool = False, **context: Any
) -> tuple[Any, list[str], list[str]]:
    """Open a local file in a new page with every network request blocked.

    Returns the page, the blocked requests and what went wrong on it (console errors — and
    warnings with ``warnings`` —, uncaught exceptions, dialogs).  ``context`` are Playwright's
    page options (default viewport 1440×900); ``ready`` a JavaScript condition to wait for.
    """
    page = browser.new_page(**({"viewport": {"width": 1440, "height": 900}} | context))
    requests: list[str] = []
    errors: list[str] = []
    kinds = ("error", "warning") if warnings else ("error",)

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type in kinds else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(path.resolve().as_uri())
    if ready:
        page.wait_for_function(ready, timeout=60_000)
    return page, requests, errors
