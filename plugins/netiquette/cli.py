"""The ``netiquette`` command: tag text, analyse threads and import archives from the shell."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from netiquette import __version__
from netiquette.commands import analyze, evaluate, export, import_, suggest, tag, train

COMMANDS = (tag, analyze, import_, train, evaluate, export, suggest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netiquette",
        description="Find etiquette topics in blog posts and their comment threads.",
    )
    parser.add_argument("--version", action="version", version=f"netiquette {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.configure(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except BrokenPipeError:
        # The reader went away (`netiquette tag … | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
