"""``netiquette analyze``: print each thread (who replied to whom) with the topics it raises."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from netiquette.analysis import ThreadAnalysis
from netiquette.classifier import ModelError
from netiquette.commands.inputs import Corpus
from netiquette.commands.tag import add_model_options, add_topics_option, model_choice
from netiquette.engine import analyse_all, worker_tagger
from netiquette.formats import describe_formats
from netiquette.model import Thread
from netiquette.parallel import worker_count
from netiquette.site.analysis_json import thread_fields
from netiquette.taxonomy import TaxonomyError


def configure(subparsers) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="analyse whole threads in any supported content format",
        description="Parse threads (plain text, Markdown with comment files, saved HTML pages, "
        "WordPress or Disqus exports) and show who replied to whom, with topics.",
        epilog="formats (a folder is read for every file of these in it):\n"
        f"{describe_formats()}\n"
        "examples:\n"
        "  netiquette analyze content/\n"
        "  netiquette analyze --json export.xml > threads.jsonl\n"
        "  netiquette analyze --dask local --json corpus/ > threads.jsonl\n"
        "exit status: 0 done, 2 a path, the topics or the model could not be read\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("--json", action="store_true", help="one JSON object per thread per line")
    parser.add_argument("--comments-path", default="comments", metavar="NAME",
                        help="the folder of comment files in a content folder, as "
                        "NETIQUETTE_COMMENTS_PATH (default: comments)")  # fmt: skip
    parser.add_argument("--jobs", type=int, default=0, metavar="N",
                        help="processes on this machine (default: every core)")  # fmt: skip
    parser.add_argument("--dask", metavar="ADDRESS",
                        help="run on Dask: a scheduler address (tcp://host:8786) or 'local' "
                        "for a cluster of this machine; needs the dask extra")  # fmt: skip
    add_topics_option(parser)
    add_model_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    topics, model = tuple(args.topics), model_choice(args)
    try:
        worker_tagger(topics, model)  # fails here, not in a worker; forked workers inherit it
    except (TaxonomyError, ModelError, OSError) as error:
        print(f"netiquette analyze: {error}", file=sys.stderr)
        return 2
    corpus = Corpus(args.paths, args.comments_path, command="netiquette analyze")
    try:
        for analysis in analyse_all(
            corpus, topics, model, processes=worker_count(args.jobs), dask=args.dask
        ):
            if args.json:
                print(json.dumps(thread_json(analysis), ensure_ascii=False))
            else:
                print_thread(analysis)
    except (RuntimeError, OSError) as error:
        print(f"netiquette analyze: {error}", file=sys.stderr)
        return 2
    return 2 if corpus.failed else 0


def thread_json(analysis: ThreadAnalysis) -> dict:
    """The post's fields, then the thread's exactly as a built site's analysis.json has them."""
    post = analysis.thread.post
    return {
        "source": post.source,
        "title": post.title,
        "author": post.author,
        "author_inferred": post.is_inferred("author"),
        "date": post.date.isoformat() if post.date else None,
        **thread_fields(analysis),
    }


def print_thread(analysis: ThreadAnalysis) -> None:
    thread: Thread = analysis.thread
    post = thread.post
    author = post.author or "unknown author"
    if post.is_inferred("author"):
        author += " (inferred)"
    print(f"{post.title} — {author}  [{post.source}]")
    print(f"  post topics: {', '.join(analysis.post_topics) or '-'}")
    children = thread.children()
    stack = [(c, 1) for c in reversed(children.get(None, []))]
    while stack:
        comment, depth = stack.pop()
        name = comment.author + (" (inferred)" if comment.is_inferred("author") else "")
        topics = ", ".join(analysis.comments[comment.id].topics) or "-"
        print(f"{'  ' * depth}└ {name} #{comment.id}: {topics}")
        stack.extend((c, depth + 1) for c in reversed(children.get(comment.id, [])))
    print(f"  thread topics: {', '.join(analysis.topics) or '-'}")
    print()
