"""``netiquette evaluate``: score the tagger on labelled segments it was not trained on."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from netiquette.classifier import ModelError
from netiquette.commands.tag import add_model_options, add_topics_option, model_choice
from netiquette.commands.train import training_module
from netiquette.tagger import tagger_for
from netiquette.taxonomy import TaxonomyError, load_taxonomy


def configure(subparsers) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="score the tagger on labelled segments",
        description="Tag each labelled segment (YAML, as for train) on its own and print "
        "per-topic and micro precision and recall, and the share of segments given a false "
        "topic. Needs PyYAML: pip install 'netiquette[train]'.",
        epilog="example:\n"
        "  netiquette evaluate labelled/dev.yaml --model my-model.json.gz\n"
        "exit status: 0 done, 2 an input could not be read\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="labelled YAML")
    add_topics_option(parser)
    add_model_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    training = training_module("evaluate")
    if training is None:
        return 2
    try:
        taxonomy = load_taxonomy(args.topics)
        tagger = tagger_for(taxonomy, model_choice(args))
        segments = training.read_labelled(args.files, taxonomy.slugs)
    except (TaxonomyError, ModelError, training.TrainingError) as error:
        print(f"netiquette evaluate: {error}", file=sys.stderr)
        return 2
    print(training.evaluate(tagger, segments).table())
    return 0
