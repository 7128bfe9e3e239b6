"""Whole-site builds: what a reader and a feed reader see after `invoke build`."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from tests.conftest import SEED_FILE, build_site

SEED_PAGE = "posts/my-linkedin-policy-revisited.html"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_seed_page_shows_four_comments_nested_as_replies(demo_site):
    if not SEED_FILE.exists():
        pytest.skip("seed not available")
    page = soup(demo_site / SEED_PAGE)
    comments = page.select("article.comment")
    assert len(comments) == 4
    kim, davina_1, judy, davina_2 = comments
    assert davina_1 in kim.find_all("article")
    assert davina_2 in judy.find_all("article")
    assert judy not in kim.find_all("article")
    assert kim.select_one(".comment-author").get_text(strip=True) == "Kim Yuhl"
    assert "(author inferred)" in davina_1.select_one(".comment-meta").get_text()
    assert "How to Write A Headline" in kim.select_one(".signature").get_text()
    assert "recently posted" not in kim.select_one(".comment-body").get_text()
    assert page.select_one("#comments-heading").get_text(strip=True) == "4 comments"


def test_seed_page_drops_scraping_debris_and_anchors_paragraphs(demo_site):
    if not SEED_FILE.exists():
        pytest.skip("seed not available")
    text = (demo_site / SEED_PAGE).read_text(encoding="utf-8")
    for debris in ("tumblr_mivvfqP9w81r9pgsuo1_1280", "Photo credit", "Want More? Keep Reading",
                   "Comments are closed"):  # fmt: skip
        assert debris not in text
    page = soup(demo_site / SEED_PAGE)
    assert page.select_one(".post-body #p-1") is not None
    assert "(inferred)" in page.select_one(".byline").get_text()


def test_markdown_comment_files_thread_with_replies(demo_site):
    page = soup(demo_site / "posts/cold-pitches-in-my-inbox.html")
    first = page.select_one("#comment-1")
    assert first.select_one("#comment-2") is not None
    third = page.select_one("#comment-3")
    assert third.select_one("#comment-4 #comment-5") is not None
    assert page.select_one("#comments-heading").get_text(strip=True) == "5 comments"
    link = first.select_one("a.author-site")
    assert link["href"] == "https://priya.example.net/"
    assert set(link["rel"]) >= {"nofollow", "ugc"}


@pytest.mark.parametrize("name", ["feeds/all.atom.xml", "feeds/all.rss.xml"])
def test_site_feeds_are_valid_and_list_every_post(demo_site, name):
    path = demo_site / name
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    titles = {entry.title for entry in parsed.entries}
    assert "Why I Stopped Counting Followers" in titles
    assert all(entry.link.startswith("http") for entry in parsed.entries)
    root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False))
    assert root.tag in ("{http://www.w3.org/2005/Atom}feed", "rss")


def test_analysis_json_lists_posts_comments_and_topics(demo_site):
    document = json.loads((demo_site / "analysis.json").read_text(encoding="utf-8"))
    assert document["schema"] == "netiquette-analysis/1"
    posts = {post["slug"]: post for post in document["posts"]}
    thread = posts["cold-pitches-in-my-inbox"]
    assert [c["id"] for c in thread["comments"]] == ["1", "2", "3", "4", "5"]
    assert thread["comments"][1]["parent"] == "1"
    assert document["counts"]["comments"] == sum(len(p["comments"]) for p in document["posts"])


def write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def test_bad_comment_files_are_published_and_reported(tmp_path, caplog):
    content = tmp_path / "content"
    write(content / "post.md", "Title: A post\nDate: 2024-01-01\nSlug: a-post\n\nBody text.\n")
    write(content / "comments/a-post/1.md", "author: Ann\ndate: 2024-01-02\n\nFirst.\n")
    write(content / "comments/a-post/2.md", "date: 2024-01-03\nreplyto: 1md\n\nNo author here.\n")
    write(
        content / "comments/a-post/3.md", "author: Bo\ndate: 2024-01-04\nreplyto: 99\n\nOrphan.\n"
    )
    write(content / "comments/a-post/4.md", b"author: Cy\ndate: 2024-01-05\n\nBad \xff bytes.\n")
    write(content / "comments/gone/1.md", "author: Di\ndate: 2024-01-05\n\nNo post.\n")
    output = build_site(content, tmp_path / "output")
    page = soup(output / "posts/a-post.html")
    assert page.select_one("#comment-1 #comment-2 .comment-author").get_text(strip=True) == (
        "Anonymous"
    )
    orphan = page.select_one("#comment-3")
    assert orphan.find_parent("article") is None
    assert "Bad \ufffd bytes." in page.select_one("#comment-4 .comment-body").get_text()
    log = caplog.text
    assert "comments/a-post/2.md" in log and "Anonymous" in log
    assert "comments/a-post/3.md" in log and "'99'" in log
    assert "comments/a-post/4.md" in log and "undecodable" in log
    assert "comments/gone/1.md" in log
    held = soup(output / "held-back.html").get_text()
    assert "comments/gone/1.md" in held


def test_pages_show_their_comments_and_undated_posts_say_so(tmp_path):
    content = tmp_path / "content"
    write(content / "pages/about.md", "Title: About\nSlug: about\n\nAbout this site.\n")
    write(content / "comments/about/1.md", "author: Eve\ndate: 2024-02-01\n\nNice page.\n")
    write(content / "undated.md", "Title: No date here\nSlug: undated\n\nBody.\n")
    output = build_site(content, tmp_path / "output")
    page = soup(output / "pages/about.html")
    assert page.select_one("#comment-1 .comment-author").get_text(strip=True) == "Eve"
    post = soup(output / "posts/undated.html")
    assert post.select_one(".byline .undated") is not None
    assert post.select_one(".byline time") is None


def test_saved_pages_under_threads_are_read_as_threads_other_html_as_articles(tmp_path):
    from tests.conftest import REAL_DIR

    saved = REAL_DIR / "html" / "05_thenervousbreakdown.com.loneliest.html"
    if not saved.exists():
        pytest.skip("the shared real pages are not available")
    content = tmp_path / "content"
    write(content / "threads" / saved.name, saved.read_bytes())
    write(
        content / "plain.html",
        "<html><head><title>Plain HTML</title><meta name='date' content='2024-01-01'>"
        "</head><body><p>An ordinary HTML article.</p></body></html>",
    )
    output = build_site(content, tmp_path / "output")
    document = json.loads((output / "analysis.json").read_text("utf-8"))
    by_title = {post["title"]: post for post in document["posts"]}
    assert by_title["Plain HTML"]["comments"] == []
    (thread,) = (post for post in document["posts"] if post["comments"])
    assert len(thread["comments"]) == 11
    page = soup(output / thread["url"])
    assert len(page.select("article.comment")) == 11
    assert page.select_one(".post-body #p-1") is not None


def test_related_posts_share_topics_and_skip_the_post_itself(demo_site):
    page = soup(demo_site / "posts/cold-pitches-in-my-inbox.html")
    related = [a["href"] for a in page.select(".related a")]
    assert related and all(href.endswith(".html") for href in related)
    assert not any("cold-pitches-in-my-inbox" in href for href in related)
    document = json.loads((demo_site / "analysis.json").read_text("utf-8"))
    topics = {post["url"]: set(post["topics"]) for post in document["posts"]}
    mine = topics["posts/cold-pitches-in-my-inbox.html"]
    for href in related:
        assert mine & topics["posts/" + href.split("/")[-1]]


def test_the_demo_serves_its_icon_at_the_root_for_tools_that_ask_there(demo_site):
    assert (demo_site / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
