"""Disqus XML exports: threads (one per commented page) and their posts (the comments).

A Disqus export knows pages only by URL, so its threads are matched to the site's posts by link
(`posts_by_link`), or become post stubs when asked. Spam and deleted comments are counted, not
published; replies to them, and comments on threads the export does not contain, are reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from urllib.parse import urlsplit

from lxml import etree

from netiquette.dates import parse_iso
from netiquette.model import Comment, Post, Problem, Thread, clean_id, derived_id, repair_structure
from netiquette.parsers.archive import (
    ArchiveError,
    ImportedPost,
    ImportResult,
    Progress,
    tally_threads,
)
from netiquette.parsers.slugs import SlugRegistry
from netiquette.parsers.xmlload import parse_xml
from netiquette.render import autop
from netiquette.sanitize import safe_url

DSQ_ID = "{http://disqus.com/disqus-internals}id"
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def normalize_link(link: str) -> str:
    """A link reduced to what identifies a page: host without ``www.``, path without a final ``/``.

    The scheme and fragment are ignored, because exports mix http and https for the same page.
    """
    try:
        parts = urlsplit(link.strip())
        number = parts.port
    except ValueError:  # not a URL (bad port or host): compare it as written
        return link.strip().lower()
    host = (parts.hostname or "").removeprefix("www.")
    port = f":{number}" if number and number not in {80, 443} else ""
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{port}{parts.path.rstrip('/')}{query}".lower()


def _last_segment(link: str) -> str:
    try:
        path = urlsplit(link.strip()).path.rstrip("/")
    except ValueError:
        return ""
    segment = path.rsplit("/", 1)[-1]
    return segment.rsplit(".", 1)[0] if segment.endswith((".html", ".htm", ".php")) else segment


class _LinkIndex:
    """Finds a post's slug for a thread link: the same page first, then a slug as last path part."""

    def __init__(self, posts_by_link: Mapping[str, str]) -> None:
        self._by_link = {normalize_link(link): slug for link, slug in posts_by_link.items()}
        self._by_slug = {slug: slug for slug in posts_by_link.values()}
        self._by_slug.update({key: slug for key, slug in self._by_link.items() if "/" not in key})

    def find(self, *links: str) -> str | None:
        for link in filter(None, links):
            if normalize_link(link) in self._by_link:
                return self._by_link[normalize_link(link)]
        for link in filter(None, links):
            segment = _last_segment(link)
            if segment in self._by_slug:
                return self._by_slug[segment]
        return None


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child_text(element: etree._Element, name: str) -> str:
    for child in element:
        if _local(child) == name:
            return (child.text or "").strip()
    return ""


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next((child for child in element if _local(child) == name), None)


@dataclass
class _DisqusThread:
    id: str
    link: str
    identifier: str
    title: str
    author: str
    date: datetime | None
    deleted: bool
    line: int | None
    comments: list[Comment] = field(default_factory=list)


def _flag(element: etree._Element, name: str, source: str, problems: list[Problem]) -> bool:
    """A Disqus true/false field; an unreadable value counts as true, so nothing doubtful is shown."""
    value = _child_text(element, name).lower()
    if not value:
        return False
    if value not in _BOOLEANS:
        problems.append(
            Problem(
                source,
                f"<{name}> has unexpected value {value!r}; taken as true",
                element.sourceline,
            )
        )
        return True
    return _BOOLEANS[value]


def _thread(element: etree._Element, source: str, problems: list[Problem]) -> _DisqusThread:
    author = _child(element, "author")
    return _DisqusThread(
        id=element.get(DSQ_ID, ""),
        link=_child_text(element, "link"),
        identifier=_child_text(element, "id"),
        title=" ".join(_child_text(element, "title").split()),
        author=_child_text(author, "name") if author is not None else "",
        date=parse_iso(_child_text(element, "createdAt")),
        deleted=_flag(element, "isDeleted", source, problems),
        line=element.sourceline,
    )


def _reference(element: etree._Element, name: str) -> str | None:
    """The ``dsq:id`` of a ``<thread>`` or ``<parent>`` reference inside a post."""
    child = _child(element, name)
    return child.get(DSQ_ID) if child is not None else None


def _comment(element: etree._Element, source: str, problems: list[Problem]) -> Comment:
    line = element.sourceline
    author_element = _child(element, "author")
    name = username = ""
    if author_element is not None:
        name = " ".join(_child_text(author_element, "name").split())
        username = _child_text(author_element, "username")
    author = name or username
    message = _child_text(element, "message")
    created = _child_text(element, "createdAt")
    date = parse_iso(created)
    if created and date is None:
        problems.append(Problem(source, f"unreadable date {created!r}; comment left undated", line))
    raw_id = element.get(DSQ_ID, "")
    if not raw_id:
        raw_id = derived_id(author, created, message)
        problems.append(Problem(source, f"comment without dsq:id; given id {raw_id!r}", line))
    parent = _reference(element, "parent")
    return Comment(
        id=clean_id(raw_id),
        author=author or "Anonymous",
        body=autop(message),
        format="html",
        parent_id=clean_id(parent) if parent else None,
        date=date,
        inferred=frozenset() if author else frozenset({"author"}),
        source=source,
        line=line,
    )


def _detach_from_unpublished(thread: Thread, held: dict[str, str], source: str) -> None:
    """Replies to spam or deleted comments become top-level, with a warning."""
    for comment in thread.comments:
        if comment.parent_id in held:
            thread.problems.append(
                Problem(
                    source,
                    f"comment {comment.id!r} replies to comment {comment.parent_id!r}, which is "
                    f"not published ({held[comment.parent_id]}); published top-level",
                    comment.line,
                )
            )
            comment.parent_id = None


def _stub_body(link: str | None) -> str:
    """The body of a stub post: a link to where the discussion was (http(s) only, escaped)."""
    link = safe_url(link)
    if not link:
        return ""
    quoted = escape(link)
    return f'<p>Discussion imported from <a href="{quoted}">{quoted}</a>.</p>'


def read_disqus(
    data: bytes,
    source: str,
    *,
    posts_by_link: Mapping[str, str] | None = None,
    create_posts: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Threads and published comments of a Disqus export.

    A thread whose link (or ``<id>``) matches a key of `posts_by_link` hangs under that post's slug;
    otherwise, with `create_posts`, a post stub is made for it; otherwise its comments are counted
    as unplaced and reported. Threads without published comments never become stubs. `progress`,
    when given, is called with (comments done, comments in total) about a hundred times.
    """
    root, problems = parse_xml(data, source)
    if _local(root) != "disqus":
        raise ArchiveError(source, f"not a Disqus export: root element is <{_local(root)}>", 1)
    result = ImportResult(source=source, problems=problems, format="disqus")
    counts = result.counts
    threads: dict[str, _DisqusThread] = {}
    held: dict[str, str] = {}
    for element in root:
        if _local(element) == "thread":
            thread = _thread(element, source, problems)
            threads.setdefault(thread.id, thread)
    elements = [element for element in root if _local(element) == "post"]
    step = max(1, len(elements) // 100)
    for done, element in enumerate(elements, start=1):
        if progress is not None and (done % step == 0 or done == len(elements)):
            progress(done, len(elements))
        comment = _comment(element, source, problems)
        spam = _flag(element, "isSpam", source, problems)
        deleted = _flag(element, "isDeleted", source, problems)
        status = "spam" if spam else "deleted" if deleted else "approved"
        counts.comments[status] += 1
        counts.moderation[status] += 1
        if status != "approved":
            held[comment.id] = status
            continue
        thread_id = _reference(element, "thread")
        if thread_id not in threads:
            counts.unplaced += 1
            problems.append(
                Problem(
                    source,
                    f"comment {comment.id!r} belongs to thread {thread_id!r}, which is not in the "
                    "export; not imported",
                    comment.line,
                )
            )
            continue
        threads[thread_id].comments.append(comment)

    index = _LinkIndex(posts_by_link or {})
    slugs = SlugRegistry()
    for existing_slug in (posts_by_link or {}).values():
        slugs.reserve(existing_slug)
    for info in threads.values():
        if not info.comments:
            counts.skipped["thread without comments"] += 1
            continue
        slug = None if info.deleted else index.find(info.link, info.identifier)
        if slug is None and (info.deleted or not create_posts):
            counts.unplaced += len(info.comments)
            reason = (
                "is deleted"
                if info.deleted
                else "matches no post (by link or slug) in the content folder; import with "
                "--create-posts to give it a post stub, or --content to match another folder"
            )
            problems.append(
                Problem(
                    source,
                    f"thread {info.id!r} ({info.link or info.title or 'no link'}) {reason}; "
                    f"its {len(info.comments)} comment(s) not imported",
                    info.line,
                )
            )
            continue
        post = Post(
            title=info.title or info.link or f"Thread {info.id}",
            inferred=frozenset() if info.title else frozenset({"title"}),
            author=info.author or None,
            date=info.date,
            source=source,
            metadata={key: value for key, value in (("link", safe_url(info.link)),) if value},
        )
        thread = Thread(post=post, comments=info.comments)
        _detach_from_unpublished(thread, held, source)
        repair_structure(thread)
        existing = slug is not None
        if slug is None:
            slug = slugs.claim(info.title, _last_segment(info.link), fallback=f"thread-{info.id}")
        counts.posts += 1
        result.posts.append(
            ImportedPost(
                thread=thread,
                slug=slug,
                body_html="" if existing else _stub_body(info.link),
                link=safe_url(info.link),
                existing=existing,
            )
        )
    tally_threads(counts, result.posts)
    return result
