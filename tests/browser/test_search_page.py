"""Search on the demo site in Chromium: through Pagefind's own JavaScript API, through the search
page's form, with axe-core, and with JavaScript off; and on the hostile build, whose comments must
come back from a search as text.

The phrases searched for are read from the built post page (each seed comment's own text), and the
topic counts expected are worked out from ``analysis.json``: a topic counts the posts whose
paragraphs raise it and the comments that raise it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.browser.conftest import Tab, screenshot, serve
from tests.browser.test_demo_walk import RUN_AXE, SEED_SLUG, SEED_TITLE, describe
from tests.test_hostile_content import hostile_output

pytestmark = pytest.mark.browser

SEARCH = """async ([bundle, words, filters]) => {
  const pagefind = await import(new URL(bundle + "pagefind.js", document.baseURI).href);
  const search = await pagefind.search(words, filters ? {filters} : {});
  const results = await Promise.all(search.results.map((result) => result.data()));
  return results.map((data) => ({url: data.url, meta: data.meta, filters: data.filters}));
}"""
TOPIC_COUNTS = """async (bundle) => {
  const pagefind = await import(new URL(bundle + "pagefind.js", document.baseURI).href);
  return (await pagefind.filters()).topic;
}"""


def analysis(demo_site: Path) -> dict:
    return json.loads((demo_site / "analysis.json").read_text(encoding="utf-8"))


def seed_comments(demo_site: Path) -> list[tuple[str, str]]:
    """Each comment of the seed's post: its anchor and a phrase of its own text (its longest
    sentence, up to ten words)."""
    page = BeautifulSoup(
        (demo_site / "posts" / f"{SEED_SLUG}.html").read_text(encoding="utf-8"), "lxml"
    )
    found = []
    for comment in page.select("article.comment"):
        text = comment.select_one(":scope > .comment-body").get_text(" ", strip=True)
        sentence = max(re.split(r"(?<=[.!?])\s+", text), key=len)
        found.append((comment["id"], " ".join(sentence.split()[:10])))
    assert len(found) == 4
    return found


def open_search(tab: Tab, demo_url: str) -> str:
    """Open the search page; the bundle's address as the page names it."""
    tab.page.goto(demo_url + "search.html", wait_until="load")
    return tab.page.locator("#netiquette-search").get_attribute("data-bundle")


def test_a_phrase_from_a_seed_comment_finds_that_comment_first(tab: Tab, demo_url, demo_site):
    bundle = open_search(tab, demo_url)
    for anchor, phrase in seed_comments(demo_site):
        results = tab.page.evaluate(SEARCH, [bundle, phrase, None])
        assert results, phrase
        first = results[0]
        assert first["url"] == f"/posts/{SEED_SLUG}.html#{anchor}", (phrase, results[:3])
        assert first["meta"]["kind"] == "comment"
        assert first["meta"]["title"] == f"Comment by {first['meta']['author']}"
        assert first["meta"]["post"] == SEED_TITLE
    assert tab.page_errors == [] and tab.console_errors == [] and tab.blocked == []


def test_posts_are_found_by_their_text_and_not_by_their_comments(tab: Tab, demo_url, demo_site):
    bundle = open_search(tab, demo_url)
    anchor, phrase = seed_comments(demo_site)[0]
    urls = [r["url"] for r in tab.page.evaluate(SEARCH, [bundle, phrase, None])]
    assert f"/posts/{SEED_SLUG}.html" not in urls
    post = tab.page.evaluate(SEARCH, [bundle, "robo-call telemarketing", None])
    assert post[0]["url"] == f"/posts/{SEED_SLUG}.html" and post[0]["meta"]["kind"] == "post"


def test_the_topic_filter_counts_posts_and_comments_and_narrows_results(
    tab: Tab, demo_url, demo_site
):
    document = analysis(demo_site)
    expected = {}
    for topic in document["topics"]:
        posts = sum(
            any(topic["slug"] in p["topics"] for p in post["paragraphs"])
            for post in document["posts"]
        )
        comments = sum(
            topic["slug"] in c["topics"] for post in document["posts"] for c in post["comments"]
        )
        if posts + comments:
            expected[topic["name"]] = posts + comments
    bundle = open_search(tab, demo_url)
    assert tab.page.evaluate(TOPIC_COUNTS, bundle) == expected

    word = SEED_TITLE.split()[1]
    everything = tab.page.evaluate(SEARCH, [bundle, word, None])
    narrowed_by = 0
    for name in expected:
        filtered = tab.page.evaluate(SEARCH, [bundle, word, {"topic": name}])
        assert all(name in r["filters"].get("topic", []) for r in filtered), name
        assert {r["url"] for r in filtered} <= {r["url"] for r in everything}
        assert len(filtered) < len(everything), name
        narrowed_by += bool(filtered)
        alone = tab.page.evaluate(SEARCH, [bundle, None, {"topic": name}])
        assert len(alone) == expected[name], name
    assert narrowed_by >= 3


def test_the_search_form_lists_comments_with_their_author_and_date(tab: Tab, demo_url, demo_site):
    page = tab.page
    anchor, phrase = seed_comments(demo_site)[2]
    open_search(tab, demo_url)
    page.get_by_label("Words to find in posts and comments").fill(phrase)
    page.get_by_role("button", name="Search", exact=True).click()
    first = page.locator(".search-results > li").first
    first.wait_for()
    link = first.get_by_role("link").first
    assert link.get_attribute("href").endswith(f"posts/{SEED_SLUG}.html#{anchor}")
    assert re.fullmatch(rf"Comment by .+ on “{re.escape(SEED_TITLE)}”", link.inner_text())
    meta = first.locator(".search-meta").inner_text()
    assert meta.startswith("Comment · ") and meta.endswith("undated")
    assert "result" in page.locator(".search-status").inner_text()
    assert "q=" in page.url
    screenshot(page, "search-results")
    link.click()
    page.wait_for_load_state("load")
    assert page.evaluate("() => document.querySelector(':target')?.id") == anchor
    page.go_back()
    page.locator(".search-results > li").first.wait_for()
    assert page.get_by_label("Words to find in posts and comments").input_value() == phrase
    assert tab.page_errors == [] and tab.console_errors == [] and tab.blocked == []


def test_the_form_filters_by_topic_and_a_post_shows_its_matching_paragraphs(
    tab: Tab, demo_url, demo_site
):
    page = tab.page
    open_search(tab, demo_url)
    page.get_by_label("Words to find in posts and comments").fill("robo-call")
    page.get_by_role("button", name="Search", exact=True).click()
    result = page.locator(".search-results > li").first
    result.wait_for()
    paragraph = result.locator(".search-paragraphs a").first
    assert re.search(rf"posts/{SEED_SLUG}\.html#p-\d+$", paragraph.get_attribute("href"))
    assert result.locator(".search-paragraphs mark").count() >= 1

    name = next(t["name"] for t in analysis(demo_site)["topics"] if t["comments"])
    page.get_by_label("Words to find in posts and comments").fill("")
    page.get_by_label("Topic", exact=True).select_option(name)
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator(".search-status", has_text=f"in the topic {name}").wait_for()
    page.locator(".search-results > li").first.wait_for()
    assert page.locator(".search-results > li").count() >= 1


def test_the_search_page_has_no_accessibility_violation(
    tab: Tab, demo_url, demo_site, axe_script: Path
):
    page = tab.page
    anchor, phrase = seed_comments(demo_site)[0]
    for address in ("search.html", f"search.html?q={phrase}"):
        page.goto(demo_url + address, wait_until="load")
        if "?" in address:
            page.locator(".search-results > li").first.wait_for()
        page.add_script_tag(path=str(axe_script))
        results = page.evaluate(RUN_AXE)
        assert results["violations"] == [], f"{address}:\n{describe(results['violations'])}"


def test_without_javascript_the_page_says_search_needs_it(browser, demo_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo_url + "search.html", wait_until="load")
        # Playwright's text and role engines skip <noscript>, which the browser shows here.
        note = page.locator("noscript .note")
        assert note.is_visible() and "Search needs JavaScript" in note.inner_text()
        assert "Search needs JavaScript" in page.locator("main").inner_text()
        assert not page.locator("form.search-form").is_visible()
        note.locator("a", has_text="topics page").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("topics/index.html")
        page.get_by_role("navigation", name="Site").get_by_role("link", name="Search").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("search.html")
    finally:
        context.close()


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory) -> Iterator[str]:
    with serve(hostile_output(tmp_path_factory)) as url:
        yield url


def test_hostile_comments_come_back_from_search_as_text(tab: Tab, hostile_url: str) -> None:
    page = tab.page
    page.goto(hostile_url + "search.html?q=XSS", wait_until="load")
    page.locator(".search-results > li").first.wait_for()
    more = page.locator(".search-more")
    while more.is_visible():
        count = page.locator(".search-results > li").count()
        more.click()
        page.wait_for_function(
            "n => document.querySelectorAll('.search-results > li').length > n", arg=count
        )
    assert page.locator(".search-results > li").count() > 20
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))")
    tags = set(page.eval_on_selector_all(".search-results *", "all => all.map(e => e.localName)"))
    assert tags <= {"li", "h2", "a", "p", "span", "time", "mark", "ul"}, tags
    hrefs = page.eval_on_selector_all(".search-results a", "all => all.map(a => a.href)")
    assert hrefs and all(href.startswith(hostile_url) for href in hrefs)
    assert tab.dialogs == [] and tab.page_errors == [] and tab.blocked == []
