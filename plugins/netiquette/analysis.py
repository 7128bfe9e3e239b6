"""Analysis of one thread: render each comment once, tag every segment, roll topics up.

Segments are the post's paragraphs (numbered from 1, anchored ``p-n``) and the comments (anchored
``comment-<id>``); signatures are not part of a comment's text, so they never raise a topic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netiquette.model import Thread
from netiquette.render import body_html, html_to_text
from netiquette.tagger import Mention, Tagger


@dataclass
class CommentAnalysis:
    html: str
    text: str
    mentions: list[Mention]

    @property
    def topics(self) -> list[str]:
        return _unique_topics(self.mentions)


@dataclass
class ThreadAnalysis:
    """A thread with every segment's mentions; paragraph numbers are 1-based like their anchors."""

    thread: Thread
    paragraph_mentions: dict[int, list[Mention]] = field(default_factory=dict)
    comments: dict[str, CommentAnalysis] = field(default_factory=dict)

    @property
    def post_topics(self) -> list[str]:
        return _unique_topics(m for ms in self.paragraph_mentions.values() for m in ms)

    @property
    def topics(self) -> list[str]:
        """Every topic the post or any comment raises, post first, then in comment order."""
        mentions = [m for ms in self.paragraph_mentions.values() for m in ms]
        mentions += [m for c in self.comments.values() for m in c.mentions]
        return _unique_topics(mentions)


def _unique_topics(mentions) -> list[str]:
    return list(dict.fromkeys(m.topic for m in mentions))


def analyze_thread(thread: Thread, tagger: Tagger) -> ThreadAnalysis:
    result = ThreadAnalysis(thread)
    for number, paragraph in enumerate(thread.post.paragraphs, start=1):
        mentions = tagger.tag(paragraph)
        if mentions:
            result.paragraph_mentions[number] = mentions
    for comment in thread.comments:
        html = body_html(comment)
        text = html_to_text(html)
        result.comments[comment.id] = CommentAnalysis(html, text, tagger.tag(text))
    return result
