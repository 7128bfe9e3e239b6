"""Comment feeds and the recent-comments page, written where pelican_comment_system wrote its feeds.

pelican_comment_system wrote ``feeds/comments.all.atom.xml`` (``PELICAN_COMMENT_SYSTEM_FEED_ALL``)
and ``feeds/comment.<slug>.atom.xml`` for every article, commented or not
(``PELICAN_COMMENT_SYSTEM_FEED``), titled "<site> - All Comments" and "<site> - Comments: <title>".
The same paths and titles here keep its readers' subscriptions; which comments go in and in what
order is `netiquette.site.recent`'s.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape
from pelican.plugins.netiquette.feeds import EMPTY_FEED_DATE, feed_text

from netiquette.site.recent import (
    CommentFeedItem,
    CommentTexts,
    RecentComments,
    feed_path,
    post_feed_links,
)


class CommentFeeds:
    """One build's comment feeds and recent-comments page, from its `SiteIndex`; `listed` says
    which posts are in (published articles)."""

    def __init__(self, settings, index, store, listed) -> None:
        self.settings = settings
        commenter_for = {term.name: term for term in index.commenters_with_pages}
        zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
        self.texts = CommentTexts(store)
        self.recent = RecentComments(index.analysed, listed, zone, self.texts, commenter_for)

    def _patterns(self, prefix: str) -> list[tuple[str, str]]:
        kinds = (("atom", "ATOM"), ("rss", "RSS"))
        return [
            (kind, pattern)
            for kind, name in kinds
            if (pattern := self.settings.get(f"{prefix}_{name}"))
        ]

    def link_posts(self) -> None:
        """Give every listed post the links of its comment feeds (its page's head and thread
        show them), whether it has comments yet or not."""
        atom = self.settings.get("NETIQUETTE_COMMENT_FEED_ATOM")
        rss = self.settings.get("NETIQUETTE_COMMENT_FEED_RSS")
        for article, _ in self.recent.posts:
            article.netiquette_comment_feeds = post_feed_links(article.slug, atom, rss)

    def outputs(self, context, page) -> list[Callable]:
        """The feeds and the page, one call each taking the writer, the posts' feeds last;
        `page(save_as, template, **variables)` makes the call that writes a page."""
        outputs = [functools.partial(self._write_all, context=context)]
        save_as = self.settings.get("NETIQUETTE_RECENT_COMMENTS_SAVE_AS")
        if save_as:

            def recent(writer) -> None:
                count = self.settings["NETIQUETTE_RECENT_COMMENTS_COUNT"]
                newest = self.recent.newest(count)
                show = page(save_as, "netiquette/recent_comments", comments=newest,
                            comments_total=self.recent.count)  # fmt: skip
                show(writer)

            outputs.append(recent)
        patterns = self._patterns("NETIQUETTE_COMMENT_FEED")
        if patterns:
            outputs += [
                functools.partial(
                    self._write_post,
                    context=context,
                    patterns=patterns,
                    article=article,
                    summary=summary,
                )
                for article, summary in self.recent.posts
            ]
        return outputs

    def forget(self) -> None:
        """Drop the comment texts kept while writing."""
        self.texts.forget()

    def _write_all(self, writer, context) -> None:
        patterns = self._patterns("NETIQUETTE_COMMENTS_FEED")
        if not patterns:
            return
        limit = self.settings.get("FEED_MAX_ITEMS")
        entries = self.recent.newest(limit if isinstance(limit, int) else None)
        items = [CommentFeedItem(entry) for entry in entries]
        feed_context = {**context, EMPTY_FEED_DATE: self.recent.latest_date()}
        for kind, path in patterns:
            writer.write_feed(items, feed_context, path, feed_type=kind, feed_title="All Comments")

    def _write_post(self, writer, context, patterns, article, summary) -> None:
        items = [CommentFeedItem(entry) for entry in self.recent.of_post(article, summary)]
        feed_context = {**context, EMPTY_FEED_DATE: self.recent.latest_date(article)}
        # Pelican strips tags from the title it is given, decoding entities: escaped, it decodes
        # to the inert text.
        title = escape("Comments: " + feed_text(Markup(str(article.title)).striptags()))
        for kind, pattern in patterns:
            path = feed_path(pattern, article.slug)
            writer.write_feed(items, feed_context, path, feed_type=kind, feed_title=str(title))
