"""Comments newest first, site-wide and per post: what comment feeds and the recent-comments page show.

Only the comments of listed posts (published articles) are in: a draft's, a hidden post's or a
page's comments are not, nor, never having reached a thread, comments held back. A comment without
a date takes its post's date, the earliest it can have been written, so it still sorts and its
feed entry still has the date Atom requires; pages show it as undated.

An entry is a small record (the comment's summary and its post); its sanitized HTML and excerpt are
read from the thread store when a feed or page asks for them, a few threads at a time, so a site's
comments are never all in memory at once.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from markupsafe import Markup, escape

from netiquette.site.index import FeedItem
from netiquette.site.summary import CommentSummary, ThreadSummary
from netiquette.site.views import DERIVED, Term
from netiquette.store import ThreadStore

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class CommentTexts:
    """Comments' sanitized HTML and excerpts, read from the thread store.

    Entries newest first hop between threads, and one post's feed reads one thread many times:
    the last few threads read are kept, never more.
    """

    def __init__(self, store: ThreadStore, keep: int = 4) -> None:
        self.store = store
        self.keep = keep
        self._kept: OrderedDict[tuple[str, str], object] = OrderedDict()

    def _get(self, kind: str, thread_key: str, read: Callable[[str], object]):
        key = (kind, thread_key)
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key]
        value = self._kept[key] = read(thread_key)
        while len(self._kept) > self.keep:
            self._kept.popitem(last=False)
        return value

    def html(self, comment: CommentSummary) -> Markup:
        return self._get("analysis", comment.thread_key, self.store.get).comments[comment.id].html

    def excerpt(self, comment: CommentSummary) -> str:
        return self._get("excerpts", comment.thread_key, self._excerpts)[comment.number]

    def _excerpts(self, thread_key: str) -> list[str]:
        text = self.store.text(thread_key, "excerpts")
        if text is None:
            analysis = self.store.get(thread_key)
            return [analysis.comments[c.id].excerpt for c in analysis.thread.comments]
        return text.split("\n")

    def forget(self) -> None:
        self._kept.clear()


@dataclass(slots=True)
class CommentEntry:
    """One published comment as feeds and the recent-comments page show it.

    `key` (the comment's summary key) stands for everything shown of the comment, its HTML and
    excerpt included; the post is described apart.
    """

    key: int
    article: object
    anchor: str
    commenter: Term | None
    article_url: str = field(metadata=DERIVED)
    author_name: str = field(metadata=DERIVED)
    date: datetime = field(metadata=DERIVED)
    undated: bool = field(metadata=DERIVED)
    comment: CommentSummary = field(repr=False, metadata=DERIVED)
    texts: CommentTexts = field(repr=False, metadata=DERIVED)

    @property
    def url(self) -> str:
        return f"{self.article_url}#{self.anchor}"

    @property
    def author(self) -> Markup:
        return escape(self.author_name)

    @property
    def title(self) -> Markup:
        """``<author> on “<post title>”`` as HTML (a post's title is HTML, as in Pelican)."""
        return Markup(f"{escape(self.author_name)} on “{self.article.title}”")

    @property
    def content(self) -> Markup:
        """The comment's sanitized HTML, as its post's page shows it."""
        return self.texts.html(self.comment)

    @property
    def excerpt(self) -> str:
        return self.texts.excerpt(self.comment)


@dataclass
class CommentFeedItem(FeedItem):
    """A comment feed's item: the summary is the whole comment too, so an RSS feed (which carries
    only summaries by default) carries it."""

    entry: CommentEntry

    @property
    def summary(self) -> Markup:
        if self._content is None:
            self._content = self.entry.content
        return self._content

    def get_content(self, siteurl: str) -> Markup:
        return self.summary


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed of a post's comments: its format's name, media type and address."""

    label: str
    type: str
    url: str


def feed_path(pattern: str, slug: str) -> str:
    """A post's feed path from its pattern: ``{slug}``, or pelican_comment_system's ``%s``."""
    return pattern.format(slug=slug) if "{slug}" in pattern else pattern.replace("%s", slug)


def post_feed_links(slug: str, atom: str | None, rss: str | None) -> tuple[FeedLink, ...]:
    """The feeds of the post `slug`, for the patterns that are set."""
    kinds = (("Atom", "application/atom+xml", atom), ("RSS", "application/rss+xml", rss))
    return tuple(FeedLink(label, kind, feed_path(p, slug)) for label, kind, p in kinds if p)


class RecentComments:
    """The published comments of a site's listed posts, newest first.

    `analysed` are (post, `ThreadSummary`) pairs; `listed` says which posts are listed; naive dates
    are in `zone`. `commenter_for` gives a commenter's page by name.
    """

    def __init__(
        self,
        analysed: Iterable[tuple[object, ThreadSummary]],
        listed: Callable[[object], bool],
        zone,
        texts: CommentTexts,
        commenter_for: dict[str, Term],
    ) -> None:
        self.posts = [(article, summary) for article, summary in analysed if listed(article)]
        self.zone = zone
        self.texts = texts
        self.commenter_for = commenter_for

    @property
    def count(self) -> int:
        return sum(len(summary.comments) for _, summary in self.posts)

    def newest(self, limit: int | None = None) -> list[CommentEntry]:
        """The `limit` newest comments (every one when None), newest first; ties in a fixed
        order (the post's source, later in the thread first)."""
        keys = (
            (-self._date(comment, article).timestamp(), article.source_path, -comment.number, i, j)
            for i, (article, summary) in enumerate(self.posts)
            for j, comment in enumerate(summary.comments)
        )
        chosen = sorted(keys) if limit is None else heapq.nsmallest(limit, keys)
        urls: dict[int, str] = {}  # Pelican works a post's URL out from its settings on each ask
        entries = []
        for *_, i, j in chosen:
            article, summary = self.posts[i]
            if i not in urls:
                urls[i] = article.url
            entries.append(self._entry(article, summary.comments[j], urls[i]))
        return entries

    def of_post(self, article, summary: ThreadSummary) -> list[CommentEntry]:
        """The comments of one post, newest first."""
        url = article.url
        entries = [self._entry(article, comment, url) for comment in summary.comments]
        entries.sort(key=lambda e: (-e.date.timestamp(), -e.comment.number))
        return entries

    def latest_date(self, article=None) -> datetime:
        """When a feed with no entry was last updated: its post's date, or the newest post's."""
        if article is not None:
            return self._aware(getattr(article, "date", None)) or _EPOCH
        dates = [self._aware(getattr(a, "date", None)) for a, _ in self.posts]
        return max((d for d in dates if d is not None), default=_EPOCH)

    def _aware(self, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        return value if value.tzinfo else value.replace(tzinfo=self.zone)

    def _date(self, comment: CommentSummary, article) -> datetime:
        return self._aware(comment.date) or self._aware(getattr(article, "date", None)) or _EPOCH

    def _entry(self, article, comment: CommentSummary, url: str) -> CommentEntry:
        return CommentEntry(
            key=comment.key,
            article=article,
            anchor=comment.anchor,
            commenter=self.commenter_for.get(comment.name) if comment.listed else None,
            article_url=url,
            author_name=comment.name,
            date=self._date(comment, article),
            undated=comment.date is None,
            comment=comment,
            texts=self.texts,
        )
