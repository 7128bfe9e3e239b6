"""Saved blog pages: the post and its comment thread, read from WordPress theme markup.

Themes differ in details but share WordPress's comment walker: a list (``ol.comment-list`` or the
older ``ol.commentlist``) of ``li.comment`` items with ``id="comment-N"``, replies in nested
``.children`` lists, the author in ``.fn`` or ``cite.comment-author``, and the date in a ``time``
element or a metadata line. Some themes close an item before its ``.children`` list, so a reply's
parent is found from the nesting depth and document order rather than from the enclosing item.
Pingbacks and trackbacks are counted, not read.

The post body keeps its own markup (headings, lists, links, emphasis, quotes, code), without the
theme's chrome and sanitized like any untrusted HTML; its paragraphs are read from that body by the
shared `netiquette.segments` routine, so the page, the import and the analysis agree.
"""

from __future__ import annotations

import copy
import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bs4 import BeautifulSoup, CData, NavigableString, Tag, XMLParsedAsHTMLWarning

from netiquette.dates import parse_iso, parse_loose
from netiquette.model import Comment, Post, Problem, Thread, clean_id, derived_id, repair_structure
from netiquette.sanitize import clean_post_html
from netiquette.segments import BLOCK_TAGS, SKIPPED_TAGS, collapse, html_paragraphs

COMMENT_LIST_SELECTOR = "ol.comment-list, ol.commentlist, ul.comment-list, ul.commentlist"
PING_CLASSES = frozenset({"pingback", "trackback"})
CHILD_LIST_CLASS = "children"
AUTHOR_SELECTORS = (
    ".comment-author .fn",
    "cite.fn",
    "b.fn",
    ".fn",
    "cite.comment-author",
    ".comment-author-name",
    ".comment-author",
)
BODY_SELECTORS = (".comment-content", ".comment-text", ".contenttext", ".comment-body")
META_SELECTORS = (".comment-metadata", ".commentmetadata", ".comment-meta", ".comment-date")
CHROME_SELECTOR = ", ".join(
    (
        ".comment-author", ".vcard", ".comment-meta", ".comment-metadata", ".commentmetadata",
        ".reply", ".comment-reply-link", ".children", ".comment-actions", ".comment-likes",
        ".says", ".edit-link", ".comment-awaiting-moderation", "footer", "img.avatar",
    )
)  # fmt: skip
POST_CONTAINERS = (
    ".entry-content",
    "[itemprop=articleBody]",
    ".post-content",
    ".entrytext",
    ".entry-body",
    ".post-body",
    ".storycontent",
    ".entry",
    "article",
)
#: The post's own blocks; anything else in the container (bylines, buttons, loose text) is chrome.
POST_BLOCK_TAGS = ("p", "ul", "ol", "dl", "li", "blockquote", "pre", "h2", "h3", "h4", "h5", "h6")
DATE_SELECTOR = (
    "time[datetime], [itemprop=datePublished], .published, .entry-date, .post-date, .date"
)
_COMMENT_AREA_CLASSES = frozenset({"comment-list", "commentlist", "comments-area"})
_COMMENT_ID = re.compile(r"^(?:li-|div-)?comment-(\d+)$")
_OUTSIDE_POST_IDS = frozenset({"comments", "respond"})
_OUTSIDE_POST_CLASSES = frozenset(
    {"comments-area", "comment-respond", "comment-list", "commentlist", "comments", "sharedaddy",
     "jp-relatedposts", "related-posts", "widget"}
)  # fmt: skip
_OUTSIDE_POST_TAGS = frozenset({"nav", "footer", "aside", "header", "form", "script", "style"})
_CHROME_CLASS = re.compile(
    r"shar(?:e|ing)|social|related|subscribe|newsletter|jump-buttons|author-(?:box|bio)|abh_|dpsp"
)
_ID_ATTRIBUTE = re.compile(r"""\bid\s*=\s*["']?(?:li-|div-)?comment-(\d+)\b""")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")
_BYLINE = re.compile(r"^\s*(?:by|von|par|por)\s+", re.IGNORECASE)


def _classes(tag: Tag) -> set[str]:
    return set(tag.get("class") or [])


def _text(tag: Tag | None) -> str:
    """Every string in `tag` space-separated: for names and dates, wherever the theme split them."""
    return " ".join(tag.get_text(" ").split()) if tag is not None else ""


def _inline_text(tag: Tag) -> str:
    """Text as a reader sees it: inline markup joined as written, blocks and breaks as spaces."""
    out: list[str] = []
    stack: list[Tag | NavigableString | str] = [tag]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            out.append(node)
        elif isinstance(node, Tag):
            if node.name in SKIPPED_TAGS:
                continue
            spaced = node.name in BLOCK_TAGS or node.name == "br"
            stack.extend([" "] if spaced else [])
            stack.extend(reversed(node.contents))
            stack.extend([" "] if spaced else [])
        elif type(node) in (NavigableString, CData):
            out.append(str(node))
    return collapse("".join(out))


def _is_comment_item(tag: Tag) -> bool:
    if tag.name != "li" or _classes(tag) & PING_CLASSES:
        return False
    return "comment" in _classes(tag) or bool(_COMMENT_ID.match(tag.get("id") or ""))


def _is_ping_item(tag: Tag) -> bool:
    return tag.name == "li" and bool(_classes(tag) & PING_CLASSES)


def _outside_post(tag: Tag) -> bool:
    """Whether a tag sits in comments, navigation or widgets rather than in the post itself."""
    for node in (tag, *tag.parents):
        if node.name in _OUTSIDE_POST_TAGS or node.get("id") in _OUTSIDE_POST_IDS:
            return True
        if _classes(node) & _OUTSIDE_POST_CLASSES:
            return True
    return False


# --- the post -------------------------------------------------------------------------------------


def _meta(soup: BeautifulSoup, **attrs: str) -> str:
    tag = soup.find("meta", attrs=attrs)
    return " ".join(str(tag.get("content") or "").split()) if tag is not None else ""


def _title(soup: BeautifulSoup) -> str:
    heading = soup.select_one("h1.entry-title, h1.post-title")
    title = (
        (_inline_text(heading) if heading is not None else "")
        or _meta(soup, property="og:title")
        or _meta(soup, name="twitter:title")
    )
    if not title and soup.title is not None:
        title = _text(soup.title)
        site = _meta(soup, property="og:site_name")
        for separator in (" | ", " – ", " — ", " - ", " :: "):
            if site and title.endswith(separator + site):
                title = title[: -len(separator + site)]
    return title


def _json_ld(soup: BeautifulSoup) -> Iterator[Any]:
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            yield json.loads(script.string or "")
        except ValueError:
            continue


def _walk_json(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _walk_json(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_json(item)


def _json_ld_author(soup: BeautifulSoup) -> str:
    """The article author's name from schema.org data, following ``@id`` references."""
    nodes = [node for data in _json_ld(soup) for node in _walk_json(data)]
    named = {node["@id"]: node.get("name") for node in nodes if "@id" in node and node.get("name")}
    for node in nodes:
        author = node.get("author")
        if isinstance(author, list) and author:
            author = author[0]
        if isinstance(author, dict):
            name = author.get("name") or named.get(author.get("@id", ""))
            if isinstance(name, str) and name.strip():
                return " ".join(name.split())
    return ""


def _author(soup: BeautifulSoup) -> str:
    name = _meta(soup, name="author") or _json_ld_author(soup)
    if name:
        return name
    selectors = (
        "[rel=author]",
        "[itemprop=author] [itemprop=name]",
        ".author .fn",
        ".post-author-name",
        ".author-name",
        ".byline",
        "address",
        ".author",
    )
    for selector in selectors:
        for tag in soup.select(selector):
            if _in_comments(tag):
                continue
            text = _BYLINE.sub("", _text(tag)).strip()
            if text and len(text) <= 60:
                return text
    return ""


def _in_comments(tag: Tag) -> bool:
    return (
        tag.find_parent(_is_comment_item) is not None
        or tag.find_parent(id="comments") is not None
        or tag.find_parent(class_=list(_COMMENT_AREA_CLASSES)) is not None
    )


def _date(soup: BeautifulSoup, container: Tag | None) -> datetime | None:
    """Publication date: Open Graph metadata, else a time element or dated byline outside comments."""
    date = parse_iso(_meta(soup, property="article:published_time"))
    if date is not None:
        return date
    inside = container.select(DATE_SELECTOR) if container is not None else []
    for tag in [*inside, *soup.select(DATE_SELECTOR)]:
        if _in_comments(tag):
            continue
        value = tag.get("datetime") or tag.get("content")
        date = parse_iso(str(value)) if value else None
        if date is None:
            date, inferred = parse_loose(_text(tag))
            date = None if inferred else date
        if date is not None:
            return date
    return None


def _densest_block(soup: BeautifulSoup) -> Tag | None:
    """The element whose own paragraphs hold the most text, outside comments and page chrome."""
    totals: dict[int, tuple[int, Tag]] = {}
    for paragraph in soup.find_all("p"):
        parent = paragraph.parent
        if parent is None or _outside_post(paragraph):
            continue
        size, _ = totals.get(id(parent), (0, parent))
        totals[id(parent)] = (size + len(_text(paragraph)), parent)
    if not totals:
        return None
    return max(totals.values(), key=lambda entry: entry[0])[1]


def _post_container(soup: BeautifulSoup) -> Tag | None:
    for selector in POST_CONTAINERS:
        for tag in soup.select(selector):
            if not _outside_post(tag) and any(
                _text(p) and not _outside_post(p) for p in tag.find_all("p")
            ):
                return tag
    return _densest_block(soup)


def _is_chrome(tag: Tag) -> bool:
    """Whether a tag inside the post container is theme furniture rather than the post."""
    if tag.name in _OUTSIDE_POST_TAGS or tag.get("id") in _OUTSIDE_POST_IDS:
        return True
    classes = _classes(tag)
    return bool(classes & _OUTSIDE_POST_CLASSES) or any(_CHROME_CLASS.search(c) for c in classes)


def _post_html(container: Tag | None, base_url: str | None) -> str:
    """The post's paragraphs, lists, quotes, code and subheadings with their markup, sanitized."""
    if container is None:
        return ""
    fragment = copy.copy(container)
    for tag in fragment.find_all(True):
        if not tag.decomposed and _is_chrome(tag):
            tag.decompose()
    blocks = [
        str(tag)
        for tag in fragment.find_all(POST_BLOCK_TAGS)
        if not _nested_in(tag, fragment) and tag.get_text().strip()
    ]
    return clean_post_html("\n".join(blocks), base_url)


def _nested_in(tag: Tag, container: Tag) -> bool:
    """Whether `tag` lies inside another post block within `container` (read with it)."""
    for parent in tag.parents:
        if parent is container:
            return False
        if parent.name in POST_BLOCK_TAGS:
            return True
    return False


# --- the comments ---------------------------------------------------------------------------------


def _comment_items(soup: BeautifulSoup) -> tuple[list[Tag], list[Tag], list[Tag]]:
    """(comment lists, comment items, ping items) in document order."""
    lists = [
        tag for tag in soup.select(COMMENT_LIST_SELECTOR) if CHILD_LIST_CLASS not in _classes(tag)
    ]
    list_ids = {id(tag) for tag in lists}
    roots = [tag for tag in lists if not any(id(parent) in list_ids for parent in tag.parents)]
    scopes: list[Tag] = list(roots) or [soup]
    items: list[Tag] = []
    pings: list[Tag] = []
    for scope in scopes:
        for tag in scope.find_all("li"):
            if _is_comment_item(tag):
                items.append(tag)
            elif _is_ping_item(tag):
                pings.append(tag)
    return roots, items, pings


def _own(item: Tag, selectors: tuple[str, ...]) -> Tag | None:
    """The first match of the selectors that belongs to `item` itself, not to a nested comment."""
    for selector in selectors:
        for tag in item.select(selector):
            if tag.find_parent(_is_comment_item) is item:
                return tag
    return None


def _depth(item: Tag, root: Tag | None) -> int:
    """How many ``.children`` lists enclose the item: 0 for a top-level comment."""
    depth = 0
    for parent in item.parents:
        if parent is root:
            break
        if parent.name in {"ul", "ol"} and CHILD_LIST_CLASS in _classes(parent):
            depth += 1
    return depth


def _comment_id(item: Tag) -> str | None:
    match = _COMMENT_ID.match(item.get("id") or "")
    wrapper = _own_wrapper(item) if match is None else None
    if wrapper is not None:
        match = _COMMENT_ID.match(str(wrapper["id"]))
    return match.group(1) if match else None


def _body(item: Tag) -> str:
    """Inner HTML of the comment text, without author, date, reply links and nested replies."""
    container = _own(item, BODY_SELECTORS) or _own_wrapper(item) or item
    fragment = copy.copy(container)
    for tag in fragment.select(CHROME_SELECTOR):
        if not tag.decomposed:
            tag.decompose()
    for tag in fragment.find_all(["ul", "ol", "li"]):
        if not tag.decomposed and (_is_comment_item(tag) or _is_ping_item(tag)):
            tag.decompose()
    body = fragment.decode_contents().strip()
    return body if "<pre" in body else _BLANK_LINES.sub("\n\n", body)


def _own_wrapper(item: Tag) -> Tag | None:
    """The ``div#comment-N`` that older themes wrap a comment in, inside ``li#li-comment-N``."""
    for tag in item.find_all(id=_COMMENT_ID):
        if tag is not item and tag.find_parent(_is_comment_item) is item:
            return tag
    return None


def _comment_date(item: Tag, post_date: datetime | None) -> tuple[datetime | None, bool]:
    time_tag = _own(item, ("time[datetime]",))
    if time_tag is not None:
        date = parse_iso(str(time_tag["datetime"]))
        if date is not None:
            return date, False
    meta = _own(item, META_SELECTORS)
    for tag in (_own(item, ("time",)), meta.find("a") if meta is not None else None, meta):
        if tag is not None:
            date, inferred = parse_loose(_text(tag), post_date)
            if date is not None:
                return date, inferred
    return None, False


def _author_name(tag: Tag | None) -> str:
    """The author element's text, without a "says:" label beside the name."""
    if tag is None:
        return ""
    if tag.select_one(".says") is None:
        return _text(tag)
    fragment = copy.copy(tag)
    for label in fragment.select(".says"):
        label.decompose()
    return _text(fragment)


def _author_link(tag: Tag | None) -> str | None:
    """The address the author's name links to, if it does."""
    if tag is None:
        return None
    link = tag if tag.name == "a" and tag.get("href") else tag.find("a", href=True)
    return str(link["href"]).strip() or None if link is not None else None


def _comment_lines(text: str) -> dict[str, int]:
    """Line of the first ``id="comment-N"`` for each N, since the lxml tree keeps no line numbers."""
    lines: dict[str, int] = {}
    line, position = 1, 0
    for match in _ID_ATTRIBUTE.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        lines.setdefault(match.group(1), line)
    return lines


def _comment(
    item: Tag, parent_id: str | None, post_date: datetime | None, source: str, line: int | None
) -> Comment:
    author_tag = _own(item, AUTHOR_SELECTORS)
    author = _author_name(author_tag)
    date, year_inferred = _comment_date(item, post_date)
    body = _body(item)
    comment_id = _comment_id(item) or derived_id(author, str(date), body)
    inferred = {"author"} if not author else set()
    if year_inferred:
        inferred.add("date")
    return Comment(
        id=clean_id(comment_id),
        author=author or "Anonymous",
        body=body,
        format="html",
        parent_id=parent_id,
        author_url=_author_link(author_tag),
        date=date,
        inferred=frozenset(inferred),
        source=source,
        line=line,
    )


def _comments(
    items: list[Tag], roots: list[Tag], post_date: datetime | None, source: str, text: str
) -> list[Comment]:
    """Comments in document order, each reply pointing at the last comment one level up."""
    lines = _comment_lines(text)
    comments: list[Comment] = []
    open_levels: list[Comment] = []
    root_ids = {id(root): root for root in roots}
    for item in items:
        root = next((root_ids[id(p)] for p in item.parents if id(p) in root_ids), None)
        depth = _depth(item, root)
        del open_levels[depth:]
        parent_id = open_levels[-1].id if open_levels else None
        comment = _comment(item, parent_id, post_date, source, lines.get(_comment_id(item) or ""))
        comments.append(comment)
        open_levels.append(comment)
    return comments


@dataclass
class SavedPage:
    """A saved page read: its thread, and the post body as sanitized HTML (no anchors yet)."""

    thread: Thread
    body_html: str


def parse_html_page(text: str, source: str) -> Thread:
    """The post and comment thread of a saved WordPress page (see `parse_saved_page`)."""
    return parse_saved_page(text, source).thread


def parse_saved_page(text: str, source: str) -> SavedPage:
    """The post, its body HTML and the comment thread of a saved WordPress page.

    Comment bodies are the raw inner HTML of the comment text (format "html"), to be sanitized
    when rendered; post paragraphs are the plain text of the body's blocks.
    """
    with warnings.catch_warnings():
        # A page may be XHTML, or not a page at all: either way it is read as HTML, and the
        # reading's own problems are reported, not bs4's guess about the markup.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(text, "lxml")
    container = _post_container(soup)
    date = _date(soup, container)
    roots, items, pings = _comment_items(soup)
    title = _title(soup)
    metadata = {"url": _meta(soup, property="og:url")}
    if pings:
        metadata["pingbacks"] = str(len(pings))
    body = _post_html(container, metadata["url"] or None)
    post = Post(
        title=title or "Untitled",
        author=_author(soup) or None,
        date=date,
        paragraphs=html_paragraphs(body),
        source=source,
        metadata={key: value for key, value in metadata.items() if value},
        inferred=frozenset() if title else frozenset({"title"}),
    )
    thread = Thread(post=post, comments=_comments(items, roots, date, source, text))
    if not items:
        thread.problems.append(Problem(source, "no WordPress comment list found", None))
    repair_structure(thread)
    return SavedPage(thread, body)
