"""Corpora in the content folder: every thread of a JSON Lines file or a ConvoKit corpus is a post.

Pelican reads one post per file, so the sources the format table marks as holding many threads
(`netiquette.formats`) are read here, when Pelican has read its own files and before it sorts
posts into tags and categories. Each thread becomes an article as a reader would have made it:
its title, author, date and slug from the thread, its paragraphs as the content, the thread
itself for the generator. Problems are reported naming the file and line, as for any other file.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path

from pelican.contents import Article
from pelican.plugins.netiquette.readers import thread_metadata
from pelican.readers import BaseReader, default_metadata, path_metadata
from pelican.utils import order_content, posixize_path

from netiquette.formats import FORMATS, Reading, format_of, thread_sources
from netiquette.model import Problem, Thread
from netiquette.paths import inside
from netiquette.segments import text_paragraphs_html

logger = logging.getLogger("netiquette")
CORPUS_FORMATS = tuple(f for f in FORMATS if f.many and f.site)


class CorpusReader(BaseReader):
    """Metadata processing as Pelican's readers do it, for threads that come from a corpus."""

    enabled = True
    file_extensions: list[str] = []


def corpus_sources(settings) -> list[Path]:
    """The corpus files and folders under ``ARTICLE_PATHS``, in path order, inside ``PATH``."""
    root = Path(settings["PATH"])
    excludes = [os.path.normpath(e) for e in settings.get("ARTICLE_EXCLUDES") or []]
    found: dict[Path, None] = {}
    for article_path in settings.get("ARTICLE_PATHS") or [""]:
        folder = root / article_path
        if not folder.is_dir():
            continue
        for source, _ in thread_sources(folder, settings["NETIQUETTE_COMMENTS_PATH"]):
            relative = os.path.relpath(source, root)
            if any(relative == e or relative.startswith(e + os.sep) for e in excludes):
                continue
            kind = format_of(source)
            if kind in CORPUS_FORMATS and inside(str(source), str(root)):
                found[source] = None
    return sorted(found)


def add_corpus_articles(generator) -> None:
    """``article_generator_pretaxonomy``: one article per thread of every corpus in the content."""
    settings = generator.settings
    sources = corpus_sources(settings)
    if not sources:
        return
    reader = CorpusReader(settings)
    added = {"published": [], "draft": [], "hidden": []}
    for source in sources:
        reading = Reading(settings["NETIQUETTE_COMMENTS_PATH"])
        threads = 0
        for item in format_of(source).read(source, reading):
            if isinstance(item, Problem):
                _report(item, settings)
                continue
            threads += 1
            article = _article(generator, reader, source, threads, item)
            added.setdefault(article.status, []).append(article)
            generator.add_source_path(article)
        logger.info("%s: %d threads read as posts", _relative(source, settings), threads)
    order_by = settings["ARTICLE_ORDER_BY"]
    generator.articles = order_content(generator.articles + added["published"], order_by)
    generator.drafts = order_content(generator.drafts + added["draft"], order_by)
    generator.hidden_articles = order_content(generator.hidden_articles + added["hidden"], order_by)


def _article(generator, reader: BaseReader, source: Path, number: int, thread: Thread) -> Article:
    settings = generator.settings
    full = str(source / f"#{number}") if source.is_dir() else f"{source}#{number}"
    relative = posixize_path(os.path.relpath(full, settings["PATH"]))
    metadata = default_metadata(settings=settings, process=reader.process_metadata)
    metadata.update(path_metadata(full_path=str(source), source_path=relative, settings=settings))
    metadata.pop("slug", None)
    metadata.update(thread_metadata(reader, thread))
    thread.post.source = str(source)
    return Article(
        content=text_paragraphs_html(thread.post.paragraphs),
        metadata=metadata,
        settings=settings,
        source_path=full,
        context=generator.context,
    )


def _relative(source: Path, settings) -> str:
    return os.path.relpath(source, settings["PATH"])


def _report(problem: Problem, settings) -> None:
    problem = replace(problem, source=_relative(Path(problem.source), settings))
    (logger.error if problem.level == "error" else logger.warning)("%s", problem)
