"""Browser tests: built sites served from 127.0.0.1 and opened in the system's headless Chromium.

Chromium is Debian's ``chromium`` package driven by Playwright for Python (no browser is ever
downloaded); accessibility checks inject axe-core from ``node_modules`` (``npm ci``). Each missing
piece skips the tests that need it, saying what to install. Every test module here is marked
``browser`` (``invoke test --fast`` leaves them out).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass

    def guess_type(self, path) -> str:
        # A page whose name slugified to nothing is saved as ".html"; web servers serve it as HTML.
        if str(path).endswith(".html"):
            return "text/html"
        return super().guess_type(path)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A browser that moves on to the next page drops connections (favicon requests, mostly).
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free port of 127.0.0.1; yields the base URL (ending in ``/``)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium for the whole session, or a skip naming what is missing."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[dev]'"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.is_file():
        pytest.skip(f"{AXE.relative_to(ROOT)} not found: run `npm ci` in the repository")
    return AXE


@pytest.fixture(scope="session")
def demo_url(demo_site: Path) -> Iterator[str]:
    with serve(demo_site) as url:
        yield url


@dataclass
class Tab:
    """A page and what it did besides rendering: dialogs, console errors, blocked requests."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


@pytest.fixture
def tab(browser) -> Iterator[Tab]:
    """A fresh page in its own context; requests leaving 127.0.0.1 are blocked and recorded,
    dialogs are dismissed and recorded."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = Tab(context.new_page())

    def route(route) -> None:
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            tab.blocked.append(route.request.url)
            route.abort()

    def dialog(dialog) -> None:
        tab.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def console(message) -> None:
        if message.type == "error":
            tab.console_errors.append(message.text)

    context.route("**/*", route)
    tab.page.on("dialog", dialog)
    tab.page.on("console", console)
    tab.page.on("pageerror", lambda error: tab.page_errors.append(str(error)))
    yield tab
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ (kept out of git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
