"""Post bodies as numbered paragraphs: the units the tagger reads and topic pages link to.

This is the one place HTML becomes paragraphs: the site build (Markdown posts and saved pages), the
importers (WordPress exports, saved pages) and ``netiquette analyze`` all call `html_segments`, so
one body gives the same paragraphs wherever it is read. A paragraph is a ``<p>``, a list item, a
heading, a quote, a ``<pre>`` or a table cell; text outside any block (as WordPress stores it,
paragraphs separated by blank lines) counts too, one paragraph per blank-line separated run.
WordPress shortcodes (``[caption …]…[/caption]``, ``[gallery]``, ``[embed]…``) lose their tags
and keep what they enclose, in the text and in the HTML alike.

A post paragraph ``n`` (1-based) is shown with ``id="p-n"``; the paragraphs and their HTML are made
together, so the anchor a topic page links to is always the paragraph it quotes.
"""

from __future__ import annotations

import html
import re

import lxml.html
from lxml import etree

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "legend", "li", "main",
        "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "ul",
    }
)  # fmt: skip
#: Blocks read as one paragraph each (unless they hold a list or table, read item by item).
SEGMENT_TAGS = frozenset(
    {
        "address", "blockquote", "caption", "dd", "dt", "figcaption", "h1", "h2", "h3", "h4", "h5",
        "h6", "legend", "li", "p", "pre", "summary", "td", "th",
    }
)  # fmt: skip
_NESTED_LISTS = frozenset({"ul", "ol", "dl", "table"})
#: Never read as text (and their content never shown as a paragraph).
SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "svg", "math", "head", "title"}
)
#: Where shortcode syntax is literal text, shown as written.
_LITERAL_TAGS = frozenset({"pre", "code", "kbd", "samp", "tt", "textarea"})
#: Containers whose loose text is wrapped in ``<p>``; elsewhere (a list item, a cell) in ``<span>``.
_FLOW_TAGS = frozenset(
    {"div", "section", "article", "main", "header", "footer", "aside", "nav", "figure", "body",
     "blockquote", "form", "fieldset", "details", "center", "dialog"}
)  # fmt: skip
#: WordPress core and common plugin shortcodes; other bracketed text ("[1]", "[sic]") is prose.
SHORTCODES = (
    "audio", "caption", "code", "embed", "gallery", "playlist", "sourcecode", "video",
    "wp_caption", "youtube", "vimeo", "soundcloud", "tweet", "googlemaps", "slideshare",
    "instagram", "contact-form", "contact-field", "polldaddy",
)  # fmt: skip
_SHORTCODE = re.compile(
    r"\[/?(?:" + "|".join(re.escape(name) for name in SHORTCODES) + r")(?=[\s\]/])[^\]]*\]"
)
_BLANK_LINE = re.compile(r"(\n[ \t]*\n\s*)")
_TAG = re.compile(r"<[^>]*>")


def paragraph_anchor(number: int) -> str:
    return f"p-{number}"


def strip_shortcodes(text: str) -> str:
    """`text` without WordPress shortcode tags; what a shortcode encloses stays."""
    return _SHORTCODE.sub("", text) if "[" in text else text


def collapse(text: str) -> str:
    """Runs of whitespace (line breaks, no-break spaces) as one space, trimmed."""
    return " ".join(text.split())


def text_paragraphs_html(paragraphs: list[str]) -> str:
    """Escaped HTML for plain-text paragraphs, each carrying its anchor."""
    return "\n".join(
        f'<p id="{paragraph_anchor(n)}">{html.escape(text, quote=False)}</p>'
        for n, text in enumerate(paragraphs, start=1)
    )


def html_paragraphs(fragment: str) -> list[str]:
    """Plain-text paragraphs of an HTML body, in reading order (see `html_segments`)."""
    return html_segments(fragment, anchors=False)[1]


def number_html_paragraphs(fragment: str) -> tuple[str, list[str]]:
    """Give each paragraph of an HTML body an anchor; return the new HTML and the paragraphs."""
    return html_segments(fragment, anchors=True)


def html_segments(fragment: str, *, anchors: bool) -> tuple[str, list[str]]:
    """The body's HTML with every paragraph in an element of its own, and the paragraphs' texts.

    Paragraphs come in reading order and no text is counted twice: a block inside another block
    belongs to the outer one, except that a list item or quote holding a list is read item by item.
    Loose text gets a ``<p>`` (or ``<span>``) so it can carry an anchor; with `anchors` each
    paragraph's element gets ``id="p-n"``.
    """
    if not fragment.strip():
        return fragment, []
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        text = strip_shortcodes(html.unescape(_TAG.sub(" ", fragment)))
        paragraphs = [p for p in map(collapse, _BLANK_LINE.split(text)) if p]
        return (text_paragraphs_html(paragraphs) if anchors else fragment), paragraphs
    if "[" in fragment:
        _strip_shortcodes(root, literal=False)
    paragraphs: list[str] = []
    _read_container(root, paragraphs, anchors)
    inner = (root.text or "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in root
    )
    return inner, paragraphs


def _is_element(node) -> bool:
    return isinstance(node.tag, str)


def _strip_shortcodes(element, *, literal: bool) -> None:
    literal = literal or element.tag in _LITERAL_TAGS or element.tag in SKIPPED_TAGS
    if element.text and not literal:
        element.text = strip_shortcodes(element.text)
    for child in element:
        if _is_element(child):
            _strip_shortcodes(child, literal=literal)
        if child.tail and not literal:
            child.tail = strip_shortcodes(child.tail)


def _raw_text(element, out: list[str]) -> None:
    """The text of `element` into `out`; a line break or block boundary becomes a space."""
    if not _is_element(element) or element.tag in SKIPPED_TAGS:
        return
    block = element.tag in BLOCK_TAGS or element.tag == "br"
    if block:
        out.append(" ")
    out.append(element.text or "")
    for child in element:
        _raw_text(child, out)
        out.append(child.tail or "")
    if block:
        out.append(" ")


def _uncollapsed(element) -> str:
    out: list[str] = []
    _raw_text(element, out)
    return "".join(out)


def element_text(element) -> str:
    """An element's text as a reader sees it: inline markup joined as written, spaces collapsed."""
    return collapse(_uncollapsed(element))


def _is_block(element) -> bool:
    if not _is_element(element) or element.tag in SKIPPED_TAGS:
        return False
    if element.tag in BLOCK_TAGS:
        return True
    return any(_is_element(d) and d.tag in BLOCK_TAGS for d in element.iterdescendants())


def _holds_list(element) -> bool:
    if element.tag not in ("li", "blockquote", "dd", "td", "th"):
        return False
    return any(_is_element(d) and d.tag in _NESTED_LISTS for d in element.iterdescendants())


def _read_block(element, paragraphs: list[str], anchors: bool) -> None:
    if element.tag in SEGMENT_TAGS and not _holds_list(element):
        text = element_text(element)
        if text:
            paragraphs.append(text)
            if anchors:
                element.set("id", paragraph_anchor(len(paragraphs)))
    else:
        _read_container(element, paragraphs, anchors)


def _has_loose_text(element) -> bool:
    if (element.text or "").strip():
        return True
    for child in element:
        if (child.tail or "").strip():
            return True
        if _is_element(child) and not _is_block(child) and element_text(child):
            return True
    return False


def _read_container(element, paragraphs: list[str], anchors: bool) -> None:
    """Paragraphs of a container's blocks and of the loose text between them."""
    if not _has_loose_text(element):
        for child in element:
            if _is_block(child):
                _read_block(child, paragraphs, anchors)
        return
    pieces: list = [element.text] if element.text else []
    for child in list(element):
        tail, child.tail = child.tail, None
        element.remove(child)
        pieces.append(child)
        if tail:
            pieces.append(tail)
    element.text = None
    wrapper = "p" if element.tag in _FLOW_TAGS else "span"
    out: list = []
    run: list = []
    for piece in pieces:
        if isinstance(piece, str) or not _is_block(piece):
            run.append(piece)
            continue
        out.extend(_wrap_runs(run, wrapper, paragraphs, anchors))
        run = []
        _read_block(piece, paragraphs, anchors)
        out.append(piece)
    out.extend(_wrap_runs(run, wrapper, paragraphs, anchors))
    _attach(element, out)


def _wrap_runs(run: list, wrapper: str, paragraphs: list[str], anchors: bool) -> list:
    """Loose text and inline elements, each blank-line separated part with text in a `wrapper`."""
    chunks: list[list] = [[]]
    separators: list[str] = []
    for piece in run:
        if not isinstance(piece, str):
            chunks[-1].append(piece)
            continue
        parts = _BLANK_LINE.split(piece)
        for index, part in enumerate(parts):
            if index % 2:
                separators.append(part)
                chunks.append([])
            elif part:
                chunks[-1].append(part)
    out: list = []
    for index, chunk in enumerate(chunks):
        if index:
            out.append(separators[index - 1])
        text = collapse("".join(p if isinstance(p, str) else _uncollapsed(p) for p in chunk))
        if not text:
            out.extend(chunk)
            continue
        lead, trail = "", ""
        if isinstance(chunk[0], str):
            stripped = chunk[0].lstrip()
            lead, chunk[0] = chunk[0][: len(chunk[0]) - len(stripped)], stripped
        if isinstance(chunk[-1], str):
            stripped = chunk[-1].rstrip()
            trail, chunk[-1] = chunk[-1][len(stripped) :], stripped
        paragraphs.append(text)
        box = etree.Element(wrapper)
        if anchors:
            box.set("id", paragraph_anchor(len(paragraphs)))
        _attach(box, chunk)
        out.extend([lead, box, trail])
    return out


def _attach(element, items: list) -> None:
    """Append strings (as text or tails) and elements to `element`, in order."""
    last = None
    for item in items:
        if isinstance(item, str):
            if not item:
                continue
            if last is None:
                element.text = (element.text or "") + item
            else:
                last.tail = (last.tail or "") + item
        else:
            element.append(item)
            last = item
