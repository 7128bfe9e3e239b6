"""``analysis.json``: the build's analysis as data, written one post at a time (schema in the README).

Each post's entry is its post's fields (slug, title, address, author, date) and its thread's
(source, topics, paragraphs, comments). The thread's part is serialised once, when the thread is
analysed, and kept next to the analysis in the thread store, so writing the document reads small
text files instead of every analysis; the output is byte for byte what serialising the whole
document at once gives.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from netiquette.analysis import ThreadAnalysis
from netiquette.model import Mention
from netiquette.sanitize import plain_text
from netiquette.segments import paragraph_anchor
from netiquette.site.views import person_name

ANALYSIS_SCHEMA = "netiquette-analysis/1"


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def thread_part(analysis: ThreadAnalysis) -> str:
    """The thread's fields of a post's entry, as the end of a JSON object (from ``"topics"``)."""
    return dumps(thread_fields(analysis))[1:]


def thread_fields(analysis: ThreadAnalysis) -> dict:
    """A thread's topics, paragraphs and comments as analysis.json (and ``analyze --json``) give them."""
    thread = analysis.thread
    return {
        "topics": analysis.topics,
        "paragraphs": [
            {
                "n": number,
                "anchor": paragraph_anchor(number),
                "topics": list(dict.fromkeys(m.topic for m in mentions)),
                "mentions": [_mention(m) for m in mentions],
            }
            for number, mentions in sorted(analysis.paragraph_mentions.items())
        ],
        "comments": [
            {
                "id": comment.id,
                "anchor": comment.anchor,
                "parent": comment.parent_id,
                "author": person_name(comment),
                "author_inferred": comment.is_inferred("author"),
                "date": comment.date.isoformat() if comment.date else None,
                "topics": analysis.comments[comment.id].topics,
                "mentions": [_mention(m) for m in analysis.comments[comment.id].mentions],
            }
            for comment in thread.comments
        ],
    }


def write_analysis(
    handle: TextIO,
    version: str,
    index,
    thread_text: Callable[[str], str | None],
    load: Callable[[str], ThreadAnalysis],
) -> None:
    """Write the document for ``index`` (a `SiteIndex`); a thread's part comes from
    ``thread_text`` (the store's text for its key), or is made from ``load`` when that has none."""
    head = {
        "schema": ANALYSIS_SCHEMA,
        "generator": f"netiquette {version}",
        "counts": {
            "posts": len(index.analysed),
            "comments": index.comment_count,
            "held_back": len(index.held_back),
        },
        "topics": [
            {
                "slug": t.term.topic,
                "name": t.term.name,
                "url": t.term.url,
                "posts": t.posts,
                "paragraphs": t.paragraphs,
                "comments": t.comments,
                "people": t.people,
            }
            for t in sorted(index.topics, key=lambda t: t.term.topic)
        ],
    }
    handle.write(dumps(head)[:-1] + ',"posts":[')
    for number, (article, summary) in enumerate(index.analysed):
        read = getattr(article, "netiquette_thread", None)
        author = getattr(article, "author", None)
        post = {
            "slug": article.slug,
            "title": read.post.title if read is not None else article.title,
            "url": article.url,
            "source": summary.source,
            "author": (plain_text(getattr(author, "name", author)) if author else "") or None,
            "author_inferred": summary.author_inferred,
            "date": _iso(getattr(article, "date", None)),
        }
        part = thread_text(summary.key)
        if part is None:
            part = thread_part(load(summary.key))
        handle.write(("," if number else "") + dumps(post)[:-1] + "," + part)
    held = [{"source": h.source, "reason": h.reason} for h in index.held_back]
    handle.write('],"held_back":' + dumps(held) + "}\n")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _mention(mention: Mention) -> dict:
    return {
        "topic": mention.topic,
        "start": mention.start,
        "end": mention.end,
        "phrase": mention.phrase,
        "sentence": mention.sentence,
        "source": mention.source,
        "score": mention.score,
    }
