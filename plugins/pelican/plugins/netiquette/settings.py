"""Every ``NETIQUETTE_*`` setting with its default and its kind, checked once when the build starts.

A wrong value stops the build with one line naming the setting and what it takes, before any work
is done; a name that is not a setting (a typo) is reported with the closest real name. Relative
paths are resolved against the project folder (the one holding the content folder, where
``pelicanconf.py`` lives in Pelican's usual layout), not against the folder the build runs in.
"""

from __future__ import annotations

import difflib
import logging
import os
from datetime import date

logger = logging.getLogger("netiquette")

DEFAULTS: dict[str, object] = {
    # Where comment files live, relative to PATH: <NETIQUETTE_COMMENTS_PATH>/<post-slug>/<id>.md
    "NETIQUETTE_COMMENTS_PATH": "comments",
    # Saved HTML pages under this folder of PATH are read as threads, not as plain HTML articles.
    "NETIQUETTE_THREADS_PATH": "threads",
    # The date of a post whose source gives none; shown as "undated", never the build time.
    "NETIQUETTE_DEFAULT_DATE": "2000-01-01",
    # Extra taxonomy files (TOML) that add, extend or disable topics.
    "NETIQUETTE_TOPICS": [],
    # The topic model: "default" (the one shipped), a file made by `netiquette train`, or None to
    # tag by phrases alone.
    "NETIQUETTE_MODEL": "default",
    "NETIQUETTE_TOPIC_URL": "topics/{slug}.html",
    "NETIQUETTE_TOPIC_SAVE_AS": "topics/{slug}.html",
    "NETIQUETTE_TOPICS_URL": "topics/index.html",
    "NETIQUETTE_TOPICS_SAVE_AS": "topics/index.html",
    # Each topic's mentions per month or year as charts and tables; "" or None writes no page.
    "NETIQUETTE_TRENDS_URL": "topics/trends.html",
    "NETIQUETTE_TRENDS_SAVE_AS": "topics/trends.html",
    "NETIQUETTE_TOPIC_FEED_ATOM": "feeds/topics/{slug}.atom.xml",
    "NETIQUETTE_TOPIC_FEED_RSS": "feeds/topics/{slug}.rss.xml",
    "NETIQUETTE_TOPIC_PAGE_SIZE": 25,
    "NETIQUETTE_COMMENTER_URL": "commenters/{slug}.html",
    "NETIQUETTE_COMMENTER_SAVE_AS": "commenters/{slug}.html",
    "NETIQUETTE_COMMENTERS_URL": "commenters/index.html",
    "NETIQUETTE_COMMENTERS_SAVE_AS": "commenters/index.html",
    "NETIQUETTE_COMMENTER_MIN_COMMENTS": 2,
    "NETIQUETTE_ANALYSIS_SAVE_AS": "analysis.json",
    "NETIQUETTE_HELD_BACK_SAVE_AS": "held-back.html",
    # Comment feeds at pelican_comment_system's paths (its PELICAN_COMMENT_SYSTEM_FEED_ALL and
    # PELICAN_COMMENT_SYSTEM_FEED), so its readers' subscriptions carry on; "" or None writes none.
    # A post's feed path holds {slug} (or pelican_comment_system's %s).
    "NETIQUETTE_COMMENTS_FEED_ATOM": "feeds/comments.all.atom.xml",
    "NETIQUETTE_COMMENTS_FEED_RSS": "feeds/comments.all.rss.xml",
    "NETIQUETTE_COMMENT_FEED_ATOM": "feeds/comment.{slug}.atom.xml",
    # Per post, RSS too costs a second feed file per post (pelican_comment_system wrote Atom only).
    "NETIQUETTE_COMMENT_FEED_RSS": None,
    # The newest comments of the site on one page; "" or None writes no page.
    "NETIQUETTE_RECENT_COMMENTS_URL": "comments/recent.html",
    "NETIQUETTE_RECENT_COMMENTS_SAVE_AS": "comments/recent.html",
    "NETIQUETTE_RECENT_COMMENTS_COUNT": 50,
    # Where the build writes the plugin's stylesheet (linked from every page showing a thread or
    # a topic); "" or None writes and links none, for a theme that styles everything itself.
    "NETIQUETTE_CSS_SAVE_AS": "netiquette/netiquette.css",
    # Processes that render and tag comments; 0 uses every core (threads are analysed in parallel
    # only when there are enough of them to pay for the workers).
    "NETIQUETTE_PROCESSES": 0,
    # On a rebuild with the cache on, pages whose inputs did not change are not rendered again.
    "NETIQUETTE_SKIP_UNCHANGED_PAGES": True,
    # Replies deeper than this are drawn without further indentation.
    "NETIQUETTE_MAX_VISUAL_DEPTH": 6,
    # On a post's page, each paragraph that raises a topic gets its topics' badges and the words
    # that raised them highlighted; False shows the post as written.
    "NETIQUETTE_PARAGRAPH_MARKS": True,
    # Index posts, paragraphs and comments with Pagefind (into pagefind/) and write a search page,
    # linked from every page; off by itself, with a warning, when Pagefind is not installed. Off
    # unless asked for: Pagefind takes about 1.3 s and 75 MiB per thousand comments.
    "NETIQUETTE_SEARCH": False,
    "NETIQUETTE_SEARCH_URL": "search.html",
    "NETIQUETTE_SEARCH_SAVE_AS": "search.html",
    # Where `invoke publish` deploys: a folder, or a git branch (see publishconf.py).
    "NETIQUETTE_PUBLISH_DIR": "",
    "NETIQUETTE_PUBLISH_BRANCH": "",
}

_WHOLE = (
    "NETIQUETTE_TOPIC_PAGE_SIZE",
    "NETIQUETTE_COMMENTER_MIN_COMMENTS",
    "NETIQUETTE_MAX_VISUAL_DEPTH",
    "NETIQUETTE_RECENT_COMMENTS_COUNT",
)
_FLAGS = ("NETIQUETTE_SKIP_UNCHANGED_PAGES", "NETIQUETTE_PARAGRAPH_MARKS", "NETIQUETTE_SEARCH")
_OPTIONAL = (
    "NETIQUETTE_TOPIC_FEED_ATOM",
    "NETIQUETTE_TOPIC_FEED_RSS",
    "NETIQUETTE_CSS_SAVE_AS",
    "NETIQUETTE_TRENDS_SAVE_AS",
    "NETIQUETTE_TRENDS_URL",
    "NETIQUETTE_COMMENTS_FEED_ATOM",
    "NETIQUETTE_COMMENTS_FEED_RSS",
    "NETIQUETTE_COMMENT_FEED_ATOM",
    "NETIQUETTE_COMMENT_FEED_RSS",
    "NETIQUETTE_RECENT_COMMENTS_SAVE_AS",
    "NETIQUETTE_RECENT_COMMENTS_URL",
)
_PER_POST = ("NETIQUETTE_COMMENT_FEED_ATOM", "NETIQUETTE_COMMENT_FEED_RSS")


class SettingsError(SystemExit):
    """A setting with a value it cannot take; ends the build with its one-line message."""


def _expected(name: str, value) -> str | None:
    """What `name` takes, if `value` is not that; None when it is fine."""
    if name in _WHOLE or name == "NETIQUETTE_PROCESSES":
        low = 0 if name == "NETIQUETTE_PROCESSES" else 1
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
        return None if ok else f"a whole number of at least {low}"
    if name in _FLAGS:
        return None if isinstance(value, bool) else "True or False"
    if name == "NETIQUETTE_TOPICS":
        ok = isinstance(value, (list, tuple)) and all(
            isinstance(v, (str, os.PathLike)) for v in value
        )
        return None if ok else 'a list of topic files, e.g. ["my-topics.toml"]'
    if name == "NETIQUETTE_MODEL":
        ok = value is None or isinstance(value, (str, os.PathLike)) and str(value)
        return None if ok else '"default", the path of a model file, or None'
    if name == "NETIQUETTE_DEFAULT_DATE":
        try:
            date.fromisoformat(str(value)[:10])
        except ValueError:
            return 'a date as "YYYY-MM-DD"'
        return None
    if name in _OPTIONAL and value in (None, "", False):
        return None
    if name.endswith(("_URL", "_SAVE_AS", "_ATOM", "_RSS")):
        ok = (
            isinstance(value, str)
            and value
            and not value.startswith(("/", ".."))
            and ".." not in value.split("/")
        )
        if ok and name in _PER_POST and "{slug}" not in value and "%s" not in value:
            return 'a path holding "{slug}" (each post has a feed of its own)'
        return None if ok else "a path inside the output folder, such as the default"
    return None if isinstance(value, str) else "text"


def check_settings(settings: dict) -> None:
    """Report unknown ``NETIQUETTE_*`` names, stop on a value a setting cannot take, and make
    relative path settings absolute."""
    for name in sorted(k for k in settings if k.startswith("NETIQUETTE_") and k not in DEFAULTS):
        close = difflib.get_close_matches(name, DEFAULTS, n=1, cutoff=0.75)
        hint = f"; did you mean {close[0]}?" if close else ""
        logger.warning("setting %s is not a Netiquette setting and is ignored%s", name, hint)
    for name in DEFAULTS:
        value = settings.get(name, DEFAULTS[name])
        expected = _expected(name, value)
        if expected is not None:
            raise SettingsError(f"setting {name} = {value!r}: expected {expected}")
    base = os.path.dirname(os.path.abspath(settings.get("PATH") or os.curdir))
    settings["NETIQUETTE_TOPICS"] = [
        os.path.join(base, os.fspath(p)) for p in settings["NETIQUETTE_TOPICS"]
    ]
    model = settings["NETIQUETTE_MODEL"]
    if model is not None and model != "default":
        settings["NETIQUETTE_MODEL"] = os.path.join(base, os.fspath(model))


def apply_defaults(settings: dict) -> None:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
