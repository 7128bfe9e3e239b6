"""Settings for building the demo site locally (`invoke build`, `invoke serve`)."""

import os

AUTHOR = "Netiquette"
SITENAME = "Netiquette"
SITESUBTITLE = "Blog posts, their comment threads, and the etiquette they raise"
# Feeds need absolute links even in development; pages use relative ones.
SITEURL = os.environ.get("NETIQUETTE_DEV_SITEURL", "http://127.0.0.1:8000")
RELATIVE_URLS = True

PATH = "content"
OUTPUT_PATH = "output"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = [""]
# Tools that ask for /favicon.ico (feed readers, crawlers) find it at the root.
STATIC_PATHS = ["extra/favicon.ico"]
EXTRA_PATH_METADATA = {"extra/favicon.ico": {"path": "favicon.ico"}}
THEME = "theme"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
# Dates and sorting must not depend on the build machine's locale.
LOCALE = ["C.UTF-8", "C"]
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
DEFAULT_PAGINATION = 10
SUMMARY_MAX_LENGTH = 60

# The plugin is the installed package `pelican.plugins.netiquette` (pip install -e .).
PLUGINS = ["pelican.plugins.netiquette"]

ARTICLE_URL = "posts/{slug}.html"
ARTICLE_SAVE_AS = "posts/{slug}.html"
PAGE_URL = "pages/{slug}.html"
PAGE_SAVE_AS = "pages/{slug}.html"
TAG_URL = "tags/{slug}.html"
TAG_SAVE_AS = "tags/{slug}.html"
CATEGORY_URL = "categories/{slug}.html"
CATEGORY_SAVE_AS = "categories/{slug}.html"
AUTHOR_URL = "authors/{slug}.html"
AUTHOR_SAVE_AS = "authors/{slug}.html"
YEAR_ARCHIVE_SAVE_AS = "archives/{date:%Y}/index.html"
YEAR_ARCHIVE_URL = "archives/{date:%Y}/"

FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None

# Everything untrusted is sanitized before it reaches a template; escaping stays on for the rest.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# Netiquette (see the README for every setting and its default).
NETIQUETTE_COMMENTS_PATH = "comments"
NETIQUETTE_THREADS_PATH = "threads"
NETIQUETTE_DEFAULT_DATE = "2000-01-01"
NETIQUETTE_TOPICS = []
# Search (Pagefind): each comment its own result, with a topic filter.
NETIQUETTE_SEARCH = True

# Rebuilds reuse what did not change: Pelican's reader cache and Netiquette's analysis cache.
CACHE_PATH = "cache"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
