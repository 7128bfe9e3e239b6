"""What templates read: analysed threads turned into small, already-safe view objects.

Every string that came from a comment is either sanitized HTML wrapped in `Markup` or escaped into
`Markup` here, so a template (or a user's theme with autoescaping off) cannot print it raw.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import PurePath
from typing import TYPE_CHECKING, Protocol

from markupsafe import Markup, escape

from netiquette.analysis import ThreadAnalysis
from netiquette.importers.names import original_id
from netiquette.model import Comment, Mention
from netiquette.parsers.commentfiles import COMMENT_EXTENSIONS
from netiquette.sanitize import clean_text, safe_url
from netiquette.segments import paragraph_anchor


class Term(Protocol):
    """A topic or a person with a page of their own, as the site's renderer names and links it."""

    name: str
    slug: str
    url: str


if TYPE_CHECKING:
    from netiquette.site.marks import ParagraphMarks
    from netiquette.site.summary import ThreadSummary

DERIVED = {"digest": False}
"""Field metadata for values a record's key already stands for: a page's digest skips them
(`pelican.plugins.netiquette.incremental`)."""


@dataclass
class CommentView:
    id: str
    anchor: str
    author: Markup
    author_name: str
    author_inferred: bool
    author_url: str | None
    date: datetime | None
    signature: Markup | None
    body: Markup
    topics: list[Term]
    depth: int
    commenter: Term | None = None
    replies: int = 0
    aliases: tuple[str, ...] = ()
    """Other anchors of the comment: those pelican_comment_system gave it (``comment-12md``), so
    old deep links still land on it."""
    parent_anchor: str | None = None
    parent_author: Markup | None = None
    """The anchor and (escaped) name of the comment this one replies to, None for top level."""


@dataclass(frozen=True)
class ThreadEvent:
    """One step of a depth-first walk: ``open`` a comment (and its replies list) or ``close`` it.

    Templates loop over these instead of recursing, so a thread 200 replies deep renders like a flat
    one.
    """

    kind: str
    comment: CommentView

    @property
    def opens(self) -> bool:
        return self.kind == "open"


@dataclass
class PostView:
    """A thread as its post's page shows it.

    `key` stands for everything the thread's comments are shown from: the thread's analysis (its
    cache key) and which of its commenters have a page. The comments themselves are loaded from the
    thread store each time a page asks for them and not kept, so a build holds one thread at a time.
    """

    key: str
    comment_count: int
    declared_count: int | None
    post_topics: list[Term]
    topics: list[Term]
    author_inferred: bool = False
    undated: bool = False
    related: list = field(default_factory=list)
    author_commenter: Term | None = None
    """The post's author as a commenter with a page of their own, if they are one."""
    paragraph_marks: tuple[ParagraphMarks, ...] = ()
    """The post's paragraphs that raise topics, marked on its own page (`netiquette.site.marks`)."""
    _thread_key: str = field(default="", repr=False, metadata=DERIVED)
    _load: Callable[[str], ThreadAnalysis] | None = field(
        default=None, repr=False, metadata=DERIVED
    )
    _topic_terms: dict[str, Term] = field(default_factory=dict, repr=False, metadata=DERIVED)
    _commenter_for: dict[str, Term] = field(default_factory=dict, repr=False, metadata=DERIVED)

    @property
    def events(self) -> list[ThreadEvent]:
        """The thread as a depth-first walk of open and close steps (see `ThreadEvent`)."""
        analysis = self._analysis() if self.comment_count else None
        if analysis is None:
            return []
        views = comment_views(analysis, self._topic_terms, self._commenter_for)
        return _walk(analysis.thread.children(), views)

    def _analysis(self) -> ThreadAnalysis | None:
        if self._load is None or not self._thread_key:
            return None
        return self._load(self._thread_key)


_LEGACY = re.compile(r"[^a-z0-9_-]")
_SAFE_ANCHOR = re.compile(r"[a-z0-9_.-]+")


def person_name(comment: Comment) -> str:
    return clean_text(comment.author) or "Anonymous"


def evidence(sentence: str, sentence_start: int, mentions: list[Mention]) -> Markup:
    """The sentence with every mention inside it wrapped in ``<mark>``, everything escaped."""
    parts: list[str] = []
    cursor = 0
    end_of_sentence = len(sentence)
    for mention in sorted(mentions, key=lambda m: m.start):
        start = mention.start - sentence_start
        end = mention.end - sentence_start
        if start < cursor or end > end_of_sentence:
            continue
        parts.append(escape(sentence[cursor:start]))
        parts.append(Markup("<mark>") + escape(sentence[start:end]) + Markup("</mark>"))
        cursor = end
    parts.append(escape(sentence[cursor:]))
    return Markup("").join(parts)


def build_post_view(
    summary: ThreadSummary,
    load: Callable[[str], ThreadAnalysis],
    topics: dict[str, Term],
    commenter_for: dict[str, Term],
    *,
    author_inferred: bool,
    undated: bool,
) -> PostView:
    with_pages = sorted({c.name for c in summary.comments if c.name in commenter_for})
    key_text = "\x1f".join([summary.key, *with_pages]).encode("utf-8", "surrogatepass")
    return PostView(
        key=hashlib.sha1(key_text).hexdigest(),
        comment_count=summary.comment_count,
        declared_count=summary.declared_count,
        post_topics=[topics[s] for s in summary.post_topics if s in topics],
        topics=[topics[s] for s in summary.topics if s in topics],
        author_inferred=author_inferred,
        undated=undated,
        _thread_key=summary.key,
        _load=load,
        _topic_terms=topics,
        _commenter_for=commenter_for,
    )


def comment_views(
    analysis: ThreadAnalysis,
    topics: dict[str, Term],
    commenter_for: dict[str, Term],
) -> dict[str, CommentView]:
    """Every comment of the thread as its page shows it, by id, in the thread's order."""
    thread = analysis.thread
    children = thread.children()
    views: dict[str, CommentView] = {}
    depth = _depths(thread.comments)
    for comment in thread.comments:
        result = analysis.comments[comment.id]
        name = person_name(comment)
        views[comment.id] = CommentView(
            id=comment.id,
            anchor=comment.anchor,
            author=escape(name),
            author_name=name,
            author_inferred=comment.is_inferred("author"),
            author_url=safe_url(comment.author_url),
            date=comment.date,
            signature=escape(clean_text(comment.signature)) if comment.signature else None,
            body=result.html,
            topics=[topics[slug] for slug in result.topics if slug in topics],
            depth=depth[comment.id],
            commenter=commenter_for.get(name),
            replies=len(children.get(comment.id, ())),
            aliases=legacy_anchors(comment),
        )
    for comment in thread.comments:
        parent = views.get(comment.parent_id) if comment.parent_id else None
        if parent is not None:
            views[comment.id].parent_anchor = parent.anchor
            views[comment.id].parent_author = parent.author
    return _unique_aliases(views)


def legacy_anchors(comment: Comment) -> tuple[str, ...]:
    """The anchors pelican_comment_system's themes gave a comment file: ``comment-`` and the
    file's name, with and without what its slugging dropped (``12.md`` gives ``12md``); and, for a
    file `netiquette import` named (``wp-12.md``), the anchor the original blog gave it
    (``comment-12``, as WordPress and Disqus write it)."""
    name = PurePath(comment.source).name.lower() if comment.source else ""
    if not name.endswith(COMMENT_EXTENSIONS):
        return ()
    original = original_id(PurePath(name).stem)
    names = (_LEGACY.sub("", name), name, *((original,) if original else ()))
    forms = dict.fromkeys(f"comment-{form}" for form in names)
    return tuple(form for form in forms if form != comment.anchor and _SAFE_ANCHOR.fullmatch(form))


def _unique_aliases(views: dict[str, CommentView]) -> dict[str, CommentView]:
    """Drop aliases that another comment's anchor or alias already uses: ids stay unique."""
    taken = Counter(view.anchor for view in views.values())
    taken.update(alias for view in views.values() for alias in view.aliases)
    for key, view in views.items():
        if any(taken[alias] > 1 for alias in view.aliases):
            views[key] = replace(view, aliases=tuple(a for a in view.aliases if taken[a] == 1))
    return views


def _depths(comments: list[Comment]) -> dict[str, int]:
    """Each comment's nesting depth (0 for top level), whatever order the comments come in.

    Comments are in date order, and a reply can be dated before the comment it answers.
    """
    parent = {comment.id: comment.parent_id for comment in comments}
    depth: dict[str, int] = {}
    for comment in comments:
        chain: list[str] = []
        seen: set[str] = set()
        current: str | None = comment.id
        while current is not None and current not in depth and current not in seen:
            chain.append(current)
            seen.add(current)
            current = parent.get(current)
        base = depth.get(current, -1) if current is not None else -1
        for offset, comment_id in enumerate(reversed(chain), start=1):
            depth[comment_id] = base + offset
    return depth


def _walk(children: dict[str | None, list[Comment]], views: dict[str, CommentView]):
    events: list[ThreadEvent] = []
    stack: list[tuple[Comment, bool]] = [(c, False) for c in reversed(children.get(None, []))]
    while stack:
        comment, done = stack.pop()
        view = views[comment.id]
        if done:
            events.append(ThreadEvent("close", view))
            continue
        events.append(ThreadEvent("open", view))
        stack.append((comment, True))
        stack.extend((c, False) for c in reversed(children.get(comment.id, [])))
    return events


def paragraph_url(article_url: str, number: int) -> str:
    return f"{article_url}#{paragraph_anchor(number)}"
