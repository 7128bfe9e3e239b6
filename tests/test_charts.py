"""SVG charts: the right buckets, undated counted apart, deterministic and described in words."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.etree
from hypothesis import given
from hypothesis import strategies as st

from netiquette.charts import bar_chart, bucket_unit, heatmap, sparkline, timeline


def day(y, m, d=1):
    return datetime(y, m, d, tzinfo=UTC)


def test_a_short_site_is_counted_by_month_a_long_one_by_year():
    assert bucket_unit([day(2024, 1), day(2025, 6)]) == "month"
    assert bucket_unit([day(2020, 1), day(2024, 6)]) == "year"
    line = timeline([day(2024, 1), None], [day(2024, 3, 5), day(2024, 3, 9)], "month",
                    (day(2024, 1), day(2024, 4)))  # fmt: skip
    assert line.labels == ("2024-01", "2024-02", "2024-03", "2024-04")
    assert (line.posts, line.comments, line.undated) == ((1, 0, 0, 0), (0, 0, 2, 0), 1)


def test_a_chart_is_valid_svg_with_its_own_text_alternative_and_the_same_bytes_twice():
    line = timeline(
        [day(2024, 1)], [day(2024, 2)] * 3 + [None], "month", (day(2024, 1), day(2024, 2))
    )
    svg = bar_chart(line, "spam-chart", "Spam <per month>")
    assert svg == bar_chart(line, "spam-chart", "Spam <per month>")
    root = lxml.etree.fromstring(str(svg).encode())
    assert (
        root.get("role") == "img"
        and root.get("aria-labelledby") == "spam-chart-title spam-chart-desc"
    )
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.find("s:title", ns).text == "Spam <per month>"
    assert "most in 2024-02 (3)" in root.find("s:desc", ns).text
    assert "1 undated, not shown" in root.find("s:desc", ns).text
    assert "<script" not in str(svg)


@given(st.lists(st.integers(0, 10_000), max_size=60))
def test_sparklines_stay_inside_their_box(values):
    svg = sparkline(values, "s", "t", "d")
    root = lxml.etree.fromstring(str(svg).encode())
    line = root.find("{http://www.w3.org/2000/svg}polyline")
    if values:
        for point in line.get("points").split():
            x, y = map(float, point.split(","))
            assert 0 <= x <= 120 and 0 <= y <= 24


def test_a_heatmap_escapes_topic_names():
    svg = heatmap(["<b>A</b>", "B"], {(0, 1): 2, (1, 0): 2}, "h", "Together")
    assert "<b>" not in str(svg) and lxml.etree.fromstring(str(svg).encode()) is not None
