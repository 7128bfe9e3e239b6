"""Topics over time: the trends page, the topic pages' sparklines and the co-occurrence heatmap."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from tests.conftest import build_site

SVG = "{http://www.w3.org/2000/svg}"


def _post(folder: Path, slug: str, text: str, date: str | None) -> None:
    head = f"Title: {slug.title()}\nSlug: {slug}\n" + (f"Date: {date}\n" if date else "")
    (folder / f"{slug}.md").write_text(head + "\n" + text + "\n", encoding="utf-8")


def _comment(folder: Path, slug: str, number: int, date: str | None, text: str) -> None:
    target = folder / "comments" / slug
    target.mkdir(parents=True, exist_ok=True)
    head = "author: Reader\n" + (f"date: {date}\n" if date else "")
    (target / f"{number}.md").write_text(head + "\n" + text + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def dated_site(tmp_path_factory) -> Path:
    """Spam raised in January and March 2024 and in an undated post; one dated comment."""
    content = tmp_path_factory.mktemp("trends") / "content"
    content.mkdir()
    _post(content, "january", "Every week the spam in my inbox doubles.", "2024-01-10 10:00")
    _post(content, "march", "More spam arrived, all of it mass mailing.", "2024-03-02 10:00")
    _post(content, "undated", "I report spam the day it arrives.", None)
    _comment(content, "march", 1, "2024-03-05 08:00", "Same here: spam from strangers daily.")
    _comment(content, "undated", 1, None, "Spam filters catch most of mine.")
    return build_site(content, content.parent / "output")


def _page(site: Path, name: str):
    return lxml.html.fromstring((site / name).read_bytes())


def _table(section) -> dict[str, tuple[int, ...]]:
    rows = {}
    for row in section.iter("tr"):
        cells = [c.text_content().strip() for c in row]
        if cells and cells[0] and row.getparent().tag == "tbody":
            rows[cells[0]] = tuple(int(c) for c in cells[1:])
    return rows


def test_the_trends_page_counts_per_month_with_undated_mentions_apart(dated_site):
    page = _page(dated_site, "topics/trends.html")
    spam = next(
        s for s in page.iter("section") if s.findtext(".//h2/a") == "Spam"
    )  # fmt: skip
    rows = _table(spam)
    assert rows["2024-01"] == (1, 0, 1)
    assert rows["2024-02"] == (0, 0, 0)
    assert rows["2024-03"] == (1, 1, 2)
    assert rows["Undated"] == (2,)
    assert not any(label.startswith("2000") for label in rows)
    assert "2 mentions with no date are counted apart" in page.text_content()
    assert "1 post gives no date" in page.text_content()


def test_each_raised_topic_has_one_described_chart_and_a_table(demo_site):
    page = _page(demo_site, "topics/trends.html")
    index = _page(demo_site, "topics/index.html")
    raised = [
        row.findtext("th/a")
        for row in index.xpath("//table[contains(@class, 'topics')]/tbody/tr")
        if sum(int(td.text_content()) for td in row.findall("td")[1:3]) > 0
    ]
    sections = page.xpath("//section[@class='trend']")
    assert sorted(s.findtext(".//h2/a") for s in sections) == sorted(raised)
    for section in sections:
        charts = section.xpath(".//*[local-name()='svg']")
        assert len(charts) == 1 and charts[0].get("role") == "img"
        labelled = charts[0].get("aria-labelledby").split()
        assert all(page.get_element_by_id(ident) is not None for ident in labelled)
        assert section.xpath(".//table/caption")


def test_chart_totals_match_the_topic_pages(demo_site):
    page = _page(demo_site, "topics/trends.html")
    for section in page.xpath("//section[@class='trend']"):
        href = section.find(".//h2/a").get("href")
        topic = _page(demo_site, "topics/" + href.rsplit("/", 1)[-1])
        counts = topic.find_class("counts")[0].text_content()
        paragraphs, comments = (
            int(n) for n in re.search(r"(\d+) paragraphs? and (\d+) comments?", counts).groups()
        )
        rows = _table(section)
        undated = rows.pop("Undated", (0,))[0]
        assert sum(total for _, _, total in rows.values()) + undated == paragraphs + comments


def test_topic_pages_carry_a_sparkline_and_the_index_a_heatmap(demo_site):
    spam = (demo_site / "topics" / "spam.html").read_text(encoding="utf-8")
    assert 'class="chart sparkline"' in spam and "trends.html#trend-" in spam
    index = (demo_site / "topics" / "index.html").read_text(encoding="utf-8")
    heatmap = lxml.etree.fromstring(
        re.search(r'<svg[^>]*class="chart heatmap".*?</svg>', index, re.S).group(0).encode()
    )
    cells = heatmap.findall(f"{SVG}rect")
    pairs = len(lxml.html.fromstring(index).xpath("//table[@class='cooccurrence']/tbody/tr"))
    assert len(cells) == 2 * pairs
    assert "topics/trends.html" in index


def test_the_trends_page_can_be_turned_off(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    _post(content, "one", "The spam never stops.", "2024-01-10 10:00")
    site = build_site(content, tmp_path / "output", NETIQUETTE_TRENDS_SAVE_AS="")
    assert not (site / "topics" / "trends.html").exists()
    assert "trends.html" not in (site / "topics" / "index.html").read_text(encoding="utf-8")
    assert "trends.html" not in (site / "topics" / "spam.html").read_text(encoding="utf-8")


def test_a_topic_slugged_trends_does_not_take_the_trends_page(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    topics = tmp_path / "mine.toml"
    topics.write_text(
        '[[topic]]\nslug = "trends"\nname = "Trend chasing"\n'
        'description = "Chasing whatever is trending."\nphrases = ["trend chasing"]\n',
        encoding="utf-8",
    )
    _post(content, "one", "Trend chasing is all my feed shows.", "2024-01-10 10:00")
    site = build_site(content, tmp_path / "output", NETIQUETTE_TOPICS=[str(topics)])
    trends = (site / "topics" / "trends.html").read_text(encoding="utf-8")
    assert "<h1>Topics over time</h1>" in trends
    assert list((site / "topics").glob("trends-*.html"))
