"""Comment files: one Markdown file per comment, in the pelican_comment_system layout.

``<comments dir>/<post-slug>/<name>.md`` holds ``key: value`` metadata lines (``author``, ``date``,
optional ``url`` and ``replyto``), a blank line, then the body in Markdown. The file name without
extension is the comment's id; ``replyto`` names the parent by that id, or by the slug form
pelican_comment_system used (``1md`` for ``1.md``).
"""

from __future__ import annotations

import re
from pathlib import Path

from netiquette.dates import parse_date
from netiquette.model import Comment, Problem, clean_id
from netiquette.sources import decode

COMMENT_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
_META_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$")


def split_metadata(text: str) -> tuple[dict[str, str], str, int]:
    """Metadata (lowercased keys), the body, and the 1-based line where the body starts."""
    metadata: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        match = _META_LINE.match(lines[index])
        if not match:
            break
        metadata[match.group(1).lower()] = match.group(2).strip()
        index += 1
    if metadata and index < len(lines) and not lines[index].strip():
        index += 1
    return metadata, "\n".join(lines[index:]).strip("\n"), index + 1


def parse_comment_file(data: bytes, source: str) -> tuple[Comment, list[Problem]]:
    """One comment from the bytes of its file; problems are reported, never raised."""
    text, problems = decode(data, source)
    metadata, body, _ = split_metadata(text)
    author = metadata.get("author", "").strip()
    inferred: set[str] = set()
    if not author:
        problems.append(Problem(source, "comment has no 'author'; published as Anonymous", 1))
        author = "Anonymous"
        inferred.add("author")
    date = None
    if "date" in metadata:
        date = parse_date(metadata["date"])
        if date is None:
            problems.append(Problem(source, f"unreadable date {metadata['date']!r} ignored", 1))
    reply_to = metadata.get("replyto", "").strip() or None
    comment = Comment(
        id=clean_id(Path(source).stem),
        author=author,
        body=body,
        format="markdown",
        parent_id=reply_to,
        author_url=metadata.get("url") or None,
        date=date,
        inferred=frozenset(inferred),
        source=source,
        line=1,
    )
    return comment, problems


def read_comment_folder(folder: Path) -> tuple[list[Comment], list[Problem]]:
    """All comments of one post, in a stable order: by date, then file name.

    Undated comments sort after dated ones, so the order never depends on the file system.
    """
    comments: list[Comment] = []
    problems: list[Problem] = []
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in COMMENT_EXTENSIONS)
    for path in paths:
        comment, found = parse_comment_file(path.read_bytes(), str(path))
        comments.append(comment)
        problems.extend(found)
    _resolve_slug_form_replies(comments, paths)
    comments.sort(key=lambda c: (c.date is None, _sort_date(c), c.id))
    return comments, problems


def _sort_date(comment: Comment) -> str:
    return comment.date.isoformat() if comment.date else ""


def _resolve_slug_form_replies(comments: list[Comment], paths: list[Path]) -> None:
    """Map ``replyto: 1md`` (pelican_comment_system's slug of ``1.md``) to the id ``1``."""
    ids = {comment.id for comment in comments}
    slug_to_id = {
        re.sub(r"[^a-z0-9_-]", "", path.name.lower()): comment.id
        for path, comment in zip(paths, comments, strict=True)
    }
    for comment in comments:
        if comment.parent_id is None:
            continue
        parent = clean_id(comment.parent_id)
        if parent not in ids:
            parent = slug_to_id.get(parent.lower(), parent)
        comment.parent_id = parent
