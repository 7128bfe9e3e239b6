"""Search: the records given to Pagefind, the bundle and page a build writes, and search switched off
or missing. The search itself, in a browser, is tests/browser/test_search_page.py."""

from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
import sys
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup
from pelican.log import LimitFilter
from pelican.plugins.netiquette import search
from pelican.plugins.netiquette.search import CommentRecord, PageRecord
from pelican.plugins.netiquette.settings import SettingsError, check_settings

from netiquette.site.views import CommentView, ThreadEvent
from tests.conftest import ROOT, build_site

pagefind_needed = pytest.mark.skipif(
    search.missing_pagefind() is not None, reason="Pagefind is not installed: pip install -e ."
)


def topic(name: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, slug=name.lower(), url=f"topics/{name.lower()}.html")


def comment(anchor: str, author: str, body: str, date=None, topics=()) -> CommentView:
    return CommentView(
        id=anchor,
        anchor=f"comment-{anchor}",
        author=Markup.escape(author),
        author_name=author,
        author_inferred=False,
        author_url=None,
        date=date,
        signature=None,
        body=Markup(body),
        topics=[topic(name) for name in topics],
        depth=0,
    )


def post(url="posts/a-post.html", title="A &amp; B", comments=(), post_topics=(), undated=False):
    events = []
    for view in comments:
        events += [ThreadEvent("open", view), ThreadEvent("close", view)]
    return SimpleNamespace(
        url=url,
        source_path=f"/content/{url}.md",
        title=Markup(title),
        _content='<p id="p-1">First <em>paragraph</em>.</p><p id="p-2">Second one.</p>',
        date=datetime(2024, 3, 11, 12, 4),
        author=SimpleNamespace(name="Marta Keane"),
        netiquette=SimpleNamespace(
            comment_count=len(comments),
            events=events,
            undated=undated,
            post_topics=[topic(name) for name in post_topics],
        ),
    )


def test_each_comment_is_a_record_at_its_anchor_with_author_date_and_topics() -> None:
    content = post(
        comments=[
            comment(
                "1",
                "Priya Natarajan",
                "<p>Sixty-one &amp; <strong>ten minutes</strong> later.</p><p>A pitch.</p>",
                datetime(2024, 3, 11, 12, 4),
                ["Hard selling", "Spam"],
            ),
            comment("2", "Anonymous", "<p>No date, no topic.</p>"),
        ]
    )
    first, second = search.comment_records(content)
    assert first.url == "/posts/a-post.html#comment-1"
    assert first.meta == {
        "kind": "comment",
        "title": "Comment by Priya Natarajan",
        "author": "Priya Natarajan",
        "post": "A & B",
        "date": "2024-03-11",
    }
    assert first.filters == {"topic": ["Hard selling", "Spam"]}
    assert first.sort == {"date": "2024-03-11"}
    assert "<" not in first.content and "Sixty-one & ten minutes later." in first.content
    assert "A pitch." in first.content
    assert second.url == "/posts/a-post.html#comment-2"
    assert "date" not in second.meta and second.filters == {} and second.sort == {}


def test_a_post_is_one_record_of_its_text_with_its_own_topics_only() -> None:
    content = post(
        title="Tom &amp; <em>Jerry</em>",
        comments=[comment("1", "X", "<p>words</p>", topics=["Spam"])],
        post_topics=["Vanity metrics", "A <b> & c"],
    )
    record = search.page_record(content, "post", "en")
    assert record.url == "/posts/a-post.html"
    assert record.topics == ("Vanity metrics", "A <b> & c")
    page = BeautifulSoup(record.html, "lxml")
    assert page.html["lang"] == "en"
    assert page.select_one("main[data-pagefind-body] h1").get_text() == "Tom & Jerry"
    meta = {
        span["data-pagefind-meta"]: span.get_text() for span in page.select("[data-pagefind-meta]")
    }
    assert meta == {
        "title": "Tom & Jerry",
        "kind": "post",
        "author": "Marta Keane",
        "date": "2024-03-11",
    }
    filters = [span.get_text() for span in page.select('[data-pagefind-filter="topic"]')]
    assert filters == ["Vanity metrics", "A <b> & c"]
    assert all(
        span.find_parent(attrs={"data-pagefind-ignore": True}) for span in page.select("span")
    )
    assert [p["id"] for p in page.select("p[id]")] == ["p-1", "p-2"]
    assert "words" not in record.html


def test_an_undated_post_has_no_date() -> None:
    record = search.page_record(post(undated=True), "post", "en")
    assert 'data-pagefind-meta="date"' not in record.html
    assert "data-pagefind-sort" not in record.html


def test_records_cover_published_posts_and_pages_in_address_order() -> None:
    older = post(url="posts/b.html", comments=[comment("1", "X", "<p>one</p>")])
    newer = post(url="posts/a.html")
    about = post(url="pages/about.html")
    about.netiquette = None
    records = search.search_records({"articles": [older, newer], "pages": [about]}, "en")
    assert [(type(r).__name__, r.url) for r in records] == [
        ("PageRecord", "/pages/about.html"),
        ("PageRecord", "/posts/a.html"),
        ("PageRecord", "/posts/b.html"),
        ("CommentRecord", "/posts/b.html#comment-1"),
    ]
    assert 'data-pagefind-meta="kind">page<' in records[0].html


def test_the_topic_list_holds_only_topics_some_record_carries() -> None:
    records = [
        PageRecord("/a.html", "", ("B",)),
        CommentRecord("/a.html#comment-1", "", filters={"topic": ["D"]}),
    ]
    names = search.topic_names(records, [topic(n) for n in "ABCD"])
    assert names == ["B", "D"]


def test_the_index_is_in_the_site_language() -> None:
    assert search.search_language({"DEFAULT_LANG": "pt_BR"}) == "pt-br"
    assert search.search_language({}) == "en"


def test_search_settings_are_checked() -> None:
    with pytest.raises(SettingsError, match="NETIQUETTE_SEARCH = 'yes': expected True or False"):
        check_settings({"PATH": "content", "NETIQUETTE_SEARCH": "yes"})
    with pytest.raises(SettingsError, match="NETIQUETTE_SEARCH_SAVE_AS"):
        check_settings({"PATH": "content", "NETIQUETTE_SEARCH_SAVE_AS": "/search.html"})


def without_pagefind(monkeypatch) -> None:
    """Pagefind as if not installed, and Pelican's memory of warnings already given forgotten."""
    monkeypatch.setitem(sys.modules, "pagefind", None)
    monkeypatch.setitem(sys.modules, "pagefind.service", None)
    monkeypatch.setattr(LimitFilter, "_raised_messages", set())


def test_missing_pagefind_turns_search_off_with_one_warning(monkeypatch, caplog) -> None:
    without_pagefind(monkeypatch)
    settings = {"NETIQUETTE_SEARCH": True}
    with caplog.at_level(logging.WARNING, logger="netiquette"):
        search.check_search(settings)
    assert settings["NETIQUETTE_SEARCH"] is False
    assert [r.getMessage() for r in caplog.records] == [
        "search is off: the pagefind package is not installed (pip install 'pagefind[bin]')"
    ]


@pagefind_needed
def test_pagefind_without_its_program_turns_search_off(monkeypatch) -> None:
    import pagefind.service

    monkeypatch.setattr(pagefind.service, "get_executable", lambda: None)
    assert "program is missing" in search.missing_pagefind()


def test_a_site_builds_without_pagefind_and_links_no_search(tmp_path, monkeypatch, caplog) -> None:
    without_pagefind(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="netiquette"):
        output = build_site(ROOT / "content", tmp_path / "output")
    assert sum("search is off" in r.getMessage() for r in caplog.records) == 1
    assert_no_search(output)


def test_search_off_writes_and_links_nothing(tmp_path) -> None:
    assert_no_search(build_site(ROOT / "content", tmp_path / "output", NETIQUETTE_SEARCH=False))


def assert_no_search(output: Path) -> None:
    assert (output / "index.html").is_file()
    assert not (output / "search.html").exists()
    assert not (output / search.BUNDLE).exists()
    for page in output.rglob("*.html"):
        assert 'rel="search"' not in page.read_text(encoding="utf-8"), page


@pagefind_needed
def test_the_demo_has_a_search_page_linked_from_every_page(demo_site: Path) -> None:
    assert (demo_site / "pagefind" / "pagefind.js").is_file()
    assert (demo_site / "pagefind" / "pagefind-entry.json").is_file()
    assert not (demo_site / ".pagefind.new").exists()
    page = BeautifulSoup((demo_site / "search.html").read_text(encoding="utf-8"), "lxml")
    assert page.select_one("#netiquette-search")["data-bundle"] == "./pagefind/"
    assert "Search needs JavaScript" in page.noscript.get_text()
    assert page.select_one("form.search-form").has_attr("hidden")
    assert page.select_one("form input[name=q]") and page.select_one("form select[name=topic]")
    pages = [p for p in demo_site.rglob("*.html") if "pagefind" not in p.parts]
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        links = [a["href"] for a in soup.select(".site-nav a")]
        assert any(href.endswith("search.html") for href in links), path
        assert soup.select_one('link[rel="search"]')["href"].endswith("search.html"), path


@pagefind_needed
def test_every_post_page_and_comment_of_the_demo_is_one_record(demo_site: Path) -> None:
    document = json.loads((demo_site / "analysis.json").read_text(encoding="utf-8"))
    expected = {}
    for item in document["posts"]:
        expected["/" + item["url"]] = None
        for c in item["comments"]:
            expected[f"/{item['url']}#{c['anchor']}"] = c["author"]
    found = {f["url"]: f for f in fragments(demo_site)}
    assert found.keys() == expected.keys()
    for url, author in expected.items():
        if author is not None:
            assert found[url]["meta"]["author"] == author
            assert found[url]["meta"]["kind"] == "comment"


@pagefind_needed
def test_a_thread_is_left_out_of_the_page_text_pagefind_would_read(demo_site: Path) -> None:
    page = BeautifulSoup(
        (demo_site / "posts" / "cold-pitches-in-my-inbox.html").read_text(encoding="utf-8"),
        "lxml",
    )
    assert page.select_one("#comments").find_parent(attrs={"data-pagefind-ignore": True})


@pagefind_needed
def test_two_builds_write_the_same_search_bytes(demo_site: Path, tmp_path: Path) -> None:
    again = build_site(ROOT / "content", tmp_path / "elsewhere" / "output")
    first, second = files(demo_site / "pagefind"), files(again / "pagefind")
    assert first.keys() == second.keys() and len(first) > 10
    assert [name for name in first if first[name] != second[name]] == []
    assert (demo_site / "search.html").read_bytes() == (again / "search.html").read_bytes()


def fragments(output: Path) -> list[dict]:
    """What the bundle holds of each record (Pagefind's fragments: gzipped, behind a signature)."""
    found = []
    for path in sorted((output / "pagefind" / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        found.append(json.loads(data[len(b"pagefind_dcd") :]))
    return found


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pagefind_needed
def test_a_rebuild_indexes_again_only_when_the_records_change(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cached = {"LOAD_CONTENT_CACHE": True, "CACHE_CONTENT": True}
    output = build_site(content, tmp_path / "output", **cached)
    entry = output / "pagefind" / "pagefind-entry.json"
    (output / "pagefind" / "fragment" / "stale.pf_fragment").write_bytes(b"")
    before = entry.stat().st_mtime_ns
    build_site(content, output, **cached)
    assert entry.stat().st_mtime_ns == before
    note = content / "comments" / "cold-pitches-in-my-inbox" / "1.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nA zanzibarian afterthought.\n")
    os.utime(note, ns=(before + 10**9, before + 10**9))
    build_site(content, output, **cached)
    assert entry.stat().st_mtime_ns != before
    assert not (output / "pagefind" / "fragment" / "stale.pf_fragment").exists()
    found = [f for f in fragments(output) if "zanzibarian" in f["content"]]
    assert [f["url"] for f in found] == ["/posts/cold-pitches-in-my-inbox.html#comment-1"]


@pagefind_needed
def test_the_bundle_is_written_from_records(tmp_path: Path) -> None:
    records = [
        PageRecord("/a.html", '<html lang="en"><body><h1>A</h1><p>apple</p></body></html>'),
        CommentRecord("/a.html#comment-1", "banana", {"title": "Comment by X"}, {"topic": ["T"]}),
    ]
    assert search.write_bundle(records, tmp_path, "en")
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 2
    assert list((tmp_path / "pagefind" / "filter").iterdir())


def test_a_failing_indexer_is_an_error_and_leaves_no_half_bundle(tmp_path, monkeypatch, caplog):
    async def fail(records, staging, language):
        staging.mkdir()
        raise RuntimeError("Pagefind stopped")

    monkeypatch.setattr(search, "_index", fail)
    (tmp_path / "pagefind").mkdir()
    with caplog.at_level(logging.ERROR, logger="netiquette"):
        assert not search.write_bundle([], tmp_path, "en")
    assert "Pagefind stopped" in caplog.text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pagefind"]


@pagefind_needed
def test_filter_values_are_put_in_order_under_the_names_pagefind_gives(tmp_path: Path) -> None:
    def bundle(name: str, topics: list[str]) -> tuple[Path, dict[str, bytes]]:
        records = [
            CommentRecord(f"/a.html#comment-{i}", f"word {i}", {"title": "t"}, {"topic": [t]})
            for i, t in enumerate(topics)
        ]
        folder = tmp_path / name
        search._run(lambda: search._index(records, folder, "en"))
        before = {p.relative_to(folder).as_posix(): search._unpack(p) for p in packed(folder)}
        search.stable_filters(folder)
        return folder, before

    folder, before = bundle("one", ["Only"])
    after = {p.relative_to(folder).as_posix(): search._unpack(p) for p in packed(folder)}
    assert after == before  # one value has one order: Pagefind's own names and bytes stand

    folder, _ = bundle("many", [f"Topic {n:02}" for n in range(40)])
    (chunk,) = (folder / "filter").iterdir()
    name, values = search._cbor_item(search._unpack(chunk))
    assert name == "topic" and [v[0] for v in values] == [f"Topic {n:02}" for n in range(40)]
    entry = json.loads((folder / "pagefind-entry.json").read_text())
    meta = search._unpack(folder / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    assert search._cbor(chunk.stem) in meta


def packed(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.pf_*") if p.is_file())


@pagefind_needed
def test_the_hostile_check_admits_the_search_page_and_nothing_dressed_as_it(demo_site: Path):
    from tests.test_hostile_content import markup_problems

    page = (demo_site / "search.html").read_text(encoding="utf-8")
    assert markup_problems(page, page=True) == []
    forged = page.replace("(() => {", "(() => { alert(1);", 1)
    assert "search: a script other than search.js" in markup_problems(forged, page=True)
    empty = '<ol class="search-results"></ol>'
    smuggled = page.replace(empty, '<ol class="search-results"><img src=x onerror=alert(1)></ol>')
    assert {"search: <img>", "search: onerror= on <img>"} <= set(
        markup_problems(smuggled, page=True)
    )


@pagefind_needed
@pytest.mark.skipif(not Path("/bin/false").exists(), reason="needs /bin/false")
def test_a_pagefind_that_stops_fails_the_index_not_the_build(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    with caplog.at_level(logging.ERROR, logger="netiquette"):
        assert not search.write_bundle([CommentRecord("/a.html#comment-1", "x")], tmp_path, "en")
    # Which side of the pipe notices first ("stopped" reading, "Connection lost" writing) varies.
    assert "search index not written: Pagefind failed" in caplog.text
    assert list(tmp_path.iterdir()) == []
