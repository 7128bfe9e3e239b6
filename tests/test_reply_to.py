"""Replies below the indentation cap say whom they answer: "In reply to <name>", linked to its anchor.

A thread's view gives every reply its parent's anchor and escaped name (whatever order the comments
come in); the theme prints them for replies deeper than ``NETIQUETTE_MAX_VISUAL_DEPTH``, where a
reply is drawn level with the comment it answers.
"""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup

from netiquette.analysis import CommentAnalysis, ThreadAnalysis
from netiquette.model import Comment, Post, Thread
from netiquette.site.views import comment_views
from tests.test_broken_input import DEEP_CHAIN, MAX_VISUAL_DEPTH, Build, broken  # noqa: F401


def _analysis(comments: list[Comment]) -> ThreadAnalysis:
    thread = Thread(Post("A post"), comments)
    bodies = {c.id: CommentAnalysis(Markup("<p>x</p>"), "x", []) for c in comments}
    return ThreadAnalysis(thread, comments=bodies)


def test_every_reply_knows_its_parents_anchor_and_escaped_name() -> None:
    comments = [
        # The reply comes first: it is dated before the comment it answers.
        Comment("b", "Bob", "Reply.", parent_id="a", date=datetime(2024, 1, 1)),
        Comment("a", "<b>Ann</b>", "Top.", date=datetime(2024, 1, 2)),
        Comment("c", "", "Reply to the reply.", parent_id="b"),
    ]
    views = comment_views(_analysis(comments), {}, {})
    assert views["a"].parent_anchor is None and views["a"].parent_author is None
    assert views["b"].parent_anchor == "comment-a"
    assert views["b"].parent_author == Markup("&lt;b&gt;Ann&lt;/b&gt;")
    assert (views["c"].parent_anchor, views["c"].parent_author) == ("comment-b", "Bob")
    assert views["c"].depth == 2


def test_only_replies_below_the_cap_say_whom_they_answer(broken: Build) -> None:  # noqa: F811
    page = broken.page("broken-deep", parser="html.parser")
    comments = page.select("article.comment")
    assert len(comments) == DEEP_CHAIN
    for depth, article in enumerate(comments):
        line = article.find("p", class_="reply-to", recursive=False)
        if depth < MAX_VISUAL_DEPTH:
            assert line is None, depth
            continue
        link = line.find("a")
        assert link["href"] == f"#comment-d{depth - 1:03d}"
        assert link.get_text() == f"Replier {(depth - 1) % 7}"
        assert line.get_text(" ", strip=True) == f"In reply to Replier {(depth - 1) % 7}"
