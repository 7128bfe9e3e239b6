"""Topics over time as inline SVG: built at build time, no JavaScript, no external assets.

Every chart is deterministic bytes (coordinates rounded to one decimal, ids from the caller) and
carries its own text alternative (``<title>`` and ``<desc>`` referenced by ``aria-labelledby``);
pages show the same numbers in a data table beside it. Undated mentions are never placed on the
time axis: `timeline` counts them apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape

MONTHS_UP_TO = 36
"""A site spanning at most this many months is counted by month; a longer one by year."""


@dataclass(frozen=True)
class Timeline:
    """Mentions per time bucket, in posts and in comments, for one topic or the whole site."""

    unit: str  # "month" or "year"
    labels: tuple[str, ...]
    posts: tuple[int, ...]
    comments: tuple[int, ...]
    undated: int

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(p + c for p, c in zip(self.posts, self.comments, strict=True))


def bucket_unit(dates: Iterable[datetime]) -> str:
    """Month buckets for a site of up to `MONTHS_UP_TO` months, else years."""
    months = sorted({(d.year, d.month) for d in dates})
    if not months:
        return "month"
    (y0, m0), (y1, m1) = months[0], months[-1]
    return "month" if (y1 - y0) * 12 + (m1 - m0) < MONTHS_UP_TO else "year"


def _label(date: datetime, unit: str) -> str:
    return f"{date.year:04d}-{date.month:02d}" if unit == "month" else f"{date.year:04d}"


def _span(first: datetime, last: datetime, unit: str) -> list[str]:
    if unit == "year":
        return [f"{year:04d}" for year in range(first.year, last.year + 1)]
    labels, (year, month) = [], (first.year, first.month)
    while (year, month) <= (last.year, last.month):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


def timeline(
    posts: Iterable[datetime | None],
    comments: Iterable[datetime | None],
    unit: str,
    span: tuple[datetime, datetime] | None,
) -> Timeline:
    """Counts per bucket over `span` (the site's first and last date, so every topic's chart has
    the same axis); None dates are counted as undated."""
    post_counts: Counter[str] = Counter()
    comment_counts: Counter[str] = Counter()
    undated = 0
    for counts, dates in ((post_counts, posts), (comment_counts, comments)):
        for date in dates:
            if date is None:
                undated += 1
            else:
                counts[_label(date, unit)] += 1
    labels = _span(*span, unit) if span else []
    return Timeline(
        unit,
        tuple(labels),
        tuple(post_counts[label] for label in labels),
        tuple(comment_counts[label] for label in labels),
        undated,
    )


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _frame(
    ident: str, width: int, height: int, title: str, desc: str, body: str, css: str
) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" focusable="false">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>{body}</svg>'
    )


def describe(line: Timeline) -> str:
    """The chart in words: its busiest bucket, its total, and what is undated."""
    totals = line.totals
    if not any(totals):
        text = "No dated mentions."
    else:
        peak = max(range(len(totals)), key=lambda i: (totals[i], -i))
        text = (
            f"{sum(totals)} dated mentions from {line.labels[0]} to {line.labels[-1]}, "
            f"most in {line.labels[peak]} ({totals[peak]})."
        )
    if line.undated:
        text += f" {line.undated} undated, not shown."
    return text


def bar_chart(line: Timeline, ident: str, title: str) -> Markup:
    """Stacked bars per bucket: post mentions below, comment mentions above."""
    width, height, pad = 640, 200, 24
    count = max(len(line.labels), 1)
    top = max(line.totals, default=0) or 1
    step = (width - 2 * pad) / count
    bar = min(max(step * 0.8, 1), 48)
    scale = (height - 2 * pad) / top
    parts = [
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'class="axis"/>'
    ]
    for i, (label, p, c) in enumerate(zip(line.labels, line.posts, line.comments, strict=True)):
        x = pad + i * step + (step - bar) / 2
        base = height - pad
        for value, css in ((p, "posts"), (c, "comments")):
            if value:
                h = value * scale
                base -= h
                parts.append(
                    f'<rect x="{_n(x)}" y="{_n(base)}" width="{_n(bar)}" height="{_n(h)}" '
                    f'class="{css}"><title>{escape(label)}: {value} in {css}</title></rect>'
                )
    first, last = (line.labels[0], line.labels[-1]) if line.labels else ("", "")
    parts.append(f'<text x="{pad}" y="{height - 6}" class="label">{escape(first)}</text>')
    parts.append(
        f'<text x="{width - pad}" y="{height - 6}" class="label end">{escape(last)}</text>'
    )
    parts.append(f'<text x="{pad}" y="{pad - 8}" class="label">{top}</text>')
    return _frame(ident, width, height, title, describe(line), "".join(parts), "chart bars")


def sparkline(values: Sequence[int], ident: str, title: str, desc: str) -> Markup:
    """A small line of `values` for a topic page's heading."""
    width, height = 120, 24
    top = max(values, default=0) or 1
    step = (width - 2) / max(len(values) - 1, 1)
    points = " ".join(
        f"{_n(1 + i * step)},{_n(height - 2 - v * (height - 4) / top)}"
        for i, v in enumerate(values)
    )
    body = f'<polyline points="{points}" class="spark"/>' if values else ""
    return _frame(ident, width, height, title, desc, body, "chart sparkline")


def heatmap(
    names: Sequence[str], counts: dict[tuple[int, int], int], ident: str, title: str
) -> Markup:
    """Topic co-occurrence as a grid: darker cells where two topics are raised together more."""
    size, cell, left = len(names), 22, 170
    width, height = left + size * cell + 4, left + size * cell + 4
    top = max(counts.values(), default=0) or 1
    parts = []
    for i, name in enumerate(names):
        y = left + i * cell + cell * 0.7
        parts.append(f'<text x="{left - 6}" y="{_n(y)}" class="label end">{escape(name)}</text>')
        x = left + i * cell + cell * 0.7
        parts.append(
            f'<text x="{_n(x)}" y="{left - 6}" class="label" '
            f'transform="rotate(-60 {_n(x)} {left - 6})">{escape(name)}</text>'
        )
    for (i, j), n in sorted(counts.items()):
        if not n:
            continue
        level = 0.15 + 0.85 * n / top
        parts.append(
            f'<rect x="{left + j * cell}" y="{left + i * cell}" width="{cell - 2}" '
            f'height="{cell - 2}" class="cell" fill-opacity="{level:.2f}">'
            f"<title>{escape(names[i])} and {escape(names[j])}: {n}</title></rect>"
        )
    pairs = sum(n for (i, j), n in counts.items() if i < j)
    desc = (
        f"{size} topics; {pairs} times two topics were raised together; the table gives each pair."
    )
    return _frame(ident, width, height, title, desc, "".join(parts), "chart heatmap")
