"""Topics over time: each raised topic's mentions per month or year, as charts and their numbers.

Computed once from the site index after the analysis: every topic shares one time axis (the span of
the site's dated posts and mentions, in the site's time zone), so charts side by side compare. A
mention whose post and comment give no date is counted as undated, never put on the axis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from markupsafe import Markup

from netiquette import charts
from netiquette.site.index import SiteIndex, TopicSummary
from netiquette.site.views import Term


@dataclass(frozen=True)
class TopicTrend:
    """One topic's timeline, with its chart for the trends page and its sparkline."""

    number: int
    term: Term
    timeline: charts.Timeline
    chart: Markup
    sparkline: Markup

    @property
    def anchor(self) -> str:
        return f"trend-{self.number}-section"

    @property
    def rows(self) -> list[tuple[str, int, int, int]]:
        """The chart's data table: bucket, post mentions, comment mentions, both."""
        line = self.timeline
        return list(zip(line.labels, line.posts, line.comments, line.totals, strict=True))

    @property
    def description(self) -> str:
        return charts.describe(self.timeline)


@dataclass(frozen=True)
class Trends:
    unit: str
    labels: tuple[str, ...]
    topics: list[TopicTrend]
    undated_posts: int
    heatmap: Markup | None

    def of(self, term: Term) -> TopicTrend | None:
        return next((t for t in self.topics if t.term is term), None)

    @property
    def undated_mentions(self) -> int:
        return sum(t.timeline.undated for t in self.topics)


def build_trends(
    index: SiteIndex,
    zone: tzinfo,
    undated: Callable[[object], bool] = lambda content: False,
    listed: Callable[[object], bool] = lambda content: True,
) -> Trends:
    """The trends of every topic `index` holds an entry for, on the site's own time axis;
    `undated` says which contents carry a stand-in date, `listed` which are posts (the undated
    ones are counted)."""
    raised = [summary for summary in index.topics if summary.entries]
    dates = [e.date.astimezone(zone) for s in raised for e in s.entries if e.dated]
    dated_posts = [a for a, _ in index.analysed if getattr(a, "date", None) and not undated(a)]
    dates += [a.date.astimezone(zone) if a.date.tzinfo else a.date for a in dated_posts]
    dated = {id(a) for a in dated_posts}
    dates = [d.replace(tzinfo=None) for d in dates]
    unit = charts.bucket_unit(dates)
    span = (min(dates), max(dates)) if dates else None
    topics = [_trend(number, summary, zone, unit, span) for number, summary in enumerate(raised, 1)]
    return Trends(
        unit,
        topics[0].timeline.labels if topics else (),
        topics,
        undated_posts=sum(1 for a, _ in index.analysed if listed(a) and id(a) not in dated),
        heatmap=_heatmap(index, raised),
    )


def _trend(
    number: int,
    summary: TopicSummary,
    zone: tzinfo,
    unit: str,
    span: tuple[datetime, datetime] | None,
) -> TopicTrend:
    def when(entry) -> datetime | None:
        return entry.date.astimezone(zone).replace(tzinfo=None) if entry.dated else None

    line = charts.timeline(
        (when(e) for e in summary.entries if e.kind != "comment"),
        (when(e) for e in summary.entries if e.kind == "comment"),
        unit,
        span,
    )
    name = summary.term.name
    per = "month" if unit == "month" else "year"
    return TopicTrend(
        number,
        summary.term,
        line,
        charts.bar_chart(line, f"trend-{number}", f"{name}: mentions per {per}"),
        charts.sparkline(line.totals, "trend-spark", f"{name} over time", charts.describe(line)),
    )


def _heatmap(index: SiteIndex, raised: list[TopicSummary]) -> Markup | None:
    """Co-occurrence as a grid over the raised topics, None when no two are raised together."""
    if not index.cooccurrence:
        return None
    position = {id(s.term): i for i, s in enumerate(raised)}
    counts: dict[tuple[int, int], int] = {}
    for a, b, n in index.cooccurrence:
        i, j = position.get(id(a)), position.get(id(b))
        if i is not None and j is not None:
            counts[(i, j)] = counts[(j, i)] = n
    names = [s.term.name for s in raised]
    return charts.heatmap(names, counts, "cooccurrence-map", "Topics raised together")
