"""The threads of the command line's PATHs, read the same way by every command that analyses them."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from netiquette.formats import Reading, format_of, read_source, thread_sources
from netiquette.model import Problem, Thread


def print_warning(problem: Problem) -> None:
    print(f"warning: {problem}", file=sys.stderr)


class Corpus:
    """The threads of the command line's PATHs, one at a time (JSON Lines stream), with every
    problem passed to `warn`, the held-back comments of archives counted and unreadable PATHs
    reported and remembered in `failed`."""

    def __init__(
        self,
        paths: Sequence[Path],
        comments: str = "comments",
        warn: Callable[[Problem], None] | None = print_warning,
        command: str = "netiquette",
    ) -> None:
        self.command = command
        self.paths = paths
        self.comments = comments
        self.quiet = warn is None
        """A quiet pass (reading names before the export) reports nothing, failures neither."""
        self.warn = warn or (lambda problem: None)
        self.held_back = 0
        self.failed: list[Path] = []

    def __iter__(self) -> Iterator[Thread]:
        self.held_back = 0
        self.failed = []
        for path in self.paths:
            if not path.exists():
                self._fail(path, "no such file or folder")
                continue
            sources = [(path, None)]
            if path.is_dir() and format_of(path) is None:
                sources = list(thread_sources(path, self.comments))
            for source, root in sources:
                try:
                    yield from self._threads(source, root)
                except OSError as error:
                    self._fail(source, error.strerror or str(error))
                except ValueError as error:
                    self._fail(source, str(error).removeprefix(f"{source}: "))

    def _threads(self, source: Path, root: Path | None) -> Iterator[Thread]:
        reading = Reading(self.comments, root)
        try:
            for item in read_source(source, reading):
                if isinstance(item, Problem):
                    self.warn(item)
                    continue
                for problem in item.problems:
                    self.warn(problem)
                yield item
        finally:
            self.held_back += reading.held_back

    def _fail(self, path: Path, reason: str) -> None:
        if not self.quiet:
            print(f"{self.command}: {path}: {reason}", file=sys.stderr)
        self.failed.append(path)
