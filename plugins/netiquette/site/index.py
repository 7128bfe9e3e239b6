"""Site-wide indexes built once from every analysed thread: topics, people, co-occurrence.

Everything here is computed in the context phase and only read while pages and feeds are written.
"""

from __future__ import annotations

import functools
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import combinations
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from netiquette import naming
from netiquette.analysis import ThreadAnalysis
from netiquette.model import Mention
from netiquette.sanitize import plain_text
from netiquette.segments import paragraph_anchor
from netiquette.site.summary import CommentSummary, ThreadSummary, shown_key
from netiquette.site.views import DERIVED, Term, evidence
from netiquette.store import ThreadStore

logger = logging.getLogger("netiquette")
RELATED_POSTS = 5
RELATED_CANDIDATES = 50


@dataclass(frozen=True)
class HeldBack:
    """A comment in the input that is not published, and why."""

    source: str
    reason: str


@dataclass(slots=True)
class TopicEntry:
    """One post paragraph or comment raising a topic, with the sentence that shows it.

    `key` stands for the values shown on pages and in feeds; the topic and post are described apart.
    A comment's HTML (which feeds carry) is read from the thread store when it is asked for.
    """

    key: int
    topic: Term
    article: object
    kind: str
    anchor: str
    author_name: str = field(metadata=DERIVED)
    date: datetime = field(metadata=DERIVED)
    mentions: tuple[Mention, ...] = field(repr=False, metadata=DERIVED)
    order: int = field(metadata=DERIVED)
    article_url: str = field(metadata=DERIVED)
    source: Markup | tuple[str, str] = field(repr=False, metadata=DERIVED)
    load: Callable[[str], ThreadAnalysis] | None = field(repr=False, metadata=DERIVED)
    commenter: Term | None = None
    dated: bool = field(default=True, metadata=DERIVED)
    """False when neither the segment nor its post has a date of its own: `date` stands in."""

    @property
    def author(self) -> Markup:
        return escape(self.author_name)

    @property
    def evidence(self) -> Markup:
        """The sentence that shows the topic, its mentions marked (they share one sentence)."""
        first = self.mentions[0]
        return evidence(first.sentence, first.sentence_start, self.mentions)

    @property
    def by_model(self) -> Mention | None:
        """The model's mention when the topic model, not a phrase, found the topic here."""
        first = self.mentions[0]
        return first if first.source == "model" else None

    @property
    def url(self) -> str:
        return f"{self.article_url}#{self.anchor}"

    @property
    def content(self) -> Markup:
        """The paragraph, or the comment's sanitized HTML."""
        if isinstance(self.source, tuple):
            thread_key, comment_id = self.source
            return self.load(thread_key).comments[comment_id].html
        return self.source

    @property
    def title(self) -> Markup:
        """The entry's title as HTML (a post's title is HTML, as in Pelican)."""
        title = Markup(self.article.title)
        if self.kind == "comment":
            return Markup("{} on “{}”").format(self.author_name, title)
        return Markup("“{}”, paragraph {}").format(title, self.anchor.removeprefix("p-"))


@dataclass
class FeedItem:
    """What Pelican's feed writer needs of an entry, made when it is asked for: a topic feed's
    (the evidence, then the paragraph or comment), or a comment feed's (`recent.CommentFeedItem`).

    A feed's Atom and RSS files share its items, so a comment's HTML is read from the thread store
    once for both.
    """

    entry: TopicEntry
    _content: Markup | None = field(default=None, repr=False, metadata=DERIVED)

    @property
    def title(self) -> str:
        return str(self.entry.title)

    @property
    def url(self) -> str:
        return self.entry.url

    @property
    def date(self) -> datetime:
        return self.entry.date

    @property
    def author(self) -> str:
        return self.entry.author_name

    @property
    def summary(self) -> Markup:
        return Markup("<p>") + self.entry.evidence + Markup("</p>")

    def get_content(self, siteurl: str) -> str:
        if self._content is None:
            self._content = self.summary + self.entry.content
        return self._content


@dataclass
class TopicSummary:
    term: Term
    entries: list[TopicEntry] = field(default_factory=list)
    posts: int = 0
    comments: int = 0
    paragraphs: int = 0
    people: int = 0
    related: list[tuple[Term, int]] = field(default_factory=list)

    @property
    def recurring(self) -> bool:
        return self.posts >= 2 or self.people >= 2

    @property
    def raised(self) -> int:
        return len(self.entries)

    def feed_items(self) -> list[FeedItem]:
        return [FeedItem(entry) for entry in self.entries]


@dataclass(frozen=True)
class Shared:
    """What every commenter's comments are shown with: topic terms, the time zone, post addresses,
    and the store their excerpts are read from."""

    topic_terms: dict[str, Term]
    zone: object
    urls: dict[str, str]
    store: ThreadStore | None = None

    def excerpt(self, comment: CommentSummary) -> str:
        return _excerpts(self.store, comment.thread_key)[comment.number]


def forget_excerpts() -> None:
    """Drop the excerpts read during a build (called when it ends)."""
    _excerpts.cache_clear()


@functools.lru_cache(maxsize=64)
def _excerpts(store: ThreadStore, thread_key: str) -> list[str]:
    """A thread's excerpts: read once for the few pages in a row that quote one thread."""
    text = store.text(thread_key, "excerpts")
    if text is None:
        analysis = store.get(thread_key)
        return [analysis.comments[c.id].excerpt for c in analysis.thread.comments]
    return text.split("\n")


@dataclass(slots=True)
class PersonComment:
    """One comment on a commenter's page, made when the page asks for it."""

    article: object
    comment: CommentSummary
    shared: Shared

    @property
    def url(self) -> str:
        return f"{self.shared.urls[self.article.source_path]}#{self.comment.anchor}"

    @property
    def date(self) -> datetime | None:
        value = self.comment.date
        return None if value is None else _aware(value, value, self.shared.zone)

    @property
    def excerpt(self) -> str:
        return self.shared.excerpt(self.comment)

    @property
    def topics(self) -> list[Term]:
        terms = self.shared.topic_terms
        return [terms[slug] for slug in self.comment.topics if slug in terms]


@dataclass
class Person:
    """Someone who commented: their comments as (post, summary) pairs, in site order.

    The pairs are what a page's digest describes; `comments` makes the objects a page shows.
    """

    term: Term
    articles: list = field(default_factory=list)
    summaries: list[CommentSummary] = field(default_factory=list)
    has_page: bool = False
    shared: Shared | None = field(default=None, repr=False, metadata=DERIVED)

    @property
    def name(self) -> str:
        return self.term.name

    @property
    def comment_count(self) -> int:
        return len(self.summaries)

    @property
    def comments(self) -> list[PersonComment]:
        """Oldest first, across every post; undated comments last, in the order of their posts."""
        shared = self.shared
        comments = [
            PersonComment(a, c, shared) for a, c in zip(self.articles, self.summaries, strict=True)
        ]
        return sorted(comments, key=lambda c: (c.date is None, c.date.timestamp() if c.date else 0))

    @property
    def topics(self) -> list[tuple[Term, int]]:
        terms = self.shared.topic_terms
        counts = Counter(slug for c in self.summaries for slug in c.topics if slug in terms)
        ordered = sorted(counts.items(), key=lambda i: (-i[1], i[0]))
        return [(terms[slug], n) for slug, n in ordered]

    @property
    def posts(self) -> int:
        return len({article.source_path for article in self.articles})


def _aware(value: datetime | None, fallback: datetime, zone) -> datetime:
    if value is None:
        return fallback
    return value if value.tzinfo else value.replace(tzinfo=zone)


@dataclass
class SiteIndex:
    analysed: list[tuple[object, ThreadSummary]]
    topics: list[TopicSummary]
    commenters: list[Person]
    cooccurrence: list[tuple[Term, Term, int]]
    held_back: list[HeldBack]
    post_topics: dict[str, set[str]]
    topic_posts: dict[str, list]

    @property
    def commenters_with_pages(self) -> list[Term]:
        return [person.term for person in self.commenters if person.has_page]

    @property
    def comment_count(self) -> int:
        return sum(summary.comment_count for _, summary in self.analysed)

    @classmethod
    def build(
        cls,
        analysed,
        topic_terms: dict[str, Term],
        settings,
        held_back,
        store=None,
        *,
        person_term: Callable[[str], Term],
        listed: Callable[[object], bool],
        undated: Callable[[object], bool] = lambda article: False,
    ):
        """The index of ``analysed`` (post, `ThreadSummary`) pairs; the thread ``store`` gives the
        comments' HTML to feeds and their excerpts to commenter pages when asked. `person_term`
        makes a commenter's page term from a name; `listed` says which posts go in post lists;
        `undated` says which posts carry a stand-in date rather than one of their own."""
        load = store.get if store is not None else None
        zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
        shared = Shared(topic_terms, zone, {}, store)
        summaries = {slug: TopicSummary(term) for slug, term in topic_terms.items()}
        post_sets: dict[str, set[str]] = defaultdict(set)
        people_sets: dict[str, set[str]] = defaultdict(set)
        pairs: Counter[tuple[str, str]] = Counter()
        people: dict[str, Person] = {}
        order = 0
        for article, thread in analysed:
            article_date = _aware(
                getattr(article, "date", None), datetime(1970, 1, 1, tzinfo=UTC), zone
            )
            author = getattr(article, "author", None)
            post_author = plain_text(getattr(author, "name", author)) if author else ""
            article_url = shared.urls[article.source_path] = article.url
            post_dated = not undated(article)
            segments: list[
                tuple[str, str, str, datetime, bool, Sequence[Mention], object, object]
            ] = []
            for paragraph in thread.paragraphs:
                html = Markup("<p>") + escape(paragraph.text) + Markup("</p>")
                segments.append(
                    (
                        "paragraph",
                        paragraph_anchor(paragraph.number),
                        post_author,
                        article_date,
                        post_dated,
                        paragraph.mentions,
                        html,
                        html,
                    )
                )
            for comment in thread.comments:
                if comment.listed:
                    person = people.get(comment.name)
                    if person is None:
                        person = people[comment.name] = Person(
                            person_term(comment.name), shared=shared
                        )
                    person.articles.append(article)
                    person.summaries.append(comment)
                if comment.mentions:
                    date = _aware(comment.date, article_date, zone)
                    segments.append(
                        (
                            "comment",
                            comment.anchor,
                            comment.name,
                            date,
                            comment.date is not None or post_dated,
                            comment.mentions,
                            (thread.key, comment.id),
                            comment.key,
                        )
                    )
            for kind, anchor, author, date, dated, mentions, source, shown in segments:
                by_topic: dict[str, list[Mention]] = defaultdict(list)
                for mention in mentions:
                    if mention.topic in summaries:
                        by_topic[mention.topic].append(mention)
                for a, b in combinations(sorted(by_topic), 2):
                    pairs[(a, b)] += 1
                for slug, topic_mentions in by_topic.items():
                    first = topic_mentions[0]
                    in_sentence = [
                        m
                        for m in topic_mentions
                        if m.sentence_start == first.sentence_start and m.sentence == first.sentence
                    ]
                    summary = summaries[slug]
                    spans = [(m.start, m.end) for m in in_sentence]
                    order += 1
                    summary.entries.append(
                        TopicEntry(
                            key=shown_key(
                                author,
                                date,
                                first.sentence,
                                spans,
                                shown,
                                article_url,
                                anchor,
                                first.source,
                                first.score,
                            ),  # fmt: skip
                            topic=summary.term,
                            article=article,
                            kind=kind,
                            anchor=anchor,
                            author_name=author or "Unknown",
                            date=date,
                            mentions=tuple(in_sentence),
                            order=order,
                            article_url=article_url,
                            source=source,
                            load=load,
                            dated=dated,
                        )
                    )
                    if kind == "comment":
                        summary.comments += 1
                    else:
                        summary.paragraphs += 1
                    post_sets[slug].add(article.source_path)
                    if author:
                        people_sets[slug].add(author)

        _distinct_commenters([person.term for person in people.values()], settings)
        min_comments = int(settings.get("NETIQUETTE_COMMENTER_MIN_COMMENTS", 2))
        for person in people.values():
            person.has_page = person.comment_count >= min_comments
        commenter_for = {p.name: p.term for p in people.values() if p.has_page}
        for summary in summaries.values():
            summary.posts = len(post_sets[summary.term.topic])
            summary.people = len(people_sets[summary.term.topic])
            summary.entries.sort(key=lambda e: (-e.date.timestamp(), e.order))
            for entry in summary.entries:
                entry.commenter = commenter_for.get(entry.author_name)
        related: dict[str, Counter[str]] = defaultdict(Counter)
        for (a, b), n in pairs.items():
            related[a][b] += n
            related[b][a] += n
        for slug, summary in summaries.items():
            summary.related = [
                (topic_terms[other], n)
                for other, n in sorted(related[slug].items(), key=lambda i: (-i[1], i[0]))
            ]
        topics = sorted(summaries.values(), key=lambda s: (-s.raised, -s.people, s.term.topic))
        cooccurrence = [
            (topic_terms[a], topic_terms[b], n)
            for (a, b), n in sorted(pairs.items(), key=lambda i: (-i[1], i[0]))
        ]
        commenters = sorted(people.values(), key=lambda p: (-p.comment_count, p.name.casefold()))
        post_topics = {article.source_path: set(summary.topics) for article, summary in analysed}
        topic_posts: dict[str, list] = defaultdict(list)
        newest_first = sorted(
            (article for article, _ in analysed if listed(article)),
            key=lambda a: (-a.date.timestamp(), a.source_path),
        )
        for article in newest_first:
            for topic in sorted(post_topics[article.source_path]):
                topic_posts[topic].append(article)
        return cls(analysed, topics, commenters, cooccurrence, held_back, post_topics, topic_posts)

    def related_posts(self, article) -> list:
        """Published posts sharing the most topics with ``article``.

        Candidates are the newest posts of each of its topics, so the cost per post stays constant
        however large the site grows.
        """
        mine = self.post_topics.get(article.source_path, set())
        candidates = {
            other.source_path: other
            for topic in sorted(mine)
            for other in self.topic_posts.get(topic, [])[:RELATED_CANDIDATES]
            if other is not article
        }
        scored = sorted((-len(mine & self.post_topics[path]), path) for path in candidates)
        return [candidates[path] for _, path in scored[:RELATED_POSTS]]

    def summary_line(self) -> str:
        reasons = Counter(h.reason for h in self.held_back)
        held = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items())) or "none"
        raised = sum(1 for t in self.topics if t.entries)
        foreign = sum(summary.not_english for _, summary in self.analysed)
        return (
            f"Netiquette: {len(self.analysed)} posts and pages, {self.comment_count} comments published, "
            f"{len(self.held_back)} held back ({held}); {raised} of {len(self.topics)} topics raised; "
            f"{foreign} segments not in English left untagged."
        )


def _distinct_commenters(terms: list[Term], settings) -> None:
    """People are told apart by their exact names: "Hua Liang", "hua-liang" and "华亮" each get a
    page, and none takes the commenters' index page."""
    by_name = {term.name: term for term in terms}
    slug_of = {name: term.slug for name, term in by_name.items()}
    changes, shared = naming.distinct(
        slug_of,
        owner=naming.only_reading_as(slug_of.__getitem__, str),
        taken=naming.save_as_taken(
            str(settings["NETIQUETTE_COMMENTER_SAVE_AS"]), naming.reserved_pages(settings)
        ),
    )
    naming.report("commenters", shared)
    for name, slug in changes.items():
        by_name[name].slug = slug
