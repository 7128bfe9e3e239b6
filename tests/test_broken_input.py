"""Broken input never stops a build: every problem is reported once, with its file (and line).

One build holds every case: empty and binary files with content extensions, text that is not UTF-8,
byte-order marks, CRLF line endings, reply cycles, replies to missing comments, duplicate comment
ids, a 1 MB comment, a 10,000-comment thread, a reply chain 200 deep, and right-to-left and emoji
names. The log of that build is captured once and checked case by case.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import build_site
from tests.test_hostile_content import built_once

LARGE_THREAD_COMMENTS = 10_000
DEEP_CHAIN = 200
MAX_VISUAL_DEPTH = 6  # NETIQUETTE_MAX_VISUAL_DEPTH's default
HUGE_COMMENT_BYTES = 1_000_000

# A few bytes of a PNG image, NULs and bytes that are never valid UTF-8.
BINARY = bytes(range(256)) * 8 + b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x00"

RTL_NAME = "مريم العلي"
HEBREW_NAME = "שלום עליכם"
EMOJI_NAME = "🦄🌈"
MIXED_NAME = "Zoë 😀 Ångström"


def write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def comment(author: str | None, day: int, body: str, reply_to: str | None = None) -> str:
    head = [f"author: {author}"] if author else []
    head.append(f"date: 2024-06-{day:02d} 12:00")
    if reply_to:
        head.append(f"replyto: {reply_to}")
    return "\n".join(head) + f"\n\n{body}\n"


def post(slug: str, title: str, day: int = 1) -> str:
    return f"Title: {title}\nDate: 2024-06-{day:02d}\nSlug: {slug}\n\nThe post of {title}.\n"


def text_thread(title: str, comments: list[str], newline: str = "\n") -> str:
    lines = [title, "", "The post's only paragraph.", "", f"{len(comments)} comments", ""]
    lines += [f"  {n}. {text}" for n, text in enumerate(comments, start=1)]
    return newline.join(lines) + newline


def write_broken_cases(content: Path) -> None:
    """The small broken cases (everything but the 1 MB comment and the 10,000-comment thread)."""
    write(content / "broken-empty.txt", b"")
    write(content / "broken-binary.txt", BINARY)
    write(content / "broken-binary-post.md", BINARY)
    write(
        content / "broken-latin1.txt",
        text_thread("Not UTF-8", ["Plain first comment.", "Un café, s'il vous plaît."]).encode(
            "cp1252"
        ),
    )
    write(
        content / "broken-bom.txt",
        b"\xef\xbb\xbf" + text_thread("Starts with a BOM", ["First.", "Second."]).encode(),
    )
    write(
        content / "broken-crlf.txt",
        "Ends lines with CRLF\r\n\r\nPost text.\r\n\r\n2 comments\r\n\r\n"
        "  1. Top comment.\r\n\r\n     1. A reply to it.\r\n",
    )
    threads = content / "comments" / "broken-threads"
    write(content / "broken-threads.md", post("broken-threads", "Broken threads"))
    write(threads / "cycle-a.md", comment("Ann", 2, "I reply to b.", "cycle-b"))
    write(threads / "cycle-b.md", comment("Bo", 3, "I reply to a.", "cycle-a"))
    write(threads / "orphan-reply.md", comment("Cy", 4, "My parent is gone.", "no-such-comment"))
    write(threads / "dup.md", comment("Di", 5, "The first dup."))
    write(threads / "dup.markdown", comment("Ed", 6, "The second dup."))
    write(threads / "no-author.md", comment(None, 7, "Nobody signed this."))
    write(
        threads / "bom-crlf.md",
        b"\xef\xbb\xbf" + comment("Flo", 8, "BOM.").replace("\n", "\r\n").encode(),
    )
    write(threads / "binary.md", BINARY)
    write(threads / "latin1.md", comment("Gus", 9, "Déjà vu.").encode("cp1252"))
    write(threads / "rtl-1.md", comment(RTL_NAME, 10, "مرحبا بالجميع"))
    write(threads / "rtl-2.md", comment(RTL_NAME, 11, "تعليق ثان", "rtl-1"))
    write(threads / "hebrew.md", comment(HEBREW_NAME, 12, "שלום"))
    write(threads / "emoji-1.md", comment(EMOJI_NAME, 13, "🎉🎉🎉"))
    write(threads / "emoji-2.md", comment(EMOJI_NAME, 14, "👍", "emoji-1"))
    write(threads / "mixed.md", comment(MIXED_NAME, 15, "Ça va 😀"))
    write(content / "broken-deep.md", post("broken-deep", "Two hundred replies deep"))
    # Dates cycle through the month, so many replies are dated before the comment they answer.
    for depth in range(DEEP_CHAIN):
        parent = f"d{depth - 1:03d}" if depth else None
        write(
            content / "comments" / "broken-deep" / f"d{depth:03d}.md",
            comment(f"Replier {depth % 7}", 1 + depth % 28, f"Reply at depth {depth}.", parent),
        )
    write(content / "comments" / "broken-no-such-post" / "lost.md", comment("Hal", 2, "Lost."))


def write_large_cases(content: Path) -> None:
    """A 1 MB comment and a scraped thread of 10,000 comments."""
    write(content / "broken-huge.md", post("broken-huge", "One huge comment"))
    paragraph = "A very long comment keeps going and going without saying much. " * 15
    paragraphs = (HUGE_COMMENT_BYTES // (len(paragraph) + 2)) + 1
    write(
        content / "comments" / "broken-huge" / "huge.md",
        comment("Iris", 2, "\n\n".join([paragraph.strip()] * paragraphs)),
    )
    items = [
        f"Person {n % 50} says:\n     Comment {n} of a very long thread." for n in range(1, 10_001)
    ]
    write(content / "broken-ten-thousand.txt", text_thread("Ten thousand comments", items))


@dataclass
class Build:
    output: Path
    records: list[tuple[int, str]]  # (level, message) of every log record of the build

    def messages(self, fragment: str) -> list[str]:
        """Logged messages that mention ``fragment`` (a file name, usually)."""
        return [message for _, message in self.records if fragment in message]

    def page(self, slug: str, parser: str = "lxml") -> BeautifulSoup:
        return BeautifulSoup((self.output / "posts" / f"{slug}.html").read_bytes(), parser)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


def forget_logged_warnings() -> None:
    """Pelican drops a warning it has logged before in this process; builds here start afresh."""
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def build_and_capture(content: Path, output: Path) -> list[tuple[int, str]]:
    """Build ``content`` into ``output``; returns every log record of the build."""
    forget_logged_warnings()
    handler = _Records()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        build_site(content, output)
    finally:
        root.removeHandler(handler)
    return handler.records


def build_broken_site(root: Path) -> None:
    write_broken_cases(root / "content")
    write_large_cases(root / "content")
    records = build_and_capture(root / "content", root / "output")
    (root / "log.json").write_text(json.dumps(records), encoding="utf-8")


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Build:
    root = built_once(tmp_path_factory, "broken-site", build_broken_site)
    records = json.loads((root / "log.json").read_text(encoding="utf-8"))
    return Build(root / "output", [(level, message) for level, message in records])


def analysis(build: Build) -> dict[str, dict]:
    document = json.loads((build.output / "analysis.json").read_text(encoding="utf-8"))
    return {p["slug"]: p for p in document["posts"]}


def test_every_content_problem_is_reported_exactly_once(broken: Build) -> None:
    problems = [message for level, message in broken.records if level >= logging.WARNING]
    repeated = {m for m in problems if problems.count(m) > 1}
    assert repeated == set()


@pytest.mark.parametrize(
    ("file", "pattern"),
    [
        ("broken-empty.txt", r"empty file"),
        ("broken-binary.txt", r"undecodable"),
        ("broken-binary.txt", r"control character"),
        ("broken-binary-post.md", r"."),
        ("broken-latin1.txt", r"broken-latin1\.txt:\d+: 2 undecodable"),
        ("comments/broken-threads/latin1.md", r"latin1\.md:\d+: 2 undecodable"),
        ("comments/broken-threads/binary.md", r"undecodable"),
        ("comments/broken-threads/cycle-a.md", r"reply cycle; published top-level"),
        ("comments/broken-threads/orphan-reply.md", r"unknown comment 'no-such-comment'"),
        (
            "comments/broken-threads/dup.markdown",
            r"duplicate comment id 'dup'; published as 'dup-2'",
        ),
        ("comments/broken-threads/no-author.md", r"Anonymous"),
        ("comments/broken-no-such-post/lost.md", r"held back"),
    ],
)
def test_each_broken_file_is_named_once_in_the_log(broken: Build, file: str, pattern: str) -> None:
    matching = [m for m in broken.messages(file) if re.search(pattern, m)]
    assert len(matching) == 1, broken.messages(file)


def test_undecodable_bytes_are_reported_at_their_line(broken: Build) -> None:
    (message,) = [m for m in broken.messages("broken-latin1.txt") if "undecodable" in m]
    assert "broken-latin1.txt:8:" in message
    (message,) = [m for m in broken.messages("latin1.md") if "undecodable" in m]
    assert "latin1.md:4:" in message


def test_text_that_is_not_utf8_is_published_with_replacement_characters(broken: Build) -> None:
    text = broken.page("not-utf-8").get_text()
    assert "Un caf\ufffd, s'il vous pla\ufffdt." in text
    assert "D\ufffdj\ufffd vu." in broken.page("broken-threads").get_text()


def test_byte_order_marks_and_crlf_are_invisible(broken: Build) -> None:
    bom = broken.page("starts-with-a-bom")
    assert bom.h1.get_text() == "Starts with a BOM"
    assert len(bom.select("article.comment")) == 2
    crlf = broken.page("ends-lines-with-crlf")
    assert crlf.h1.get_text() == "Ends lines with CRLF"
    (top,) = crlf.select("ol.thread > li > article.comment")
    assert len(top.select("article.comment")) == 1
    assert "\r" not in (broken.output / "posts" / "ends-lines-with-crlf.html").read_text("utf-8")
    flo = [
        a
        for a in broken.page("broken-threads").select("article.comment")
        if "Flo" in a.header.get_text()
    ]
    assert len(flo) == 1 and flo[0].select_one(".comment-body").get_text(strip=True) == "BOM."


def test_reply_cycles_and_missing_parents_are_published_top_level(broken: Build) -> None:
    page = broken.page("broken-threads")
    top = {a["id"] for a in page.select("ol.thread > li > article.comment")}
    assert {"comment-cycle-a", "comment-orphan-reply"} <= top
    assert page.select_one("#comment-cycle-a #comment-cycle-b") is not None


def test_duplicate_comment_ids_both_publish_with_distinct_anchors(broken: Build) -> None:
    page = broken.page("broken-threads")
    assert len(page.select("#comment-dup")) == 1
    assert len(page.select("#comment-dup-2")) == 1
    bodies = {
        page.select_one(f"#{a} .comment-body").get_text(strip=True)
        for a in ("comment-dup", "comment-dup-2")
    }
    assert bodies == {"The first dup.", "The second dup."}


def test_binary_comment_file_is_published_not_fatal(broken: Build) -> None:
    assert broken.page("broken-threads").select_one("#comment-binary") is not None


def test_comments_of_a_missing_post_are_held_back_and_listed(broken: Build) -> None:
    held = BeautifulSoup((broken.output / "held-back.html").read_bytes(), "lxml").get_text()
    assert "comments/broken-no-such-post/lost.md" in held


def test_a_one_megabyte_comment_is_published_whole(broken: Build) -> None:
    page = broken.page("broken-huge")
    body = page.select_one("#comment-huge .comment-body")
    assert len(body.get_text()) >= HUGE_COMMENT_BYTES * 0.95


def test_ten_thousand_comments_are_all_published(broken: Build) -> None:
    html = (broken.output / "posts" / "ten-thousand-comments.html").read_text(encoding="utf-8")
    anchors = re.findall(r'<article class="comment" id="(comment-[^"]+)"', html)
    assert len(anchors) == len(set(anchors)) == LARGE_THREAD_COMMENTS
    assert '<h2 id="comments-heading">10000 comments</h2>' in html
    assert len(analysis(broken)["ten-thousand-comments"]["comments"]) == LARGE_THREAD_COMMENTS
    people = BeautifulSoup((broken.output / "commenters/index.html").read_bytes(), "lxml")
    assert "Person 7" in people.get_text()


def test_a_reply_chain_200_deep_nests_fully_and_stops_indenting(broken: Build) -> None:
    page = broken.page("broken-deep", parser="html.parser")
    comments = page.select("article.comment")
    assert len(comments) == DEEP_CHAIN
    for depth, article in enumerate(comments):
        assert article["id"] == f"comment-d{depth:03d}"
        assert len(article.find_parents("article", class_="comment")) == depth
    replies = page.select("ol.replies")
    assert len(replies) == DEEP_CHAIN - 1
    for index, replies_list in enumerate(replies):
        depth_inside = index + 1
        flat = "flat" in replies_list["class"]
        assert flat == (depth_inside >= MAX_VISUAL_DEPTH), (depth_inside, replies_list["class"])


def test_right_to_left_and_emoji_names_are_shown_and_get_commenter_pages(broken: Build) -> None:
    page = broken.page("broken-threads")
    names = {a.get_text(strip=True) for a in page.select(".comment-author")}
    assert {RTL_NAME, HEBREW_NAME, EMOJI_NAME, MIXED_NAME} <= names
    people = BeautifulSoup((broken.output / "commenters/index.html").read_bytes(), "lxml")
    links = {a.get_text(strip=True): a["href"] for a in people.select("table a")}
    for name in (RTL_NAME, EMOJI_NAME):
        target = (broken.output / "commenters" / links[name]).resolve()
        assert target.is_file(), (name, links[name])
        assert BeautifulSoup(target.read_bytes(), "lxml").h1.get_text() == name
    assert links[RTL_NAME] != links[EMOJI_NAME]
