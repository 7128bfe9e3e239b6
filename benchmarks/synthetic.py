"""Deterministic synthetic blog content for benchmarks: posts with threaded reader comments.

`generate` draws a site from a seed (the same seed always gives the same bytes); two writers lay
the same site out on disk:

- `write_netiquette`: Markdown posts plus one comment file per comment under
  ``comments/<post-slug>/<id>.md`` (the layout Netiquette reads, and pelican_comment_system too);
- `write_plain`: the same posts with their comments appended inline as a ``## Comments`` Markdown
  section (replies as nested blockquotes), for a plain Pelican build without the plugin.

Each post is drawn from its own random stream (seeded by the seed and the post's number), so the
first 500 posts of a 2,000-post site are the 500 posts of a 500-post site.

Usage: ``python -m benchmarks.synthetic --posts 1000 --comments 20 --variant netiquette --out DIR``.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

DEFAULT_POSTS = 1000
DEFAULT_COMMENTS = 20
DEFAULT_SEED = 0

POST_WORDS = (400, 900)
POST_PARAGRAPHS = (4, 8)
COMMENT_WORDS = (20, 150)
REPLY_SHARE = 0.32  # some draws fall back to top level: about 30% end up replies
MAX_REPLY_DEPTH = 4
COMMENTER_URL_SHARE = 0.4
POST_PHRASE_SHARE = 0.15
COMMENT_PHRASE_SHARE = 0.25
FIRST_DATE = datetime(2015, 1, 5, 9, 0)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


VOCABULARY = _words(
    """
    a about above across after again against all almost along already also although always
    among an and another any anyone anything around as ask asked at away back be because become
    been before began behind being below best better between big blog book both bring brought
    but by call came can care case change clear close come comment common community could day
    decided did different do does done down during each early easy either else end enough even
    evening every everyone example experience fact family far feel felt few find first follow
    for found friend from full gave get give given go going good great group had half hand happen
    hard has have he head help her here high him his home hope hour house how however idea if
    important in instead interest into is it its just keep kind knew know large last later learn
    least left less let life light like line little long look lot made make many may me mean
    meeting might mind minute moment money month more morning most much must my name need never
    new next nice night no not note nothing now number of off often old on once one only open or
    other our out over own page part people perhaps person place plan point post problem public
    put question quite rather read reader reading real really reason remember rest right room
    said same saw say second see seem seen sense set several share she short should show side
    simple since small so some someone something sometimes soon start still story such sure take
    talk team tell than thank that the their them then there these they thing think this those
    though thought through time to today together told too took toward tried true try turn under
    until up us use used very wait want was watch way we week well went were what when where
    whether which while who whole why will with within without word work world would write
    writing wrote year yes yet you young your coffee garden weekend kitchen travel train city
    photo camera winter summer holiday notebook project habit routine workshop conference email
    newsletter draft editor article audience neighbour weather bicycle recipe library podcast
    """
)

ETIQUETTE_PHRASES = (
    "spam",
    "connection request from a stranger",
    "looking for a job",
    "follower count",
    "sales pitch",
    "unfollowed",
    "endorse my skills",
    "copy and paste message",
)

FIRST_NAMES = _words(
    """
    Ada Amir Anna Ben Carla Chen Dana David Elena Emeka Farah Felix Grace Hana Hugo Ines Ivan Jade
    Jonas Kai Lara Leo Lina Marco Maya Mei Nadia Noah Omar Paula Priya Rafael Rosa Sam Sara Tariq
    Tom Uma Vera Yusuf
    """
)
LAST_NAMES = _words(
    """
    Abbott Bauer Castro Diaz Eriksen Fischer Garcia Haddad Ito Jensen Kowalski Larsen Moreau
    Nakamura Novak Okafor Patel Quinn Rossi Schmidt Silva Tanaka Ueda Varga Weber Xu Yilmaz Zhang
    Brennan Keane
    """
)
POST_AUTHORS = ("Marta Keane", "Jon Ellis", "Ruth Okoye", "Pablo Reyes", "Ingrid Sand")
TAGS = _words(
    """
    email outreach metrics social-media networking careers writing blogging newsletters privacy
    community moderation marketing freelancing productivity tools habits travel photography
    reading events interviews hiring feedback etiquette advice links notes essays review
    """
)
CATEGORIES = ("Etiquette", "Work", "Writing", "Life", "Tools", "Notes", "Community", "Reviews")


@dataclass(frozen=True)
class Commenter:
    """Someone who comments; some have a home page."""

    name: str
    url: str | None


@dataclass(frozen=True)
class SyntheticComment:
    """One comment: its id (the comment file's stem), author, date, Markdown body and parent."""

    id: str
    author: Commenter
    date: datetime
    body: str
    reply_to: str | None
    depth: int


@dataclass(frozen=True)
class SyntheticPost:
    """One post with its comments in publication order."""

    slug: str
    title: str
    author: str
    date: datetime
    tags: tuple[str, ...]
    category: str
    paragraphs: tuple[str, ...]
    comments: tuple[SyntheticComment, ...]


def commenter_pool(seed: int, size: int = 400) -> tuple[Commenter, ...]:
    """A fixed pool of distinct commenters, roughly 40% of them with a home page."""
    rng = random.Random(f"commenters-{seed}")
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    pool = []
    for name in names[:size]:
        url = None
        if rng.random() < COMMENTER_URL_SHARE:
            url = f"https://{name.lower().replace(' ', '-')}.example.net/"
        pool.append(Commenter(name, url))
    return tuple(pool)


def _sentence(rng: random.Random, length: int, phrase: str | None = None) -> str:
    words = rng.choices(VOCABULARY, k=length)
    if phrase is not None:
        words.insert(rng.randrange(len(words) + 1), phrase)
    words[0] = words[0][0].upper() + words[0][1:]
    if rng.random() < 0.05:
        emphasised = rng.randrange(len(words))
        words[emphasised] = f"**{words[emphasised]}**"
    if length >= 12 and rng.random() < 0.4:
        words[rng.randrange(3, length - 3)] += ","
    return " ".join(words) + rng.choice(".....?!")


def _paragraph(rng: random.Random, words: int, phrase: str | None = None) -> str:
    """About ``words`` words of prose in sentences of 6-20 words, optionally with ``phrase``."""
    lengths: list[int] = []
    remaining = words
    while remaining > 0:
        length = min(remaining, rng.randint(6, 20))
        lengths.append(max(length, 3))
        remaining -= length
    phrase_at = rng.randrange(len(lengths)) if phrase else -1
    return " ".join(
        _sentence(rng, length, phrase if i == phrase_at else None)
        for i, length in enumerate(lengths)
    )


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` positive sizes of similar length."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    scale = total / sum(weights)
    sizes = [max(1, round(w * scale)) for w in weights]
    sizes[-1] = max(1, total - sum(sizes[:-1]))
    return sizes


def _maybe_phrase(rng: random.Random, share: float) -> str | None:
    return rng.choice(ETIQUETTE_PHRASES) if rng.random() < share else None


def _post_text(rng: random.Random) -> tuple[str, ...]:
    words = rng.randint(*POST_WORDS)
    sizes = _split(rng, words, rng.randint(*POST_PARAGRAPHS))
    return tuple(_paragraph(rng, size, _maybe_phrase(rng, POST_PHRASE_SHARE)) for size in sizes)


def _comment_text(rng: random.Random) -> str:
    low, high = COMMENT_WORDS
    words = round(rng.triangular(low, high, 45))
    parts = 1 if words < 60 else rng.randint(1, 3)
    sizes = _split(rng, words, parts)
    paragraphs = [_paragraph(rng, size) for size in sizes]
    phrase = _maybe_phrase(rng, COMMENT_PHRASE_SHARE)
    if phrase:
        index = rng.randrange(len(paragraphs))
        paragraphs[index] = f"{paragraphs[index]} Another {phrase} this week, honestly."
    return "\n\n".join(paragraphs)


def _parent(rng: random.Random, comments: Sequence[SyntheticComment]) -> SyntheticComment | None:
    """The comment a new one replies to (about 30% of the time), never deeper than the limit.

    Half of the replies answer the latest comment, which grows chains 3-4 deep.
    """
    if not comments or rng.random() >= REPLY_SHARE:
        return None
    parent = comments[-1] if rng.random() < 0.5 else rng.choice(comments)
    return parent if parent.depth < MAX_REPLY_DEPTH - 1 else None


def _comments(
    rng: random.Random, count: int, start: datetime, author: Commenter, pool: Sequence[Commenter]
) -> tuple[SyntheticComment, ...]:
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(pool))]
    comments: list[SyntheticComment] = []
    when = start
    for number in range(1, count + 1):
        when += timedelta(minutes=rng.randint(5, 1500))
        parent = _parent(rng, comments)
        who = rng.choices(pool, weights)[0]
        if parent is not None and rng.random() < 0.3:
            who = author
        comment = SyntheticComment(
            id=str(number),
            author=who,
            date=when,
            body=_comment_text(rng),
            reply_to=parent.id if parent else None,
            depth=parent.depth + 1 if parent else 0,
        )
        comments.append(comment)
    return tuple(comments)


def _title(rng: random.Random) -> str:
    words = rng.choices(VOCABULARY, k=rng.randint(3, 7))
    return " ".join(word.capitalize() for word in words)


def make_post(seed: int, number: int, comments: int, pool: Sequence[Commenter]) -> SyntheticPost:
    """Post ``number`` (from 0) of the site drawn from ``seed``."""
    rng = random.Random(f"post-{seed}-{number}")
    title = _title(rng)
    slug = f"post-{number:05d}-" + "-".join(title.lower().split()[:4])
    author = rng.choice(POST_AUTHORS)
    date = FIRST_DATE + timedelta(days=number * 1.5, minutes=rng.randint(0, 600))
    return SyntheticPost(
        slug=slug,
        title=title,
        author=author,
        date=date,
        tags=tuple(sorted(rng.sample(TAGS, rng.randint(1, 3)))),
        category=rng.choice(CATEGORIES),
        paragraphs=_post_text(rng),
        comments=_comments(rng, comments, date, Commenter(author, None), pool),
    )


def generate(
    posts: int = DEFAULT_POSTS, comments: int = DEFAULT_COMMENTS, seed: int = DEFAULT_SEED
) -> Iterator[SyntheticPost]:
    """The site's posts, one at a time (a large site never has to sit in memory at once)."""
    pool = commenter_pool(seed)
    for number in range(posts):
        yield make_post(seed, number, comments, pool)


def _date(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def post_markdown(post: SyntheticPost) -> str:
    """The post as a Pelican Markdown article (metadata lines, blank line, paragraphs)."""
    header = [
        f"Title: {post.title}",
        f"Date: {_date(post.date)}",
        f"Author: {post.author}",
        f"Slug: {post.slug}",
        f"Tags: {', '.join(post.tags)}",
        f"Category: {post.category}",
    ]
    return "\n".join(header) + "\n\n" + "\n\n".join(post.paragraphs) + "\n"


def comment_file(comment: SyntheticComment) -> str:
    """The comment as a comment file (``author:``, ``date:``, ``url:``, ``replyto:``, body).

    ``replyto`` names the parent in pelican_comment_system 1.4.0's form, the slug of its file name
    (``3md`` for ``3.md``): that plugin matches replies to nothing else, and Netiquette reads the
    form too, so the benchmark's Pelican + pelican-comment-system case reads these very files.
    """
    lines = [f"author: {comment.author.name}", f"date: {_date(comment.date)}"]
    if comment.author.url:
        lines.append(f"url: {comment.author.url}")
    if comment.reply_to:
        lines.append(f"replyto: {reply_slug(comment.reply_to)}")
    return "\n".join(lines) + "\n\n" + comment.body + "\n"


def reply_slug(comment_id: str) -> str:
    """pelican_comment_system's identifier of the comment file ``<comment_id>.md``."""
    return re.sub(r"[^a-z0-9_-]", "", f"{comment_id}.md".lower())


def _thread_order(comments: Sequence[SyntheticComment]) -> list[SyntheticComment]:
    """Comments depth first: each top-level comment followed by its replies."""
    children: dict[str | None, list[SyntheticComment]] = {}
    for comment in comments:
        children.setdefault(comment.reply_to, []).append(comment)
    ordered: list[SyntheticComment] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        comment = stack.pop()
        ordered.append(comment)
        stack.extend(reversed(children.get(comment.id, [])))
    return ordered


def inline_comment(comment: SyntheticComment) -> str:
    """One comment as Markdown, quoted once per reply level."""
    who = f"**{comment.author.name}**"
    if comment.author.url:
        who = f"**[{comment.author.name}]({comment.author.url})**"
    text = f"{who} · {_date(comment.date)}\n\n{comment.body}"
    if comment.depth == 0:
        return text
    prefix = "> " * comment.depth
    return "\n".join((prefix + line).rstrip() for line in text.split("\n"))


def plain_markdown(post: SyntheticPost) -> str:
    """The post with its comments appended inline under a ``## Comments`` heading."""
    text = post_markdown(post)
    if not post.comments:
        return text
    blocks = [inline_comment(comment) for comment in _thread_order(post.comments)]
    return text + "\n## Comments\n\n" + "\n\n".join(blocks) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def write_netiquette(posts: Iterator[SyntheticPost] | Sequence[SyntheticPost], root: Path) -> int:
    """Posts as ``<slug>.md`` and comments as ``comments/<slug>/<id>.md``; returns files written."""
    written = 0
    for post in posts:
        _write(root / f"{post.slug}.md", post_markdown(post))
        for comment in post.comments:
            _write(root / "comments" / post.slug / f"{comment.id}.md", comment_file(comment))
        written += 1 + len(post.comments)
    return written


def write_plain(posts: Iterator[SyntheticPost] | Sequence[SyntheticPost], root: Path) -> int:
    """Posts with inline comments as ``<slug>.md``; returns files written."""
    written = 0
    for post in posts:
        _write(root / f"{post.slug}.md", plain_markdown(post))
        written += 1
    return written


WRITERS = {"netiquette": write_netiquette, "plain": write_plain}


def write_site(variant: str, root: Path, posts: int, comments: int, seed: int) -> int:
    """Generate and write one variant of the site into ``root``; returns files written."""
    return WRITERS[variant](generate(posts, comments, seed), root)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=DEFAULT_POSTS)
    parser.add_argument("--comments", type=int, default=DEFAULT_COMMENTS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--variant", choices=sorted(WRITERS), default="netiquette")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    count = write_site(args.variant, args.out, args.posts, args.comments, args.seed)
    print(f"wrote {count} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
