"""The table of source formats: which paths hold threads, how their bytes are decoded, what parses them.

Everything that reads threads asks this table: the site's readers (one post a file) and its corpus
reader (many threads a file), the command line (`netiquette analyze`, `export`, `suggest`) and the
importers. A new format is a parser module (`netiquette.parsers`) and one row here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from netiquette import loaders
from netiquette.model import Problem, Thread


@dataclass
class Reading:
    """What reading a source needs besides its path, and what it reports back."""

    comments: str = "comments"
    """The name of the folder of comment files (``<comments>/<post slug>/``)."""
    root: Path | None = None
    """The folder the source was found in, where its comment folder is; None: beside the file."""
    held_back: int = 0
    """Comments the source holds that are not published (an export's spam, trash, pending)."""


@dataclass(frozen=True)
class Format:
    """One kind of source and the functions that read it."""

    name: str
    suffixes: tuple[str, ...]
    """File name endings, lower case; empty for a folder format."""
    decoding: str
    """How its bytes become text, in words (for ``--help`` and the README)."""
    read: Callable[[Path, Reading], Iterable[Thread | Problem]]
    """The threads of a source, and problems that belong to no thread, in source order."""
    many: bool
    """A source holds many threads (a corpus or an export), not one post."""
    description: str
    site: bool = True
    """The site build reads it from the content folder: a one-post file through Pelican's
    readers, a corpus as one post a thread. An export is imported instead (`netiquette import`),
    so its posts become files a blogger can edit."""

    def matches(self, path: Path) -> bool:
        if not self.suffixes:
            return path.is_dir() and loaders.is_convokit_corpus(path)
        return path.suffix.lower() in self.suffixes


def _markdown(path: Path, reading: Reading) -> list[Thread]:
    roots = [reading.root] if reading.root else [path.parent, *list(path.parent.parents)[:2]]
    return [loaders.load_markdown_post(path, [root / reading.comments for root in roots])]


def _export(path: Path, reading: Reading) -> list[Thread]:
    result = loaders.read_export(path)
    reading.held_back += result.counts.held_back
    return loaders.export_threads(result, path)


TEXT = Format(
    "text",
    (".txt",),
    "BOM, else UTF-8, else cp1252",
    lambda path, reading: [loaders.read_text_thread(path)],
    many=False,
    description="a scraped plain-text post and its comment thread",
)
MARKDOWN = Format(
    "markdown",
    (".md", ".markdown"),
    "BOM, else UTF-8, else cp1252",
    _markdown,
    many=False,
    description="a Markdown post; its comments are files in <comments>/<slug>/",
)
SAVED_PAGE = Format(
    "saved-page",
    (".html", ".htm"),
    "BOM, else the page's declared charset, else UTF-8, else cp1252",
    lambda path, reading: [loaders.read_saved_page(path)],
    many=False,
    description="a blog page saved from a browser, with its comment thread",
)
EXPORT = Format(
    "export",
    (".xml",),
    "the XML declaration's encoding (the XML parser)",
    _export,
    many=True,
    description="a WordPress (WXR) or Disqus export: every post and its comments",
    site=False,
)
JSONL = Format(
    "jsonl",
    (".jsonl",),
    "BOM, else UTF-8 (read a line at a time)",
    lambda path, reading: loaders.stream_jsonl(path),
    many=True,
    description="JSON Lines, one thread a line (schema: netiquette.parsers.jsonl)",
)
CONVOKIT = Format(
    "convokit",
    (),
    "UTF-8 JSON",
    lambda path, reading: loaders.load_convokit(path),
    many=True,
    description="a ConvoKit corpus folder (utterances.jsonl, speakers.json, conversations.json)",
)

FORMATS: tuple[Format, ...] = (TEXT, MARKDOWN, SAVED_PAGE, EXPORT, JSONL, CONVOKIT)
THREAD_SUFFIXES: tuple[str, ...] = tuple(s for f in FORMATS for s in f.suffixes)


def format_of(path: Path) -> Format | None:
    """The format of a file or folder, None for anything else."""
    return next((f for f in FORMATS if f.matches(path)), None)


def read_source(path: Path, reading: Reading | None = None) -> Iterable[Thread | Problem]:
    """The threads of one file or corpus folder (not a folder of sources: `thread_sources`)."""
    found = format_of(path)
    if found is None:
        raise ValueError(f"{path}: unsupported file type {path.suffix.lower() or '(none)'!r}")
    return found.read(path, reading or Reading())


def thread_sources(folder: Path, comments: str = "comments") -> Iterator[tuple[Path, Path]]:
    """The files and corpus folders inside a folder that hold threads, in path order, each with
    the folder: the comment folder (``<folder>/<comments>``) and the files inside a corpus are
    not threads, and neither is walked."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        if here != folder and any(name in files for name in loaders.CONVOKIT_FILES):
            found.append(here)
            dirs.clear()
            continue
        if here == folder:
            dirs[:] = [name for name in dirs if name != comments]
        found.extend(here / name for name in files if Path(name).suffix.lower() in THREAD_SUFFIXES)
    for path in sorted(found):
        yield path, folder


def load_path(path: Path, comments: str = "comments", _root: Path | None = None) -> list[Thread]:
    """Every thread in a file, a corpus folder, or the sources of a folder, each with its
    problems. As in a site's content folder, the comment files of a post with slug S are in
    ``<folder>/<comments>/S/``, whatever subfolder the post is in (a single Markdown file looks
    beside itself, then in its parent folders)."""
    if path.is_dir() and format_of(path) is None:
        return [
            thread
            for source, root in thread_sources(path, comments)
            for thread in load_path(source, comments, root)
        ]
    threads: list[Thread] = []
    stray: list[Problem] = []
    for item in read_source(path, Reading(comments, _root)):
        (stray if isinstance(item, Problem) else threads).append(item)
    return loaders.with_file_problems(threads, stray, path)


def describe_formats() -> str:
    """The table in words, for ``--help``."""
    lines = []
    for f in FORMATS:
        where = " ".join(f"*{s}" for s in f.suffixes) or "a folder"
        lines.append(f"  {where:18s} {f.description}")
    return "\n".join(lines)
