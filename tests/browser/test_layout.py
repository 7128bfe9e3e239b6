"""The theme's layout at a phone's and a desktop's width, on the demo site and on a WordPress import.

Two sites are built: the demo (``content/``) and the WordPress theme-unit-test export imported with
``netiquette import wxr`` (21 pages, a title that is one 60-character word, comments ten levels
deep, tables, code blocks of 1,000-character lines). Every page type of each is opened in one
Chromium, at 320, 390 and 1280 px, and checked for what readers reported: the page never scrolls
sideways, the header leaves most of a 390×844 screen to the content, the comment permalinks, topic
badges and navigation links are tap targets at least 44 px tall, axe-core finds no violation, and
in the dark colour scheme no text lacks contrast.

On the imported site the posts' own HTML (post bodies, summaries, comment bodies) is left out of
the axe checks: the export's markup is the author's (links without text, ``<dl>`` misuse, inline
background colours). The demo site is checked whole.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import AXE, serve
from tests.browser.test_demo_walk import describe
from tests.conftest import REAL_DIR, ROOT, build_site

pytestmark = pytest.mark.browser

WXR = REAL_DIR / "wxr" / "01_wpimporter_theme-unit-test-data.xml"
PHONE, DESKTOP, NARROWEST = 390, 1280, 320
HEIGHT = 844
MAX_HEADER = 0.25 * HEIGHT
TAP = 44
PAGE_TYPES = (
    "index", "post", "page", "topics-index", "topic", "trends", "commenters-index", "commenter",
    "held-back", "recent-comments", "search", "tags", "categories", "archives",
)  # fmt: skip
SITES = ("demo", "wxr")

BOXES = """selector => [...document.querySelectorAll(selector)]
  .filter(el => el.checkVisibility())
  .map(el => { const r = el.getBoundingClientRect();
    return {width: r.width, height: r.height, html: el.outerHTML.slice(0, 100)}; })"""
AXE_RUN = "async ([context, options]) => (await axe.run(context, options)).violations"


@dataclass
class Site:
    name: str
    url: str
    root: Path
    pages: dict[str, str]
    axe_context: dict = field(default_factory=lambda: {"include": [["html"]]})
    """What axe-core checks: the whole document, or all of it but the authors' content."""


def page_types(root: Path, post: str, page: str) -> dict[str, str]:
    """One path (relative to the site) of every page type of the site built in ``root``."""
    document = json.loads((root / "analysis.json").read_text(encoding="utf-8"))
    topics = sorted(document["topics"], key=lambda t: -(t["comments"] + t["paragraphs"]))
    commenter = next(p for p in sorted((root / "commenters").glob("*.html")) if p.stem != "index")
    return {
        "index": "index.html",
        "post": post,
        "page": page,
        "topics-index": "topics/index.html",
        "topic": topics[0]["url"],
        "trends": "topics/trends.html",
        "commenters-index": "commenters/index.html",
        "commenter": commenter.relative_to(root).as_posix(),
        "held-back": "held-back.html",
        "recent-comments": "comments/recent.html",
        "search": "search.html?q=comment",
        "tags": "tags.html",
        "categories": "categories.html",
        "archives": "archives.html",
    }


@pytest.fixture(scope="module")
def demo(demo_site: Path) -> Iterator[Site]:
    pages = page_types(demo_site, "posts/my-linkedin-policy-revisited.html", "pages/about.html")
    with serve(demo_site) as url:
        yield Site("demo", url, demo_site, pages)


@pytest.fixture(scope="module")
def wxr(tmp_path_factory) -> Iterator[Site]:
    if not WXR.is_file():
        pytest.skip(f"{WXR} is not available (the shared real archives are not mounted)")
    folder = tmp_path_factory.mktemp("wxr-layout")
    content, output = folder / "content", folder / "output"
    subprocess.run(
        [sys.executable, "-m", "netiquette", "import", "wxr", str(WXR), "--output", str(content)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    logging.getLogger("netiquette").setLevel(logging.WARNING)
    build_site(content, output)
    pages = page_types(output, "posts/template-comments.html", "pages/page-with-comments.html")
    with serve(output) as url:
        yield Site("wxr", url, output, pages)


class Windows:
    """One browser context per width, colour scheme and whether axe-core is preloaded, each with
    one page reused for every visit.

    Requests leaving 127.0.0.1 are aborted (the imported posts link images on wordpress.com) and
    responses that fail (4xx, 5xx) are recorded: a missing favicon or stylesheet shows up there.
    """

    def __init__(self, browser) -> None:
        self.browser = browser
        self.pages: dict[tuple[int, str, bool], Any] = {}
        self.failed: list[str] = []

    def page(self, width: int, scheme: str = "light", with_axe: bool = False):
        key = (width, scheme, with_axe)
        if key not in self.pages:
            context = self.browser.new_context(
                viewport={"width": width, "height": HEIGHT}, color_scheme=scheme
            )
            context.route("**/*", _local_only)
            if with_axe:
                context.add_init_script(path=str(AXE))  # sent once, not once per page
            page = context.new_page()
            page.on(
                "response",
                lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"),
            )
            self.pages[key] = page
        return self.pages[key]

    def open(self, site: Site, kind: str, width: int, scheme: str = "light", with_axe=False):
        page = self.page(width, scheme, with_axe)
        page.goto(site.url + site.pages[kind], wait_until="load")
        return page

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


def _local_only(route) -> None:
    if route.request.url.startswith("http://127.0.0.1:"):
        route.continue_()
    else:
        route.abort()


@pytest.fixture(scope="module")
def windows(browser, axe_script) -> Iterator[Windows]:
    windows = Windows(browser)
    yield windows
    windows.close()


@pytest.fixture(params=SITES)
def site(request) -> Site:
    return request.getfixturevalue(request.param)


def overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def axe(page, site: Site, options: dict | None = None) -> list[dict]:
    options = {"resultTypes": ["violations"], **(options or {})}
    return page.evaluate(AXE_RUN, [site.axe_context, options])


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_page_scrolls_sideways(windows: Windows, site: Site, kind: str) -> None:
    windows.failed.clear()
    for width in (NARROWEST, PHONE, DESKTOP):
        page = windows.open(site, kind, width)
        assert overflow(page) <= 0, f"{site.pages[kind]} is {overflow(page)}px too wide at {width}"
        menu = page.locator(".nav-more > summary")
        if menu.count():
            menu.click()
            assert page.locator(".nav-more > ul").is_visible()
            assert overflow(page) <= 0, f"{site.pages[kind]} with its menu open at {width}px"
    assert windows.failed == [], f"requests of {site.pages[kind]} failed"


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_header_leaves_most_of_a_phone_screen_to_content(
    windows: Windows, site: Site, kind: str
) -> None:
    page = windows.open(site, kind, PHONE)
    height = page.locator(".site-header").bounding_box()["height"]
    assert height <= MAX_HEADER, f"the header is {height:.0f}px of {HEIGHT} on {site.pages[kind]}"
    assert page.locator(".site-header .badge").count() == 0, "topic badges belong in the footer"


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_permalinks_badges_and_navigation_are_44px_tap_targets(
    windows: Windows, site: Site, kind: str
) -> None:
    targets = {
        "permalink": "a.permalink",
        "badge": "a.badge",
        "navigation": ".site-nav a, .nav-more > summary, .footer-links a",
    }
    for width in (PHONE, DESKTOP):
        page = windows.open(site, kind, width)
        if page.locator(".nav-more > summary").count():
            page.locator(".nav-more > summary").click()  # its links are measured too
        for name, selector in targets.items():
            boxes = page.evaluate(BOXES, selector)
            small = [b for b in boxes if b["height"] < TAP or b["width"] < TAP]
            assert small == [], f"{name}s under {TAP}px on {site.pages[kind]} at {width}px"
        if site.name == "demo" and kind == "post":
            assert page.locator("a.permalink").count() and page.locator("main a.badge").count()


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_accessibility_violations(windows: Windows, site: Site, kind: str) -> None:
    for width in (PHONE, DESKTOP):
        violations = axe(windows.open(site, kind, width, with_axe=True), site)
        assert violations == [], f"{site.pages[kind]} at {width}px:\n{describe(violations)}"


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_dark_mode_has_sufficient_contrast(windows: Windows, site: Site, kind: str) -> None:
    for width in (PHONE, DESKTOP):
        page = windows.open(site, kind, width, "dark", with_axe=True)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        violations = axe(page, site, {"runOnly": ["color-contrast"]})
        assert violations == [], f"{site.pages[kind]} at {width}px, dark:\n{describe(violations)}"


def test_site_icon_is_served_from_the_theme(windows: Windows, demo: Site) -> None:
    page = windows.open(demo, "index", DESKTOP)
    icons = page.eval_on_selector_all('link[rel="icon"]', "links => links.map(l => l.href)")
    assert any(href.endswith(".svg") for href in icons) and any(
        href.endswith(".ico") for href in icons
    )
    for href in icons:
        assert href.startswith(demo.url)
        response = page.request.get(href)
        assert response.ok and response.headers["content-type"].startswith("image/"), href


def test_replies_below_the_indentation_cap_say_whom_they_answer(
    windows: Windows, wxr: Site
) -> None:
    page = windows.open(wxr, "post", PHONE)
    replies = page.eval_on_selector_all(
        ".reply-to a",
        """links => links.map(a => {
            const parent = document.getElementById(a.hash.slice(1));
            const reply = a.closest('article.comment');
            return {parent: parent && parent.className, text: a.textContent,
                    author: parent && parent.querySelector('.comment-author').textContent.trim(),
                    inside: parent && parent.contains(reply)};
        })""",
    )
    assert len(replies) >= 3  # the export's thread is ten levels deep; the cap is six
    for reply in replies:
        assert reply["parent"] == "comment" and reply["inside"], reply
        assert reply["text"] == reply["author"], reply
