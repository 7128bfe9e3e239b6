"""Disqus export import: matching threads to posts, stubs, spam and deleted comments, broken files."""

from __future__ import annotations

import argparse
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netiquette.commands import import_
from netiquette.importers.existing import posts_by_link
from netiquette.parsers.archive import ArchiveError
from netiquette.parsers.disqus import normalize_link, read_disqus

DATA = Path(__file__).parent / "data" / "import"
SMALL = DATA / "small_disqus.xml"
SITE = {"https://blog.example/2012/01/hello-world": "hello-world", "other-post": "other-post"}


@pytest.fixture(scope="module")
def matched():
    return read_disqus(SMALL.read_bytes(), "small_disqus.xml", posts_by_link=SITE)


@pytest.fixture(scope="module")
def stubs():
    return read_disqus(
        SMALL.read_bytes(), "small_disqus.xml", posts_by_link=SITE, create_posts=True
    )


def by_slug(result):
    return {post.slug: post for post in result.posts}


def messages(result):
    return [problem.message for problem in result.all_problems()]


def test_links_are_compared_without_scheme_www_or_final_slash():
    assert normalize_link("http://www.Blog.example/a/b/") == normalize_link(
        "https://blog.example/a/b"
    )
    assert normalize_link("http://blog.example/?p=4") == "blog.example?p=4"


def test_threads_are_matched_to_existing_posts_by_link_or_slug(matched):
    posts = by_slug(matched)
    assert set(posts) == {"hello-world", "other-post"}
    assert all(post.existing for post in posts.values())
    assert [c.id for c in posts["other-post"].thread.comments] == ["2001"]


def test_spam_and_deleted_comments_are_counted_not_published(matched):
    hello = by_slug(matched)["hello-world"].thread.by_id()
    assert set(hello) == {"1001", "1002", "1005", "1006"}
    assert matched.counts.comments == {"approved": 8, "spam": 1, "deleted": 1}


def test_replies_follow_parent_ids(matched):
    hello = by_slug(matched)["hello-world"].thread.by_id()
    assert hello["1002"].parent_id == "1001"
    assert hello["1006"].parent_id == "1002"
    assert (matched.counts.replies, matched.counts.deepest) == (2, 2)


def test_reply_to_a_deleted_comment_becomes_top_level_with_warning(matched):
    assert by_slug(matched)["hello-world"].thread.by_id()["1005"].parent_id is None
    assert (
        "comment '1005' replies to comment '1004', which is not published (deleted); "
        "published top-level"
    ) in messages(matched)


def test_comment_fields(matched):
    hello = by_slug(matched)["hello-world"].thread.by_id()
    assert hello["1001"].author == "Ann"
    assert hello["1001"].body == "<p>First!</p>"
    assert hello["1001"].date == datetime(2012, 1, 20, 9, 0, tzinfo=UTC)
    assert hello["1002"].author == "bob_only_username"  # no display name: the username
    assert hello["1002"].body == "<p>Plain text<br />\non two lines</p>"


def test_unmatched_threads_are_reported_and_their_comments_not_published(matched):
    assert matched.counts.unplaced == 3  # two on the unknown page, one on a missing thread
    assert matched.counts.published == 5
    found = messages(matched)
    assert any("thread '300'" in m and "2 comment(s) not imported" in m for m in found)
    assert any("thread '999', which is not in the export" in m for m in found)


def test_threads_without_comments_never_become_posts(stubs):
    assert stubs.counts.skipped == {"thread without comments": 1}
    assert "nobody-commented" not in by_slug(stubs)


def test_create_posts_makes_a_stub_for_unmatched_threads(stubs):
    stub = by_slug(stubs)["uber-uns"]
    assert not stub.existing
    assert stub.thread.post.title == "Über uns"
    assert 'href="http://blog.example/unknown-page/"' in stub.body_html
    assert len(stub.thread.comments) == 2
    assert stubs.counts.unplaced == 1
    assert stubs.counts.posts == 3


def test_comment_without_dsq_id_gets_a_stable_derived_id(stubs):
    ids = [c.id for c in by_slug(stubs)["uber-uns"].thread.comments]
    again = read_disqus(SMALL.read_bytes(), "x.xml", create_posts=True)
    assert ids == [c.id for c in by_slug(again)["uber-uns"].thread.comments]
    assert any("without dsq:id" in m for m in messages(stubs))


def test_malformed_export_is_recovered_with_warnings():
    data = b"`" + SMALL.read_bytes().replace(b'<thread dsq:id="200"/>', b"<thread dsq:id=200/>")
    result = read_disqus(data, "broken.xml", posts_by_link=SITE)
    found = messages(result)
    assert any("stray byte" in m for m in found)
    assert any("recovery mode" in m for m in found)
    assert "hello-world" in by_slug(result)


def test_a_file_that_is_not_a_disqus_export_is_an_archive_error():
    with pytest.raises(ArchiveError, match="not a Disqus export"):
        read_disqus(b"<rss><channel/></rss>", "feed.xml")


def test_existing_posts_are_found_by_link_header(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "comments" / "a").mkdir(parents=True)
    (tmp_path / "a.md").write_text("Title: A\nSlug: a-post\nLink: http://blog.example/a/\n\nBody\n")
    (tmp_path / "pages" / "b.md").write_text("Title: B\n\nBody\n")
    (tmp_path / "comments" / "a" / "1.md").write_text("author: X\nlink: http://no/\n\nHi\n")
    assert posts_by_link(tmp_path) == {"http://blog.example/a/": "a-post", "b": "b"}


def test_cli_matches_threads_against_the_output_folder(tmp_path):
    (tmp_path / "hello.md").write_text(
        "Title: Hello\nSlug: hello-world\nLink: http://blog.example/2012/01/hello-world/\n\nBody\n"
    )
    parser = argparse.ArgumentParser(prog="netiquette")
    import_.configure(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["import", "disqus", str(SMALL), "--output", str(tmp_path)])
    stdout, stderr = io.StringIO(), io.StringIO()
    assert args.func(args, stdout=stdout, stderr=stderr) == 0
    assert sorted(p.name for p in (tmp_path / "comments" / "hello-world").iterdir()) == [
        "disqus-1001.md",
        "disqus-1002.md",
        "disqus-1005.md",
        "disqus-1006.md",
    ]
    assert (tmp_path / "hello.md").read_text().startswith("Title: Hello\n")
    assert "published: 4" in stdout.getvalue()


def test_a_stub_post_carries_only_an_http_link_whatever_the_export_says(tmp_path):
    from netiquette.importers.writer import render_post

    export = (
        '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals">\n'
        '<thread dsq:id="1"><link>javascript:alert(document.domain)//</link><title>T</title></thread>\n'
        '<post dsq:id="2"><message>Hi</message><createdAt>2012-01-20T09:00:00Z</createdAt>'
        '<author><name>Ann</name></author><thread dsq:id="1"/></post>\n</disqus>\n'
    )
    result = read_disqus(export.encode(), "x.xml", create_posts=True)
    (post,) = result.posts
    assert post.link is None and "javascript" not in post.body_html
    assert "javascript" not in render_post(post).lower()
