"""Comment feeds at pelican_comment_system's paths, and the recent-comments page.

One small site is built: a post with a thread (a reply, a hostile comment, a hostile author name),
a post without comments, a post with an undated comment, a draft and a page with comments, and
comments whose post does not exist (held back). Its feeds must parse, hold one entry per published
comment of a published post and nothing else, link to anchors that exist, carry the sanitized
comment, and come out byte for byte the same on a rebuild.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from netiquette import naming
from netiquette.site.recent import CommentTexts, feed_path, post_feed_links
from tests.conftest import build_site
from tests.site_crawl import broken_links, page_ids

ATOM = "{http://www.w3.org/2005/Atom}"
SITEURL = "http://127.0.0.1:8000"
HOSTILE = (
    "Look <script>alert('feed')</script> here\n\n"
    '<img src="x" onerror="alert(1)"> and <a href="javascript:alert(2)">a link</a>.\n'
)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_site(content: Path) -> None:
    write(
        content / "talk.md",
        "Title: Talk & <em>chat</em>\nDate: 2024-03-01 10:00\nSlug: talk\n\nA post to talk about.\n",
    )
    write(content / "comments/talk/1.md", "author: Ann\ndate: 2024-03-02 09:00\n\nFirst!\n")
    write(
        content / "comments/talk/2.md",
        "author: Bo\ndate: 2024-03-03 09:00\nreplyto: 1\n\nA reply to Ann.\n",
    )
    write(content / "comments/talk/3.md", f"author: Ann\ndate: 2024-03-04 09:00\n\n{HOSTILE}")
    write(
        content / "comments/talk/4.md",
        "author: <img src=x onerror=alert(3)>Mallory\ndate: 2024-03-05 09:00\n\nHello.\n",
    )
    write(content / "quiet.md", "Title: Quiet post\nDate: 2024-02-01\nSlug: quiet\n\nNo one.\n")
    write(content / "old.md", "Title: Old post\nDate: 2023-06-15 12:00\nSlug: old\n\nBody.\n")
    write(content / "comments/old/1.md", "author: Cy\n\nNo date on this one.\n")
    write(
        content / "draft.md",
        "Title: A draft\nDate: 2024-04-01\nSlug: draft\nStatus: draft\n\nNot yet.\n",
    )
    write(content / "comments/draft/1.md", "author: Di\ndate: 2024-04-02\n\nOn a draft.\n")
    write(content / "pages/about.md", "Title: About\nSlug: about\n\nAbout.\n")
    write(content / "comments/about/1.md", "author: Eve\ndate: 2024-04-03\n\nOn a page.\n")
    write(content / "comments/gone/1.md", "author: Fay\ndate: 2024-04-04\n\nNo post.\n")


PUBLISHED = {
    "posts/talk.html#comment-1",
    "posts/talk.html#comment-2",
    "posts/talk.html#comment-3",
    "posts/talk.html#comment-4",
    "posts/old.html#comment-1",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("comment-feeds")
    write_site(folder / "content")
    return build_site(folder / "content", folder / "output", **WITH_RSS)


WITH_RSS = {"SITEURL": SITEURL, "NETIQUETTE_COMMENT_FEED_RSS": "feeds/comment.{slug}.rss.xml"}
"""Per-post RSS is off by default; these tests turn it on to check it."""


def atom_entries(path: Path) -> list[ET.Element]:
    root = ET.fromstring(path.read_bytes())
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def link_of(entry: ET.Element) -> str:
    return entry.find(f"{ATOM}link").get("href").removeprefix(SITEURL + "/")


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_the_all_comments_feed_has_one_entry_per_published_comment(site):
    entries = atom_entries(site / "feeds/comments.all.atom.xml")
    links = [link_of(entry) for entry in entries]
    assert len(links) == len(set(links)) == len(PUBLISHED)
    assert set(links) == PUBLISHED
    on_pages = {
        f"posts/{page.name}#{comment['id']}"
        for page in sorted((site / "posts").glob("*.html"))
        for comment in soup(page).select("article.comment")
    }
    assert on_pages == PUBLISHED
    document = json.loads((site / "analysis.json").read_text(encoding="utf-8"))
    in_analysis = {
        f"{post['url']}#{comment['anchor']}"
        for post in document["posts"]
        if post["url"].startswith("posts/")
        for comment in post["comments"]
    }
    assert in_analysis == PUBLISHED


def test_entries_are_newest_first_with_author_date_and_title(site):
    entries = atom_entries(site / "feeds/comments.all.atom.xml")
    published = [entry.findtext(f"{ATOM}published") for entry in entries]
    assert published == sorted(published, reverse=True)
    first = entries[0]
    assert link_of(first) == "posts/talk.html#comment-4"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "‹img src=x onerror=alert(3)›Mallory"
    assert first.findtext(f"{ATOM}title") == "‹img src=x onerror=alert(3)›Mallory on “Talk & chat”"
    second = entries[1]
    assert second.findtext(f"{ATOM}title") == "Ann on “Talk & chat”"
    assert second.findtext(f"{ATOM}published") == "2024-03-04T09:00:00+00:00"


def test_an_undated_comment_takes_its_posts_date(site):
    (entry,) = atom_entries(site / "feeds/comment.old.atom.xml")
    assert entry.findtext(f"{ATOM}published") == "2023-06-15T12:00:00+00:00"
    page = soup(site / "comments/recent.html")
    item = next(li for li in page.select(".recent-comments li") if "Cy" in li.get_text())
    assert item.select_one(".undated") is not None and item.select_one("time") is None


def test_each_post_has_a_feed_at_pelican_comment_systems_path(site):
    talk = atom_entries(site / "feeds/comment.talk.atom.xml")
    assert {link_of(e) for e in talk} == {p for p in PUBLISHED if p.startswith("posts/talk")}
    root = ET.fromstring((site / "feeds/comment.talk.atom.xml").read_bytes())
    assert root.findtext(f"{ATOM}title") == "Netiquette - Comments: Talk & chat"
    assert root.findtext(f"{ATOM}id") == f"{SITEURL}/feeds/comment.talk.atom.xml"
    all_root = ET.fromstring((site / "feeds/comments.all.atom.xml").read_bytes())
    assert all_root.findtext(f"{ATOM}title") == "Netiquette - All Comments"


def test_a_post_without_comments_has_an_empty_feed_dated_by_the_post(site):
    root = ET.fromstring((site / "feeds/comment.quiet.atom.xml").read_bytes())
    assert root.findall(f"{ATOM}entry") == []
    assert root.findtext(f"{ATOM}updated") == "2024-02-01T00:00:00+00:00"


def test_held_back_draft_and_page_comments_are_in_no_feed(site):
    feeds = sorted((site / "feeds").glob("comment*.xml"))
    assert feeds
    text = "\n".join(path.read_text(encoding="utf-8") for path in feeds)
    for absent in ("On a draft", "On a page", "No post"):
        assert absent not in text
    for slug in ("draft", "about", "gone"):
        assert not (site / f"feeds/comment.{slug}.atom.xml").exists()
    recent = soup(site / "comments/recent.html").get_text()
    assert "On a draft" not in recent and "On a page" not in recent and "No post" not in recent


def test_feed_links_point_at_anchors_on_the_post_pages(site):
    cache: dict = {}
    for name in ("feeds/comments.all.atom.xml", "feeds/comment.talk.atom.xml"):
        for entry in atom_entries(site / name):
            page, anchor = link_of(entry).split("#")
            assert anchor in page_ids(site / page, cache), link_of(entry)


def test_the_hostile_comment_is_sanitized_in_the_feeds(site):
    for name in ("feeds/comments.all.atom.xml", "feeds/comments.all.rss.xml",
                 "feeds/comment.talk.atom.xml", "feeds/comment.talk.rss.xml"):  # fmt: skip
        parsed = feedparser.parse((site / name).read_bytes(), sanitize_html=False)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        (entry,) = [e for e in parsed.entries if e.link.endswith("#comment-3")]
        html = entry.content[0].value if "content" in entry else entry.summary
        assert "Look" in html and "a link" in html
        lowered = html.lower()
        assert "<script" not in lowered and "onerror" not in lowered
        assert "javascript:" not in lowered
        page = soup(site / "posts/talk.html").select_one("#comment-3 .comment-body")
        assert BeautifulSoup(html, "lxml").get_text(" ", strip=True) == page.get_text(
            " ", strip=True
        )


@pytest.mark.parametrize("name", ["feeds/comments.all.rss.xml", "feeds/comment.talk.rss.xml"])
def test_rss_variants_parse_with_the_same_entries(site, name):
    parsed = feedparser.parse((site / name).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    atom = name.replace(".rss.", ".atom.")
    assert [e.link for e in parsed.entries] == [
        SITEURL + "/" + link_of(e) for e in atom_entries(site / atom)
    ]
    assert all(e.get("published_parsed") for e in parsed.entries)


def test_post_pages_link_their_comment_feeds(site):
    page = soup(site / "posts/talk.html")
    alternates = {link["href"]: link["title"] for link in page.select('head link[rel="alternate"]')}
    assert alternates["../feeds/comment.talk.atom.xml"] == "Comments on “Talk & chat” (Atom)"
    assert "../feeds/comment.talk.rss.xml" in alternates
    assert "../feeds/comments.all.atom.xml" in alternates
    follow = page.select_one("#comments .comment-feeds")
    hrefs = [a["href"] for a in follow.select("a")]
    assert hrefs == [
        "../feeds/comment.talk.atom.xml",
        "../feeds/comment.talk.rss.xml",
        "../comments/recent.html",
    ]
    assert follow.get_text(" ", strip=True).startswith("Follow comments: Atom")
    quiet = soup(site / "posts/quiet.html")
    assert quiet.select_one("#comments .comment-feeds a")["href"].endswith("comment.quiet.atom.xml")
    about = soup(site / "pages/about.html")
    assert not about.select('head link[href*="feeds/comment."]')


def test_the_recent_comments_page_lists_comments_newest_first(site):
    page = soup(site / "comments/recent.html")
    items = page.select("main .recent-comments > li")
    links = [li.select("a")[-1]["href"] for li in items]
    assert [link.removeprefix("../") for link in links] == [
        "posts/talk.html#comment-4",
        "posts/talk.html#comment-3",
        "posts/talk.html#comment-2",
        "posts/talk.html#comment-1",
        "posts/old.html#comment-1",
    ]
    ann = items[1]
    assert ann.select_one(".comment-author a")["href"] == "../commenters/ann.html"
    assert items[2].select_one(".comment-author a") is None  # one comment: no page of their own
    assert not ann.select("script, img") and not items[0].select("img")
    assert (
        items[0].select_one(".comment-author").get_text() == "<img src=x onerror=alert(3)>Mallory"
    )
    assert ann.select_one("blockquote").get_text(strip=True).startswith("Look")
    assert page.select_one("h1").get_text() == "Recent comments"
    footer = soup(site / "index.html").select_one(".footer-links")
    assert "./comments/recent.html" in [a["href"] for a in footer.select("a")]


def test_no_link_of_the_site_is_broken(site):
    assert broken_links(site, SITEURL) == []


def test_a_rebuild_writes_the_same_bytes(site, tmp_path):
    content = site.parent / "content"
    again = build_site(content, tmp_path / "output", **WITH_RSS)
    assert files(again) == files(site)


def test_a_cached_rebuild_keeps_feeds_and_follows_a_changed_comment(tmp_path):
    content = tmp_path / "content"
    write_site(content)
    cached = {"LOAD_CONTENT_CACHE": True, "CACHE_CONTENT": True, "SITEURL": SITEURL}
    output = build_site(content, tmp_path / "output", **cached)
    first = files(output)
    build_site(content, output, **cached)
    assert files(output) == first
    write(content / "comments/talk/1.md", "author: Ann\ndate: 2024-03-02 09:00\n\nEdited!\n")
    build_site(content, output, **cached)
    after = files(output)
    for name in ("feeds/comment.talk.atom.xml", "feeds/comments.all.atom.xml"):
        assert b"Edited!" in after[name] and b"First!" not in after[name]
    assert after["feeds/comment.quiet.atom.xml"] == first["feeds/comment.quiet.atom.xml"]


def test_settings_rename_and_turn_off_the_feeds_and_page(tmp_path):
    content = tmp_path / "content"
    write_site(content)
    output = build_site(
        content,
        tmp_path / "output",
        SITEURL=SITEURL,
        NETIQUETTE_COMMENTS_FEED_ATOM="feeds/every-comment.xml",
        NETIQUETTE_COMMENTS_FEED_RSS=None,
        NETIQUETTE_COMMENT_FEED_ATOM="feeds/on/%s.xml",
        NETIQUETTE_COMMENT_FEED_RSS="",
        NETIQUETTE_RECENT_COMMENTS_SAVE_AS="",
    )
    written = {p.relative_to(output).as_posix() for p in (output / "feeds").rglob("*.xml")}
    assert "feeds/every-comment.xml" in written
    assert {"feeds/on/talk.xml", "feeds/on/quiet.xml", "feeds/on/old.xml"} <= written
    assert not any(name.startswith("feeds/comment") for name in written)
    assert {link_of(e) for e in atom_entries(output / "feeds/every-comment.xml")} == PUBLISHED
    assert not (output / "comments/recent.html").exists()
    page = soup(output / "posts/talk.html")
    assert [a["href"] for a in page.select("#comments .comment-feeds a")] == [
        "../feeds/on/talk.xml"
    ]
    assert "Recent comments" not in soup(output / "index.html").select_one(".footer-links").text
    assert broken_links(output, SITEURL) == []


def test_the_recent_page_size_is_a_setting_and_the_feed_follows_feed_max_items(tmp_path):
    content = tmp_path / "content"
    write_site(content)
    output = build_site(
        content,
        tmp_path / "output",
        SITEURL=SITEURL,
        NETIQUETTE_RECENT_COMMENTS_COUNT=2,
        FEED_MAX_ITEMS=3,
        NETIQUETTE_COMMENTS_FEED_ATOM="",
        NETIQUETTE_COMMENTS_FEED_RSS="feeds/all-comments.rss.xml",
        NETIQUETTE_COMMENT_FEED_ATOM=None,
        NETIQUETTE_COMMENT_FEED_RSS=None,
    )
    page = soup(output / "comments/recent.html")
    assert len(page.select(".recent-comments > li")) == 2
    assert "The 2 newest of 5 comments" in page.select_one("main p").get_text()
    parsed = feedparser.parse((output / "feeds/all-comments.rss.xml").read_bytes())
    assert [e.link.split("#")[1] for e in parsed.entries] == ["comment-4", "comment-3", "comment-2"]
    assert not soup(output / "posts/talk.html").select("#comments .comment-feeds a[type]")


def test_a_post_feed_path_must_name_the_post():
    from pelican.plugins.netiquette.settings import DEFAULTS, SettingsError, check_settings

    settings = {**DEFAULTS, "NETIQUETTE_COMMENT_FEED_ATOM": "feeds/comments.xml"}
    with pytest.raises(SettingsError, match="NETIQUETTE_COMMENT_FEED_ATOM"):
        check_settings(settings)
    assert feed_path("feeds/comment.%s.atom.xml", "a-b") == "feeds/comment.a-b.atom.xml"
    assert feed_path("feeds/{slug}.xml", "a-b") == "feeds/a-b.xml"
    assert [link.label for link in post_feed_links("x", "a/{slug}.xml", None)] == ["Atom"]


def test_the_recent_page_is_reserved_from_posts_and_commenters():
    from pelican.plugins.netiquette.settings import DEFAULTS

    assert "comments/recent.html" in naming.reserved_pages(dict(DEFAULTS))


class CountingStore:
    """A thread store that counts what is read from it."""

    def __init__(self, threads: dict) -> None:
        self.threads = threads
        self.reads: list[str] = []

    def get(self, key: str):
        self.reads.append(key)
        return self.threads[key]

    def text(self, key: str, name: str):
        return None


def test_comment_texts_keep_only_the_last_few_threads():
    from types import SimpleNamespace

    from markupsafe import Markup

    def thread(key: str):
        comments = {str(n): SimpleNamespace(html=Markup(f"<p>{key}{n}</p>")) for n in range(3)}
        return SimpleNamespace(comments=comments)

    store = CountingStore({key: thread(key) for key in "abcdef"})
    texts = CommentTexts(store, keep=2)
    comment = lambda key, n: SimpleNamespace(thread_key=key, id=str(n))  # noqa: E731
    for n in range(3):
        assert texts.html(comment("a", n)) == f"<p>a{n}</p>"
    assert store.reads == ["a"]
    for key in "bcdef":
        texts.html(comment(key, 0))
    assert len(texts._kept) == 2
    texts.html(comment("a", 0))
    assert store.reads == ["a", "b", "c", "d", "e", "f", "a"]
    texts.forget()
    assert not texts._kept


def test_a_large_sites_pages_and_feeds_written_in_a_child_equal_those_written_in_process(
    tmp_path, monkeypatch
):
    from pelican.plugins.netiquette import generator

    from netiquette.parallel import MIN_THREADS_PER_PROCESS

    content = tmp_path / "content"
    posts = MIN_THREADS_PER_PROCESS + 5
    for number in range(posts):
        write(
            content / f"p{number}.md",
            f"Title: Post {number}\nDate: 2024-01-{number % 28 + 1:02d}\nSlug: p{number}\n\nText.\n",
        )
        for reply in range(number % 3):
            write(
                content / f"comments/p{number}/{reply}.md",
                f"author: A{reply}\ndate: 2024-02-0{reply + 1}\n\nComment {reply} on {number}.\n",
            )
    started = []

    class Counted(generator.Pending):
        def __init__(self, work):
            started.append(work)
            super().__init__(work)

    monkeypatch.setattr(generator, "Pending", Counted)
    cached = {"LOAD_CONTENT_CACHE": True, "CACHE_CONTENT": True, "SITEURL": SITEURL}
    in_child = build_site(content, tmp_path / "child", NETIQUETTE_PROCESSES=2, **cached)
    assert len(started) == 1
    in_process = build_site(content, tmp_path / "here", NETIQUETTE_PROCESSES=1, **cached)
    assert len(started) == 1
    written = files(in_child)
    assert len([name for name in written if name.startswith("feeds/comment.p")]) == posts
    assert written == files(in_process)

    # The child's record is the build's: a rebuild finds every feed unchanged, and follows an edit.
    stamps = {p: p.stat().st_mtime_ns for p in (in_child / "feeds").glob("comment.p*.xml")}
    write(content / "comments/p4/0.md", "author: A0\ndate: 2024-02-01\n\nEdited comment.\n")
    build_site(content, in_child, NETIQUETTE_PROCESSES=2, **cached)
    changed = {p.name for p, stamp in stamps.items() if p.stat().st_mtime_ns != stamp}
    assert changed == {"comment.p4.atom.xml"}
    assert b"Edited comment." in (in_child / "feeds/comment.p4.atom.xml").read_bytes()
