"""Pelican readers for thread sources: scraped text threads and saved HTML pages.

Each reader parses its file into a `Thread` once and hands it to Pelican in the metadata
(``netiquette_thread``); the article's content is the post's paragraphs with their ``p-n`` anchors.
"""

from __future__ import annotations

import os

from pelican.readers import BaseReader, HTMLReader

from netiquette.dates import parse_date
from netiquette.model import Thread
from netiquette.segments import text_paragraphs_html
from netiquette.sources import read_text

PASSED_THROUGH = ("slug", "tags", "category", "status", "summary", "lang", "template")


def _thread_metadata(reader: BaseReader, thread: Thread) -> dict:
    post = thread.post
    settings = reader.settings
    metadata: dict = {"title": reader.process_metadata("title", post.title)}
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
    file_extensions = ["txt"]

    def read(self, source_path):
        from netiquette.parsers.text import parse_text_thread

        text, problems = read_text(source_path)
        thread = parse_text_thread(text, source=source_path)
        thread.problems[:0] = problems
        return text_paragraphs_html(thread.post.paragraphs), _thread_metadata(self, thread)


class SavedPageReader(HTMLReader):
    """Reads saved blog pages under NETIQUETTE_THREADS_PATH as threads; other HTML as Pelican does."""

    def _is_thread_page(self, source_path: str) -> bool:
        threads = os.path.join(self.settings["PATH"], self.settings["NETIQUETTE_THREADS_PATH"])
        threads = os.path.abspath(threads) + os.sep
        return os.path.abspath(source_path).startswith(threads)

    def read(self, source_path):
        if not self._is_thread_page(source_path):
            return super().read(source_path)
        from netiquette.parsers.html_page import parse_html_page

        text, problems = read_text(source_path)
        thread = parse_html_page(text, source_path)
        thread.problems[:0] = problems
        return text_paragraphs_html(thread.post.paragraphs), _thread_metadata(self, thread)
