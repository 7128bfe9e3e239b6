"""``netiquette train``: rebuild the topic model from labelled segments and print its figures.

The figures are out-of-fold: each segment is scored by a model fitted without its page.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from netiquette.classifier import DEFAULT_FILE, save_model
from netiquette.commands.tag import add_topics_option
from netiquette.taxonomy import TaxonomyError, load_taxonomy


def configure(subparsers) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train the topic model on labelled segments",
        description="Train the topic model on labelled YAML segments (a list of entries with "
        "page or url, text, must and may) and print its page-grouped cross-validated figures. "
        "Needs scikit-learn and PyYAML: pip install 'netiquette[train]'.",
        epilog="example:\n"
        "  netiquette train labelled/*.yaml --output my-model.json.gz\n"
        "  (then NETIQUETTE_MODEL = 'my-model.json.gz' in pelicanconf.py)\n"
        "exit status: 0 done, 2 an input could not be read\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="labelled YAML")
    parser.add_argument("--output", type=Path, default=DEFAULT_FILE, metavar="FILE",
                        help=f"where to write the model (default: the shipped {DEFAULT_FILE.name})")  # fmt: skip
    add_topics_option(parser)
    parser.add_argument("--no-negatives", action="store_true",
                        help="leave out the shipped off-topic paragraphs")  # fmt: skip
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    training = training_module("train")
    if training is None:
        return 2
    try:
        taxonomy = load_taxonomy(args.topics)
        segments = training.read_labelled(args.files, taxonomy.slugs)
        if not args.no_negatives:
            segments += training.read_labelled(
                [training.NEGATIVES_FILE], taxonomy.slugs, field=False
            )
        data, figures = training.train(segments, taxonomy, progress=_progress)
    except (TaxonomyError, training.TrainingError) as error:
        print(f"netiquette train: {error}", file=sys.stderr)
        return 2
    save_model(data, args.output)
    print(f"page-grouped {training.FOLDS}-fold cross-validation over {training.REPEATS} "
          f"splits (scores averaged), thresholds at precision >= {training.MIN_PRECISION}:")  # fmt: skip
    print(figures.table())
    print(f"model written to {args.output}")
    return 0


def training_module(command: str):
    """`netiquette.training`, or None (with a message) when its dependencies are missing."""
    try:
        from netiquette import training
    except ImportError as error:
        print(f"netiquette {command}: {error.name} is missing; pip install 'netiquette[train]'",
              file=sys.stderr)  # fmt: skip
        return None
    return training


def _progress(message: str) -> None:
    print(f"netiquette train: {message}", file=sys.stderr, flush=True)
