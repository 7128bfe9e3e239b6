"""Saved WordPress pages: the post, and the comment thread from theme markup (small and real pages)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from netiquette.formats import load_path
from netiquette.importers.pages import import_html_pages
from netiquette.parsers.archive import reply_depths
from netiquette.parsers.html_page import parse_html_page, parse_saved_page
from netiquette.sources import decode

DATA = Path(__file__).parent / "data" / "import"
REAL_HTML = Path(__file__).resolve().parents[2] / "shared" / "real" / "html"

#: Figures stated in shared/real/README.md: (li.comment elements, reply depth).
README_FIGURES = {
    "01_foxyfolksy.com.buttercream.html": (80, 3),
    "02_netzpolitik.org.abmahnungen.html": (74, 4),
    "03_californiaglobe.com.amazon.html": (None, 1),  # "20 li.comment": 12 comments + 8 pingbacks
    "04_blog.wordpress.com.diverse.html": (13, 2),
    "05_thenervousbreakdown.com.loneliest.html": (11, 1),
}


def parse(name: str):
    return parse_html_page((DATA / name).read_text(encoding="utf-8"), name)


@pytest.fixture(scope="module")
def modern():
    return parse("modern_page.html")


@pytest.fixture(scope="module")
def older():
    return parse("older_page.html")


def test_post_title_author_and_date_come_from_page_metadata(modern):
    post = modern.post
    assert post.title == "Quiet Manners"
    assert post.author == "Jo Writer"
    assert post.date == datetime(2020, 5, 1, 6, 0, tzinfo=UTC)
    assert post.metadata["url"] == "https://blog.example/2020/05/quiet-manners/"


def test_post_paragraphs_are_the_entry_text_without_share_buttons(modern):
    assert modern.post.paragraphs == [
        "Being polite online is mostly about listening.",
        "Quoted wisdom.",
        "First point",
        "Second point",
        "A subheading",
        "Closing thoughts.",
    ]


def test_comments_nest_by_children_lists(modern):
    assert [(c.id, c.parent_id) for c in modern.comments] == [
        ("11", None),
        ("12", "11"),
        ("13", "12"),
        ("15", None),
    ]


def test_pingbacks_are_counted_not_read(modern):
    assert "14" not in modern.by_id()
    assert modern.post.metadata["pingbacks"] == "1"


def test_comment_author_link_date_and_line(modern):
    ann = modern.by_id()["11"]
    assert ann.author == "Ann"
    assert ann.author_url == "https://ann.example/"
    assert ann.date == datetime(2020, 5, 1, 8, 0, tzinfo=UTC)
    assert ann.line == 26
    assert modern.by_id()["12"].author_url is None


def test_comment_body_is_inner_html_without_theme_chrome(modern):
    ann = modern.by_id()["11"]
    assert ann.format == "html"
    assert ann.body == "<p>I <strong>agree</strong>.</p>\n<p>Second paragraph.</p>"


def test_older_theme_markup_is_read(older):
    post = older.post
    assert (post.title, post.author) == ("Old Habits", "Sam Scribe")
    assert post.date == datetime(2011, 3, 3, tzinfo=UTC)
    assert post.paragraphs == [
        "Old themes put the text straight into the post.",
        "And the comments below it.",
    ]
    kim = older.by_id()["101"]
    assert (kim.author, kim.author_url) == ("Kim", "http://kim.example")
    assert kim.body == "<p>Nice &amp; short.</p>"


def test_reply_list_closed_after_its_parent_item_still_nests(older):
    assert [(c.id, c.parent_id) for c in older.comments] == [
        ("101", None),
        ("102", "101"),
        ("103", None),
    ]


def test_date_without_year_takes_the_year_of_the_post_and_is_marked_inferred(older):
    kim = older.by_id()["101"]
    assert kim.date == datetime(2011, 3, 4, 14, 41, tzinfo=UTC)
    assert kim.is_inferred("date")
    assert older.by_id()["103"].date is None


def test_page_without_comment_markup_is_reported():
    thread = parse_html_page("<html><title>Bare</title><p>Text only.</p></html>", "bare.html")
    assert thread.comments == []
    assert thread.post.title == "Bare"
    assert [p.message for p in thread.problems] == ["no WordPress comment list found"]


def test_author_label_beside_the_name_is_not_part_of_it():
    page = (
        '<ol class="comment-list"><li class="comment" id="comment-6"><div class="comment-author">'
        '<a href="http://x.example/">Xu</a> <span class="says">says:</span></div>'
        '<div class="comment-content"><p>Hi</p></div></li></ol>'
    )
    [comment] = parse_html_page(page, "says.html").comments
    assert (comment.author, comment.author_url, comment.body) == (
        "Xu",
        "http://x.example/",
        "<p>Hi</p>",
    )


def test_comment_without_author_is_anonymous_and_marked_inferred():
    page = (
        '<ol class="commentlist"><li class="comment" id="comment-5">'
        '<div class="comment-body"><p>Who am I?</p></div></li></ol>'
    )
    [comment] = parse_html_page(page, "anon.html").comments
    assert (comment.id, comment.author, comment.body) == ("5", "Anonymous", "<p>Who am I?</p>")
    assert comment.is_inferred("author")


def test_pages_import_as_posts_with_their_own_sanitized_markup():
    text, _ = decode((DATA / "modern_page.html").read_bytes(), "modern_page.html")
    result = import_html_pages([("modern_page.html", text)])
    [post] = result.posts
    assert post.slug == "quiet-manners"
    assert post.body_html.startswith(
        "<p>Being polite online is <em>mostly</em> about listening.</p>\n<blockquote>"
    )
    counts = result.counts
    assert (counts.posts, counts.published, counts.replies, counts.deepest) == (1, 4, 2, 2)
    assert counts.comments == {"approved": 4, "pingback": 1}


def test_page_in_a_declared_legacy_charset_is_decoded():
    data = '<meta charset="windows-1252"><p>Caf\u00e9</p>'.encode("cp1252")
    text, problems = decode(data, "old.html")
    assert "Caf\u00e9" in text and problems == []


# --- real saved pages ------------------------------------------------------------------------------


def _real_files() -> list[Path]:
    return sorted(REAL_HTML.glob("*.html")) if REAL_HTML.is_dir() else []


@pytest.fixture(scope="module", params=_real_files(), ids=lambda path: path.name)
def real_page(request):
    path = request.param
    text = path.read_text(encoding="utf-8")
    return path.name, BeautifulSoup(text, "lxml"), parse_html_page(text, path.name)


def _depth_class(tag) -> int:
    """WordPress's own ``depth-N`` class on a comment item."""
    found = [
        int(m.group(1)) for c in tag.get("class", []) if (m := re.fullmatch(r"depth-(\d+)", c))
    ]
    return found[0] if found else 1


@pytest.mark.skipif(not _real_files(), reason="shared/real/html not available")
def test_real_page_comment_count_and_depth_match_a_direct_count(real_page):
    name, soup, thread = real_page
    items = soup.select("li.comment")
    depths = reply_depths(thread)
    assert len(thread.comments) == len(items)
    assert [c.id for c in thread.comments] == [li["id"].removeprefix("comment-") for li in items]
    assert max(depths.values()) == max(_depth_class(li) for li in items) - 1
    assert sum(1 for d in depths.values() if d) == sum(1 for li in items if _depth_class(li) > 1)
    assert all(c.author != "Anonymous" and c.body and c.date for c in thread.comments)


@pytest.mark.skipif(not _real_files(), reason="shared/real/html not available")
def test_real_page_matches_the_readme_figures(real_page):
    name, soup, thread = real_page
    stated_count, stated_depth = README_FIGURES[name]
    if stated_count is None:
        assert len(thread.comments) + int(thread.post.metadata["pingbacks"]) == 20
    else:
        assert len(thread.comments) == stated_count
    assert max(reply_depths(thread).values()) == stated_depth
    assert thread.post.title and thread.post.date and len(thread.post.paragraphs) >= 10


def test_cli_imports_saved_pages(tmp_path):
    import argparse
    import io

    from netiquette.commands import import_

    parser = argparse.ArgumentParser(prog="netiquette")
    import_.configure(parser.add_subparsers(dest="command", required=True))
    pages = [str(DATA / "modern_page.html"), str(DATA / "older_page.html")]
    args = parser.parse_args(["import", "html", *pages, "--output", str(tmp_path)])
    stdout = io.StringIO()
    assert args.func(args, stdout=stdout, stderr=io.StringIO()) == 0
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.md")) == [
        "comments/old-habits/html-101.md",
        "comments/old-habits/html-102.md",
        "comments/old-habits/html-103.md",
        "comments/quiet-manners/html-11.md",
        "comments/quiet-manners/html-12.md",
        "comments/quiet-manners/html-13.md",
        "comments/quiet-manners/html-15.md",
        "old-habits.md",
        "quiet-manners.md",
    ]
    assert "replyto: html-101\n" in (tmp_path / "comments/old-habits/html-102.md").read_text()
    assert "2 posts, 0 pages, 0 drafts" in stdout.getvalue()


# --- the post body keeps its markup ---------------------------------------------------------------

RICH_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Rich Post | Blog</title>
<meta property="og:url" content="https://blog.example/2021/rich-post/"></head><body>
<article class="post"><header class="entry-header"><h1 class="entry-title">Rich Post</h1></header>
<div class="entry-content">
<p>Das steht im Internet <a href="https://vsge.example/">hier</a>, kurz <em>VSGE</em>.</p>
<h2>A <strong>heading</strong></h2>
<ul><li>One <a href="javascript:alert(1)">trap</a></li><li>Two <a href="/about/">about</a></li></ul>
<blockquote><p>Quoted, <cite>somebody</cite>.</p></blockquote>
<p>Run <code>make</code> or write <a href="mailto:jo@blog.example">Jo</a>.</p>
<pre><code>print("hi")</code></pre>
<div class="sharedaddy"><h3>Share this:</h3><ul><li><a href="#">Facebook</a></li></ul></div>
<p onclick="steal()">Bye<script>alert(2)</script><img src="https://tracker.example/p.gif">.</p>
</div></article>
<ol class="comment-list"><li class="comment" id="comment-1"><div class="comment-author">
<b class="fn">Ann</b></div><div class="comment-content"><p>Nice.</p></div></li></ol>
</body></html>"""
RICH_PARAGRAPHS = [
    "Das steht im Internet hier, kurz VSGE.",
    "A heading",
    "One trap",
    "Two about",
    "Quoted, somebody.",
    "Run make or write Jo.",
    'print("hi")',
    "Bye.",
]


@pytest.fixture(scope="module")
def rich_reader_output(tmp_path_factory):
    from tests.test_decoding import saved_page_reader

    content = tmp_path_factory.mktemp("rich") / "content"
    page = content / "threads" / "rich.html"
    page.parent.mkdir(parents=True)
    page.write_text(RICH_PAGE, encoding="utf-8")
    html, metadata = saved_page_reader(content).read(str(page))
    return page, BeautifulSoup(html, "lxml"), metadata["netiquette_thread"]


def test_saved_page_reader_keeps_the_posts_markup(rich_reader_output):
    _, soup, thread = rich_reader_output
    assert soup.select_one("h2#p-2").decode() == '<h2 id="p-2">A <strong>heading</strong></h2>'
    assert [li["id"] for li in soup.select("ul > li")] == ["p-3", "p-4"]
    assert soup.select_one("p#p-1 em").get_text() == "VSGE"
    assert soup.select_one("blockquote#p-5 p cite") is not None
    assert soup.select_one("p#p-6 code").get_text() == "make"
    assert soup.select_one("pre#p-7 code").get_text() == 'print("hi")'
    hrefs = [a.get("href") for a in soup.select("a")]
    assert hrefs == [
        "https://vsge.example/",
        None,
        "https://blog.example/about/",
        "mailto:jo@blog.example",
    ]
    assert thread.post.paragraphs == RICH_PARAGRAPHS


def test_saved_page_body_is_sanitized_and_without_theme_chrome(rich_reader_output):
    _, soup, _ = rich_reader_output
    html = soup.decode()
    assert "javascript:" not in html and "<script" not in html and "alert" not in html
    assert "onclick" not in html and "<img" not in html and "tracker.example" not in html
    assert "Share this" not in html and "Facebook" not in html
    assert "Rich Post" not in soup.get_text()  # the title is the page's, not a paragraph
    assert all(a["rel"] == ["nofollow", "noopener", "noreferrer"] for a in soup.select("a"))


def test_no_stray_space_before_punctuation_between_inline_elements():
    page = (
        '<div class="entry-content"><p>Abmahnungen im <a href="/x">Internet</a> , kurz '
        "<em>VSGE</em> .</p><p>im Internet <a href='/x'>Netz</a>, kurz <b>VSGE</b>.</p></div>"
    )
    assert parse_html_page(page, "spaces.html").post.paragraphs == [
        "Abmahnungen im Internet , kurz VSGE .",
        "im Internet Netz, kurz VSGE.",
    ]


def test_title_with_inline_markup_has_no_stray_spaces():
    page = '<h1 class="entry-title">Manners, <em>online</em>.</h1><article><p>Text.</p></article>'
    assert parse_html_page(page, "title.html").post.title == "Manners, online."


def test_saved_page_reads_the_same_in_reader_import_and_analyze(rich_reader_output, tmp_path):
    page, _, thread = rich_reader_output
    assert [t.post.paragraphs for t in load_path(page)] == [RICH_PARAGRAPHS]
    result = import_html_pages([(str(page), RICH_PAGE)])
    [post] = result.posts
    assert post.thread.post.paragraphs == RICH_PARAGRAPHS
    assert post.body_html == parse_saved_page(RICH_PAGE, str(page)).body_html
    assert "<h2>A <strong>heading</strong></h2>" in post.body_html
    assert 'id="p-' not in post.body_html

    from netiquette.importers.writer import write_content
    from tests.conftest import build_site

    content = tmp_path / "content"
    write_content(result, content)
    [post_file] = content.glob("*.md")
    assert [t.post.paragraphs for t in load_path(post_file)] == [RICH_PARAGRAPHS]
    output = build_site(content, tmp_path / "output")
    built = BeautifulSoup((output / "posts" / "rich-post.html").read_bytes(), "lxml")
    texts = [" ".join(tag.get_text().split()) for tag in built.select(".post-body [id^=p-]")]
    assert texts == RICH_PARAGRAPHS
