"""What site-wide pages need of a thread, small enough to hold for every thread of a site at once.

Topic pages, commenter pages, feeds, related posts and post lists read a thread's counts, topics,
mentions and each comment's author and date; the comments' full HTML is needed only on the post's
own page (and in topic feeds, for comments that raise a topic), their excerpts only on commenter
pages. A `ThreadSummary` keeps the former; the full analysis and the excerpts stay in the
`netiquette.store.ThreadStore`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from netiquette.analysis import ThreadAnalysis
from netiquette.model import Mention, Problem
from netiquette.site.views import DERIVED, person_name


@dataclass(slots=True)
class CommentSummary:
    """One comment as lists of comments show it; its HTML and excerpt stay in the thread store.

    `key` is a hash of everything the comment shows, its HTML and excerpt included; `number` is
    its place in its thread (`thread_key`), where the store keeps the thread's excerpts in order.
    `listed` is False for an anonymous comment whose author was inferred: it is nobody's comment.
    """

    key: int
    id: str = field(metadata=DERIVED)
    name: str = field(metadata=DERIVED)
    listed: bool = field(metadata=DERIVED)
    date: datetime | None = field(metadata=DERIVED)
    topics: tuple[str, ...] = field(metadata=DERIVED)
    mentions: tuple[Mention, ...] = field(metadata=DERIVED)
    thread_key: str = field(metadata=DERIVED)
    number: int = field(metadata=DERIVED)

    @property
    def anchor(self) -> str:
        return f"comment-{self.id}"


@dataclass(slots=True)
class ParagraphSummary:
    """A post paragraph that raises a topic."""

    number: int
    text: str
    mentions: tuple[Mention, ...]


@dataclass(slots=True)
class ThreadSummary:
    """A thread as site-wide pages see it; `key` is the thread's cache key."""

    key: str
    comment_count: int
    declared_count: int | None
    post_topics: tuple[str, ...]
    topics: tuple[str, ...]
    paragraphs: tuple[ParagraphSummary, ...]
    comments: tuple[CommentSummary, ...]
    problems: tuple[Problem, ...] = ()
    source: str = ""
    author_inferred: bool = False
    not_english: int = 0


def summarize(key: str, analysis: ThreadAnalysis) -> ThreadSummary:
    thread = analysis.thread
    paragraphs = tuple(
        ParagraphSummary(number, thread.post.paragraphs[number - 1], tuple(mentions))
        for number, mentions in analysis.paragraph_mentions.items()
    )
    comments = []
    for number, comment in enumerate(thread.comments):
        result = analysis.comments[comment.id]
        name = person_name(comment)
        listed = not (name == "Anonymous" and comment.is_inferred("author"))
        mentions = tuple(result.mentions)
        parts = (comment.id, name, listed, comment.date, result.excerpt, mentions, result.html)
        comments.append(
            CommentSummary(
                shown_key(*parts),
                comment.id,
                name,
                listed,
                comment.date,
                tuple(result.topics),
                mentions,
                key,
                number,
            )
        )
    return ThreadSummary(
        key=key,
        comment_count=len(thread.comments),
        declared_count=thread.declared_count,
        post_topics=tuple(analysis.post_topics),
        topics=tuple(analysis.topics),
        paragraphs=paragraphs,
        comments=tuple(comments),
        problems=tuple(thread.problems),
        source=thread.post.source,
        author_inferred=thread.post.is_inferred("author"),
        not_english=analysis.not_english,
    )


def excerpts_text(analysis: ThreadAnalysis) -> str:
    """The thread's comment excerpts in order, one a line (an excerpt is a single line)."""
    return "\n".join(analysis.comments[c.id].excerpt for c in analysis.thread.comments)


def shown_key(*parts: object) -> int:
    """One hash of the values a page shows, so a page's digest can stand for them all."""
    text = "\x1f".join(repr(part) for part in parts)
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big")
