"""Writing an import as native Netiquette content: Markdown posts and one file per comment.

Layout under the output folder::

    <slug>.md                       published posts (and drafts, when imported, as Status: draft)
    pages/<slug>.md                 pages
    comments/<post-slug>/<id>.md    comments: author/date/url/replyto lines, a blank line, the body

Every file is rendered first and written afterwards, in sorted order, and a file whose bytes would
not change is left alone; the same archive imported twice gives the same bytes, so re-imports are
safe and show up in version control only where something really changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from netiquette.dates import iso_utc
from netiquette.importers.result import ImportedPost, ImportResult
from netiquette.model import Comment, Problem, clean_id
from netiquette.sanitize import safe_url

_UNSAFE_IN_LINE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_LIST_SEPARATORS = re.compile(r"[,;]+")


@dataclass
class WriteReport:
    """What `write_content` did: how many of each thing, and which files changed."""

    out_dir: Path
    posts: int = 0
    pages: int = 0
    drafts: int = 0
    comments: int = 0
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


def one_line(value: str) -> str:
    """A metadata value that cannot break out of its line: line breaks and controls become spaces."""
    return " ".join(_UNSAFE_IN_LINE.sub(" ", value).split())


def _term(value: str) -> str:
    """A tag or category name without the separators Pelican splits lists on."""
    return one_line(_LIST_SEPARATORS.sub(" ", value))


def _body(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return text + "\n" if text else ""


def _header(fields: list[tuple[str, str | None]]) -> str:
    lines = [f"{key}: {one_line(value)}" for key, value in fields if value and one_line(value)]
    return "\n".join(lines) + "\n\n"


def render_post(post: ImportedPost) -> str:
    """A Pelican Markdown file: metadata header, blank line, the body HTML as it was."""
    source = post.thread.post
    tags = [term for term in map(_term, post.tags) if term]
    fields: list[tuple[str, str | None]] = [
        ("Title", source.title or "Untitled"),
        ("Date", iso_utc(source.date) if source.date else None),
        ("Author", source.author),
        ("Slug", post.slug),
    ]
    if post.kind == "post":
        fields += [
            ("Tags", ", ".join(dict.fromkeys(tags))),
            ("Category", _term(post.categories[0]) if post.categories else None),
        ]
    fields += [
        ("Status", None if post.published else "draft"),
        ("Link", safe_url(post.link)),
    ]
    return _header(fields) + _body(post.body_html)


def render_comment(comment: Comment) -> str:
    """A comment file: ``author:``, ``date:``, ``url:``, ``replyto:`` lines, blank line, body."""
    fields: list[tuple[str, str | None]] = [
        ("author", comment.author or "Anonymous"),
        ("date", iso_utc(comment.date) if comment.date else None),
        ("url", comment.author_url),
        ("replyto", _file_name(comment.parent_id) if comment.parent_id else None),
    ]
    return _header(fields) + _body(comment.body)


def _file_name(name: str) -> str:
    """One safe path component: no separators, never ``.`` or ``..``."""
    name = clean_id(name)
    return name if name.strip(".") else "x"


def _post_path(post: ImportedPost) -> PurePosixPath:
    name = f"{_file_name(post.slug)}.md"
    return PurePosixPath("pages", name) if post.kind == "page" else PurePosixPath(name)


def render_content(result: ImportResult) -> tuple[dict[PurePosixPath, str], WriteReport]:
    """Every file the import produces, by path relative to the output folder, without writing."""
    files: dict[PurePosixPath, str] = {}
    report = WriteReport(out_dir=Path())

    def add(path: PurePosixPath, text: str, origin: str, line: int | None) -> None:
        if path in files and files[path] != text:
            report.problems.append(
                Problem(origin, f"{path} written twice; the later one kept", line)
            )
        files[path] = text

    for post in result.posts:
        if not post.existing:
            if post.thread.post.date is None and post.kind == "post":
                report.problems.append(
                    Problem(post.thread.post.source, f"post {post.slug!r} has no date; add one")
                )
            add(_post_path(post), render_post(post), post.thread.post.source, None)
            if not post.published:
                report.drafts += 1
            elif post.kind == "page":
                report.pages += 1
            else:
                report.posts += 1
        for comment in post.thread.comments:
            path = PurePosixPath("comments", _file_name(post.slug), f"{_file_name(comment.id)}.md")
            add(path, render_comment(comment), comment.source, comment.line)
            report.comments += 1
    return files, report


def write_content(result: ImportResult, out_dir: Path) -> WriteReport:
    """Write the imported posts, pages and comments under `out_dir`; unchanged files are not touched."""
    files, report = render_content(result)
    report.out_dir = out_dir
    for relative in sorted(files):
        path = out_dir.joinpath(*relative.parts)
        data = files[relative].encode("utf-8")
        if path.is_file():
            if path.read_bytes() == data:
                report.unchanged += 1
                continue
            report.updated.append(path)
        else:
            report.created.append(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return report
