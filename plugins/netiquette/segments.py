"""Post bodies as numbered paragraphs: the units the tagger reads and topic pages link to.

A post paragraph ``n`` (1-based) is shown with ``id="p-n"``; every reader produces the paragraphs and
their HTML together here, so the anchor a topic page links to is always the paragraph it quotes.
"""

from __future__ import annotations

import html
import re

import lxml.html
from lxml import etree

BLOCK_TAGS = frozenset({"p", "li", "blockquote", "pre", "h2", "h3", "h4", "h5", "h6", "dd", "dt"})
CONTAINER_TAGS = frozenset({"ul", "ol", "dl", "div", "section", "article", "figure", "table"})
_SPACE = re.compile(r"\s+")


def paragraph_anchor(number: int) -> str:
    return f"p-{number}"


def text_paragraphs_html(paragraphs: list[str]) -> str:
    """Escaped HTML for plain-text paragraphs, each carrying its anchor."""
    return "\n".join(
        f'<p id="{paragraph_anchor(n)}">{html.escape(text, quote=False)}</p>'
        for n, text in enumerate(paragraphs, start=1)
    )


def number_html_paragraphs(fragment: str) -> tuple[str, list[str]]:
    """Give each block of an HTML body an anchor; return the new HTML and the blocks' texts.

    Blocks are found in reading order; a list contributes one paragraph per item and a block nested
    in another block belongs to the outer one, so no text is counted twice.
    """
    if not fragment.strip():
        return fragment, []
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    paragraphs: list[str] = []
    for element in _blocks(root):
        text = _SPACE.sub(" ", element.text_content()).strip()
        if not text:
            continue
        paragraphs.append(text)
        element.set("id", paragraph_anchor(len(paragraphs)))
    inner = (root.text or "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in root
    )
    return inner, paragraphs


def _blocks(element):
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag in BLOCK_TAGS and not _has_nested_list(child):
            yield child
        elif child.tag in CONTAINER_TAGS or child.tag in BLOCK_TAGS:
            yield from _blocks(child)


def _has_nested_list(element) -> bool:
    return element.tag == "li" and any(
        isinstance(c.tag, str) and c.tag in ("ul", "ol") for c in element.iter()
    )
