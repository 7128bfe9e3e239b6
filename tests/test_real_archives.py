"""The importers on real archives, checked against direct counts of the files and the stated figures.

Every figure the importer reports (posts, published comments, replies) is compared with a count made
here by plain regular expressions over the raw file, a method that shares no code with the importer,
and with the figures shared/real/README.md states. The files are read from shared/real, never copied.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from netiquette.importers.names import comment_stem
from netiquette.importers.pages import import_html_pages
from netiquette.importers.writer import comment_path, write_content
from netiquette.parsers.archive import ImportResult
from netiquette.parsers.disqus import read_disqus
from netiquette.parsers.wxr import read_wxr

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
WXR_FILES = sorted((REAL / "wxr").glob("*.xml")) + sorted(
    path for path in (REAL / "wxr_extra").glob("*.xml") if "disqus" not in path.name
)
DISQUS_FILES = sorted((REAL / "wxr_extra").glob("*disqus*.xml"))
HTML_FILES = sorted((REAL / "html").glob("*.html"))

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="shared/real not available")

#: Figures stated in shared/real/README.md, per WXR file.
README_WXR = {
    "01_wpimporter_theme-unit-test-data.xml": {
        "total": 33, "all_replies": 10, "deepest": 9, "pending": 3, "pingback": 2, "trackback": 2,
    },
    "02_cedricporter_wordpress.xml": {"total": 166, "all_replies": 84, "deepest": 4, "trash": 1},
    "03_timothyfitz_wordpress.xml": {
        "total": 381, "plain": 206, "pingback": 174, "trackback": 1, "pending": 24,
        "all_replies": 4,
    },
    "04_jamesgecko_wordpress.xml": {"total": 67, "spam": 2},
    "05_cc-archive-labs_wordpress.xml": {
        "total": 181, "pingback": 62, "all_replies": 3, "posts": 219,
    },
    "judell_wordpress2pivot_embedded_wxr.xml": {
        "total": 3, "spam": 1, "pingback": 1, "published": 1,
    },
    "isso_tests_wordpress.xml": {"deepest": 2},
}  # fmt: skip


# --- direct counts -------------------------------------------------------------------------------


def _field(block: str, name: str) -> str:
    match = re.search(
        rf"<wp:{name}>\s*(?:<!\[CDATA\[(.*?)\]\]>|([^<]*))\s*</wp:{name}>", block, re.DOTALL
    )
    return (
        match.group(1) if match and match.group(1) is not None else match.group(2) if match else ""
    ).strip()


def _depth(parents: dict[str, str], comment_id: str) -> int:
    depth = 0
    while parents.get(comment_id, "0") not in {"", "0"}:
        comment_id = parents[comment_id]
        depth += 1
    return depth


@dataclass
class WxrCount:
    posts: int = 0
    pages: int = 0
    published: int = 0
    replies: int = 0
    deepest: int = 0
    total: int = 0
    all_replies: int = 0
    approved: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)
    pings: Counter = field(default_factory=Counter)  # by type, leaving out spam and trash


def count_wxr(text: str) -> WxrCount:
    """Published items are post/page, status publish, no password; comments approved == 1, plain."""
    count = WxrCount()
    for item in re.findall(r"<item>(.*?)</item>", text, re.DOTALL):
        kind = _field(item, "post_type") or "post"
        published = (
            kind in {"post", "page"}
            and (_field(item, "status") or "publish") == "publish"
            and not _field(item, "post_password")
        )
        if published:
            count.posts += kind == "post"
            count.pages += kind == "page"
        shown: dict[str, str] = {}
        for block in re.findall(r"<wp:comment>(.*?)</wp:comment>", item, re.DOTALL):
            approved, kind_ = _field(block, "comment_approved"), _field(block, "comment_type")
            parent = _field(block, "comment_parent")
            count.total += 1
            count.all_replies += parent not in {"", "0"}
            count.approved[approved] += 1
            count.types[kind_ or "plain"] += 1
            if approved not in {"spam", "trash"}:
                count.pings[kind_] += 1
            if published and approved == "1" and kind_ in {"", "comment"}:
                shown[_field(block, "comment_id")] = parent
        count.published += len(shown)
        count.replies += sum(1 for parent in shown.values() if parent not in {"", "0"})
        count.deepest = max([count.deepest, *(_depth(shown, c) for c in shown)])
    return count


def count_disqus(text: str) -> tuple[int, int, int]:
    """(threads with published comments, published comments, replies), as ``create_posts`` sees them.

    Published: isSpam and isDeleted both ``false``, on a thread (quoted dsq:id) the file declares.
    """
    threads = set(re.findall(r'<thread dsq:id="([^"]+)">', text))
    published: dict[str, tuple[str, str | None]] = {}
    for block in re.findall(r"<post\b[^>]*>.*?</post>", text, re.DOTALL):
        thread = re.search(r'<thread dsq:id="([^"]+)"\s*/>', block)
        if (
            re.search(r"<isSpam>\s*false\s*</isSpam>", block)
            and re.search(r"<isDeleted>\s*false\s*</isDeleted>", block)
            and thread
            and thread.group(1) in threads
        ):
            own = re.match(r'<post dsq:id="([^"]+)"', block)
            parent = re.search(r'<parent dsq:id="([^"]+)"', block)
            published[own.group(1) if own else block] = (
                thread.group(1),
                parent.group(1) if parent else None,
            )
    replies = sum(1 for _, parent in published.values() if parent in published)
    return len({thread for thread, _ in published.values()}), len(published), replies


def count_html(text: str) -> tuple[int, int]:
    """(li elements whose class has the token ``comment``, those with ``depth-N`` above 1)."""
    classes = [
        match.group(1).split()
        for match in re.finditer(r"<li\b[^>]*?\bclass\s*=\s*[\"']([^\"']*)[\"']", text)
    ]
    comments = [names for names in classes if "comment" in names]
    replies = sum(
        1 for names in comments if any(re.fullmatch(r"depth-([2-9]|\d\d+)", n) for n in names)
    )
    return len(comments), replies


# --- fixtures: each file parsed once -------------------------------------------------------------


@pytest.fixture(scope="module", params=WXR_FILES, ids=lambda path: path.name)
def wxr_case(request) -> tuple[Path, ImportResult, WxrCount]:
    path = request.param
    data = path.read_bytes()
    return path, read_wxr(data, path.name), count_wxr(data.decode("utf-8"))


@pytest.fixture(scope="module", params=DISQUS_FILES, ids=lambda path: path.name)
def disqus_case(request) -> tuple[Path, ImportResult]:
    path = request.param
    return path, read_disqus(path.read_bytes(), path.name, create_posts=True)


@pytest.fixture(scope="module", params=HTML_FILES, ids=lambda path: path.name)
def html_case(request) -> tuple[Path, ImportResult]:
    path = request.param
    return path, import_html_pages([(path.name, path.read_text(encoding="utf-8"))])


# --- WordPress exports ---------------------------------------------------------------------------


def test_wxr_figures_equal_a_direct_count(wxr_case):
    _, result, direct = wxr_case
    counts = result.counts
    assert (counts.posts, counts.pages) == (direct.posts, direct.pages)
    assert counts.published == direct.published
    assert counts.replies == direct.replies
    assert counts.deepest == direct.deepest
    assert counts.total_comments == direct.total
    assert sum(len(post.thread.comments) for post in result.posts) == direct.published


def test_wxr_figures_match_the_readme(wxr_case):
    path, result, direct = wxr_case
    stated = README_WXR.get(path.name, {})
    counts = result.counts
    figures = {
        "total": counts.total_comments,
        "all_replies": direct.all_replies,
        "deepest": counts.deepest,
        "pending": counts.moderation["pending"],
        "spam": counts.moderation["spam"],
        "trash": counts.moderation["trash"],
        "pingback": counts.comments["pingback"],
        "trackback": counts.comments["trackback"],
        "plain": direct.types["plain"] + direct.types["comment"],
        "posts": counts.posts,
        "published": counts.published,
    }
    assert {key: figures[key] for key in stated} == stated


def test_wxr_held_back_comments_are_all_accounted_for(wxr_case):
    _, result, direct = wxr_case
    counts = result.counts
    assert counts.total_comments == sum(counts.moderation.values()) == direct.total
    assert counts.comments["approved"] == counts.published + counts.unplaced
    for kind in ("pingback", "trackback"):
        assert counts.comments[kind] == direct.pings[kind]


def test_undeclared_atom_prefix_is_reported_with_its_line(wxr_case):
    path, result, _ = wxr_case
    warnings = [p for p in result.problems if "not declared" in p.message]
    if path.name.startswith("03_"):
        assert [(p.line, p.level) for p in warnings] == [(49, "warning")]
    else:
        assert warnings == []


def test_reimport_into_the_same_folder_is_byte_identical(wxr_case, tmp_path):
    path, result, _ = wxr_case
    first = write_content(result, tmp_path / "a")
    again = write_content(read_wxr(path.read_bytes(), path.name), tmp_path / "a")
    fresh = write_content(read_wxr(path.read_bytes(), path.name), tmp_path / "b")
    assert (again.created, again.updated) == ([], [])
    assert again.unchanged == len(first.created) == len(fresh.created)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_imported_posts_are_readable_by_pelican(tmp_path):
    from pelican.readers import MarkdownReader
    from pelican.settings import DEFAULT_CONFIG

    path = REAL / "wxr" / "02_cedricporter_wordpress.xml"
    result = read_wxr(path.read_bytes(), path.name, drafts=True)
    write_content(result, tmp_path)
    reader = MarkdownReader(copy.deepcopy(DEFAULT_CONFIG))
    for post in result.posts:
        folder = tmp_path / "pages" if post.kind == "page" else tmp_path
        _, metadata = reader.read(str(folder / f"{post.slug}.md"))
        assert metadata["title"] == post.thread.post.title
        assert metadata["slug"] == post.slug
        assert metadata["date"].isoformat() == post.thread.post.date.isoformat()
        assert metadata.get("status", "published") == ("published" if post.published else "draft")
        if post.kind == "post":
            assert [str(tag) for tag in metadata.get("tags", [])] == post.tags
            assert str(metadata["category"]) == post.categories[0]


# --- Disqus exports ------------------------------------------------------------------------------


def test_disqus_figures_equal_a_direct_count(disqus_case):
    path, result = disqus_case
    threads, published, replies = count_disqus(path.read_text(encoding="utf-8"))
    counts = result.counts
    assert (counts.posts, counts.published, counts.replies) == (threads, published, replies)


def test_disqus_spam_and_recovery_on_the_malformed_file(disqus_case):
    path, result = disqus_case
    text = path.read_text(encoding="utf-8")
    literal_spam = len(re.findall(r"<isSpam>\s*true\s*</isSpam>", text))
    assert literal_spam <= result.counts.comments["spam"]
    recovered = [p for p in result.problems if "recovery mode" in p.message]
    if path.name.startswith("remark42"):
        assert literal_spam == 1  # the README's "1 isSpam=true"
        assert [p.line for p in recovered] == [147]
        assert any("stray byte" in p.message for p in result.problems)
    else:
        assert recovered == []


# --- saved pages ---------------------------------------------------------------------------------


def test_saved_page_figures_equal_a_direct_count(html_case):
    path, result = html_case
    comments, replies = count_html(path.read_text(encoding="utf-8"))
    counts = result.counts
    assert (counts.posts, counts.published, counts.replies) == (1, comments, replies)


def test_written_comment_files_read_back_as_the_same_comments(tmp_path):
    from netiquette.parsers.commentfiles import parse_comment_file

    path = REAL / "wxr" / "01_wpimporter_theme-unit-test-data.xml"
    result = read_wxr(path.read_bytes(), path.name)
    write_content(result, tmp_path)
    checked = 0
    for post in result.posts:
        for comment in post.thread.comments:
            file = tmp_path / comment_path(post.slug, "wxr", comment.id)
            read, problems = parse_comment_file(file.read_bytes(), str(file))
            assert problems == []
            # the id read back is the file's name, and replyto names the parent's file
            parent = comment_stem("wxr", comment.parent_id) if comment.parent_id else None
            assert (read.id, read.author, read.parent_id) == (
                comment_stem("wxr", comment.id),
                comment.author,
                parent,
            )
            assert (read.date, read.author_url) == (comment.date, comment.author_url)
            assert read.body == comment.body
            checked += 1
    assert checked == result.counts.published
