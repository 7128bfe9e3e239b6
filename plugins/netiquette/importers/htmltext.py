"""Turning archived HTML into the two shapes the model wants: plain paragraphs, and displayable HTML.

Blog engines store post and comment bodies as loose HTML: some paragraphs are ``<p>`` elements, others
are just text separated by blank lines that the engine turns into paragraphs on display (WordPress's
``wpautop``). `html_paragraphs` reads both as plain-text paragraphs for analysis; `autop` does the
display step so a comment reads the same here as on the original blog.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre",
        "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object"})
_SHORTCODE = re.compile(
    r"\[/?(?:audio|caption|code|embed|gallery|playlist|sourcecode|video|wp_caption|youtube)\b[^\]]*\]"
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(_BLOCK_TAGS)) + r")(?:[\s/>]|$)", re.IGNORECASE)
_PRE = re.compile(r"<pre[\s>]", re.IGNORECASE)


def _collect(element: etree._Element, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else None
    if tag is None or tag.lower() in _SKIPPED_TAGS:
        out.append(element.tail or "")
        return
    block = tag.lower() in _BLOCK_TAGS
    if block:
        out.append("\n\n")
    elif tag.lower() == "br":
        out.append("\n")
    out.append(element.text or "")
    for child in element:
        _collect(child, out)
    if block:
        out.append("\n\n")
    out.append(element.tail or "")


def html_paragraphs(fragment: str) -> list[str]:
    """Plain-text paragraphs of an HTML fragment, in reading order.

    Block elements and blank lines both end a paragraph; whitespace inside one collapses to a single
    space; WordPress shortcodes such as ``[caption]`` are dropped.
    """
    if not fragment.strip():
        return []
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        out: list[str] = []
        _collect(root, out)
        text = "".join(out)
    except (etree.ParserError, ValueError):
        text = _TAG.sub(" ", fragment)
    text = _SHORTCODE.sub("", text.replace("\xa0", " "))
    paragraphs = (_SPACE.sub(" ", chunk).strip() for chunk in _BLANK_LINE.split(text))
    return [paragraph for paragraph in paragraphs if paragraph]


def autop(text: str) -> str:
    """HTML for a body that may be plain text, as WordPress displays it.

    Blank-line separated chunks without block-level markup become ``<p>`` paragraphs with ``<br>``
    for single line breaks; chunks that already carry block markup, and anything with ``<pre>``,
    are left as they are.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text or _PRE.search(text):
        return text
    chunks = [chunk.strip() for chunk in _BLANK_LINE.split(text) if chunk.strip()]
    return "\n".join(
        chunk if _BLOCK_TAG.search(chunk) else "<p>" + chunk.replace("\n", "<br />\n") + "</p>"
        for chunk in chunks
    )
