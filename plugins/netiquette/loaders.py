"""How each source format is read into threads: decoding, then its parser.

`netiquette.formats` says which of these reads a path; each returns the same `Thread` model, so
nothing after this point knows where a thread came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from netiquette.dates import parse_date
from netiquette.model import Post, Problem, Thread, repair_structure
from netiquette.parsers.commentfiles import read_comment_folder, split_metadata
from netiquette.parsers.slugs import slugify
from netiquette.render import markdown_to_html
from netiquette.segments import number_html_paragraphs
from netiquette.sources import SNIFF_BYTES, decode, read_text

if TYPE_CHECKING:
    from netiquette.parsers.archive import ImportResult
    from netiquette.parsers.html_page import SavedPage

CONVOKIT_FILES = ("utterances.jsonl", "utterances.json")
"""A folder holding one of these is a ConvoKit corpus, read as a whole."""


def is_convokit_corpus(path: Path) -> bool:
    return any((path / name).is_file() for name in CONVOKIT_FILES)


def load_convokit(folder: Path) -> list[Thread]:
    """The conversations of a ConvoKit corpus folder, as threads."""
    from netiquette.parsers.convokit import parse_convokit

    listed = not (folder / "utterances.jsonl").is_file()
    utterances = folder / ("utterances.json" if listed else "utterances.jsonl")
    text, problems = read_text(utterances)
    extra: dict[str, str | None] = {}
    for key, names in (
        ("speakers", ("speakers.json", "users.json")),
        ("conversations", ("conversations.json",)),
    ):
        found = next((folder / name for name in names if (folder / name).is_file()), None)
        extra[key] = None
        if found is not None:
            extra[key], found_problems = read_text(found)
            problems.extend(found_problems)
    result = parse_convokit(
        text, extra["speakers"], extra["conversations"], str(utterances), listed=listed
    )
    return with_file_problems(result.threads, problems + result.problems, folder)


def stream_jsonl(path: Path) -> Iterator[Thread | Problem]:
    """The threads of a JSON Lines file (schema: `netiquette.parsers.jsonl`) a line at a time,
    for corpora too big to hold; a file in UTF-16 or UTF-32
    (whose lines cannot be cut from the bytes) is read whole."""
    from netiquette.parsers.jsonl import parse_jsonl, read_jsonl_lines

    with path.open("rb") as handle:
        if b"\x00" not in handle.read(SNIFF_BYTES):
            handle.seek(0)
            yield from read_jsonl_lines(handle, str(path))
            return
    text, problems = read_text(path)
    result = parse_jsonl(text, str(path))
    yield from problems
    yield from result.problems
    yield from result.threads


def with_file_problems(threads: list[Thread], problems: list, path: Path) -> list[Thread]:
    """File-level problems go to the first thread, or to an empty one named after the file."""
    if threads:
        threads[0].problems[:0] = problems
    elif problems:
        threads.append(Thread(Post(title=path.name, source=str(path)), problems=problems))
    return threads


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


def read_export(path: Path) -> ImportResult:
    """A WordPress (WXR) or Disqus export as its importer reads it, with its counts."""
    data = path.read_bytes()
    head, _ = decode(data[:4096], str(path))
    if "disqus" in head.lower():
        from netiquette.parsers.disqus import read_disqus

        return read_disqus(data, str(path), create_posts=True)
    from netiquette.parsers.wxr import read_wxr

    return read_wxr(data, str(path))


def export_threads(result: ImportResult, path: Path) -> list[Thread]:
    """The threads of an imported export, its own problems on the first."""
    threads = [item.thread for item in result.posts]
    if threads:
        threads[0].problems.extend(result.problems)
    elif result.problems:
        threads.append(Thread(Post(title=path.name, source=str(path)), problems=result.problems))
    return threads
