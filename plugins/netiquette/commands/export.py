"""``netiquette export``: threads as a research corpus (ConvoKit, CSV or JSON Lines), with topics.

Every post paragraph and every published comment becomes a segment with its plain text (what the
tagger read), thread, parent, author, aware ISO date and topics with their evidence. Held-back
comments (not approved, pings, on unpublished posts) are never exported; the summary on stderr
counts them. ``--pseudonymise`` replaces every person by a salted pseudonym (see
`netiquette.pseudonymise`). Formats and columns: README, "For researchers: corpora in and out".
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from netiquette import __version__
from netiquette.analysis import analyze_thread
from netiquette.classifier import ModelError
from netiquette.commands.inputs import Corpus
from netiquette.commands.tag import add_model_options, add_topics_option, model_choice
from netiquette.formats import format_of
from netiquette.model import Comment, Mention, Thread, clean_id
from netiquette.pseudonymise import DEFAULT_SALT, Pseudonyms, Scrubbed, Scrubber, identity
from netiquette.render import html_to_text
from netiquette.segments import collapse, paragraph_anchor
from netiquette.tagger import Tagger, tagger_for
from netiquette.taxonomy import TaxonomyError, load_taxonomy

FORMATS = ("convokit", "csv", "jsonl")
CSV_FILE = "segments.csv"
JSONL_FILE = "threads.jsonl"
CSV_COLUMNS = (
    "thread_id", "thread_title", "segment_id", "kind", "anchor", "paragraph", "comment_id",
    "parent_id", "speaker", "author", "author_url", "date", "text", "topics", "mentions", "source",
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet cell starting with one of these could run as a formula; it gets a ``'`` first."""
DEFAULT_SALT_WARNING = (
    "warning: --pseudonymise with the default salt, which is public: anyone can recompute a "
    "guessed person's pseudonym. Pass --salt with a secret of your own for data you share."
)


def configure(subparsers) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write threads as a research corpus (ConvoKit, CSV or JSON Lines) with topics",
        description="Export every post paragraph and published comment of the threads in PATHs, "
        "with authors, dates, parents and topics with evidence.",
        epilog="examples:\n"
        "  netiquette export --format csv content/ --output tables/\n"
        "  netiquette export --format convokit --pseudonymise --salt S blog.xml --output corpus/\n"
        "exit status: 0 done, 1 output could not be written, 2 an input could not be read\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("--format", choices=FORMATS, required=True)
    parser.add_argument("--output", type=Path, required=True, metavar="DIR",
                        help="folder to write (created if missing): the ConvoKit corpus, or "
                        f"{CSV_FILE} / {JSONL_FILE}")  # fmt: skip
    parser.add_argument("--pseudonymise", "--pseudonymize", action="store_true",
                        help="replace every person (names, links, e-mail addresses, @handles, "
                        "known names in texts) by a stable salted pseudonym")  # fmt: skip
    parser.add_argument("--salt", default=None, metavar="TEXT",
                        help="secret for --pseudonymise (default: a public fixed salt)")  # fmt: skip
    parser.add_argument("--comments-path", default="comments", metavar="NAME",
                        help="the folder of comment files in a content folder (default: comments)")  # fmt: skip
    add_topics_option(parser)
    add_model_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        tagger = tagger_for(load_taxonomy(args.topics), model_choice(args))
    except (TaxonomyError, ModelError, OSError) as error:
        print(f"netiquette export: {error}", file=sys.stderr)
        return 2
    scrubber = None
    if args.pseudonymise:
        if args.salt is None:
            print(DEFAULT_SALT_WARNING, file=sys.stderr)
        pseudonyms = Pseudonyms(DEFAULT_SALT if args.salt is None else args.salt)
        names = known_names(Corpus(args.paths, args.comments_path, warn=None))
        scrubber = Scrubber(pseudonyms, names)
    elif args.salt is not None:
        print("netiquette export: --salt only applies with --pseudonymise", file=sys.stderr)
        return 2
    corpus = Corpus(args.paths, args.comments_path, command="netiquette export")
    exporter = Exporter(tagger, scrubber)
    meta = {
        "generator": f"netiquette {__version__}",
        "taxonomy": tagger.fingerprint,
        "pseudonymised": scrubber is not None,
        "default_salt": scrubber is not None and args.salt is None,
    }
    try:
        with WRITERS[args.format](args.output) as writer:
            for thread in corpus:
                writer.write(exporter.record(thread))
            writer.finish({**meta, "held_back_excluded": corpus.held_back})
    except OSError as error:
        print(f"netiquette export: {args.output}: {error.strerror or error}", file=sys.stderr)
        return 1
    counts = exporter.counts
    print(
        f"netiquette export: {counts['threads']} threads, {counts['paragraphs']} post paragraphs "
        f"and {counts['comments']} comments written to {args.output} ({args.format}); "
        f"{corpus.held_back} held-back comments excluded",
        file=sys.stderr,
    )
    return 2 if corpus.failed else 0


# --- reading ------------------------------------------------------------------------------------


def known_names(threads: Iterable[Thread]) -> list[str]:
    """Every author name of the threads (post authors and commenters), each once."""
    names: dict[str, None] = {}
    for thread in threads:
        if thread.post.author:
            names.setdefault(collapse(thread.post.author))
        for comment in thread.comments:
            names.setdefault(collapse(comment.author))
    return list(names)


# --- records ------------------------------------------------------------------------------------


@dataclass
class Segment:
    """A post paragraph or a comment as exported; `parent` is the parent comment's id."""

    kind: str
    id: str
    anchor: str
    text: str
    speaker: str
    author: str
    author_url: str | None
    date: datetime | None
    mentions: list[dict]
    source: str
    number: int | None = None
    comment_id: str | None = None
    parent: str | None = None

    @property
    def topics(self) -> list[str]:
        return list(dict.fromkeys(m["topic"] for m in self.mentions))

    @property
    def iso_date(self) -> str | None:
        return self.date.isoformat() if self.date else None


@dataclass
class ThreadRecord:
    id: str
    title: str
    url: str | None
    source: str
    post: Segment
    """The post as a whole (no text of its own): its author, speaker and date."""
    paragraphs: list[Segment] = field(default_factory=list)
    comments: list[Segment] = field(default_factory=list)


class Exporter:
    """Analyses each thread and turns it into a `ThreadRecord`, pseudonymised when a `Scrubber`
    is given; thread ids are unique within the export and stable for the same input."""

    def __init__(self, tagger: Tagger, scrubber: Scrubber | None = None) -> None:
        self.tagger = tagger
        self.scrubber = scrubber
        self.counts = {"threads": 0, "paragraphs": 0, "comments": 0}
        self._ids: set[str] = set()
        self._speakers: dict[str, str] = {}

    def record(self, thread: Thread) -> ThreadRecord:
        analysis = analyze_thread(thread, self.tagger)
        post = thread.post
        original = self._thread_id(thread)
        thread_id = self._hide("thread", original)
        source = self._hide("file", post.source) if self.scrubber else post.source
        post_speaker, post_author, _ = self._person(post.author, None, f"{original}/post")
        record = ThreadRecord(
            id=thread_id,
            title=self._text(post.title).text,
            url=self._url(post.metadata.get("link")),
            source=source,
            post=Segment(
                "post",
                thread_id,
                "",
                "",
                post_speaker,
                post_author,
                None,
                _aware(post.date),
                [],
                source,
            ),  # fmt: skip
        )
        for number, paragraph in enumerate(post.paragraphs, start=1):
            scrubbed = self._text(paragraph)
            mentions = analysis.paragraph_mentions.get(number, [])
            record.paragraphs.append(
                Segment(
                    "paragraph",
                    f"{thread_id}/{paragraph_anchor(number)}",
                    paragraph_anchor(number),
                    scrubbed.text,
                    post_speaker,
                    post_author,
                    None,
                    _aware(post.date),
                    mention_records(mentions, scrubbed),
                    source,
                    number=number,
                )  # fmt: skip
            )
        for comment in thread.comments:
            record.comments.append(self._comment(comment, analysis, original, thread_id, source))
        self.counts["threads"] += 1
        self.counts["paragraphs"] += len(record.paragraphs)
        self.counts["comments"] += len(record.comments)
        return record

    def _comment(self, comment: Comment, analysis, original: str, thread_id: str, source: str):
        result = analysis.comments[comment.id]
        scrubbed = self._text(html_to_text(result.html))
        speaker, author, url = self._person(
            comment.author, comment.author_url, f"{original}/{comment.id}"
        )
        comment_id = self._comment_id(original, comment.id)
        parent = self._comment_id(original, comment.parent_id) if comment.parent_id else None
        return Segment("comment", f"{thread_id}/{comment_id}", comment.anchor, scrubbed.text,
                       speaker, author, url, _aware(comment.date),
                       mention_records(result.mentions, scrubbed),
                       self._hide("file", comment.source) if self.scrubber and comment.source
                       else comment.source or source,
                       comment_id=comment_id, parent=parent)  # fmt: skip

    def _thread_id(self, thread: Thread) -> str:
        """The thread's own id when its source has one, else the file name (and the post's slug
        or number for files that hold many threads); repeats get ``-2``, ``-3``…"""
        post = thread.post
        meta = post.metadata
        given = meta.get("id") or meta.get("conversation_id")
        if given:
            base = clean_id(given)
        else:
            path = Path(post.source)
            base = clean_id(path.stem or "thread")
            key = meta.get("slug") or meta.get("wordpress_id")
            if key and getattr(format_of(path), "many", True):
                base = f"{base}-{clean_id(key)}"
        candidate, number = base, 2
        while candidate in self._ids:
            candidate, number = f"{base}-{number}", number + 1
        self._ids.add(candidate)
        return candidate

    def _person(self, name: str | None, url: str | None, place: str) -> tuple[str, str, str | None]:
        """(speaker id, author name, author link) of a post's or comment's author."""
        name = collapse(name or "")
        key = identity(name, url, place)
        if self.scrubber is not None:
            pseudonym = self.scrubber.pseudonyms.person(key)
            return pseudonym, pseudonym, self._url(url)
        if key.startswith("name:"):
            return name, name, url or None
        digest = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        return f"{name or 'Anonymous'}#{digest}", name or "Anonymous", url or None

    def _hide(self, kind: str, value: str) -> str:
        return self.scrubber.pseudonyms.make(kind, value) if self.scrubber else value

    def _comment_id(self, thread: str, comment: str) -> str:
        return (
            self.scrubber.pseudonyms.make("c", f"{thread}/{comment}") if self.scrubber else comment
        )

    def _url(self, url: str | None) -> str | None:
        if not url:
            return None
        return self.scrubber.pseudonyms.url(url) if self.scrubber else url

    def _text(self, text: str) -> Scrubbed:
        return self.scrubber.scrub(text) if self.scrubber else Scrubbed(text, ())


def mention_records(mentions: list[Mention], scrubbed: Scrubbed) -> list[dict]:
    """Each mention as exported: topic, evidence and its span, the sentence, source and score,
    with offsets into the exported (perhaps pseudonymised) text."""
    text = scrubbed.text
    records = []
    for mention in mentions:
        start, end = scrubbed.span(mention.start, mention.end)
        first, last = scrubbed.span(
            mention.sentence_start, mention.sentence_start + len(mention.sentence)
        )
        records.append(
            {
                "topic": mention.topic,
                "evidence": text[start:end],
                "start": start,
                "end": end,
                "sentence": text[first:last],
                "source": mention.source,
                "score": mention.score,
            }
        )
    return records


def _aware(date: datetime | None) -> datetime | None:
    if date is None or date.tzinfo is not None:
        return date
    return date.replace(tzinfo=UTC)


# --- writers ------------------------------------------------------------------------------------


class Writer:
    """Writes records to a folder; `finish` completes the corpus with its metadata."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._files: list[TextIO] = []

    def open(self, name: str, **options) -> TextIO:
        handle = (self.folder / name).open("w", encoding="utf-8", **options)
        self._files.append(handle)
        return handle

    def write(self, record: ThreadRecord) -> None:
        raise NotImplementedError

    def finish(self, meta: dict) -> None:
        """Nothing more to write by default: the rows are the corpus."""

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc) -> None:
        for handle in self._files:
            handle.close()


class CsvWriter(Writer):
    """``segments.csv``: one row per segment, RFC 4180 quoting, formula-safe cells."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self._csv = csv.writer(self.open(CSV_FILE, newline=""), lineterminator="\r\n")
        self._csv.writerow(CSV_COLUMNS)

    def write(self, record: ThreadRecord) -> None:
        for segment in [*record.paragraphs, *record.comments]:
            row = {
                "thread_id": record.id,
                "thread_title": record.title,
                "segment_id": segment.id,
                "kind": segment.kind,
                "anchor": segment.anchor,
                "paragraph": segment.number,
                "comment_id": segment.comment_id,
                "parent_id": segment.parent,
                "speaker": segment.speaker,
                "author": segment.author,
                "author_url": segment.author_url,
                "date": segment.iso_date,
                "text": segment.text,
                "topics": ";".join(segment.topics),
                "mentions": _json(segment.mentions),
                "source": segment.source,
            }
            self._csv.writerow([safe_cell(row[column]) for column in CSV_COLUMNS])


def safe_cell(value: object) -> str:
    """A CSV cell that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class JsonlWriter(Writer):
    """``threads.jsonl``: one thread a line, in the schema `netiquette analyze` reads back."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self._out = self.open(JSONL_FILE)

    def write(self, record: ThreadRecord) -> None:
        post = record.post
        line = {
            "id": record.id,
            "title": record.title,
            "author": post.author,
            "speaker": post.speaker,
            "date": post.iso_date,
            "url": record.url,
            "source": record.source,
            "paragraphs": [
                {
                    "n": p.number,
                    "anchor": p.anchor,
                    "text": p.text,
                    "topics": p.topics,
                    "mentions": p.mentions,
                }  # fmt: skip
                for p in record.paragraphs
            ],
            "comments": [
                {
                    "id": c.comment_id,
                    "parent": c.parent,
                    "author": c.author,
                    "speaker": c.speaker,
                    "author_url": c.author_url,
                    "date": c.iso_date,
                    "body": c.text,
                    "format": "text",
                    "anchor": c.anchor,
                    "source": c.source,
                    "topics": c.topics,
                    "mentions": c.mentions,
                }
                for c in record.comments
            ],
        }
        self._out.write(_json(line) + "\n")


class ConvokitWriter(Writer):
    """A ConvoKit corpus folder, as ``convokit.Corpus(filename=folder)`` loads it.

    Each thread is a conversation whose root utterance (id = conversation id) is the post, its
    paragraphs joined by blank lines; comments reply to their parent, top-level ones to the root.
    Utterances stream to ``utterances.jsonl``; speakers and conversations are written at the end.
    """

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self._utterances = self.open("utterances.jsonl")
        self._speakers: dict[str, dict] = {}
        self._conversations: dict[str, dict] = {}
        self._index = {name: _TypeIndex() for name in ("utterance", "speaker", "conversation")}

    def write(self, record: ThreadRecord) -> None:
        post = record.post
        texts, paragraphs, mentions, offset = [], [], [], 0
        for paragraph in record.paragraphs:
            texts.append(paragraph.text)
            end = offset + len(paragraph.text)
            paragraphs.append(
                {
                    "n": paragraph.number,
                    "anchor": paragraph.anchor,
                    "start": offset,
                    "end": end,
                    "topics": paragraph.topics,
                }  # fmt: skip
            )
            for mention in paragraph.mentions:
                mentions.append(
                    {
                        **mention,
                        "paragraph": paragraph.number,
                        "start": mention["start"] + offset,
                        "end": mention["end"] + offset,
                    }  # fmt: skip
                )
            offset = end + 2
        root_meta = {
            "kind": "post",
            "title": record.title,
            "date": post.iso_date,
            "topics": list(dict.fromkeys(m["topic"] for m in mentions)),
            "mentions": mentions,
            "paragraphs": paragraphs,
            "source": record.source,
        }
        self._utterance(record.id, record.id, "\n\n".join(texts), post, None, root_meta)
        for comment in record.comments:
            meta = {
                "kind": "comment",
                "comment_id": comment.comment_id,
                "anchor": comment.anchor,
                "date": comment.iso_date,
                "author_url": comment.author_url,
                "topics": comment.topics,
                "mentions": comment.mentions,
                "source": comment.source,
            }
            parent = f"{record.id}/{comment.parent}" if comment.parent else record.id
            self._utterance(comment.id, record.id, comment.text, comment, parent, meta)
        conversation = {"title": record.title, "url": record.url, "source": record.source,
                        "date": post.iso_date}  # fmt: skip
        self._index["conversation"].add(conversation)
        self._conversations[record.id] = {"meta": conversation, "vectors": []}

    def _utterance(self, utterance_id, conversation_id, text, segment, reply_to, meta) -> None:
        if segment.speaker not in self._speakers:
            speaker = {"name": segment.author}
            if segment.author_url:
                speaker["url"] = segment.author_url
            self._index["speaker"].add(speaker)
            self._speakers[segment.speaker] = {"meta": speaker, "vectors": []}
        self._index["utterance"].add(meta)
        timestamp = int(segment.date.timestamp()) if segment.date else None
        utterance = {
            "id": utterance_id,
            "conversation_id": conversation_id,
            "text": text,
            "speaker": segment.speaker,
            "meta": meta,
            "reply-to": reply_to,
            "timestamp": timestamp,
            "vectors": [],
        }
        self._utterances.write(_json(utterance) + "\n")

    def finish(self, meta: dict) -> None:
        corpus_meta = {"name": "netiquette-export", **meta}
        overall = _TypeIndex()
        overall.add(corpus_meta)
        for name, data in (
            ("speakers.json", self._speakers),
            ("conversations.json", self._conversations),
            ("corpus.json", corpus_meta),
            ("index.json", {
                "utterances-index": self._index["utterance"].types,
                "speakers-index": self._index["speaker"].types,
                "conversations-index": self._index["conversation"].types,
                "overall-index": overall.types,
                "version": 1,
                "vectors": [],
            }),
        ):  # fmt: skip
            with (self.folder / name).open("w", encoding="utf-8") as handle:
                handle.write(_json(data))


class _TypeIndex:
    """ConvoKit's metadata index: each key's value types as ``str(type(value))``, None skipped."""

    def __init__(self) -> None:
        self.types: dict[str, list[str]] = {}

    def add(self, meta: dict) -> None:
        for key, value in meta.items():
            kinds = self.types.setdefault(key, [])
            if value is not None and str(type(value)) not in kinds:
                kinds.append(str(type(value)))


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


WRITERS: dict[str, Callable[[Path], Writer]] = {
    "convokit": ConvokitWriter,
    "csv": CsvWriter,
    "jsonl": JsonlWriter,
}
