"""Analysis of one thread: render each comment once, tag every segment, roll topics up.

Segments are the post's paragraphs (numbered from 1, anchored ``p-n``) and the comments (anchored
``comment-<id>``); signatures are not part of a comment's text, so they never raise a topic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from netiquette.model import Mention, Thread
from netiquette.render import body_html, html_to_text
from netiquette.tagger import Tagger

EXCERPT_CHARS = 220


@dataclass(slots=True)
class CommentAnalysis:
    """What a page needs of a comment: its safe HTML, a short excerpt and its mentions.

    The full plain text is only needed while tagging, so it is not kept.
    """

    html: Markup
    excerpt: str
    mentions: list[Mention]
    topics: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.topics = _unique_topics(self.mentions)


@dataclass
class ThreadAnalysis:
    """A thread with every segment's mentions; paragraph numbers are 1-based like their anchors."""

    thread: Thread
    paragraph_mentions: dict[int, list[Mention]] = field(default_factory=dict)
    comments: dict[str, CommentAnalysis] = field(default_factory=dict)
    not_english: int = 0
    """Segments left untagged because they are not in English."""

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
    """Render every comment once and tag every segment, each with its context: a paragraph with
    the post's title, a comment with the title and the comment it replies to."""
    result = ThreadAnalysis(thread)
    title = thread.post.title
    paragraphs = thread.post.paragraphs
    for number, tagging in enumerate(tagger.read_many(paragraphs, [title] * len(paragraphs)), 1):
        result.not_english += not tagging.english
        if tagging.mentions:
            result.paragraph_mentions[number] = tagging.mentions
    rendered = [body_html(comment) for comment in thread.comments]
    texts = [html_to_text(html) for html in rendered]
    by_id = {c.id: text for c, text in zip(thread.comments, texts, strict=True)}
    contexts = [f"{title}\n{by_id.get(c.parent_id or '', '')}" for c in thread.comments]
    taggings = tagger.read_many(texts, contexts)
    for comment, html, text, tagging in zip(
        thread.comments, rendered, texts, taggings, strict=True
    ):
        result.not_english += not tagging.english
        result.comments[comment.id] = CommentAnalysis(html, excerpt(text), tagging.mentions)
    return result


def excerpt(text: str) -> str:
    """The start of a text on one line, cut at a word, for lists that quote many comments."""
    text = " ".join(text.split())
    if len(text) <= EXCERPT_CHARS:
        return text
    return text[: EXCERPT_CHARS - 1].rsplit(" ", 1)[0].rstrip() + "…"
