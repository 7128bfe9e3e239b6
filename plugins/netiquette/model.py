"""The data model every reader produces and everything downstream consumes.

Plain dataclasses with no Pelican imports, so parsers, the tagger and the command line can use them
without a site. A reader turns one source (a scraped text file, a comment-file folder, an export) into
a `Thread`; problems it meets along the way are collected as `Problem`s rather than raised, so one bad
file never stops the others.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

BodyFormat = Literal["text", "markdown", "html"]


@dataclass(frozen=True)
class Problem:
    """Something wrong with the input, reported once with where it was found."""

    source: str
    message: str
    line: int | None = None
    level: Literal["warning", "error"] = "warning"

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass(slots=True)
class Comment:
    """One reader comment.

    `body` is kept in its source markup (`format`): plain text with blank-line separated paragraphs,
    Markdown, or HTML. It is untrusted; rendering converts and sanitizes it. `inferred` names the fields
    whose values were not in the source but deduced (for example ``{"author"}``).
    """

    id: str
    author: str
    body: str
    format: BodyFormat = "text"
    parent_id: str | None = None
    author_url: str | None = None
    date: datetime | None = None
    signature: str | None = None
    inferred: frozenset[str] = frozenset()
    source: str = ""
    line: int | None = None

    @property
    def anchor(self) -> str:
        return f"comment-{self.id}"

    def is_inferred(self, name: str) -> bool:
        return name in self.inferred


@dataclass
class Post:
    """The post a thread hangs under. `paragraphs` are plain-text segments in reading order."""

    title: str
    author: str | None = None
    date: datetime | None = None
    paragraphs: list[str] = field(default_factory=list)
    source: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    inferred: frozenset[str] = frozenset()

    def is_inferred(self, name: str) -> bool:
        return name in self.inferred


@dataclass
class Thread:
    """A post and its comments in document order; `parent_id` links replies to their parents."""

    post: Post
    comments: list[Comment] = field(default_factory=list)
    declared_count: int | None = None
    problems: list[Problem] = field(default_factory=list)

    def children(self) -> dict[str | None, list[Comment]]:
        """Comments grouped by parent id (None for top level), each group in document order."""
        groups: dict[str | None, list[Comment]] = {}
        for comment in self.comments:
            groups.setdefault(comment.parent_id, []).append(comment)
        return groups

    def by_id(self) -> dict[str, Comment]:
        return {comment.id: comment for comment in self.comments}


_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


MentionSource = Literal["phrase", "model"]


@dataclass(frozen=True, slots=True)
class Mention:
    """One piece of evidence that a segment raises `topic`: ``text[start:end] == phrase``.

    A ``phrase`` mention is an exact match of one of the topic's phrases or patterns. A ``model``
    mention is the sentence the trained classifier scored highest for a topic no phrase evidenced;
    its span is that sentence. `score` is the classifier's probability for the topic in the whole
    segment (None where no model ran). `sentence` is the sentence around the evidence, stripped,
    starting at ``sentence_start`` in the text.
    """

    topic: str
    start: int
    end: int
    phrase: str
    sentence: str
    sentence_start: int
    source: MentionSource = "phrase"
    score: float | None = None


def clean_id(raw: str) -> str:
    """An id from the source, made safe for an HTML id and a URL fragment."""
    return _ID_UNSAFE.sub("-", raw.strip()).strip("-") or "x"


def derived_id(*parts: str) -> str:
    """A deterministic id for a comment whose source gives none: a short hash of what it says.

    Hashing content (rather than numbering by position) keeps a comment's anchor stable when other
    comments are added before it in a later scrape.
    """
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:10]


def make_unique_ids(thread: Thread) -> None:
    """Give duplicate comment ids a suffix (reported), so every anchor on a page is unique.

    Replies keep pointing at the first comment that carried the id.
    """
    seen: set[str] = set()
    for comment in thread.comments:
        if comment.id not in seen:
            seen.add(comment.id)
            continue
        base, n = comment.id, 2
        while f"{base}-{n}" in seen:
            n += 1
        comment.id = f"{base}-{n}"
        seen.add(comment.id)
        thread.problems.append(
            Problem(
                comment.source or thread.post.source,
                f"duplicate comment id {base!r}; published as {comment.id!r}",
                comment.line,
            )
        )


REPEAT_WINDOW = timedelta(days=1)
"""A comment with the author and text of an earlier one, posted within this time, is a double post."""


def report_repeats(thread: Thread) -> None:
    """Report comments that repeat an earlier one of the thread (same author, same text, posted
    within `REPEAT_WINDOW`, as a double click on "Post" leaves them). Both stay published: which
    one to remove is the blogger's call."""
    first: dict[tuple[str, str], Comment] = {}
    for comment in thread.comments:
        key = (comment.author.casefold(), " ".join(comment.body.split()))
        earlier = first.setdefault(key, comment)
        if earlier is comment or not key[1]:
            continue
        if earlier.date and comment.date:
            try:
                gap = abs(comment.date - earlier.date)
            except TypeError:
                continue
            if gap > REPEAT_WINDOW:
                continue
        thread.problems.append(
            Problem(
                comment.source or thread.post.source,
                f"comment {comment.id!r} repeats comment {earlier.id!r} (same author and text); "
                "both are published: delete one if it was posted twice",
                comment.line,
            )
        )


def repair_structure(thread: Thread) -> None:
    """Make the reply graph a forest: replies to unknown parents and reply cycles become top level.

    Each repair is reported with the comment's file, so nothing is dropped silently; so are
    comments posted twice.
    """
    make_unique_ids(thread)
    report_repeats(thread)
    ids = {comment.id for comment in thread.comments}
    for comment in thread.comments:
        if comment.parent_id is not None and comment.parent_id not in ids:
            thread.problems.append(
                Problem(
                    comment.source or thread.post.source,
                    f"comment {comment.id!r} replies to unknown comment {comment.parent_id!r}; "
                    "published top-level",
                    comment.line,
                )
            )
            comment.parent_id = None
    parent = {comment.id: comment.parent_id for comment in thread.comments}
    for comment in thread.comments:
        seen = {comment.id}
        current = comment.parent_id
        while current is not None:
            if current in seen:
                thread.problems.append(
                    Problem(
                        comment.source or thread.post.source,
                        f"comment {comment.id!r} is part of a reply cycle; published top-level",
                        comment.line,
                    )
                )
                comment.parent_id = None
                parent[comment.id] = None
                break
            seen.add(current)
            current = parent[current]
