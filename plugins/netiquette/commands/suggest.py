"""``netiquette suggest``: recurring phrasings no topic covers yet, as a topics file to edit.

The threads of every PATH are analysed as ``analyze`` does, streamed one at a time; what got no
topic is mined for recurring n-grams (`netiquette.suggest`). Without ``--output`` the topics file
goes to standard output, its comments showing each phrase's counts and examples; with it, a table
goes to standard output instead. A summary (threads, comments, speed) goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from netiquette.classifier import ModelError
from netiquette.commands.inputs import Corpus
from netiquette.commands.tag import add_model_options, add_topics_option, model_choice
from netiquette.engine import analyse_all, worker_tagger
from netiquette.parallel import worker_count
from netiquette.suggest import (
    MAX_ENTRIES,
    PhraseMiner,
    Suggestion,
    mined_texts,
    topics_toml,
)
from netiquette.taxonomy import TaxonomyError, load_taxonomy


def configure(subparsers) -> None:
    parser = subparsers.add_parser(
        "suggest",
        help="find recurring phrasings no topic covers yet and write them as topics to edit",
        description="Mine the segments of PATHs that got no topic for phrasings that recur "
        "across threads and people, and write them as [[topic]] entries of a topics file.",
        epilog="example:\n"
        "  netiquette suggest content/ --output new-topics.toml\n"
        "  (edit it, then NETIQUETTE_TOPICS = ['new-topics.toml'])\n"
        "exit status: 0 done, 2 an input could not be read\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help="write the topics file here (default: standard output)")  # fmt: skip
    parser.add_argument("--min-threads", type=int, default=3, metavar="N",
                        help="threads a phrasing must recur in (default: 3)")  # fmt: skip
    parser.add_argument("--min-people", type=int, default=2, metavar="N",
                        help="distinct people who must use it (default: 2)")  # fmt: skip
    parser.add_argument("--limit", type=int, default=50, metavar="N",
                        help="most suggestions written (default: 50)")  # fmt: skip
    parser.add_argument("--max-phrases", type=int, default=MAX_ENTRIES, metavar="N",
                        help="distinct n-grams held in memory before the rarest are dropped "
                        f"(default: {MAX_ENTRIES:,})")  # fmt: skip
    parser.add_argument("--comments-only", action="store_true",
                        help="mine comments only, not post paragraphs")  # fmt: skip
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="processes analysing threads (0: one per core; default: 1)")  # fmt: skip
    parser.add_argument("--comments-path", default="comments", metavar="NAME",
                        help="the folder of comment files in a content folder (default: comments)")  # fmt: skip
    add_topics_option(parser)
    add_model_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    topics, model = tuple(args.topics), model_choice(args)
    try:
        taxonomy = load_taxonomy(args.topics)
        tagger = worker_tagger(topics, model)
    except (TaxonomyError, ModelError, OSError) as error:
        print(f"netiquette suggest: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    corpus = Corpus(args.paths, args.comments_path, command="netiquette suggest")
    miner = PhraseMiner(args.max_phrases)
    threads = comments = 0
    processes = worker_count(args.jobs) if args.jobs != 1 else 1
    for analysis in analyse_all(corpus, topics, model, processes=processes):
        threads += 1
        comments += len(analysis.thread.comments)
        miner.add_thread(mined_texts(analysis, paragraphs=not args.comments_only))
    suggestions = miner.suggestions(args.min_threads, args.min_people, args.limit, tagger.matcher)
    elapsed = time.perf_counter() - started
    header = (
        f"netiquette suggest: {threads} threads, {comments} comments; "
        f"at least {args.min_threads} threads and {args.min_people} people per phrasing."
    )
    if miner.pruned_below:
        header += (
            f"\nMemory was bounded: n-grams in fewer than {miner.pruned_below} threads were "
            "dropped along the way, so counts may be low (never high)."
        )
    text = topics_toml(suggestions, taxonomy.slugs, header)
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as error:
            print(f"netiquette suggest: {args.output}: {error.strerror or error}", file=sys.stderr)
            return 1
        print_table(suggestions)
    rate = comments / elapsed if elapsed > 0 else 0.0
    print(
        f"netiquette suggest: {len(suggestions)} suggestions from {threads} threads and "
        f"{comments} comments in {elapsed:.1f} s ({rate:,.0f} comments/s)"
        + (f"; written to {args.output}" if args.output else ""),
        file=sys.stderr,
    )
    return 2 if corpus.failed else 0


def print_table(suggestions: list[Suggestion]) -> None:
    if not suggestions:
        print("no recurring phrasings found")
        return
    width = max(len(s.phrase) for s in suggestions)
    print(f"{'SCORE':>6}  {'THREADS':>7}  {'PEOPLE':>6}  {'PHRASE':<{width}}  EXAMPLES")
    for s in suggestions:
        examples = "; ".join(f"{where}: {context}" for where, context in s.examples)
        print(f"{s.score:>6}  {s.threads:>7}  {s.people_text:>6}  {s.phrase:<{width}}  {examples}")
