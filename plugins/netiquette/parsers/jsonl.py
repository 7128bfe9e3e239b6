"""Threads as JSON Lines: one JSON object per line, each a post and its comments.

The format researchers can write from anything (a scraper, a database, a spreadsheet), and the one
``netiquette export --format jsonl`` writes. A line reads::

    {"id": "t1", "title": "…", "author": "…", "date": "2014-03-01T10:00:00+01:00",
     "url": "https://…", "body": "…", "format": "text",
     "comments": [{"id": "1", "parent": null, "author": "…", "author_url": "…",
                   "date": "…", "body": "…", "format": "markdown"}]}

Every key is optional. ``body`` is the post in ``format`` (``text``: blank-line separated
paragraphs, ``markdown``: CommonMark as comments are, whose renderer takes linear time on any
input, or ``html``); ``paragraphs`` (a list of strings, or of objects with a
``text``) may give the post's plain-text paragraphs instead. Dates are ISO 8601 strings or epoch
seconds; a date without a zone is taken as UTC. A comment's ``parent`` is the ``id`` of the comment
it replies to (null or absent for top level). Bodies are untrusted: they are rendered and sanitized
like every other comment. The keys export adds (``speaker``, ``source``, ``anchor``, ``topics``,
``mentions``) are read back without complaint and ignored; any other key is reported.

Nothing raises and nothing is dropped silently: a line that is not a JSON object is reported with
its file and line and skipped, a field of the wrong type is reported and ignored, and the other
lines are read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from netiquette.dates import parse_date
from netiquette.model import (
    BodyFormat,
    Comment,
    Post,
    Problem,
    Thread,
    clean_id,
    derived_id,
    repair_structure,
)
from netiquette.render import comment_markdown_to_html
from netiquette.segments import collapse, html_paragraphs
from netiquette.sources import decode, remove_controls

FORMATS: tuple[BodyFormat, ...] = ("text", "markdown", "html")
THREAD_KEYS = frozenset({"id", "title", "author", "author_url", "date", "url", "body", "format",
                         "paragraphs", "comments"})  # fmt: skip
COMMENT_KEYS = frozenset({"id", "parent", "author", "author_url", "date", "body", "format"})
EXPORT_KEYS = frozenset({"speaker", "source", "anchor", "topics", "mentions", "n", "text"})
"""Keys `netiquette export` adds: annotations, not input, so reading them back is no problem."""

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_DIRTY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""What `remove_controls` removes, and unpaired surrogates: most strings have none."""
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass
class JsonlResult:
    """The threads of a file, and the problems of lines that gave no thread."""

    threads: list[Thread] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_jsonl(text: str, source: str) -> JsonlResult:
    """Every thread of a JSON Lines text (already decoded)."""
    result = JsonlResult()
    for number, line in enumerate(text.split("\n"), start=1):
        thread, problems = parse_line(line, source, number)
        if thread is None:
            result.problems.extend(problems)
        else:
            result.threads.append(thread)
    return result


def read_jsonl_lines(lines: Iterable[bytes], source: str) -> Iterator[Thread | Problem]:
    """Threads (and the problems of lines that gave none) from the raw lines of a file, one
    line at a time, so a corpus of any size streams. Each line goes through `decode`."""
    for number, raw in enumerate(lines, start=1):
        text, decoding = decode(raw, source, kind="text")
        line_problems = [Problem(p.source, p.message, number, p.level) for p in decoding]
        thread, problems = parse_line(text, source, number)
        if thread is None:
            yield from line_problems
            yield from problems
        else:
            thread.problems[:0] = line_problems
            yield thread


def parse_line(line: str, source: str, number: int) -> tuple[Thread | None, list[Problem]]:
    """The thread of one line, or None (with the reason) when the line gives none."""
    if not line.strip():
        return None, []
    try:
        data = json.loads(line)
    except RecursionError:
        return None, [Problem(source, "not read: JSON nested too deeply", number, "error")]
    except ValueError as error:
        reason = getattr(error, "msg", None) or str(error)
        return None, [Problem(source, f"not read: invalid JSON ({reason})", number, "error")]
    if not isinstance(data, dict):
        kind = type(data).__name__
        message = f"not read: a line must be a JSON object (a thread), not {kind}"
        return None, [Problem(source, message, number, "error")]
    fields = _Fields(source, number)
    thread = _thread(data, fields)
    thread.problems.extend(fields.problems)
    repair_structure(thread)
    return thread, []


class _Fields:
    """Typed access to a line's values, each wrong one reported once with the line."""

    def __init__(self, source: str, line: int) -> None:
        self.source = source
        self.line = line
        self.problems: list[Problem] = []
        self._cleaned = False

    def report(self, message: str) -> None:
        self.problems.append(Problem(self.source, message, self.line))

    def string(self, data: dict, key: str, where: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.report(f"{where}: key {key!r} must be a string; ignored")
            return None
        return self.clean(str(value))

    def clean(self, value: str) -> str:
        """`value` without control characters or unpaired surrogates (reported once a line)."""
        if not _DIRTY.search(value):
            return value
        cleaned = _SURROGATE.sub("\ufffd", remove_controls(value))
        if not self._cleaned:
            self._cleaned = True
            self.report("control characters or unpaired surrogates in strings replaced")
        return cleaned

    def date(self, data: dict, key: str, where: str) -> datetime | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        date = date_value(value)
        if date is None:
            self.report(f"{where}: unreadable date {str(value)[:80]!r} ignored")
        return date

    def body_format(self, data: dict, where: str) -> BodyFormat:
        value = data.get("format", "text")
        if value in FORMATS:
            return value
        self.report(f"{where}: unknown format {str(value)[:40]!r}; read as text")
        return "text"

    def unknown_keys(self, data: dict, known: frozenset[str], where: str) -> None:
        unknown = sorted(str(key) for key in data if key not in known and key not in EXPORT_KEYS)
        if unknown:
            names = ", ".join(repr(self.clean(key)[:40]) for key in unknown[:5])
            self.report(f"{where}: unknown key(s) {names} ignored")


def date_value(value: object) -> datetime | None:
    """An aware datetime from an ISO 8601 string or epoch seconds; naive times are UTC."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if re.fullmatch(r"-?\d{1,12}(?:\.\d+)?", text):
        return date_value(float(text))
    date = parse_date(text)
    if date is not None and date.tzinfo is None:
        date = date.replace(tzinfo=UTC)
    return date


def _thread(data: dict, fields: _Fields) -> Thread:
    fields.unknown_keys(data, THREAD_KEYS, "thread")
    thread_id = fields.string(data, "id", "thread")
    title = fields.string(data, "title", "thread")
    metadata = {"id": thread_id} if thread_id else {}
    url = fields.string(data, "url", "thread")
    if url:
        metadata["link"] = url
    post = Post(
        title=collapse(title or "") or thread_id or f"Line {fields.line}",
        author=fields.string(data, "author", "thread") or None,
        date=fields.date(data, "date", "thread"),
        paragraphs=_paragraphs(data, fields),
        source=fields.source,
        metadata=metadata,
        inferred=frozenset() if title else frozenset({"title"}),
    )
    comments: list[Comment] = []
    raw_comments = data.get("comments", [])
    if not isinstance(raw_comments, list):
        fields.report("thread: key 'comments' must be a list of objects; ignored")
        raw_comments = []
    for index, raw in enumerate(raw_comments, start=1):
        if not isinstance(raw, dict):
            fields.report(f"comment #{index}: not an object; not read")
            continue
        comments.append(_comment(raw, index, fields))
    return Thread(post, comments)


def _paragraphs(data: dict, fields: _Fields) -> list[str]:
    if "paragraphs" in data and data["paragraphs"] is not None:
        items = data["paragraphs"]
        if not isinstance(items, list):
            fields.report("thread: key 'paragraphs' must be a list; ignored")
            items = []
        paragraphs = []
        for item in items:
            text = item.get("text") if isinstance(item, dict) else item
            if isinstance(text, str):
                paragraphs.append(fields.clean(text).strip())
            else:
                fields.report("thread: a paragraph must be a string or have a 'text'; ignored")
        if "body" in data:
            fields.report("thread: both 'paragraphs' and 'body' given; 'body' ignored")
        return [p for p in paragraphs if p]
    body = fields.string(data, "body", "thread") or ""
    body_format = fields.body_format(data, "thread")
    if body_format == "text":
        return [p for p in map(collapse, _PARAGRAPH_BREAK.split(body)) if p]
    html = comment_markdown_to_html(body) if body_format == "markdown" else body
    return html_paragraphs(html)


def _comment(data: dict, index: int, fields: _Fields) -> Comment:
    where = f"comment #{index}"
    fields.unknown_keys(data, COMMENT_KEYS, where)
    author = collapse(fields.string(data, "author", where) or "")
    body = fields.string(data, "body", where)
    if body is None:
        fields.report(f"{where}: no 'body'; published empty")
    date = fields.date(data, "date", where)
    raw_id = fields.string(data, "id", where)
    parent = fields.string(data, "parent", where)
    comment_id = clean_id(raw_id) if raw_id else derived_id(author, str(date), body or "")
    return Comment(
        id=comment_id,
        author=author or "Anonymous",
        body=body or "",
        format=fields.body_format(data, where),
        parent_id=clean_id(parent) if parent else None,
        author_url=fields.string(data, "author_url", where) or None,
        date=date,
        inferred=frozenset() if author else frozenset({"author"}),
        source=fields.source,
        line=fields.line,
    )
