"""A reply chain 200 deep, as a browser lays it out: indentation stops, the page never overflows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import Tab, screenshot, serve
from tests.test_broken_input import DEEP_CHAIN, MAX_VISUAL_DEPTH, build_broken_site
from tests.test_hostile_content import built_once

pytestmark = pytest.mark.browser

LEFT_EDGES = "els => els.map(el => el.getBoundingClientRect().left)"


@pytest.fixture(scope="module")
def broken_url(tmp_path_factory) -> Iterator[str]:
    root = built_once(tmp_path_factory, "broken-site", build_broken_site)
    with serve(root / "output") as url:
        yield url


@pytest.mark.parametrize("width", [1100, 360])
def test_deep_replies_stop_indenting_and_fit_the_window(
    tab: Tab, broken_url: str, width: int
) -> None:
    page = tab.page
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(broken_url + "posts/broken-deep.html", wait_until="load")
    lefts: list[float] = page.eval_on_selector_all("article.comment", LEFT_EDGES)
    assert len(lefts) == DEEP_CHAIN
    indented = lefts[:MAX_VISUAL_DEPTH]
    assert all(a < b for a, b in zip(indented, indented[1:], strict=False)), indented
    assert set(lefts[MAX_VISUAL_DEPTH - 1 :]) == {lefts[MAX_VISUAL_DEPTH - 1]}
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than a {width}px window"
    page.locator("#comment-d010").scroll_into_view_if_needed()
    screenshot(page, f"deep-thread-{width}")
