"""Comment files: one file per comment, in the pelican_comment_system layout.

``<comments dir>/<post-slug>/<name>.<ext>`` holds a header of ``key: value`` lines (``author``,
``date``, optional ``url``/``website``/``link``, ``replyto``, ``slug``; keys in any case, the header
bare or between ``---`` and ``---``/``...`` as Pelican's Markdown reader accepts it), a blank line,
then the body. Markdown (``.md``, ``.markdown``, …) is the usual body; reStructuredText (``.rst``,
header as ``:author: …`` fields) and HTML (``.html``, header as ``<meta name=… content=…>``) are read
too. The comment's id is its ``slug`` when given, else the file name without extension;
``replyto`` names the parent by either, with or without the extension, or by the slug form
pelican_comment_system gives a file name (``12md`` for ``12.md``). Header keys a reader is not meant
to see (``email``, anything unknown) are never published.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import lxml.html

from netiquette.dates import parse_date
from netiquette.model import BodyFormat, Comment, Problem, clean_id
from netiquette.paths import inside
from netiquette.sources import decode

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
COMMENT_EXTENSIONS = (*MARKDOWN_EXTENSIONS, ".rst", ".html", ".htm")
LINK_KEYS = ("url", "website", "link")
"""Header keys that give the author's home page, the first present wins."""

_META_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$")
_FIELD_LINE = re.compile(r"^:([A-Za-z][A-Za-z0-9_ -]*):\s*(.*)$")
_DELIMITER = "---"
_HEADER_END = ("---", "...")


HEADER_KEYS = ("author", "date", "replyto", "slug", "email", "title", *LINK_KEYS)
"""Keys a comment header is known to carry: a line starting with one but lacking its colon is a
broken header line, not the start of the body."""
_KEYLIKE_LINE = re.compile(rf"^({'|'.join(HEADER_KEYS)})[ \t]+(\S.*)$", re.IGNORECASE)


def split_metadata(
    text: str,
    line: re.Pattern[str] = _META_LINE,
    *,
    source: str = "",
    problems: list[Problem] | None = None,
    lines_of: dict[str, int] | None = None,
) -> tuple[dict[str, str], str, int]:
    """Metadata (lowercased keys), the body, and the 1-based line where the body starts.

    The header is either bare lines at the very top or lines between a first line ``---`` and a
    line ``---`` or ``...``. A header line that starts with a known key but lacks its colon
    (``author Someone``) is read as that key and reported in `problems`; `lines_of` receives the
    line of each key, for messages that point at it."""
    metadata: dict[str, str] = {}
    broken: list[Problem] = []
    proper = 0
    lines = text.split("\n")
    index = 0
    delimited = bool(lines) and lines[0].strip() == _DELIMITER
    if delimited:
        index = 1
    while index < len(lines):
        if delimited and lines[index].strip() in _HEADER_END:
            index += 1
            break
        match = line.match(lines[index])
        if match:
            proper += 1
        elif line is _META_LINE and (match := _KEYLIKE_LINE.match(lines[index])):
            key = match.group(1).lower()
            broken.append(Problem(source, f"header line {lines[index].strip()!r} has no colon; "
                                  f"read as '{key}: …' (write it so)", index + 1))  # fmt: skip
        if not match:
            if delimited and not lines[index].strip():
                index += 1
                continue
            break
        key = match.group(1).strip().lower()
        metadata[key] = match.group(2).strip()
        if lines_of is not None:
            lines_of[key] = index + 1
        index += 1
    if broken and not proper:
        # No real header line at all: "Author Tom Clancy wrote…" is the body's first sentence.
        return split_metadata(text, re.compile(r"(?!)"), lines_of=lines_of)
    if problems is not None:
        problems.extend(broken)
    if metadata and index < len(lines) and not lines[index].strip():
        index += 1
    return metadata, "\n".join(lines[index:]).strip("\n"), index + 1


def parse_comment_file(data: bytes, source: str) -> tuple[Comment, list[Problem]]:
    """One comment from the bytes of its file; problems are reported, never raised."""
    text, problems = decode(data, source)
    name = Path(source)
    suffix = name.suffix.lower()
    body_format: BodyFormat = "markdown"
    lines_of: dict[str, int] = {}
    if suffix == ".rst":
        metadata, body, _ = split_metadata(text, _FIELD_LINE, lines_of=lines_of)
        body, body_format = _rst_to_html(body, source, problems), "html"
    elif suffix in (".html", ".htm"):
        metadata, body = _html_parts(text)
        body_format = "html"
    else:
        metadata, body, _ = split_metadata(
            text, source=source, problems=problems, lines_of=lines_of
        )
    author = metadata.get("author", "").strip()
    inferred: set[str] = set()
    if not author:
        problems.append(Problem(source, "comment has no 'author'; published as Anonymous", 1))
        author = "Anonymous"
        inferred.add("author")
    date = None
    if metadata.get("date"):
        date = parse_date(metadata["date"])
        if date is None:
            problems.append(
                Problem(
                    source,
                    f"unreadable date {metadata['date']!r} ignored; write it as "
                    "YYYY-MM-DD HH:MM, with an offset such as +02:00 if not UTC",
                    lines_of.get("date", 1),
                )
            )
    reply_to = metadata.get("replyto", "").strip() or None
    link = next((metadata[key] for key in LINK_KEYS if metadata.get(key)), None)
    comment = Comment(
        id=clean_id(metadata.get("slug") or name.stem),
        author=author,
        body=body,
        format=body_format,
        parent_id=reply_to,
        author_url=link,
        date=date,
        inferred=frozenset(inferred),
        source=source,
        line=1,
    )
    return comment, problems


def _rst_to_html(body: str, source: str, problems: list[Problem]) -> str:
    """A reStructuredText body as HTML, with everything that reaches outside it turned off."""
    from docutils.core import publish_parts

    settings = {
        "raw_enabled": False,
        "file_insertion_enabled": False,
        "report_level": 5,
        "halt_level": 5,
        "input_encoding": "unicode",
        "_disable_config": True,
        "syntax_highlight": "none",
        "math_output": "HTML",
    }
    try:
        return publish_parts(body, writer="html5", settings_overrides=settings)["body"]
    except Exception as error:  # docutils on arbitrary input: never let it stop the build
        problems.append(
            Problem(source, f"reStructuredText not readable ({error}); shown as text", 1)
        )
        return "<pre>" + body.replace("&", "&amp;").replace("<", "&lt;") + "</pre>"


def _html_parts(text: str) -> tuple[dict[str, str], str]:
    """``<meta name content>`` pairs and the ``<body>``'s markup of an HTML comment file."""
    if not text.strip():
        return {}, ""
    document = lxml.html.document_fromstring(text)
    metadata = {
        meta.get("name", "").strip().lower(): (meta.get("content") or "").strip()
        for meta in document.iter("meta")
        if meta.get("name")
    }
    body = document.find("body")
    if body is None:
        return metadata, ""
    inner = (body.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in body
    )
    return metadata, inner.strip()


def read_comment_folder(
    folder: Path, root: Path | None = None
) -> tuple[list[Comment], list[Problem]]:
    """All comments of one post, in a stable order: by date, then file name.

    Undated comments sort after dated ones, so the order never depends on the file system.
    Entries that are not regular files (folders, pipes, devices) and links leading out of `root`
    (the content folder; by default the folder's parent) are skipped and reported: reading them
    could hang or leak another file.
    """
    comments: list[Comment] = []
    problems: list[Problem] = []
    paths = []
    root = folder.parent if root is None else root
    if not inside(folder, root):
        message = "a link to a folder outside the content; its files are not read"
        return [], [Problem(str(folder), message)]
    with os.scandir(folder) as listing:
        entries = sorted(
            (e for e in listing if Path(e.name).suffix.lower() in COMMENT_EXTENSIONS),
            key=lambda e: e.name,
        )
    for entry in entries:
        path = folder / entry.name
        # Inside a folder that is inside the root, only a link can lead out of it.
        if entry.is_symlink() and not inside(path, root):
            problems.append(Problem(str(path), "a link to a file outside the content; skipped"))
        elif not entry.is_file():
            problems.append(Problem(str(path), "not a regular file; skipped"))
        else:
            paths.append(path)
    for path in paths:
        comment, found = parse_comment_file(path.read_bytes(), str(path))
        comments.append(comment)
        problems.extend(found)
    _resolve_replies(comments, paths)
    comments.sort(key=lambda c: (c.date is None, _sort_date(c), c.id))
    return comments, problems


def _sort_date(comment: Comment) -> str:
    return comment.date.isoformat() if comment.date else ""


def _resolve_replies(comments: list[Comment], paths: list[Path]) -> None:
    """Map each ``replyto`` to the id of the comment it names, however it names it."""
    names: dict[str, str] = {}
    for path, comment in zip(paths, comments, strict=True):
        for name in (path.name, path.stem, re.sub(r"[^a-z0-9_-]", "", path.name.lower())):
            names.setdefault(name.lower(), comment.id)
    for comment in comments:
        names[comment.id.lower()] = comment.id
    for comment in comments:
        if comment.parent_id is None:
            continue
        wanted = comment.parent_id.strip()
        parent = names.get(wanted.lower()) or names.get(clean_id(wanted).lower())
        comment.parent_id = parent or clean_id(wanted)
