"""The report printed after an import, so a user can check it against what they know of their blog.

It accounts for every comment in the archive: how many were published, and why each of the others
was held back; then it lists every warning with its file and line.
"""

from __future__ import annotations

from collections import Counter

from netiquette.importers.result import COMMENT_STATUSES, ImportResult
from netiquette.importers.writer import WriteReport

MAX_WARNINGS = 200


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word}" if count == 1 else f"{count} {plural or word + 's'}"


def _listing(counter: Counter[str], order: tuple[str, ...] = ()) -> str:
    keys = [key for key in order if counter.get(key)] + sorted(
        key for key in counter if key not in order and counter[key]
    )
    return ", ".join(f"{key} {counter[key]}" for key in keys) or "none"


def format_report(result: ImportResult, written: WriteReport | None = None) -> str:
    """A plain-text report of an import and, when given, of the files written."""
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
    lines.append(f"  warnings: {len(problems)}")
    lines.extend(f"    {problem}" for problem in problems[:MAX_WARNINGS])
    if len(problems) > MAX_WARNINGS:
        lines.append(f"    ... and {len(problems) - MAX_WARNINGS} more")
    if written is not None:
        lines.append(
            f"  wrote to {written.out_dir}: {_plural(written.posts, 'post')}, "
            f"{_plural(written.pages, 'page')}, {_plural(written.drafts, 'draft')}, "
            f"{_plural(written.comments, 'comment')} "
            f"({len(written.created)} new, {len(written.updated)} changed, "
            f"{written.unchanged} unchanged files)"
        )
    return "\n".join(lines)
