"""``netiquette tag``: the etiquette topics of every paragraph of plain-text files.

Each blank-line separated paragraph is one segment, numbered from 1 within its file as the site
numbers paragraphs (``#p-1``). HTML is tagged as the text it is; ``netiquette analyze`` reads pages. The default
output is a table with one row per topic found in a segment and the phrases that evidence it;
``--json`` prints one object per segment per line, with mention offsets into the segment text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator

from netiquette.classifier import ModelError
from netiquette.model import Mention
from netiquette.sources import decode
from netiquette.tagger import DEFAULT_MODEL, tagger_for
from netiquette.taxonomy import TaxonomyError, load_taxonomy

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def configure(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "tag",
        help="find etiquette topics in each paragraph of text files",
        description="Tag every blank-line separated paragraph of each FILE with etiquette topics "
        "(- reads standard input). Paragraphs are numbered from 1. For saved pages, exports and "
        "posts with comment files, use `netiquette analyze`.",
        epilog="example: netiquette tag post.txt; netiquette tag --json - < notes.txt | head\n"
        "exit status: 0 done, 2 a file or the topics could not be read",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="a text file, or - for stdin")
    parser.add_argument("--json", action="store_true", help="one JSON object per segment per line")
    add_topics_option(parser)
    add_model_options(parser)
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Tag the files named in ``args``; 2 if a file or the taxonomy could not be read, else 0."""
    try:
        tagger = tagger_for(load_taxonomy(args.topics), model_choice(args))
    except (TaxonomyError, ModelError) as error:
        print(f"netiquette tag: {error}", file=sys.stderr)
        return 2
    status = 0
    read = 0
    rows: list[tuple[str, ...]] = []
    for name in args.files:
        try:
            text = _read(name)
        except OSError as error:
            print(f"netiquette tag: {name}: {error.strerror or error}", file=sys.stderr)
            status = 2
            continue
        read += 1
        if _looks_like_html(text):
            print(f"warning: {name}: looks like HTML; tagged as text (tags included). "
                  f"`netiquette analyze {name}` reads pages and their comments", file=sys.stderr)  # fmt: skip
        for number, segment in enumerate(segments(text), start=1):
            mentions = tagger.tag(segment)
            if args.json:
                print(json.dumps(segment_json(name, number, segment, mentions), ensure_ascii=False))
            else:
                rows.extend(_table_rows(name, number, mentions))
    if not args.json and read:
        _print_table(rows)
    return status


def add_topics_option(parser: argparse.ArgumentParser) -> None:
    """``--topics FILE`` (repeatable), shared by every command that loads the taxonomy."""
    parser.add_argument("--topics", action="append", default=[], metavar="FILE",
                        help="extra taxonomy file (repeatable)")  # fmt: skip


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """``--model FILE`` and ``--no-model``, shared by the commands that tag."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--model", metavar="FILE",
                       help="a topic model made by `netiquette train` (default: the shipped one)")  # fmt: skip
    group.add_argument("--no-model", action="store_true", help="tag by phrases alone")


def model_choice(args: argparse.Namespace) -> str | None:
    """The model the options name: a file, the shipped model, or None for phrases alone."""
    if args.no_model:
        return None
    return args.model or DEFAULT_MODEL


_HTML = re.compile(r"\A\s*(?:<!doctype html|<html|<\?xml)|<(?:p|div|body|head|article)[\s>]", re.I)


def _looks_like_html(text: str) -> bool:
    return bool(_HTML.search(text[:4096]))


def segments(text: str) -> Iterator[str]:
    """The non-blank paragraphs of ``text``, stripped."""
    for paragraph in _PARAGRAPH_BREAK.split(text):
        if paragraph.strip():
            yield paragraph.strip()


def segment_json(name: str, number: int, text: str, mentions: list[Mention]) -> dict:
    return {
        "file": name,
        "segment": number,
        "text": text,
        "topics": list(dict.fromkeys(m.topic for m in mentions)),
        "mentions": [
            {
                "topic": m.topic,
                "start": m.start,
                "end": m.end,
                "phrase": m.phrase,
                "sentence": m.sentence,
                "source": m.source,
                "score": m.score,
            }
            for m in mentions
        ],
    }


def _read(name: str) -> str:
    if name == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a text stream without bytes underneath (tests, some shells)
            return sys.stdin.read()
        data = stream.read()
    else:
        with open(name, "rb") as handle:
            data = handle.read()
    text, problems = decode(data, name)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    return text


def _table_rows(name: str, number: int, mentions: list[Mention]) -> Iterator[tuple[str, ...]]:
    evidence: dict[str, list[str]] = {}
    for mention in mentions:
        phrase = " ".join(mention.phrase.split())
        if phrase not in evidence.setdefault(mention.topic, []):
            evidence[mention.topic].append(phrase)
    for topic, phrases in evidence.items():
        yield name, str(number), topic, ", ".join(f"\u201c{p}\u201d" for p in phrases)


def _print_table(rows: list[tuple[str, ...]]) -> None:
    header = ("FILE", "SEG", "TOPIC", "EVIDENCE")
    if not rows:
        print("no etiquette topics found")
        return
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    for row in [header, *rows]:
        file, seg, topic, evidence = row
        print(f"{file:<{widths[0]}}  {seg:>{widths[1]}}  {topic:<{widths[2]}}  {evidence}")
