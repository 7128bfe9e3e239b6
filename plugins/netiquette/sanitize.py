"""The one gate between untrusted comment content and a page or feed.

Everything a stranger wrote (comment bodies, author names, author URLs, signatures, the post body of
a saved page or an imported post) passes through here. The allowlist is deliberately small: text
formatting, links, quotes, lists and code, and for post bodies headings, tables and figures; no
images (they would let a page load third-party resources into every reader's browser: a post's
images become links to them), no styles, no forms, no frames.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

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


#: Post bodies also keep headings, definition lists, tables and figures; links may be mailto: or
#: relative too. Images become links to them (`_post_structure`).
POST_TAGS = ALLOWED_TAGS | frozenset(
    {
        "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "hr", "mark", "small", "table",
        "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "figure", "figcaption",
    }
)  # fmt: skip
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
    base = safe_url(base_url)
    return _post_cleaner(base).clean(_post_structure(remove_controls(fragment), base))


_LIST_PARENTS = {"li": ("ul", "ol"), "dt": ("dl",), "dd": ("dl",)}


def _post_structure(fragment: str, base_url: str | None) -> str:
    """A post body's images and broken structure made plain before it is sanitized.

    An image with alt text becomes a link to it labelled with that text, so the page loads
    nothing from elsewhere and the picture is one click away; one without (a tracking pixel, a
    spacer) is dropped, and a link left with no text loses its tag; a
    definition list holding anything but its terms and definitions becomes a block of
    paragraphs, as do list items outside a list, so what readers and screen readers get is
    structure they can use."""
    if "<" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return fragment
    for image in list(root.iter("img")):
        alt = " ".join((image.get("alt") or "").split())
        source = safe_url(urljoin(base_url or "", image.get("src") or "").strip() or None)
        linked = any(parent.tag == "a" for parent in image.iterancestors())
        if alt and source and not linked:
            replacement = lxml.html.Element("a", href=source)
            replacement.text = f"image: {alt}"
            replacement.tail = image.tail
            image.getparent().replace(image, replacement)
        else:
            label = f" image: {alt} " if linked else f"[image: {alt}]"
            image.tail = (label if alt else "") + (image.tail or "")
            image.drop_tree()
    for element in list(root.iter("dl")):
        if (
            any(child.tag not in ("dt", "dd", "div") for child in element)
            or (element.text or "").strip()
        ):
            element.tag = "div"
    for element in list(root.iter("li", "dt", "dd")):
        parent = element.getparent()
        if parent is not None and parent.tag == "div" and element.tag != "li":
            parent = parent.getparent()
        if parent is None or parent.tag not in _LIST_PARENTS[element.tag]:
            element.tag = "p"
    for link in list(root.iter("a")):
        if not link.text_content().strip():
            link.drop_tag()
    children = "".join(etree.tostring(child, encoding="unicode", method="html") for child in root)
    return html.escape(root.text or "", quote=False) + children


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
