"""Every ``NETIQUETTE_*`` setting with its default, read in one place."""

from __future__ import annotations

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
    # Processes that render and tag comments; 0 uses every core (threads are analysed in parallel
    # only when there are enough of them to pay for the workers).
    "NETIQUETTE_PROCESSES": 0,
    # On a rebuild with the cache on, pages whose inputs did not change are not rendered again.
    "NETIQUETTE_SKIP_UNCHANGED_PAGES": True,
    # Replies deeper than this are drawn without further indentation.
    "NETIQUETTE_MAX_VISUAL_DEPTH": 6,
}


def apply_defaults(settings: dict) -> None:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
