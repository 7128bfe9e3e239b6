"""Writing an import as native Netiquette content: Markdown posts and one file per comment.

Layout under the output folder::

    <slug>.md                                   published posts (and drafts, as Status: draft)
    pages/<slug>.md                             pages
    comments/<post-slug>/<prefix>-<id>.md       comments: author/date/url/replyto lines, blank
                                                line, the body; the prefix names the archive
                                                format (``wp``, ``disqus``, ``html``)
    .netiquette-imports.json                    what the imports wrote (see `manifest`)

Names are made safe by `names`. Every file is rendered first and written afterwards, in sorted
order. A file whose bytes would not change is not touched, so the same archive imported twice
changes nothing. A file that is already there is replaced only when an earlier import of the same
format wrote it and nobody has changed it since (or with ``force``): the site's own pages and a
user's edits are never overwritten by surprise.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath
from typing import Literal

from netiquette.dates import iso_utc
from netiquette.importers.manifest import Entry, digest, load_manifest, save_manifest
from netiquette.importers.names import comment_stem, slug_component
from netiquette.model import Comment, Problem, clean_id
from netiquette.parsers.archive import ImportedPost, ImportResult
from netiquette.render import autop
from netiquette.sanitize import clean_post_html, inert_text, safe_url

_UNSAFE_IN_LINE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_LIST_SEPARATORS = re.compile(r"[,;]+")


@dataclass
class WriteReport:
    """What `write_content` did (or, in a dry run, would do) to each file it rendered.

    Every rendered file is counted exactly once: created, updated, unchanged or left alone (with
    the reason). `forced` lists the updated files that only ``force`` let be replaced, and why.
    """

    out_dir: Path
    posts: int = 0
    pages: int = 0
    drafts: int = 0
    comments: int = 0
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: int = 0
    left_alone: list[tuple[Path, str]] = field(default_factory=list)
    forced: list[tuple[Path, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def files(self) -> int:
        return len(self.created) + len(self.updated) + self.unchanged + len(self.left_alone)


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
    """A Pelican Markdown file: metadata header, blank line, the body as sanitized HTML.

    The body is the archive's HTML with WordPress's paragraph rules applied (`autop`) and then
    sanitized as every untrusted post body is (`clean_post_html`): an export can carry scripts,
    frames, styles and remote images, and the site publishes the file as it is. Pelican takes a title for HTML (and a theme may print it raw, or stripped of its tags into an
    attribute), so the title is written as `inert_text`: ``<b>`` and quotes as look-alikes, ``&``
    escaped. Names are escaped by the plugin for every post (`pelican.plugins.netiquette.escaping`).
    """
    source = post.thread.post
    tags = [term for term in map(_term, post.tags) if term]
    fields: list[tuple[str, str | None]] = [
        ("Title", str(inert_text(one_line(source.title or "")) or "Untitled")),
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
    return _header(fields) + _body(clean_post_html(autop(post.body_html), post.link))


def render_comment(comment: Comment, archive_format: str) -> str:
    """A comment file: ``author:``, ``date:``, ``url:``, ``replyto:`` lines, blank line, body.

    ``replyto`` names the parent's file name without extension, the one name of it that is sure to
    be unique in the folder.
    """
    parent = comment_stem(archive_format, comment.parent_id) if comment.parent_id else None
    return _comment_text(comment, parent)


def _comment_text(comment: Comment, reply_to: str | None) -> str:
    fields: list[tuple[str, str | None]] = [
        ("author", comment.author or "Anonymous"),
        ("date", iso_utc(comment.date) if comment.date else None),
        ("url", comment.author_url),
        ("replyto", reply_to),
    ]
    return _header(fields) + _body(comment.body)


def _unprefixed_name(comment_id: str) -> str:
    """The file name (without extension) imports gave a comment before names had a prefix."""
    name = clean_id(comment_id)
    return name if name.strip(".") else "x"


def _post_path(post: ImportedPost) -> PurePosixPath:
    name = f"{slug_component(post.slug)}.md"
    return PurePosixPath("pages", name) if post.kind == "page" else PurePosixPath(name)


def comment_path(post_slug: str, archive_format: str, comment_id: str) -> PurePosixPath:
    """Where a comment is written, relative to the output folder."""
    stem = comment_stem(archive_format, comment_id)
    return PurePosixPath("comments", slug_component(post_slug), f"{stem}.md")


def render_content(result: ImportResult) -> tuple[dict[PurePosixPath, str], WriteReport]:
    """Every file the import produces, by path relative to the output folder, without writing."""
    rendered = _render(result)
    return rendered.files, rendered.report


@dataclass
class _Rendered:
    """The files of an import, with what deciding about each one needs to know.

    `post_of` gives the post file an imported post's comment files belong to; `unprefixed` gives,
    for each comment file, the path and text an import made of it before comment names had a
    prefix, to recognise such a copy.
    """

    report: WriteReport
    files: dict[PurePosixPath, str] = field(default_factory=dict)
    post_of: dict[PurePosixPath, PurePosixPath] = field(default_factory=dict)
    unprefixed: dict[PurePosixPath, tuple[PurePosixPath, str]] = field(default_factory=dict)


def _render(result: ImportResult) -> _Rendered:
    rendered = _Rendered(WriteReport(out_dir=Path()))
    files, report = rendered.files, rendered.report
    folded: dict[str, PurePosixPath] = {}

    def add(path: PurePosixPath, text: str, origin: str, line: int | None) -> None:
        other = folded.setdefault(str(path).casefold(), path)
        if other != path:
            report.problems.append(
                Problem(origin, f"{path} differs from {other} only in case; not written", line)
            )
            return
        if path in files and files[path] != text:
            report.problems.append(
                Problem(origin, f"{path} written twice; the later one kept", line)
            )
        files[path] = text

    for post in result.posts:
        source = post.thread.post.source
        folder = slug_component(post.slug)
        if folder != post.slug:
            report.problems.append(
                Problem(
                    source,
                    f"slug {post.slug!r} cannot be a file name; written as {folder!r}, and its "
                    f"comments are shown once the post's slug is {folder!r}",
                )
            )
        post_path = None if post.existing else _post_path(post)
        if post_path is not None:
            if post.thread.post.date is None and post.kind == "post":
                report.problems.append(Problem(source, f"post {post.slug!r} has no date; add one"))
            add(post_path, render_post(post), source, None)
            if not post.published:
                report.drafts += 1
            elif post.kind == "page":
                report.pages += 1
            else:
                report.posts += 1
        for comment in post.thread.comments:
            path = comment_path(post.slug, result.format, comment.id)
            add(path, render_comment(comment, result.format), comment.source, comment.line)
            if post_path in files and path in files:
                rendered.post_of[path] = post_path
            parent = _unprefixed_name(comment.parent_id) if comment.parent_id else None
            rendered.unprefixed[path] = (
                path.with_name(f"{_unprefixed_name(comment.id)}.md"),
                _comment_text(comment, parent),
            )
            report.comments += 1
    return rendered


Action = Literal["create", "update", "unchanged", "leave"]
_FORCE = "use --force to replace it"


def _inside(out_dir: Path, path: Path) -> bool:
    """Whether `path` stays in `out_dir` once links in it are followed."""
    root = os.path.realpath(out_dir)
    try:
        return os.path.commonpath([root, os.path.realpath(path)]) == root
    except ValueError:
        return False


@dataclass(frozen=True)
class _Decision:
    """What to do with one file; `reason` says why it is left alone, or why only force replaces it."""

    action: Action
    reason: str = ""
    forced: bool = False
    foreign: bool = False
    """The file there is not an earlier version of this one: it belongs to someone else."""


def _decide(
    out_dir: Path, key: str, data: bytes, entry: Entry | None, archive_format: str, force: bool
) -> _Decision:
    """What to do with one file, and why when it is left alone or replaced only by force."""
    path = out_dir.joinpath(*PurePosixPath(key).parts)
    if not _inside(out_dir, path):
        reason = "it leads out of the output folder; not replaced, even with --force"
        return _Decision("leave", reason, foreign=True)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        reason = "it is not a regular file; not replaced, even with --force"
        return _Decision("leave", reason, foreign=True)
    if not path.exists():
        return _Decision("create")
    current = path.read_bytes()
    if current == data:
        return _Decision("unchanged")
    foreign = True
    if entry is None:
        reason = "it was not written by netiquette import"
    elif digest(current) != entry.sha256:
        reason, foreign = "it was changed after it was imported", False
    elif entry.format != archive_format:
        reason = f"it was written by the {entry.format} import of {entry.archive}"
    else:
        return _Decision("update")
    if force:
        return _Decision("update", reason, forced=True)
    return _Decision("leave", f"{reason}; {_FORCE}", foreign=foreign)


def write_content(
    result: ImportResult, out_dir: Path, *, force: bool = False, dry_run: bool = False
) -> WriteReport:
    """Write the imported posts, pages and comments under `out_dir`, and record them.

    Unchanged files are not touched; files this kind of import did not write, or that were edited
    since, are left alone and listed unless `force`. When a post's file is left alone because it is
    another post (not an edited import), its comments are left alone too: written, they would show
    under that other post. With `dry_run` nothing at all is written, the manifest neither: the
    report says what would have happened.
    """
    rendered = _render(result)
    files, report = rendered.files, rendered.report
    report.out_dir = out_dir
    report.dry_run = dry_run
    entries, problems = load_manifest(out_dir)
    report.problems.extend(problems)
    archive = PurePath(result.source).name or result.source
    decisions = {
        relative: _decide(
            out_dir,
            relative.as_posix(),
            files[relative].encode("utf-8"),
            entries.get(relative.as_posix()),
            result.format,
            force,
        )
        for relative in sorted(files)
    }
    for relative, post in rendered.post_of.items():
        if decisions[post].foreign and decisions[post].action == "leave":
            reason = f"its post's file {post} is left alone, so it would show under another post; "
            reason += _FORCE
            decisions[relative] = _Decision("leave", reason, foreign=True)
    written = dict(entries)
    try:
        for relative, decision in decisions.items():
            key = relative.as_posix()
            path = out_dir.joinpath(*relative.parts)
            data = files[relative].encode("utf-8")
            new = Entry(digest(data), result.format, archive)
            if decision.action == "leave":
                report.left_alone.append((path, decision.reason))
                continue
            if decision.action == "unchanged":
                report.unchanged += 1
                if key not in entries or entries[key].sha256 != new.sha256:
                    written[key] = new
                continue
            if decision.action == "create":
                report.created.append(path)
                _warn_of_unprefixed_copy(out_dir, relative, rendered, entries, report)
            else:
                report.updated.append(path)
            if decision.forced:
                report.forced.append((path, decision.reason))
            if not dry_run:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                written[key] = new
    finally:
        if not dry_run:
            save_manifest(out_dir, written)
    return report


def _warn_of_unprefixed_copy(
    out_dir: Path,
    relative: PurePosixPath,
    rendered: _Rendered,
    entries: dict[str, Entry],
    report: WriteReport,
) -> None:
    """Report a comment file an older import wrote under its unprefixed name (``12.md``).

    Left there it shows the comment twice; it is reported, not removed, since only its exact bytes
    say it came from an import, and deleting is the user's call.
    """
    if relative not in rendered.unprefixed:
        return
    old, text = rendered.unprefixed[relative]
    path = out_dir.joinpath(*old.parts)
    if old.as_posix() in entries:
        return
    try:
        found = path.is_file() and not path.is_symlink() and path.read_bytes() == text.encode()
    except OSError:  # such as a name too long to exist at all
        return
    if found:
        report.problems.append(
            Problem(
                str(path),
                f"an earlier import wrote this comment here; it is now {relative.name}: delete "
                f"{old.name}, or the comment is shown twice",
            )
        )
