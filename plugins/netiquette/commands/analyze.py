"""``netiquette analyze``: print each thread (who replied to whom) with the topics it raises."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from netiquette.analysis import ThreadAnalysis, analyze_thread
from netiquette.classifier import ModelError
from netiquette.commands.tag import add_model_options, add_topics_option, model_choice
from netiquette.loaders import load_path
from netiquette.model import Thread
from netiquette.site.analysis_json import thread_fields
from netiquette.tagger import tagger_for
from netiquette.taxonomy import TaxonomyError, load_taxonomy


def configure(subparsers) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="analyse whole threads in any supported content format",
        description="Parse threads (plain text, Markdown with comment files, saved HTML pages, "
        "WordPress or Disqus exports) and show who replied to whom, with topics.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("--json", action="store_true", help="one JSON object per thread per line")
    parser.add_argument("--comments-path", default="comments", metavar="NAME",
                        help="the folder of comment files in a content folder, as "
                        "NETIQUETTE_COMMENTS_PATH (default: comments)")  # fmt: skip
    add_topics_option(parser)
    add_model_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        tagger = tagger_for(load_taxonomy(args.topics), model_choice(args))
    except (TaxonomyError, ModelError, OSError) as error:
        print(f"netiquette analyze: {error}", file=sys.stderr)
        return 2
    status = 0
    for path in args.paths:
        if not path.exists():
            print(f"netiquette analyze: {path}: no such file or folder", file=sys.stderr)
            status = 2
            continue
        try:
            threads = load_path(path, args.comments_path)
        except OSError as error:
            print(f"netiquette analyze: {path}: {error.strerror or error}", file=sys.stderr)
            status = 2
            continue
        except ValueError as error:
            print(f"netiquette analyze: {error}", file=sys.stderr)
            status = 2
            continue
        for thread in threads:
            for problem in thread.problems:
                print(f"warning: {problem}", file=sys.stderr)
            analysis = analyze_thread(thread, tagger)
            if args.json:
                print(json.dumps(thread_json(analysis), ensure_ascii=False))
            else:
                print_thread(analysis)
    return status


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
