"""Archived comment bodies as displayable HTML, the way the blog engine showed them.

Blog engines store bodies as loose HTML: some paragraphs are ``<p>`` elements, others are just text
separated by blank lines that the engine turns into paragraphs on display (WordPress's ``wpautop``).
`autop` does that display step, so a comment reads the same here as on the original blog; reading
bodies as plain paragraphs is `netiquette.segments.html_paragraphs`, shared with the site build.
"""

from __future__ import annotations

import re

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre",
        "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(_BLOCK_TAGS)) + r")(?:[\s/>]|$)", re.IGNORECASE)
_PRE = re.compile(r"<pre[\s>]", re.IGNORECASE)


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
