"""Screenshots of the demo site for the README: ``python tools/screenshots.py``.

Builds the demo site (``content/``) into a temporary folder, serves it on 127.0.0.1 and photographs
the main page types at a desktop's and a phone's width with the system's headless Chromium (as the
browser tests do), into ``docs/screenshots/<name>-<width>.png``; the phone's thread is taken in the
dark colour scheme (``thread-390-dark.png``). Each picture is one screen, not the whole page.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from tests.conftest import build_site  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZES = {1280: 800, 390: 844}
# name: (path in the site, element scrolled to the top of the screen, element waited for)
SHOTS = {
    "index": ("index.html", None, None),
    "post": ("posts/cold-pitches-in-my-inbox.html", None, None),
    "thread": ("posts/cold-pitches-in-my-inbox.html", "#comments", None),
    "topic": ("topics/spam.html", None, None),
    "trends": ("topics/trends.html", "#trend-1-section", None),
    "search": ("search.html?q=connection", None, ".search-results li"),
}
DARK = {("thread", 390)}
"""Taken in the dark colour scheme instead of the light one."""


def main() -> None:
    from playwright.sync_api import sync_playwright

    logging.getLogger("netiquette").setLevel(logging.WARNING)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = build_site(ROOT / "content", Path(folder) / "output")
        with serve(site) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for scheme in ("light", "dark"):
                for width, height in SIZES.items():
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, color_scheme=scheme
                    )
                    context.route("**/*", _local_only)
                    page = context.new_page()
                    for name, (path, anchor, awaited) in SHOTS.items():
                        if (scheme == "dark") != ((name, width) in DARK):
                            continue
                        page.goto(url + path, wait_until="load")
                        if awaited:
                            page.wait_for_selector(awaited)
                        if anchor:
                            page.evaluate("a => document.querySelector(a).scrollIntoView()", anchor)
                        suffix = "-dark" if scheme == "dark" else ""
                        target = OUT / f"{name}-{width}{suffix}.png"
                        page.screenshot(path=str(target))
                        print(f"{target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB)")
                    context.close()
            browser.close()


def _local_only(route) -> None:
    if route.request.url.startswith("http://127.0.0.1:"):
        route.continue_()
    else:
        route.abort()


if __name__ == "__main__":
    main()
