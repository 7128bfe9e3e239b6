"""What reading a whole archive gives: the posts it found, their threads, and what was held back.

Readers of whole archives (WordPress WXR, Disqus XML, saved pages) produce an `ImportResult`; the
importers' writer turns it into content files, `netiquette analyze` reads its threads, and the
command line prints its counts. Keeping the counts next to
the posts lets a user check an import against what they know about their blog before publishing it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from netiquette.model import Problem, Thread

Progress = Callable[[int, int], None]
PostKind = Literal["post", "page"]

#: Comment status keys, in the order reports list them.
COMMENT_STATUSES = ("approved", "pending", "spam", "trash", "deleted", "pingback", "trackback")


class ArchiveError(Exception):
    """An archive that cannot be read at all; the message names the file and line."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.reason = message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")


@dataclass
class ImportedPost:
    """A post or page from an archive, with the metadata a content file needs.

    `existing` marks a thread whose post already lives in the site (a Disqus thread matched by link):
    only its comments are written. `body_html` is the post body exactly as the archive holds it.
    """

    thread: Thread
    slug: str
    kind: PostKind = "post"
    status: str = "publish"
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    body_html: str = ""
    link: str | None = None
    existing: bool = False

    @property
    def published(self) -> bool:
        return self.status == "publish"


@dataclass
class ImportCounts:
    """Figures for the import report.

    `comments` counts every comment in the archive once, under one status from `COMMENT_STATUSES`
    (spam and trash win over pingback/trackback, which win over pending); `moderation` counts the
    same comments by their moderation state alone (approved, pending, spam, trash, deleted). Of the
    approved ordinary comments, `published` became comments on a published post; `unplaced` did
    not, because their post is not published (a draft, an attachment, a Disqus thread with no
    matching post).
    """

    posts: int = 0
    pages: int = 0
    drafts: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    comments: Counter[str] = field(default_factory=Counter)
    moderation: Counter[str] = field(default_factory=Counter)
    published: int = 0
    unplaced: int = 0
    replies: int = 0
    deepest: int = 0

    @property
    def total_comments(self) -> int:
        return sum(self.comments.values())

    @property
    def held_back(self) -> int:
        return self.total_comments - self.published


@dataclass
class ImportResult:
    """Everything read from one archive (or one batch of saved pages).

    `format` (``wxr``, ``disqus``, ``html``) names the kind of archive: the writer prefixes comment
    file names with it and records it for every file it writes.
    """

    source: str
    posts: list[ImportedPost] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    counts: ImportCounts = field(default_factory=ImportCounts)
    format: str = ""

    def all_problems(self) -> list[Problem]:
        """Archive-level problems followed by each thread's, in post order."""
        problems = list(self.problems)
        for post in self.posts:
            problems.extend(post.thread.problems)
        return problems


def reply_depths(thread: Thread) -> dict[str, int]:
    """Nesting depth of each comment: 0 for top level, 1 for a reply, 2 for a reply to a reply.

    Expects a forest (see `repair_structure`); an unknown parent counts as top level.
    """
    parents = {comment.id: comment.parent_id for comment in thread.comments}
    depths: dict[str, int] = {}
    for comment in thread.comments:
        chain: list[str] = []
        current: str | None = comment.id
        while current is not None and current not in depths and current not in chain:
            chain.append(current)
            parent = parents.get(current)
            current = parent if parent in parents else None
        base = depths[current] + 1 if current is not None and current in depths else 0
        for offset, comment_id in enumerate(reversed(chain)):
            depths[comment_id] = base + offset
    return depths


def tally_threads(counts: ImportCounts, posts: list[ImportedPost]) -> None:
    """Add published comments, replies and the deepest nesting of the published posts to `counts`."""
    for post in posts:
        if not post.published:
            continue
        depths = reply_depths(post.thread)
        counts.published += len(post.thread.comments)
        counts.replies += sum(1 for depth in depths.values() if depth > 0)
        counts.deepest = max([counts.deepest, *depths.values()])
