"""Every page of the hostile build, opened in Chromium, runs nothing a commenter wrote.

The build is the one ``tests/test_hostile_content.py`` checks statically: the XSS corpus in comment
bodies, names, URLs, signatures, a scraped post's title and tags, and file names. Here a real browser
parses each page; any dialog (every payload calls ``alert('XSS-<n>')``), any script error naming a
payload, any request leaving 127.0.0.1 or any link the browser resolves to a non-web scheme fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.conftest import Tab, serve
from tests.test_hostile_content import hostile_output

pytestmark = pytest.mark.browser

# The scheme a browser resolves for each URL-bearing attribute, after its own parsing.
RESOLVED_SCHEMES = """
elements => elements.flatMap(element =>
  ["href", "src", "action", "formaction", "data", "poster"]
    .filter(name => element.hasAttribute(name))
    .map(name => {
      let scheme;
      try { scheme = new URL(element.getAttribute(name), document.baseURI).protocol; }
      catch (error) { scheme = "invalid:"; }
      return [scheme, element.outerHTML.slice(0, 160)];
    }))
"""
# Lets handlers that fire just after load (autofocus, toggle, animation) run before moving on.
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))"
WEB_SCHEMES = ("http:", "https:")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    output = hostile_output(tmp_path_factory)
    with serve(output) as url:
        yield url, output


def test_no_hostile_page_runs_script_navigates_or_loads_anything_foreign(
    tab: Tab, hostile_build: tuple[str, Path]
) -> None:
    base, output = hostile_build
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 20
    bad_links: list[str] = []
    navigations: list[str] = []
    for path in pages:
        url = base + quote(path.relative_to(output).as_posix())
        tab.page.goto(url, wait_until="load")
        tab.page.evaluate(NEXT_FRAME)
        if tab.page.url != url:
            navigations.append(f"{url} -> {tab.page.url}")
        for scheme, element in tab.page.eval_on_selector_all(
            "[href], [src], [action], [formaction], [data], [poster]", RESOLVED_SCHEMES
        ):
            if scheme not in WEB_SCHEMES:
                bad_links.append(f"{path.relative_to(output)}: {scheme} {element}")
    tab.page.wait_for_timeout(200)
    assert tab.dialogs == [], "payloads ran in the browser"
    assert [e for e in tab.console_errors if "XSS" in e] == []
    assert [e for e in tab.page_errors if "XSS" in e] == []
    assert tab.blocked == [], "pages asked for resources outside the site"
    assert navigations == []
    assert bad_links == []


def test_the_browser_check_catches_a_payload_that_does_run(tab: Tab, tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<!DOCTYPE html><title>t</title><img src=x onerror=\"alert('XSS-0')\">", encoding="utf-8"
    )
    with serve(tmp_path) as base:
        tab.page.goto(base + "page.html", wait_until="load")
        tab.page.evaluate(NEXT_FRAME)
    assert tab.dialogs == ["alert: XSS-0"]
