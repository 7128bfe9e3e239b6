"""Post paragraphs marked where they raise a topic: the words that raised it highlighted with
``<mark>``, and the topics' badges (links to their pages) next to the paragraph, as a comment has.

The paragraph is the element carrying the ``p-n`` id `netiquette.segments` gave it, whatever it is
(``<p>``, a list item, a heading, a quote, a cell). A mention's offsets are into the paragraph's
text as `netiquette.segments.element_text` reads it, so they are mapped back onto the element's
text nodes the same way; inline markup (a link, emphasis) may split a mention, and its mark is split
with it. When the text on the page is not the text that was analysed (another plugin rewrote it),
nothing is highlighted and the badges still show.

Everything added is made as elements and text nodes and serialized by lxml, the parser that gave
the paragraphs their ids: no name, address or piece of the post's text is ever spliced in as
markup. This module knows nothing of Pelican; `pelican.plugins.netiquette.theming` applies it on
the post's own page only, so summaries, feeds and lists of posts show the post as written.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import lxml.html
from lxml import etree

from netiquette.model import Mention
from netiquette.segments import BLOCK_TAGS, SKIPPED_TAGS, collapse, paragraph_anchor

if TYPE_CHECKING:
    from netiquette.site.summary import ParagraphSummary
    from netiquette.site.views import Term

LABEL = "Topics this paragraph raises"
MARK_CLASS = "netiquette-evidence"
NOTE_CLASS = "netiquette netiquette-marks"

#: Paragraph elements that hold their badges inside, at the end: beside them they would break their
#: list, table or definition list.
_INSIDE = frozenset({"li", "dd", "dt", "td", "th", "caption", "figcaption"})
#: Elements a block of badges may sit in; a paragraph directly in another (loose text in a ``<ul>``,
#: a ``<p>`` in a ``<tr>``) gets them after the nearest ancestor that is in one.
_FLOW = frozenset(
    {"div", "body", "section", "article", "main", "aside", "header", "footer", "nav", "blockquote",
     "li", "dd", "td", "th", "figure", "figcaption", "details", "dialog", "fieldset", "form",
     "center", "caption"}
)  # fmt: skip
#: Elements whose text is not markup (a browser shows a ``<mark>`` in a textarea as text).
_NO_MARKUP = frozenset({"textarea", "select", "option", "optgroup", "datalist"})


@dataclass(frozen=True, slots=True)
class ParagraphMarks:
    """A post paragraph that raises topics: its number, its text as analysed, the topics it raises
    (in order of first mention) and every mention of them."""

    number: int
    text: str
    topics: tuple[Term, ...]
    mentions: tuple[Mention, ...]

    @property
    def anchor(self) -> str:
        return paragraph_anchor(self.number)


def paragraph_marks(
    paragraphs: Iterable[ParagraphSummary], topics: Mapping[str, Term]
) -> tuple[ParagraphMarks, ...]:
    """The marks of a post's paragraphs, for the topics that have a page (`topics`)."""
    found = []
    for paragraph in paragraphs:
        mentions = tuple(m for m in paragraph.mentions if m.topic in topics)
        if mentions:
            shown = tuple(topics[slug] for slug in dict.fromkeys(m.topic for m in mentions))
            found.append(ParagraphMarks(paragraph.number, paragraph.text, shown, mentions))
    return tuple(sorted(found, key=lambda marks: marks.number))


def mark_paragraphs(
    html: str, marks: Sequence[ParagraphMarks], href: Callable[[Term], str], label: str = LABEL
) -> str:
    """`html` (a post's content) with each paragraph of `marks` marked: `href` gives a topic's
    address. `html` comes back as it is when none of the paragraphs is in it."""
    if not marks or not html.strip():
        return html
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html
    elements = _paragraph_elements(root)
    changed = False
    for mark in marks:
        element = elements.get(mark.anchor)
        if element is None:
            continue
        _highlight(element, mark)
        _place(element, _badges(mark.topics, href, label))
        changed = True
    if not changed:
        return html
    return (root.text or "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in root
    )


def _paragraph_elements(root) -> dict[str, object]:
    """Each paragraph id's element, the first where an author's own markup repeats one."""
    found: dict[str, object] = {}
    for element in root.iterdescendants():
        if isinstance(element.tag, str):
            anchor = element.get("id")
            if anchor and anchor.startswith("p-"):
                found.setdefault(anchor, element)
    return found


def _badges(topics: Sequence[Term], href: Callable[[Term], str], label: str):
    """The badge list comments have (``netiquette/macros.html``), in an element of its own."""
    note = etree.Element("div", {"class": NOTE_CLASS})
    items = etree.SubElement(note, "ul", {"class": "badges", "aria-label": label})
    for term in topics:
        link = etree.SubElement(
            etree.SubElement(items, "li"), "a", {"class": "badge", "href": href(term)}
        )
        link.text = str(term.name)
    return note


def _place(element, note) -> None:
    if element.tag in _INSIDE:
        element.append(note)
        return
    anchor = element
    parent = anchor.getparent()
    while parent.tag not in _FLOW and parent.getparent() is not None:
        anchor, parent = parent, parent.getparent()
    parent.insert(parent.index(anchor) + 1, note)


# --- the evidence --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Slot:
    """One text of the tree: an element's ``text`` or a node's ``tail``; `owner` is None for the
    space a block boundary or a line break stands for in `element_text`."""

    owner: object
    tail: bool
    text: str
    markable: bool


def _slots(element, out: list[_Slot], markable: bool) -> None:
    """`element`'s texts in the order `netiquette.segments._raw_text` reads them."""
    if not isinstance(element.tag, str) or element.tag in SKIPPED_TAGS:
        return
    markable = markable and element.tag not in _NO_MARKUP
    block = element.tag in BLOCK_TAGS or element.tag == "br"
    if block:
        out.append(_Slot(None, False, " ", False))
    out.append(_Slot(element, False, element.text or "", markable))
    for child in element:
        _slots(child, out, markable)
        out.append(_Slot(child, True, child.tail or "", markable))
    if block:
        out.append(_Slot(None, False, " ", False))


def _collapsed(slots: list[_Slot]) -> tuple[str, list[tuple[int, int]]]:
    """The slots' text with whitespace collapsed (as `collapse` does), and where each of its
    characters is: (slot, offset), the first character of the run for a collapsed space."""
    chars: list[str] = []
    where: list[tuple[int, int]] = []
    space: tuple[int, int] | None = None
    for number, slot in enumerate(slots):
        for offset, char in enumerate(slot.text):
            if char.isspace():
                if space is None:
                    space = (number, offset)
                continue
            if space is not None and chars:
                chars.append(" ")
                where.append(space)
            space = None
            chars.append(char)
            where.append((number, offset))
    return "".join(chars), where


def _spans(text: str, shown: str, mentions: Iterable[Mention]) -> list[tuple[int, int]]:
    """The mentions' spans in `shown`, the element's text, without overlaps; none when `shown` is
    not the analysed `text` (or that text with its whitespace collapsed)."""
    if shown == text:
        moved = None
    elif shown == collapse(text):
        moved = [i for i, char in enumerate(text) if not char.isspace()]
    else:
        return []
    spans: list[tuple[int, int]] = []
    cursor = 0
    for mention in sorted(mentions, key=lambda m: (m.start, m.end)):
        start, end = mention.start, mention.end
        if moved is not None:
            start, end = _moved(text, moved, start), _moved(text, moved, end)
        if cursor <= start < end <= len(shown):
            spans.append((start, end))
            cursor = end
    return spans


def _moved(text: str, kept: list[int], offset: int) -> int:
    """Where `offset` of `text` is once its whitespace is collapsed (`kept`: the offsets of its
    other characters); a collapsed run counts one space."""
    index = bisect_left(kept, offset)
    last = index if index < len(kept) and kept[index] == offset else index - 1
    spaces = sum(1 for j in range(1, last + 1) if kept[j] - kept[j - 1] > 1)
    return index + spaces


def _highlight(element, mark: ParagraphMarks) -> None:
    slots: list[_Slot] = []
    _slots(element, slots, True)
    shown, where = _collapsed(slots)
    pieces: list[tuple[int, int, int]] = []
    for start, end in _spans(mark.text, shown, mark.mentions):
        reach: dict[int, list[int]] = {}
        for number, offset in where[start:end]:
            reach.setdefault(number, [offset, offset])[1] = offset
        pieces += [(number, low, high + 1) for number, (low, high) in reach.items()]
    # From the end backwards: wrapping a piece leaves the text before it where it was.
    for number, low, high in sorted(pieces, reverse=True):
        slot = slots[number]
        if slot.owner is not None and slot.markable:
            _wrap(slot, low, high)


def _wrap(slot: _Slot, low: int, high: int) -> None:
    """Put ``text[low:high]`` of `slot` in a ``<mark>``; the slot keeps the text before it."""
    owner = slot.owner
    text = (owner.tail if slot.tail else owner.text) or ""
    mark = etree.Element("mark", {"class": MARK_CLASS})
    mark.text, mark.tail = text[low:high], text[high:] or None
    if slot.tail:
        owner.tail = text[:low] or None
        parent = owner.getparent()
        parent.insert(parent.index(owner) + 1, mark)
    else:
        owner.text = text[:low] or None
        owner.insert(0, mark)
