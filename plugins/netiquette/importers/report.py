"""The report printed after an import, so a user can check it against what they know of their blog.

It accounts for every comment in the archive: how many were published, and why each of the others
was held back; then it lists every warning with its file and line.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from netiquette.importers.writer import WriteReport
from netiquette.parsers.archive import COMMENT_STATUSES, ImportResult

MAX_WARNINGS = 200


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word}" if count == 1 else f"{count} {plural or word + 's'}"


def _listing(counter: Counter[str], order: tuple[str, ...] = ()) -> str:
    keys = [key for key in order if counter.get(key)] + sorted(
        key for key in counter if key not in order and counter[key]
    )
    return ", ".join(f"{key} {counter[key]}" for key in keys) or "none"


def format_report(
    result: ImportResult, written: WriteReport | None = None, *, brief: bool = False
) -> str:
    """A plain-text report of an import and, when given, of the files written; a `brief` one
    gives the counts without the lists of warnings and files."""
    counts = result.counts
    lines = [f"Imported {result.source}"]
    lines.append(
        f"  {_plural(counts.posts, 'post')}, {_plural(counts.pages, 'page')}, "
        f"{_plural(counts.drafts, 'draft')}"
    )
    if counts.skipped:
        lines.append(f"  not imported: {_listing(counts.skipped)}")
    lines.append(
        f"  comments in archive: {counts.total_comments} ({_listing(counts.comments, COMMENT_STATUSES)})"
    )
    lines.append(
        f"    published: {counts.published} "
        f"({_plural(counts.replies, 'reply', 'replies')}, "
        f"deepest nesting {counts.deepest})"
    )
    held = Counter({key: value for key, value in counts.comments.items() if key != "approved"})
    if counts.unplaced:
        held["approved, on unpublished posts"] = counts.unplaced
    lines.append(f"    held back: {counts.held_back} ({_listing(held, COMMENT_STATUSES)})")
    if set(counts.moderation) - {"approved"}:
        lines.append(f"    by moderation state: {_listing(counts.moderation, COMMENT_STATUSES)}")
    problems = result.all_problems() + (written.problems if written else [])
    if brief:
        lines.append(
            f"  warnings: {len(problems)}"
            + (" (run without --quiet to list them)" if problems else "")
        )
    else:
        lines.append(f"  warnings: {len(problems)}")
        lines.extend(f"    {problem}" for problem in problems[:MAX_WARNINGS])
        if len(problems) > MAX_WARNINGS:
            lines.append(f"    ... and {len(problems) - MAX_WARNINGS} more")
    if written is not None:
        lines.extend(_files_report(written)[:1] if brief else _files_report(written))
    return "\n".join(lines)


def _files_report(written: WriteReport) -> list[str]:
    """What happened to each file: counts that add up to the files rendered, then the exceptions.

    Files left alone are always listed with their reason, since only the user can decide about
    them; in a dry run the files that would be created or updated are listed too.
    """
    dry = written.dry_run
    head = "dry run, nothing written to" if dry else "wrote to"
    counts = (
        f"{len(written.created)} {'to create' if dry else 'created'}, "
        f"{len(written.updated)} {'to update' if dry else 'updated'}, "
        f"{written.unchanged} unchanged, {len(written.left_alone)} "
        f"{'to leave alone' if dry else 'left alone'}"
    )
    lines = [
        f"  {head} {written.out_dir}: {counts} ({_plural(written.files, 'file')} for "
        f"{_plural(written.posts, 'post')}, {_plural(written.pages, 'page')}, "
        f"{_plural(written.drafts, 'draft')}, {_plural(written.comments, 'comment')})"
    ]

    def shown(path: Path) -> str:
        try:
            return path.relative_to(written.out_dir).as_posix()
        except ValueError:
            return str(path)

    forced = {path for path, _ in written.forced}
    if dry:
        lines.extend(f"    would create: {shown(path)}" for path in written.created)
        lines.extend(
            f"    would update: {shown(path)}" for path in written.updated if path not in forced
        )
    replaced = "would replace with --force" if dry else "replaced with --force"
    lines.extend(f"    {replaced}: {shown(path)} ({reason})" for path, reason in written.forced)
    left = "would leave alone" if dry else "left alone"
    lines.extend(f"    {left}: {shown(path)} ({reason})" for path, reason in written.left_alone)
    return lines
