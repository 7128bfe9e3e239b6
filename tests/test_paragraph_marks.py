"""Post paragraphs marked where they raise a topic: badges to the topics' pages, evidence in <mark>.

The marking itself is checked on HTML fragments (nesting, lists, tables, hostile text, text another
plugin rewrote); a small site is then built as a reader gets it: with the demo theme (on, rebuilt
from the cache, turned off) and with Pelican's ``simple`` theme under Pelican's defaults.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin

import feedparser
import pytest
from bs4 import BeautifulSoup

from netiquette.model import Mention
from netiquette.segments import number_html_paragraphs
from netiquette.site.marks import LABEL, ParagraphMarks, mark_paragraphs
from tests.conftest import build_site
from tests.site_crawl import broken_links
from tests.test_any_theme import SITE_URL
from tests.test_any_theme import build as build_with_pelicans_defaults

pytestmark = pytest.mark.filterwarnings("ignore::bs4.MarkupResemblesLocatorWarning")

SPAM = SimpleNamespace(name="Spam", url="topics/spam.html")
HOSTILE_TOPIC = SimpleNamespace(name='<img src=x onerror="alert(1)">', url='t/"x.html')
CACHED = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
SLUG = "marked-post"
SCRAPED = "scraped-with-markup"
HOSTILE_TEXT = "<img src=x onerror=alert(1)>"


def _marks(html: str, *found: tuple[int, str], topic=SPAM) -> tuple[str, list[ParagraphMarks]]:
    """`html` with its paragraphs numbered, and marks for each (paragraph, phrase) in `found`."""
    numbered, paragraphs = number_html_paragraphs(html)
    by_number: dict[int, list[Mention]] = {}
    for number, phrase in found:
        text = paragraphs[number - 1]
        start = text.index(phrase)
        mention = Mention("spam", start, start + len(phrase), phrase, text, 0)
        by_number.setdefault(number, []).append(mention)
    marks = [
        ParagraphMarks(n, paragraphs[n - 1], (topic,), tuple(ms)) for n, ms in by_number.items()
    ]
    return numbered, marks


def _mark(html: str, *found: tuple[int, str], topic=SPAM) -> BeautifulSoup:
    numbered, marks = _marks(html, *found, topic=topic)
    return BeautifulSoup(mark_paragraphs(numbered, marks, lambda t: "../" + t.url), "html.parser")


def note_of(paragraph) -> object | None:
    """The badges that go with a paragraph: after it, or at its end in a list item or cell."""
    inside = paragraph.find("div", class_="netiquette-marks", recursive=False)
    if inside is not None:
        return inside
    after = paragraph.find_next_sibling()
    return after if after is not None and "netiquette-marks" in after.get("class", []) else None


def marked_words(paragraph) -> list[str]:
    """The marked runs of a paragraph's text, a mention split by inline markup read as one."""
    runs: list[list[str]] = []
    inside = False
    for text in paragraph.find_all(string=True):
        marked = text.find_parent("mark", class_="netiquette-evidence") is not None
        if marked and not inside:
            runs.append([])
        if marked:
            runs[-1].append(str(text))
        inside = marked
    return [" ".join("".join(run).split()) for run in runs]


# --- marking a fragment ------------------------------------------------------------------------


def test_a_mention_split_by_inline_markup_is_marked_in_pieces_and_reads_whole() -> None:
    soup = _mark(
        "<p>Calm.</p><p>I hate <em>cold</em>\n  pitches, and spam.</p>",
        (2, "cold pitches"),
        (2, "spam"),
    )
    paragraph = soup.select_one("#p-2")
    assert [m.get_text() for m in paragraph.select("mark")] == ["cold", "\n  pitches", "spam"]
    assert marked_words(paragraph) == ["cold pitches", "spam"]
    assert paragraph.select_one("em > mark").get_text() == "cold"
    assert " ".join(paragraph.get_text().split()) == "I hate cold pitches, and spam."
    note = note_of(paragraph)
    assert note is not None and note.name == "div"
    badges = note.select("ul.badges[aria-label] > li > a.badge")
    assert [(a["href"], a.get_text()) for a in badges] == [("../topics/spam.html", "Spam")]
    assert note.select_one("ul")["aria-label"] == LABEL
    assert note_of(soup.select_one("#p-1")) is None and not soup.select_one("#p-1 mark")


@pytest.mark.parametrize(
    ("html", "number", "phrase", "inside"),
    [
        ("<ul><li>A list item about spam.</li><li>Other.</li></ul>", 1, "spam", True),
        ("<table><tr><td>A cell: spam</td></tr></table>", 1, "spam", True),
        ("<dl><dt>Spam</dt><dd>Unwanted.</dd></dl>", 1, "Spam", True),
        ("<h2>Why spam hurts</h2><p>Text.</p>", 1, "spam", False),
        ("<blockquote><p>Quoted spam.</p></blockquote>", 1, "spam", False),
        ("<ul><li>Loose spam text<ul><li>nested</li></ul></li></ul>", 1, "spam", False),
    ],
)
def test_badges_go_where_the_markup_stays_valid(html, number, phrase, inside) -> None:
    soup = _mark(html, (number, phrase))
    paragraph = soup.select_one(f"#p-{number}")
    note = note_of(paragraph)
    assert note is not None
    assert (note.parent is paragraph) is inside
    assert note.parent.name not in ("ul", "ol", "dl", "table", "tbody", "tr"), soup
    assert marked_words(paragraph) == [phrase]


def test_hostile_text_and_topic_names_stay_text() -> None:
    html = (
        "<p>&lt;img src=x onerror=alert(1)&gt; and spam &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )
    soup = _mark(html, (1, "<img src=x"), (1, "spam"), topic=HOSTILE_TOPIC)
    assert soup.find("img") is None and soup.find("script") is None
    assert marked_words(soup.select_one("#p-1")) == ["<img src=x", "spam"]
    link = soup.select_one("a.badge")
    assert link.get_text() == HOSTILE_TOPIC.name and link["href"] == '../t/"x.html'
    assert not any(attribute.startswith("on") for tag in soup.find_all() for attribute in tag.attrs)


def test_text_rewritten_after_analysis_keeps_its_badges_without_marks() -> None:
    numbered, marks = _marks("<p>Plain spam here.</p>", (1, "spam"))
    rewritten = numbered.replace("Plain", "Fancy")
    soup = BeautifulSoup(mark_paragraphs(rewritten, marks, lambda t: t.url), "html.parser")
    assert soup.select_one("mark") is None
    assert note_of(soup.select_one("#p-1")) is not None


def test_content_without_the_paragraphs_comes_back_as_it_was() -> None:
    _, marks = _marks("<p>Plain spam here.</p>", (1, "spam"))
    html = "<p>Other content</p>\n<!-- kept -->"
    assert mark_paragraphs(html, marks, lambda t: t.url) == html
    assert mark_paragraphs("<p id='p-1'>x</p>", [], lambda t: t.url) == "<p id='p-1'>x</p>"


# --- a site -------------------------------------------------------------------------------------


def write_content(content: Path) -> None:
    files = {
        f"{SLUG}.md": f"""\
            Title: Marked paragraphs
            Slug: {SLUG}
            Date: 2024-05-01 09:00
            Author: Ana Host

            We had lunch and talked about gardening.

            I hate *cold* pitches and unsolicited messages.

            - Some people only care about follower counts.
            - A plain item about the weather.
            """,
        "comments/marked-post/1.md": """\
            author: Priya Example
            date: 2024-05-01 10:00

            Every unsolicited message went to the bin.
            """,
        f"{SCRAPED}.txt": f"""\
            Title: Scraped with markup
            Date: 2024-05-02
            Author: Lee Writer

            {HOSTILE_TEXT} I hate cold pitches and unsolicited messages. <script>alert("XSS")</script>

            Nothing to see here, only gardening.
            """,
    }
    for name, text in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def _files(output: Path) -> dict[str, bytes]:
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> SimpleNamespace:
    """The site in the demo theme: built, rebuilt from the cache, then rebuilt with marks off
    (into the same output, from the same cache)."""
    root = tmp_path_factory.mktemp("marks")
    write_content(root / "content")
    output = root / "output"
    build_site(root / "content", output, **CACHED)
    first = _files(output)
    shutil.copytree(output, root / "marked")
    build_site(root / "content", output, **CACHED)
    again = _files(output)
    build_site(root / "content", output, NETIQUETTE_PARAGRAPH_MARKS=False, **CACHED)
    return SimpleNamespace(marked=root / "marked", off=output, first=first, again=again)


def _page(output: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((output / path).read_text(encoding="utf-8"), "lxml")


def _paragraphs_with_topics(output: Path, slug: str) -> dict[str, dict]:
    document = json.loads((output / "analysis.json").read_text(encoding="utf-8"))
    post = next(p for p in document["posts"] if p["slug"] == slug)
    topics = {t["slug"]: t for t in document["topics"]}
    return {
        p["anchor"]: {**p, "urls": [topics[s]["url"] for s in p["topics"]]}
        for p in post["paragraphs"]
        if p["topics"]
    }


def _check_marks(output: Path, path: str, slug: str, site_url: str) -> BeautifulSoup:
    """Every paragraph the analysis found topics in is marked with exactly those, and its evidence;
    returns the page."""
    soup = _page(output, path)
    page_url = urljoin(site_url.rstrip("/") + "/", path)
    expected = _paragraphs_with_topics(output, slug)
    assert expected, "the post raises no topic: nothing to check"
    for anchor, paragraph in expected.items():
        element = soup.find(id=anchor)
        note = note_of(element)
        assert note is not None, f"{anchor} has no badges"
        links = [urljoin(page_url, a["href"]) for a in note.select("a.badge")]
        assert links == [urljoin(site_url.rstrip("/") + "/", url) for url in paragraph["urls"]]
        assert marked_words(element) == [m["phrase"] for m in paragraph["mentions"]]
    for element in soup.select("[id^=p-]"):
        if element["id"] not in expected:
            assert note_of(element) is None and not element.select("mark"), element["id"]
    return soup


def test_marked_paragraphs_link_to_their_topics_and_mark_the_evidence(demo) -> None:
    soup = _check_marks(demo.marked, f"posts/{SLUG}.html", SLUG, "http://127.0.0.1:8000")
    assert marked_words(soup.select_one("#p-2")) == ["cold pitches", "unsolicited messages"]
    assert soup.select_one("#p-2 em > mark.netiquette-evidence").get_text() == "cold"
    assert note_of(soup.select_one("#p-3")).parent.name == "li"
    assert len(soup.select("#comments")) == 1


def test_a_scraped_paragraph_with_markup_in_its_text_stays_inert(demo) -> None:
    soup = _check_marks(demo.marked, f"posts/{SCRAPED}.html", SCRAPED, "http://127.0.0.1:8000")
    body = soup.select_one(".post-body")
    assert body.find("img") is None and body.find("script") is None
    paragraph = body.select_one("#p-1")
    assert paragraph.get_text().startswith(HOSTILE_TEXT)
    assert marked_words(paragraph) == ["cold pitches", "unsolicited messages"]


def test_unmarked_content_is_the_post_as_written(demo) -> None:
    """Without its marks the body is byte for byte the one built with marks off."""
    for slug in (SLUG, SCRAPED):
        body = _page(demo.marked, f"posts/{slug}.html").select_one(".post-body")
        for note in body.select(".netiquette-marks"):
            note.decompose()
        for mark in body.select("mark.netiquette-evidence"):
            mark.unwrap()
        plain = _page(demo.off, f"posts/{slug}.html").select_one(".post-body")
        assert BeautifulSoup(str(body), "html.parser").decode() == plain.decode()


def test_turned_off_no_paragraph_is_marked_even_on_a_cached_rebuild(demo) -> None:
    for path in (f"posts/{SLUG}.html", f"posts/{SCRAPED}.html"):
        soup = _page(demo.off, path)
        assert not soup.select(".netiquette-marks, mark.netiquette-evidence"), path
        assert soup.select("#comments, .post-body #p-1")


def test_summaries_lists_and_feeds_show_the_post_as_written(demo) -> None:
    pages = [p for p in demo.marked.rglob("*.html") if "posts" not in p.parts]
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "netiquette-marks" not in text and "netiquette-evidence" not in text, path
    feed = feedparser.parse((demo.marked / "feeds/all.atom.xml").read_bytes())
    assert feed.entries
    for entry in feed.entries:
        text = " ".join(c.value for c in entry.get("content", [])) + entry.get("summary", "")
        assert "netiquette-marks" not in text and "<mark" not in text


def test_rebuild_is_byte_identical_and_every_link_resolves(demo) -> None:
    assert demo.again == demo.first
    assert broken_links(demo.marked, "http://127.0.0.1:8000") == []


def test_marks_in_the_simple_theme_under_pelicans_defaults(tmp_path) -> None:
    write_content(tmp_path / "content")
    output = build_with_pelicans_defaults(tmp_path, "simple", PLUGINS=["netiquette"])
    soup = _check_marks(output, f"{SLUG}.html", SLUG, SITE_URL)
    assert soup.select_one("body > header hgroup"), "inside the simple theme's own page"
    assert soup.select_one("head link[href$='netiquette/netiquette.css']")
    assert note_of(soup.select_one("#p-2")).select_one(".badge")["href"].startswith(SITE_URL)
    assert broken_links(output, SITE_URL) == []
