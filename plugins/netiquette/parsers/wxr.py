"""WordPress export (WXR) files: posts, pages and their approved comments.

A WXR file is RSS with a ``wp:`` namespace: one ``<item>`` per post, page, attachment or menu entry,
each with its ``<wp:comment>`` elements. Only published posts and pages (and, when asked, drafts)
are imported; only approved ordinary comments are published. Everything else (pingbacks,
trackbacks, pending, spam, trash, private and password-protected posts) is counted, so the report can
account for every comment in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

from lxml import etree

from netiquette.dates import parse_wordpress, to_utc
from netiquette.model import Comment, Post, Problem, Thread, clean_id, derived_id, repair_structure
from netiquette.parsers.archive import (
    ArchiveError,
    ImportCounts,
    ImportedPost,
    ImportResult,
    Progress,
    tally_threads,
)
from netiquette.parsers.slugs import SlugRegistry
from netiquette.parsers.xmlload import parse_xml
from netiquette.render import autop
from netiquette.segments import html_paragraphs

IMPORTED_TYPES = ("post", "page")
DRAFT_STATUSES = frozenset({"draft", "pending", "future"})
ORDINARY_COMMENT_TYPES = frozenset({"", "comment"})
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
DEFAULT_WP_NS = "http://wordpress.org/export/1.2/"


def _is_wordpress_namespace(uri: str) -> bool:
    return "wordpress.org/export/" in uri and "excerpt" not in uri


class _Names:
    """Qualified tag names for the namespaces this export actually uses."""

    def __init__(self, root: etree._Element) -> None:
        namespaces = (etree.QName(element).namespace or "" for element in root.iter(etree.Element))
        wp = next((uri for uri in namespaces if _is_wordpress_namespace(uri)), None)
        self.found = wp is not None
        self.wp = f"{{{wp or DEFAULT_WP_NS}}}"
        self.content = f"{{{CONTENT_NS}}}"
        self.dc = f"{{{DC_NS}}}"

    def __call__(self, local: str) -> str:
        return self.wp + local


def _text(element: etree._Element, tag: str) -> str:
    return (element.findtext(tag) or "").strip()


def _moderation(approved: str) -> str:
    """WordPress's ``comment_approved`` as a word: approved, pending, spam or trash."""
    approved = approved.strip().lower()
    if approved in {"trash", "post-trashed"}:
        return "trash"
    return {"1": "approved", "spam": "spam"}.get(approved, "pending")


def _comment_status(approved: str, kind: str) -> str:
    """One status per comment: spam and trash first, then pings and other types, then moderation."""
    moderation = _moderation(approved)
    kind = kind.strip().lower()
    if moderation in {"spam", "trash"} or kind in ORDINARY_COMMENT_TYPES:
        return moderation
    return kind


def _post_date(item: etree._Element, wp: _Names) -> datetime | None:
    date = parse_wordpress(_text(item, wp("post_date_gmt"))) or parse_wordpress(
        _text(item, wp("post_date"))
    )
    if date is None and _text(item, "pubDate"):
        try:
            date = to_utc(parsedate_to_datetime(_text(item, "pubDate")))
        except (TypeError, ValueError):
            date = None
    return date


def _terms(item: etree._Element) -> tuple[list[str], list[str]]:
    """(tags, categories) in archive order without repeats.

    WXR 1.0 repeats each term without a ``domain``; those are used only if no term has one.
    """
    tags: list[str] = []
    categories: list[str] = []
    loose: list[str] = []
    for element in item.findall("category"):
        name = (element.text or "").strip()
        domain = element.get("domain")
        target = {"post_tag": tags, "tag": tags, "category": categories}.get(domain or "")
        if not name:
            continue
        if domain is None:
            loose.append(name)
        elif target is not None and name not in target:
            target.append(name)
    if not tags and not categories:
        categories = list(dict.fromkeys(loose))
    return tags, categories


@dataclass
class _Item:
    """A post or page chosen for import, before its slug is assigned."""

    element: etree._Element
    kind: str
    status: str
    thread: Thread


def _comments(
    item: etree._Element, wp: _Names, source: str, counts: ImportCounts
) -> tuple[list[Comment], list[Problem]]:
    """Approved ordinary comments of one item, with replies to unpublished comments made top-level."""
    statuses: dict[str, str] = {}
    comments: list[Comment] = []
    for element in item.findall(wp("comment")):
        approved = _text(element, wp("comment_approved"))
        status = _comment_status(approved, _text(element, wp("comment_type")))
        counts.comments[status] += 1
        counts.moderation[_moderation(approved)] += 1
        raw_id = _text(element, wp("comment_id"))
        content = element.findtext(wp("comment_content")) or ""
        author = " ".join(_text(element, wp("comment_author")).split())
        date = parse_wordpress(_text(element, wp("comment_date_gmt"))) or parse_wordpress(
            _text(element, wp("comment_date"))
        )
        comment_id = clean_id(raw_id) if raw_id else derived_id(author, str(date), content)
        statuses.setdefault(comment_id, status)
        if status != "approved":
            continue
        parent = _text(element, wp("comment_parent"))
        comments.append(
            Comment(
                id=comment_id,
                author=author or "Anonymous",
                body=autop(content),
                format="html",
                parent_id=clean_id(parent) if parent not in {"", "0"} else None,
                author_url=_text(element, wp("comment_author_url")) or None,
                date=date,
                inferred=frozenset() if author else frozenset({"author"}),
                source=source,
                line=element.sourceline,
            )
        )
    problems: list[Problem] = []
    for comment in comments:
        parent_status = statuses.get(comment.parent_id or "", "approved")
        if parent_status != "approved":
            problems.append(
                Problem(
                    source,
                    f"comment {comment.id!r} replies to comment {comment.parent_id!r}, which is "
                    f"not published ({parent_status}); published top-level",
                    comment.line,
                )
            )
            comment.parent_id = None
    return comments, problems


def _item(element: etree._Element, wp: _Names, result: ImportResult, drafts: bool) -> _Item | None:
    """Read one ``<item>``; None (after counting it) when it is not imported."""
    source, counts = result.source, result.counts
    kind = _text(element, wp("post_type")) or "post"
    status = _text(element, wp("status")) or "publish"
    comments, problems = _comments(element, wp, source, counts)
    imported = kind in IMPORTED_TYPES
    if imported and _text(element, wp("post_password")):
        result.problems.append(
            Problem(source, "password-protected post not imported", element.sourceline)
        )
        counts.skipped["password-protected"] += 1
        imported = False
    elif imported and status == "publish":
        if kind == "page":
            counts.pages += 1
        else:
            counts.posts += 1
    elif imported and status in DRAFT_STATUSES:
        counts.drafts += 1
        imported = drafts
    else:
        counts.skipped[kind if kind not in IMPORTED_TYPES else status] += 1
        imported = False
    if status != "publish" or not imported:
        counts.unplaced += len(comments)
    if not imported:
        return None
    body = element.findtext(wp.content + "encoded") or ""
    title = " ".join(_text(element, "title").split())
    post = Post(
        title=title or "Untitled",
        inferred=frozenset() if title else frozenset({"title"}),
        author=_text(element, wp.dc + "creator") or None,
        date=_post_date(element, wp),
        paragraphs=html_paragraphs(body),
        source=source,
        metadata={
            key: value
            for key, value in (
                ("wordpress_id", _text(element, wp("post_id"))),
                ("link", _text(element, "link")),
            )
            if value
        },
    )
    thread = Thread(post=post, comments=comments, problems=problems)
    repair_structure(thread)
    return _Item(element, kind, status, thread)


def _imported_post(entry: _Item, wp: _Names, slugs: SlugRegistry) -> ImportedPost:
    element = entry.element
    post_id = _text(element, wp("post_id"))
    tags, categories = _terms(element)
    post = entry.thread.post
    slug = slugs.claim(
        _text(element, wp("post_name")),
        "" if post.is_inferred("title") else post.title,
        fallback=f"{entry.kind}-{post_id}" if post_id else entry.kind,
    )
    post.metadata["slug"] = slug
    return ImportedPost(
        thread=entry.thread,
        slug=slug,
        kind="page" if entry.kind == "page" else "post",
        status=entry.status,
        tags=tags,
        categories=categories,
        body_html=element.findtext(wp.content + "encoded") or "",
        link=_text(element, "link") or None,
    )


def read_wxr(
    data: bytes, source: str, *, drafts: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Posts, pages and published comments of a WordPress export.

    Drafts (draft, pending and scheduled posts) are included only when `drafts` is true. `progress`,
    when given, is called with (items done, items in total) about a hundred times.
    """
    root, problems = parse_xml(data, source)
    items = list(root.iter("item"))
    wp = _Names(root)
    if not items and not wp.found:
        raise ArchiveError(source, "not a WordPress export: no <item> elements", root.sourceline)
    result = ImportResult(source=source, problems=problems, format="wxr")
    chosen: list[_Item] = []
    step = max(1, len(items) // 100)
    for done, element in enumerate(items, start=1):
        entry = _item(element, wp, result, drafts)
        if entry is not None:
            chosen.append(entry)
        if progress is not None and (done % step == 0 or done == len(items)):
            progress(done, len(items))
    slugs = SlugRegistry()
    # Published posts claim slugs first, so their names do not depend on whether drafts are included.
    order = sorted(range(len(chosen)), key=lambda index: chosen[index].status != "publish")
    imported = {index: _imported_post(chosen[index], wp, slugs) for index in order}
    result.posts = [imported[index] for index in range(len(chosen))]
    tally_threads(result.counts, result.posts)
    return result
