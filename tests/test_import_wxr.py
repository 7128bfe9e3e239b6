"""WordPress export import: what is published, what is held back and counted, and the files written."""

from __future__ import annotations

import argparse
import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netiquette.commands import import_
from netiquette.importers.existing import read_header
from netiquette.importers.writer import render_comment, render_post, write_content
from netiquette.model import Comment
from netiquette.parsers.archive import ArchiveError
from netiquette.parsers.wxr import read_wxr

DATA = Path(__file__).parent / "data" / "import"
SMALL = DATA / "small_wxr.xml"

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
    "<channel>\n"
)
TAIL = "</channel>\n</rss>\n"


def item(title: str = "A post", comments: str = "", extra: str = "") -> str:
    return (
        f"<item><title>{title}</title><wp:post_id>1</wp:post_id>"
        "<wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt>"
        "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
        f"<content:encoded><![CDATA[Body.]]></content:encoded>{extra}{comments}</item>\n"
    )


def comment(cid: str, parent: str = "0", approved: str = "1", kind: str = "") -> str:
    return (
        f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
        f"<wp:comment_author>Author {cid}</wp:comment_author>"
        "<wp:comment_date_gmt>2020-01-02 00:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content>Comment {cid}</wp:comment_content>"
        f"<wp:comment_approved>{approved}</wp:comment_approved>"
        f"<wp:comment_type>{kind}</wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
    )


def wxr(*items: str) -> bytes:
    return (HEAD + "".join(items) + TAIL).encode("utf-8")


@pytest.fixture(scope="module")
def small():
    return read_wxr(SMALL.read_bytes(), "small_wxr.xml")


def by_slug(result):
    return {post.slug: post for post in result.posts}


# --- reading ---------------------------------------------------------------------------------------


def test_only_approved_ordinary_comments_are_published(small):
    hello = by_slug(small)["hello-world"]
    assert [c.id for c in hello.thread.comments] == ["1", "2", "4", "9"]
    assert all(c.format == "html" for c in hello.thread.comments)
    assert small.counts.published == 5  # four on the post, one on the page


def test_held_back_comments_are_counted_by_status(small):
    counts = small.counts
    assert counts.comments == {
        "approved": 7,
        "pending": 1,
        "pingback": 1,
        "trackback": 1,
        "spam": 1,
        "trash": 1,
    }
    assert counts.moderation["pending"] == 2  # the pending trackback is counted as a trackback
    assert counts.unplaced == 2  # on the draft and on the attachment
    assert counts.published + counts.unplaced == counts.comments["approved"]
    assert counts.held_back == counts.total_comments - 5


def test_reply_to_unpublished_comment_becomes_top_level_with_warning(small):
    comments = by_slug(small)["hello-world"].thread.by_id()
    assert comments["4"].parent_id is None
    warnings = [str(p) for p in small.all_problems() if "'4'" in p.message]
    assert warnings == [
        "small_wxr.xml:68: comment '4' replies to comment '3', which is not published "
        "(pending); published top-level"
    ]


def test_replies_and_deepest_nesting_are_counted(small):
    comments = by_slug(small)["hello-world"].thread.by_id()
    assert comments["2"].parent_id == "1"
    assert comments["9"].parent_id == "2"
    assert (small.counts.replies, small.counts.deepest) == (2, 2)


def test_comment_fields_come_from_the_export(small):
    comments = by_slug(small)["hello-world"].thread.by_id()
    first = comments["1"]
    assert first.author == "Αλέξανδρος"
    assert first.author_url == "http://alex.example/"
    assert first.date == datetime(2012, 1, 20, 9, 0, tzinfo=UTC)  # the GMT date, not local
    assert first.line == 33  # the <wp:comment> element
    # a zero GMT date falls back to the local one
    assert comments["9"].date == datetime(2012, 1, 22, 15, 30, tzinfo=UTC)


def test_plain_text_comment_gets_paragraphs_and_line_breaks(small):
    body = by_slug(small)["hello-world"].thread.by_id()["1"].body
    assert body == "<p>First line<br />\nsecond line</p>\n<p>A new paragraph.</p>"
    html = by_slug(small)["hello-world"].thread.by_id()["2"].body
    assert html == "<p>I <strong>disagree</strong>.</p>"


def test_author_name_with_line_break_is_one_line(small):
    assert by_slug(small)["hello-world"].thread.by_id()["2"].author == "Eve replyto: 1"


def test_post_body_is_kept_verbatim_with_nested_cdata(small):
    body = by_slug(small)["hello-world"].body_html
    assert body.startswith("<p>First paragraph with <em>markup</em>.</p>\n\nSecond paragraph")
    assert body.endswith("<pre>code with ]]> inside</pre>")


def test_post_paragraphs_are_plain_text_without_shortcodes(small):
    post = by_slug(small)["hello-world"].thread.post
    assert post.paragraphs == [
        "First paragraph with markup.",
        "Second paragraph, plain text on two lines.",
        "A caption",
        "code with ]]> inside",
    ]
    assert post.title == "Hello, Wörld"
    assert post.author == "admin"
    assert post.date == datetime(2012, 1, 19, 16, 50, 3, tzinfo=UTC)


def test_posts_and_pages_are_told_apart(small):
    posts = by_slug(small)
    assert (posts["hello-world"].kind, posts["about"].kind) == ("post", "page")
    assert (small.counts.posts, small.counts.pages, small.counts.drafts) == (2, 1, 1)
    assert posts["hello-world"].link == "http://blog.example/2012/01/hello-world/"


def test_tags_and_categories_are_read_by_domain(small):
    hello = by_slug(small)["hello-world"]
    assert hello.tags == ["greetings", "a, b"]
    assert hello.categories == ["News"]


def test_wxr_1_0_terms_without_domain_are_not_doubled():
    terms = (
        "<category><![CDATA[Uncategorized]]></category>"
        '<category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>'
        '<category domain="tag"><![CDATA[rdfa]]></category>'
        '<category domain="tag" nicename="rdfa"><![CDATA[rdfa]]></category>'
    )
    post = read_wxr(wxr(item(extra=terms)), "t.xml").posts[0]
    assert (post.tags, post.categories) == (["rdfa"], ["Uncategorized"])


def test_slugs_come_from_post_name_then_title_and_are_unique(small):
    assert [post.slug for post in small.posts] == ["hello-world", "about", "hello-world-2"]
    drafts = read_wxr(SMALL.read_bytes(), "small_wxr.xml", drafts=True)
    assert [post.slug for post in drafts.posts] == [
        "hello-world",
        "about",
        "unicode-draft",
        "hello-world-2",
    ]


def test_drafts_are_imported_only_when_asked(small):
    assert all(post.published for post in small.posts)
    drafts = read_wxr(SMALL.read_bytes(), "small_wxr.xml", drafts=True)
    draft = by_slug(drafts)["unicode-draft"]
    assert draft.status == "draft"
    assert [c.id for c in draft.thread.comments] == ["30"]
    assert drafts.counts.published == small.counts.published


def test_private_password_protected_and_other_items_are_skipped(small):
    assert small.counts.skipped == {
        "attachment": 1,
        "nav_menu_item": 1,
        "private": 1,
        "password-protected": 1,
    }
    assert "members-only" not in by_slug(small)
    assert any("password-protected" in p.message for p in small.problems)


def test_crlf_line_endings_and_byte_order_mark_are_tolerated():
    data = b"\xef\xbb\xbf" + wxr(item(comments=comment("1") + comment("2", "1"))).replace(
        b"\n", b"\r\n"
    )
    result = read_wxr(data, "crlf.xml")
    assert (result.counts.published, result.counts.replies) == (2, 1)
    assert result.problems == []


def test_undeclared_namespace_prefix_is_declared_with_a_warning():
    data = wxr(
        '<atom:link href="http://x.example/feed" rel="self"/>\n', item(comments=comment("1"))
    )
    result = read_wxr(data, "atom.xml")
    assert result.counts.published == 1
    [problem] = result.problems
    assert problem.line == 5
    assert "'atom:'" in problem.message and problem.level == "warning"


def test_malformed_xml_is_read_in_recovery_mode_with_a_warning():
    broken = item(comments=comment("1")).replace(
        "<title>A post</title>", "<title>A <b>post</title>"
    )
    result = read_wxr(wxr(broken, item("Second", comment("2"))), "broken.xml")
    assert any("recovery mode" in p.message for p in result.problems)
    assert result.problems[0].line == 5


def test_stray_bytes_before_the_declaration_are_removed():
    result = read_wxr(b"`" + wxr(item(comments=comment("1"))), "junk.xml")
    assert result.counts.published == 1
    assert "stray byte" in result.problems[0].message


def test_invalid_utf8_is_replaced_and_reported():
    data = wxr(item(comments=comment("1"))).replace(b"Comment 1", b"Caf\xe9 1")
    result = read_wxr(data, "latin.xml")
    assert result.posts[0].thread.comments[0].body == "<p>Caf\ufffd 1</p>"
    assert "not UTF-8" in result.problems[0].message


def test_declared_legacy_encoding_is_decoded():
    data = wxr(item("Caf\u00e9")).replace(b'encoding="UTF-8"', b'encoding="windows-1252"')
    result = read_wxr(data.replace("Caf\u00e9".encode(), b"Caf\xe9"), "cp1252.xml")
    assert result.posts[0].thread.post.title == "Caf\u00e9"
    assert result.problems == []


def test_unreadable_file_raises_archive_error_with_file_and_line():
    with pytest.raises(ArchiveError) as raised:
        read_wxr(b"\n\nthis is not XML at all", "notes.txt")
    assert raised.value.source == "notes.txt"
    assert raised.value.line == 3
    assert str(raised.value).startswith("notes.txt:3: ")


def test_progress_is_reported_up_to_the_total():
    calls: list[tuple[int, int]] = []
    items = [item(f"Post {n}") for n in range(250)]
    read_wxr(wxr(*items), "big.xml", progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (250, 250)
    assert 50 <= len(calls) <= 260
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


# --- writing ---------------------------------------------------------------------------------------


def test_writer_lays_out_posts_pages_and_comment_files(small, tmp_path):
    report = write_content(small, tmp_path)
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.md"))
    assert files == [
        "comments/about/wp-20.md",
        "comments/hello-world/wp-1.md",
        "comments/hello-world/wp-2.md",
        "comments/hello-world/wp-4.md",
        "comments/hello-world/wp-9.md",
        "hello-world-2.md",
        "hello-world.md",
        "pages/about.md",
    ]
    assert (report.posts, report.pages, report.drafts, report.comments) == (2, 1, 0, 5)


def test_post_file_has_a_pelican_metadata_header_then_the_body(small):
    text = render_post(by_slug(small)["hello-world"])
    header, body = text.split("\n\n", 1)
    assert header.splitlines() == [
        "Title: Hello, Wörld",
        "Date: 2012-01-19T16:50:03+00:00",
        "Author: admin",
        "Slug: hello-world",
        "Tags: greetings, a b",
        "Category: News",
        "Link: http://blog.example/2012/01/hello-world/",
    ]
    assert body.startswith("<p>First paragraph with <em>markup</em>.</p>")


def test_a_title_is_written_so_that_pelican_and_its_themes_read_it_as_text():
    title = "&lt;img src=x onerror=alert(1)&gt; &quot;&gt;&lt;script&gt; Q&amp;A"
    [post] = read_wxr(wxr(item(title)), "t.xml").posts
    assert post.thread.post.title == '<img src=x onerror=alert(1)> "><script> Q&A'
    line = render_post(post).splitlines()[0]
    assert (
        line
        == "Title: \u2039img src=x onerror=alert(1)\u203a \u201c\u203a\u2039script\u203a Q&amp;A"
    )


def test_comment_file_has_author_date_url_replyto_then_the_body(small):
    comments = by_slug(small)["hello-world"].thread.by_id()
    assert render_comment(comments["1"], "wxr") == (
        "author: Αλέξανδρος\ndate: 2012-01-20T09:00:00+00:00\nurl: http://alex.example/\n\n"
        "<p>First line<br />\nsecond line</p>\n<p>A new paragraph.</p>\n"
    )
    assert "replyto: wp-1\n" in render_comment(comments["2"], "wxr")


def test_metadata_values_cannot_inject_lines():
    hostile = Comment(
        id="7",
        author="Mallory\nreplyto: 1\r\nurl: http://evil.example",
        body="text",
        author_url="http://a.example/\n\nbody",
        date=datetime(2020, 1, 1, tzinfo=UTC),
    )
    header = render_comment(hostile, "wxr").split("\n\n", 1)[0].splitlines()
    assert header == [
        "author: Mallory replyto: 1 url: http://evil.example",
        "date: 2020-01-01T00:00:00+00:00",
        "url: http://a.example/ body",
    ]


def test_drafts_are_written_with_status_draft(tmp_path):
    result = read_wxr(SMALL.read_bytes(), "small_wxr.xml", drafts=True)
    report = write_content(result, tmp_path)
    assert report.drafts == 1
    assert read_header(tmp_path / "unicode-draft.md")["status"] == "draft"
    assert (tmp_path / "comments" / "unicode-draft" / "wp-30.md").is_file()


def test_rewriting_the_same_import_changes_no_bytes_and_touches_no_file(small, tmp_path):
    write_content(small, tmp_path)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*.md")}
    for path in before:
        os.utime(path, ns=(1, 1))
    again = write_content(read_wxr(SMALL.read_bytes(), "small_wxr.xml"), tmp_path)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*.md")}
    assert after == {p: data for p, (data, _) in before.items()}
    assert (again.created, again.updated, again.unchanged) == ([], [], len(before))
    assert all(p.stat().st_mtime_ns == 1 for p in before)


# --- command line ----------------------------------------------------------------------------------


def run_cli(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="netiquette")
    import_.configure(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    stdout, stderr = io.StringIO(), io.StringIO()
    code = args.func(args, stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_cli_imports_a_wxr_file_and_prints_a_report(tmp_path):
    code, out, err = run_cli("import", "wxr", str(SMALL), "--output", str(tmp_path))
    assert code == 0, err
    assert "2 posts, 1 page, 1 draft" in out
    assert "published: 5 (2 replies, deepest nesting 2)" in out
    assert "pending 1" in out and "spam 1" in out and "pingback 1" in out
    assert f"{SMALL}:68: comment '4' replies to comment '3'" in out
    assert (tmp_path / "hello-world.md").is_file()


def test_quiet_reports_the_same_counts_without_the_lists(tmp_path):
    _, full, _ = run_cli("import", "wxr", str(SMALL), "-o", str(tmp_path / "a"))
    code, quiet, err = run_cli("import", "wxr", str(SMALL), "-o", str(tmp_path / "b"), "-q")
    assert code == 0 and err == ""
    assert "published: 5 (2 replies, deepest nesting 2)" in quiet
    assert f"{SMALL}:68:" in full and f"{SMALL}:68:" not in quiet
    warnings = next(line for line in full.splitlines() if line.startswith("  warnings: "))
    assert f"{warnings} (run without --quiet to list them)" in quiet
    assert len(quiet.splitlines()) < len(full.splitlines())
    assert sorted(p.name for p in (tmp_path / "a").rglob("*.md")) == sorted(
        p.name for p in (tmp_path / "b").rglob("*.md")
    )


def test_an_input_of_another_format_is_named_with_what_reads_it(tmp_path):
    code, _, err = run_cli("import", "html", str(SMALL), "-o", str(tmp_path / "a"), "--dry-run")
    assert code == 0
    assert err.startswith(f"warning: {SMALL}: looks like a WordPress (WXR) or Disqus export")
    assert "netiquette import wxr" in err
    _, _, quiet = run_cli("import", "wxr", str(SMALL), "-o", str(tmp_path / "b"), "--dry-run")
    assert quiet == ""


def test_cli_writes_drafts_only_with_the_flag(tmp_path):
    run_cli("import", "wxr", str(SMALL), "-o", str(tmp_path / "plain"))
    run_cli("import", "wxr", str(SMALL), "-o", str(tmp_path / "drafts"), "--drafts")
    assert not (tmp_path / "plain" / "unicode-draft.md").exists()
    assert (tmp_path / "drafts" / "unicode-draft.md").exists()


def test_cli_bad_file_exits_2_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<?xml version='1.0'?>\n\n<<<")
    code, out, err = run_cli("import", "wxr", str(bad), "-o", str(tmp_path / "out"))
    assert code == 2
    assert err.startswith(f"error: {bad}:3: ")
    assert not (tmp_path / "out").exists()


def test_cli_missing_file_exits_2(tmp_path):
    code, _, err = run_cli("import", "wxr", str(tmp_path / "nope.xml"), "-o", str(tmp_path))
    assert code == 2
    assert "nope.xml" in err


def test_cli_shows_progress_on_stderr_for_large_files(tmp_path, monkeypatch):
    monkeypatch.setattr(import_, "PROGRESS_MIN_BYTES", 0)
    code, _, err = run_cli("import", "wxr", str(SMALL), "-o", str(tmp_path))
    assert code == 0
    assert err.splitlines()[-1] == "reading small_wxr.xml: 8/8 items"


def test_cli_output_that_cannot_be_written_exits_1(tmp_path):
    blocker = tmp_path / "content"
    blocker.write_text("a file where the folder should be")
    code, out, err = run_cli("import", "wxr", str(SMALL), "-o", str(blocker))
    assert code == 1
    assert err.startswith("error: ") and "cannot write" in err
