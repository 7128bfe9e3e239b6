"""The one gate between untrusted comment content and a page or feed.

Everything a stranger wrote (comment bodies, author names, author URLs, signatures, the post body of
a saved page) passes through here. The allowlist is deliberately small: text formatting, links,
quotes, lists and code, and for post bodies headings; no images (they would let a page load
third-party resources into every reader's browser), no styles, no forms, no frames.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urlsplit

import lxml.html
import nh3
from lxml import etree
from markupsafe import Markup, escape

from netiquette.sources import remove_controls

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "i", "ins", "kbd", "li",
        "ol", "p", "pre", "q", "s", "strike", "strong", "sub", "sup", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = frozenset({"http", "https"})
LINK_REL = "nofollow ugc noopener noreferrer"
DROP_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript"})

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROP_WITH_CONTENT),
    # "*" empty: no attribute is allowed on every tag (nh3 would allow title and lang).
    attributes={"*": set()} | {tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    url_relative="deny",
    link_rel=LINK_REL,
    strip_comments=True,
)


#: Post bodies also keep headings and definition lists; links may be mailto: or relative too.
POST_TAGS = ALLOWED_TAGS | frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "hr", "mark", "small"}
)
POST_URL_SCHEMES = URL_SCHEMES | {"mailto"}
POST_LINK_REL = "nofollow noopener noreferrer"


@lru_cache(maxsize=16)
def _post_cleaner(base_url: str | None) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(POST_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={"*": set()} | {tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(POST_URL_SCHEMES),
        url_relative=("rewrite_with_base", base_url) if base_url else "pass_through",
        link_rel=POST_LINK_REL,
        strip_comments=True,
    )


def clean_post_html(fragment: str, base_url: str | None = None) -> str:
    """Sanitized HTML for a post body from an untrusted page.

    Relative links are resolved against `base_url` (the page's own address, if it is a safe http(s)
    URL), so they still lead where the author meant; without one they are kept as written.
    """
    return _post_cleaner(safe_url(base_url)).clean(remove_controls(fragment))


def clean_html(fragment: str) -> str:
    """Sanitized HTML for an untrusted fragment (comment body, signature)."""
    return _CLEANER.clean(remove_controls(fragment))


def clean_text(value: str) -> str:
    """A plain-text field (author name) with control characters removed; escape it when rendering."""
    return remove_controls(value).strip()


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (no javascript:, data:, relative tricks)."""
    if not url:
        return None
    candidate = remove_controls(html.unescape(url)).strip()
    if any(ch.isspace() for ch in candidate) or any(ch in candidate for ch in "<>\"'`\\"):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in URL_SCHEMES or not parts.netloc:
        return None
    return candidate


# Straight quotes after a space or an opening bracket (or at the start) open; the others close.
_OPENING_DOUBLE = re.compile(r'(?:(?<=^)|(?<=[\s(\[{]))"')
_OPENING_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[{]))'")
_LOOKALIKES = str.maketrans({"<": "\u2039", ">": "\u203a", '"': "\u201d", "'": "\u2019"})


def _lookalikes(text: str) -> str:
    text = _OPENING_SINGLE.sub("\u2018", _OPENING_DOUBLE.sub("\u201c", text))
    return text.translate(_LOOKALIKES)


def inert_text(value: str) -> Markup:
    """Untrusted text (a scraped or imported title) as HTML that stays text in any theme.

    Pelican treats a title as HTML, and its themes print it as it is when autoescaping is off (the
    default); many also print ``title|striptags``, which decodes entities, inside an attribute or
    ``<title>``. Escaping alone would let ``"`` or ``</title>`` come back there, so angle brackets
    and straight quotes become look-alikes first (‹ › “ ” ‘ ’), and what is left is escaped.
    """
    return escape(_lookalikes(value))


def inert_html(fragment: str) -> Markup:
    """Sanitized HTML (the summary of an untrusted post) whose text is as `inert_text`'s: a theme
    that strips its tags into an attribute (``summary|striptags``) gets nothing that ends it."""
    if not fragment.strip():
        return Markup(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return inert_text(html.unescape(re.sub(r"<[^>]*>", " ", fragment)))
    for element in root.iter():
        if element.text:
            element.text = _lookalikes(element.text)
        if element.tail:
            element.tail = _lookalikes(element.tail)
    children = "".join(etree.tostring(child, encoding="unicode", method="html") for child in root)
    return escape(root.text or "") + Markup(children)


def plain_text(value: object) -> str:
    """The text a value stands for: an escaped `Markup` name decoded, anything else as text."""
    if isinstance(value, Markup):
        return value.unescape()
    return str(value)
