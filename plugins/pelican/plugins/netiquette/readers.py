"""Pelican readers for thread sources: scraped text threads and saved HTML pages.

Each reader parses its file into a `Thread` once and hands it to Pelican in the metadata
(``netiquette_thread``); the article's content is the post's paragraphs with their ``p-n`` anchors:
plain text for a text thread, the post's own (sanitized) markup for a saved page. Pelican takes a
title for HTML, so the scraped title is given as `inert_text`: text in any theme.
"""

from __future__ import annotations

import os

from pelican.readers import BaseReader, HTMLReader

from netiquette.dates import parse_date
from netiquette.formats import SAVED_PAGE, TEXT
from netiquette.loaders import read_saved_page_with_body, read_text_thread
from netiquette.model import Thread
from netiquette.sanitize import inert_text
from netiquette.segments import number_html_paragraphs, text_paragraphs_html

PASSED_THROUGH = ("slug", "tags", "category", "status", "summary", "lang", "template")


def _extensions(suffixes: tuple[str, ...]) -> list[str]:
    return [suffix.removeprefix(".") for suffix in suffixes]


def thread_metadata(reader: BaseReader, thread: Thread) -> dict:
    """A thread's post as Pelican metadata, the thread itself included for the generator."""
    post = thread.post
    settings = reader.settings
    metadata: dict = {"title": reader.process_metadata("title", inert_text(post.title))}
    date = post.date
    if date is None:
        date = parse_date(str(settings["NETIQUETTE_DEFAULT_DATE"]))
        metadata["netiquette_undated"] = True
    metadata["date"] = date
    if post.author:
        metadata["author"] = reader.process_metadata("author", post.author)
        metadata["netiquette_author_inferred"] = post.is_inferred("author")
    for key in PASSED_THROUGH:
        if post.metadata.get(key):
            metadata[key] = reader.process_metadata(key, post.metadata[key])
    metadata["netiquette_thread"] = thread
    return metadata


class TextThreadReader(BaseReader):
    """Reads ``*.txt`` comment threads scraped as plain text (the seed's format)."""

    enabled = True
    file_extensions = _extensions(TEXT.suffixes)

    def read(self, source_path):
        thread = read_text_thread(source_path)
        return text_paragraphs_html(thread.post.paragraphs), thread_metadata(self, thread)


class SavedPageReader(HTMLReader):
    """Reads saved blog pages under NETIQUETTE_THREADS_PATH as threads; other HTML as Pelican does."""

    file_extensions = _extensions(SAVED_PAGE.suffixes)

    def _is_thread_page(self, source_path: str) -> bool:
        threads = os.path.join(self.settings["PATH"], self.settings["NETIQUETTE_THREADS_PATH"])
        threads = os.path.abspath(threads) + os.sep
        return os.path.abspath(source_path).startswith(threads)

    def read(self, source_path):
        if not self._is_thread_page(source_path):
            return super().read(source_path)
        page = read_saved_page_with_body(source_path)
        content, paragraphs = number_html_paragraphs(page.body_html)
        page.thread.post.paragraphs = paragraphs
        return content, thread_metadata(self, page.thread)
