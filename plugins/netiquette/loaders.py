"""Threads from any supported source file, outside Pelican (for the command line).

The format is chosen by extension (and, for XML, by its root element); each reader returns the
same `Thread` model, so nothing after this point knows where a thread came from.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from netiquette.dates import parse_date
from netiquette.importers.slugs import slugify
from netiquette.model import Post, Thread, repair_structure
from netiquette.parsers.commentfiles import read_comment_folder, split_metadata
from netiquette.render import markdown_to_html
from netiquette.segments import number_html_paragraphs
from netiquette.sources import decode, read_text

if TYPE_CHECKING:
    from netiquette.parsers.html_page import SavedPage

THREAD_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xml")


def load_path(path: Path, comments: str = "comments", _root: Path | None = None) -> list[Thread]:
    """Every thread in a file, or in the files of a folder. As in a site's content folder, the
    comment files of a post with slug S are in ``<folder>/<comments>/S/``, whatever subfolder
    the post is in (a single Markdown file looks beside itself, then in its parent folders)."""
    if path.is_dir():
        root = _root or path
        threads: list[Thread] = []
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in THREAD_SUFFIXES:
                if child.relative_to(root).parts[0] == comments:
                    continue
                threads.extend(load_path(child, comments, root))
        return threads
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return [read_text_thread(path)]
    if suffix in (".md", ".markdown"):
        roots = [_root] if _root else [path.parent, *list(path.parent.parents)[:2]]
        return [load_markdown_post(path, [root / comments for root in roots])]
    if suffix in (".html", ".htm"):
        return [read_saved_page(path)]
    if suffix == ".xml":
        return load_export(path)
    raise ValueError(f"{path}: unsupported file type {suffix or '(none)'!r}")


def read_thread(path: str | Path, parse: Callable[[str, str], Thread]) -> Thread:
    """The thread ``parse`` reads from the file's text, decoding problems first among its problems."""
    text, problems = read_text(path)
    thread = parse(text, str(path))
    thread.problems[:0] = problems
    return thread


def read_text_thread(path: str | Path) -> Thread:
    """A scraped plain-text thread (``*.txt``)."""
    from netiquette.parsers.text import parse_text_thread

    return read_thread(path, parse_text_thread)


def read_saved_page(path: str | Path) -> Thread:
    """A blog page saved as HTML, with its comment thread."""
    return read_saved_page_with_body(path).thread


def read_saved_page_with_body(path: str | Path) -> SavedPage:
    """A saved page's thread and its post body HTML, decoding problems first among its problems."""
    from netiquette.parsers.html_page import parse_saved_page

    text, problems = read_text(path)
    page = parse_saved_page(text, str(path))
    page.thread.problems[:0] = problems
    return page


def load_markdown_post(path: Path, comment_roots: list[Path] | None = None) -> Thread:
    """A Markdown post and its comment files from ``<root>/<slug>/``, the first of
    `comment_roots` (by default ``comments/`` beside the post) that has that folder."""
    text, problems = read_text(path)
    metadata, body, _ = split_metadata(text)
    _, paragraphs = number_html_paragraphs(markdown_to_html(body))
    slug = metadata.get("slug") or slugify(metadata.get("title", "")) or path.stem
    post = Post(
        title=metadata.get("title", path.stem),
        author=metadata.get("author"),
        date=parse_date(metadata.get("date", "")),
        paragraphs=paragraphs,
        source=str(path),
        metadata=metadata,
    )
    thread = Thread(post, problems=list(problems))
    roots = comment_roots or [path.parent / "comments"]
    folder = next((root / slug for root in roots if (root / slug).is_dir()), None)
    if folder is not None:
        comments, found = read_comment_folder(folder, folder.parent.parent)
        thread.comments.extend(comments)
        thread.problems.extend(found)
    repair_structure(thread)
    return thread


def load_export(path: Path) -> list[Thread]:
    """The threads of a WordPress (WXR) or Disqus export."""
    data = path.read_bytes()
    head, _ = decode(data[:4096], str(path))
    if "disqus" in head.lower():
        from netiquette.parsers.disqus import read_disqus

        result = read_disqus(data, str(path), create_posts=True)
    else:
        from netiquette.parsers.wxr import read_wxr

        result = read_wxr(data, str(path))
    threads = [item.thread for item in result.posts]
    if threads:
        threads[0].problems.extend(result.problems)
    elif result.problems:
        threads.append(Thread(Post(title=path.name, source=str(path)), problems=result.problems))
    return threads
