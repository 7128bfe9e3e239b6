"""Importing saved HTML pages: each page becomes a post (its paragraphs) with its comment thread.

The page's own HTML carries scripts, ads and theme chrome, so the imported post body is rebuilt from
the plain-text paragraphs the parser found; comments keep their HTML for the sanitizer.
"""

from __future__ import annotations

import codecs
import re
from html import escape
from pathlib import PurePath

from netiquette.importers.result import ImportedPost, ImportResult, tally_threads
from netiquette.importers.slugs import SlugRegistry
from netiquette.model import Problem
from netiquette.parsers.html_page import parse_html_page
from netiquette.sources import decode

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._-]+)""", re.IGNORECASE)


def decode_html(data: bytes, source: str) -> tuple[str, list[Problem]]:
    """Text of a saved page, honouring a ``<meta charset>`` other than UTF-8."""
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            codec = codecs.lookup(declared.group(1).decode("ascii"))
        except LookupError:
            codec = None
        if codec is not None and codec.name != "utf-8":
            text = data.decode(codec.name, errors="replace")
            return text.replace("\r\n", "\n").replace("\r", "\n"), []
    return decode(data, source)


def _body_html(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)


def import_html_pages(pages: list[tuple[str, str]]) -> ImportResult:
    """Posts and threads of saved pages given as (source name, page text) pairs."""
    label = pages[0][0] if len(pages) == 1 else f"{len(pages)} saved pages"
    result = ImportResult(source=label)
    counts = result.counts
    slugs = SlugRegistry()
    for source, text in pages:
        thread = parse_html_page(text, source)
        post = thread.post
        slug = slugs.claim(
            post.title if "title" not in post.inferred else "",
            PurePath(post.metadata.get("url", "")).name,
            fallback=PurePath(source).stem,
        )
        post.metadata["slug"] = slug
        counts.posts += 1
        counts.comments["approved"] += len(thread.comments)
        pings = int(post.metadata.get("pingbacks", "0"))
        counts.moderation["approved"] += len(thread.comments) + pings
        if pings:
            counts.comments["pingback"] += pings
        result.posts.append(
            ImportedPost(
                thread=thread,
                slug=slug,
                body_html=_body_html(post.paragraphs),
                link=post.metadata.get("url"),
            )
        )
    tally_threads(counts, result.posts)
    return result
