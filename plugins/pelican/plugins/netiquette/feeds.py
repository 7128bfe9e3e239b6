"""Feed entries that cannot carry markup in their text fields, whoever wrote the post.

Pelican writes a post's title with its tags stripped and its entities decoded, and its author, tags
and category as they are; many readers render those fields (an RSS title above all) as HTML. A
scraped, saved or imported title such as ``&lt;img src=x onerror=…&gt;`` would reach them as a
tag. Every feed the site writes, Pelican's own and the topic feeds, goes through `SafeFeedItem`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from markupsafe import Markup, escape

from netiquette.sanitize import plain_text

# Angle brackets as look-alikes that no feed reader takes for a tag.
_FEED_TEXT = str.maketrans({"<": "‹", ">": "›"})


def feed_text(value: object) -> str:
    """A name or a title as feed text that cannot turn into markup. A name is given by its text,
    not as the escaped HTML pages print (`pelican.plugins.netiquette.escaping`)."""
    return plain_text(getattr(value, "name", value) or "").translate(_FEED_TEXT)


class SafeFeedItem:
    """An article (or any feed item) as Pelican's feed writer reads it, with safe text fields."""

    __slots__ = ("_item",)

    def __init__(self, item) -> None:
        self._item = item

    def __getattr__(self, name: str):
        return getattr(self._item, name)

    @property
    def title(self) -> str:
        text = Markup(str(getattr(self._item, "title", ""))).striptags()
        return str(escape(feed_text(text)))

    @property
    def author(self) -> str:
        return feed_text(getattr(self._item, "author", ""))

    @property
    def category(self) -> str:
        return feed_text(self._item.category)

    @property
    def tags(self) -> list[str]:
        return [feed_text(tag) for tag in self._item.tags]


EMPTY_FEED_DATE = "netiquette_feed_date"
"""Context key of the date a feed without entries was last updated (see `date_empty_feed`)."""


def date_empty_feed(context, feed) -> None:
    """``feed_generated``: a feed without entries is dated by the date its context gives (a post's
    comment feed, by the post), else by ``NETIQUETTE_DEFAULT_DATE``, never by the clock (the feed
    library's fallback), so a rebuild writes the same bytes."""
    if feed.items:
        return
    date = context.get(EMPTY_FEED_DATE)
    if date is None:
        default = str(context.get("NETIQUETTE_DEFAULT_DATE") or "2000-01-01")[:10]
        date = datetime.fromisoformat(default).replace(tzinfo=UTC)
    feed.latest_post_date = lambda: date
