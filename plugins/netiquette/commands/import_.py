"""``netiquette import``: turn a WordPress export, a Disqus export or saved pages into content files.

Each run prints a report accounting for every post and comment, with warnings as file:line, and for
every file: created, updated, unchanged, or left alone because the import did not write it (see
`netiquette.importers.manifest`). A file that cannot be read at all ends the command with exit
status 2 and a message naming file and line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from netiquette.formats import EXPORT, SAVED_PAGE, format_of
from netiquette.importers.existing import posts_by_link
from netiquette.importers.pages import import_html_pages
from netiquette.importers.report import format_report
from netiquette.importers.writer import write_content
from netiquette.model import Problem
from netiquette.parsers.archive import ArchiveError, ImportResult, Progress
from netiquette.parsers.disqus import read_disqus
from netiquette.parsers.wxr import read_wxr
from netiquette.sources import decode

EXIT_OK = 0
EXIT_WRITE_FAILED = 1
EXIT_BAD_INPUT = 2
#: Files at least this large get a progress line on stderr.
PROGRESS_MIN_BYTES = 1 << 20


def configure(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``import`` command and its ``wxr``, ``disqus`` and ``html`` forms."""
    parser = subparsers.add_parser(
        "import",
        help="import posts and comments from WordPress, Disqus or saved pages",
        description="Write posts, pages and comment files from an archive into a content folder.",
        epilog="examples:\n"
        "  netiquette import wxr my-blog.wordpress.xml --dry-run\n"
        "  netiquette import disqus comments.xml --create-posts --output content\n"
        "  netiquette import html saved/*.html\n"
        "exit status: 0 done, 1 output could not be written, 2 an input could not be read\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=run)
    formats = parser.add_subparsers(dest="import_format", required=True, metavar="FORMAT")

    wxr = formats.add_parser("wxr", help="a WordPress export (WXR) file")
    wxr.add_argument("file", type=Path, help="the .xml export")
    wxr.add_argument("--drafts", action="store_true", help="also write drafts (Status: draft)")

    disqus = formats.add_parser("disqus", help="a Disqus XML export")
    disqus.add_argument("file", type=Path, help="the .xml export")
    disqus.add_argument(
        "--create-posts",
        action="store_true",
        help="make a post stub for each thread that matches no existing post",
    )
    disqus.add_argument(
        "--content",
        type=Path,
        help="folder of existing posts to match threads against by link (default: --output)",
    )

    html = formats.add_parser("html", help="saved HTML pages with WordPress comment markup")
    html.add_argument("files", type=Path, nargs="+", metavar="FILE", help="saved .html pages")

    for sub in (wxr, disqus, html):
        sub.add_argument("--output", "-o", type=Path, default=Path("content"),
                         help="content folder to write (default: ./content)")  # fmt: skip
        sub.add_argument(
            "--force",
            action="store_true",
            help="also replace files the import did not write, or that were edited since",
        )
        sub.add_argument(
            "--dry-run",
            action="store_true",
            help="only report what would be created, updated or left alone; write nothing",
        )
        sub.add_argument(
            "--quiet",
            "-q",
            action="store_true",
            help="report the counts only: no progress, no list of warnings or files",
        )
        sub.set_defaults(func=run)


def _progress_printer(label: str, unit: str, stream: TextIO) -> Callable[[int, int], None]:
    """Progress on one line when `stream` is a terminal, otherwise at each quarter."""
    interactive = stream.isatty()
    last_quarter = -1

    def show(done: int, total: int) -> None:
        nonlocal last_quarter
        if interactive:
            stream.write(f"\rreading {label}: {done}/{total} {unit}")
            if done >= total:
                stream.write("\n")
        else:
            quarter = 4 * done // max(total, 1)
            if quarter > last_quarter:
                last_quarter = quarter
                stream.write(f"reading {label}: {done}/{total} {unit}\n")
        stream.flush()

    return show


#: The format each form of the command reads, as the table of formats names it.
FORM_FORMATS = {"wxr": EXPORT, "disqus": EXPORT, "html": SAVED_PAGE}


def check_form(form: str, paths: list[Path], stderr: TextIO) -> None:
    """Warn about an input whose name says it is another format than the form reads: the
    import goes on (a name can lie), and the warning says what reads that format."""
    expected = FORM_FORMATS[form]
    for path in paths:
        found = format_of(path)
        if found is expected:
            continue
        if found is EXPORT:
            hint = "import it with `netiquette import wxr` (or `disqus`)"
        elif found is SAVED_PAGE:
            hint = "import it with `netiquette import html`"
        elif found is not None:
            hint = "put it in the content folder as it is, or read it with `netiquette analyze`"
        else:
            hint = f"its name does not say; reading it as {expected.description}"
        looks = f"looks like {found.description}" if found else "is of no format Netiquette knows"
        stderr.write(f"warning: {path}: {looks}; {hint}\n")


def _read(args: argparse.Namespace, stderr: TextIO) -> ImportResult:
    check_form(
        args.import_format, args.files if args.import_format == "html" else [args.file], stderr
    )
    if args.import_format == "html":
        result = _read_pages(args.files, stderr, quiet=args.quiet)
        result.format = "html"
        return result
    data = args.file.read_bytes()
    source = str(args.file)
    progress: Progress | None = None
    if len(data) >= PROGRESS_MIN_BYTES and not args.quiet:
        unit = "comments" if args.import_format == "disqus" else "items"
        progress = _progress_printer(args.file.name, unit, stderr)
    if args.import_format == "disqus":
        existing = posts_by_link(args.content or args.output)
        return read_disqus(
            data,
            source,
            posts_by_link=existing,
            create_posts=args.create_posts,
            progress=progress,
        )
    return read_wxr(data, source, drafts=args.drafts, progress=progress)


def _read_pages(paths: list[Path], stderr: TextIO, quiet: bool = False) -> ImportResult:
    """Decode every page first (reporting bad bytes), then import them as one batch."""
    pages: list[tuple[str, str]] = []
    problems: list[Problem] = []
    total = sum(path.stat().st_size for path in paths)
    shown = total >= PROGRESS_MIN_BYTES and not quiet
    show = _progress_printer("pages", "files", stderr) if shown else None
    for done, path in enumerate(paths, start=1):
        text, found = decode(path.read_bytes(), str(path), kind="html")
        pages.append((str(path), text))
        problems.extend(found)
        if show is not None:
            show(done, len(paths))
    result = import_html_pages(pages)
    result.problems[:0] = problems
    return result


def run(
    args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Import, write and report; 2 when an input file cannot be read, 1 when output cannot be written."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        result = _read(args, stderr)
    except ArchiveError as error:
        stderr.write(f"error: {error}\n")
        return EXIT_BAD_INPUT
    except OSError as error:
        stderr.write(f"error: {error.filename or ''}: cannot read: {error.strerror or error}\n")
        return EXIT_BAD_INPUT
    try:
        written = write_content(result, args.output, force=args.force, dry_run=args.dry_run)
    except OSError as error:
        stderr.write(f"error: {error.filename or args.output}: cannot write: {error.strerror}\n")
        return EXIT_WRITE_FAILED
    stdout.write(format_report(result, written, brief=args.quiet) + "\n")
    return EXIT_OK
