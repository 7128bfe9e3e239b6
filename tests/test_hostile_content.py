"""Hostile content: a corpus of XSS payloads in every untrusted field of both content formats.

The payloads (``tests/data/xss_payloads.txt``) go into comment bodies, author names, author URLs and
CommentLuv signatures of a scraped text thread, into Markdown comment files (body, author, url,
replyto), into a scraped post's title, author, tags and paragraphs, and into the names of comment
files held back. The site is built once; every HTML page, every feed and ``analysis.json`` is then
checked statically. ``tests/browser/test_hostile_pages.py`` opens the same build in Chromium.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from netiquette.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_text
from tests.conftest import ROOT, build_site

try:
    import fcntl
except ImportError:  # not POSIX: each xdist worker builds for itself
    fcntl = None

pytestmark = pytest.mark.filterwarnings("ignore::bs4.MarkupResemblesLocatorWarning")

CORPUS = Path(__file__).resolve().parent / "data" / "xss_payloads.txt"
MIN_PAYLOADS = 60
MARKER = re.compile(r"XSS-(\d+)")
_EXPANSIONS = {
    "{TAB}": "\t",
    "{LF}": "\n",
    "{CR}": "\r",
    "{FF}": "\x0c",
    "{NUL}": "\x00",
    "{ZWSP}": "\u200b",
    "{RLO}": "\u202e",
}

# A sentence that raises etiquette topics, so hostile comments also reach topic pages and feeds.
TOPIC_SENTENCE = "Stop the spam, the hard sales pitches and the vanity metrics."

# Elements that must never appear in a built page: the theme uses none of them.
FORBIDDEN_ELEMENTS = frozenset(
    {
        "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "base",
        "svg", "math", "img", "video", "audio", "source", "input", "button", "select", "textarea",
        "style", "template", "noscript", "marquee", "isindex", "xmp", "details", "dialog",
    }
)  # fmt: skip
# What the site itself draws with those elements: charts (inline SVG of these elements and
# attributes only) and disclosure widgets of these classes. Anything else of the kind came from content.
_OWN_CHART = re.compile(
    r'<svg xmlns="http://www.w3.org/2000/svg" class="chart [a-z]+"[^<>]*>.*?</svg>', re.S
)
CHART_ELEMENTS = frozenset({"svg", "title", "desc", "rect", "line", "polyline", "text"})
CHART_ATTRIBUTES = frozenset(
    {
        "xmlns", "class", "viewbox", "width", "height", "role", "aria-labelledby", "focusable",
        "id", "x", "y", "x1", "y1", "x2", "y2", "points", "fill-opacity", "transform",
    }
)  # fmt: skip
OWN_DETAILS = frozenset({"nav-more", "chart-data"})
# The search page's own form and script: these elements only, and a script that is the plugin's
# search.js itself. Anything else of the kind came from content.
_OWN_SEARCH = re.compile(
    r'<div class="netiquette netiquette-page netiquette-search" id="netiquette-search".*?</script>',
    re.S,
)
SEARCH_ELEMENTS = frozenset(
    {"div", "h1", "noscript", "p", "a", "form", "label", "input", "select", "option", "button", "ol", "script"}
)  # fmt: skip
SEARCH_SCRIPT = ROOT / "plugins/pelican/plugins/netiquette/templates/netiquette/search.js"
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "cite"}
)
# What a browser's URL parser drops before it reads a scheme: leading and trailing C0 controls and
# spaces, and ASCII tabs and newlines anywhere.
_URL_EDGES = "".join(chr(n) for n in range(0x21))
_URL_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
_RAW_ELEMENT = re.compile(
    r"<\s*(?:" + "|".join(sorted(FORBIDDEN_ELEMENTS)) + r")\b|<\s*meta[^>]*http-equiv", re.I
)


@dataclass(frozen=True)
class Payload:
    """One line of the corpus, with its control characters expanded."""

    number: int
    text: str

    @property
    def marker(self) -> str:
        return f"XSS-{self.number}"

    @property
    def one_line(self) -> str:
        """The payload for a single-line field (a metadata value, a text-thread line)."""
        return " ".join(self.text.replace("\r", "\n").split("\n")).strip() or self.marker


def load_payloads() -> list[Payload]:
    payloads: list[Payload] = []
    for line in CORPUS.read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        match = MARKER.search(line)
        assert match, f"payload without a marker: {line!r}"
        for placeholder, character in _EXPANSIONS.items():
            line = line.replace(placeholder, character)
        payloads.append(Payload(int(match.group(1)), line))
    return payloads


# --- the hostile content -----------------------------------------------------------------------


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _text_thread(payloads: list[Payload]) -> str:
    """A scraped thread whose comments carry a payload in the body, the name and the signature."""
    lines = [
        "Title: Hostile scraped thread",
        "Date: 2024-05-01",
        "Author: Mallory Example",
        "",
        f"This page was scraped from a blog full of hostile markup. {TOPIC_SENTENCE}",
        "",
        f"{len(payloads)} thoughts on “Hostile scraped thread”",
        "",
    ]
    top = 0
    for index, payload in enumerate(payloads):
        text = payload.one_line
        reply = index % 2 == 1
        indent = "      " if reply else "  "
        top += not reply
        lines.append(f"{indent}{1 if reply else top}. {text} {TOPIC_SENTENCE}")
        lines.append("")
        lines.append(f"{indent}   Z{text} recently posted..{text}")
        lines.append("")
    return "\n".join(lines) + "\n"


def _text_post(payloads: list[Payload]) -> str:
    """A scraped post whose title, author, tags, category and paragraphs are payloads."""
    title, author, tag, category, *paragraphs = payloads
    head = [
        f"Title: {title.one_line}",
        "Date: 2024-05-03",
        f"Author: {author.one_line}",
        f"Tags: {tag.one_line.replace(',', ' ')}, hostile",
        f"Category: {category.one_line}",
        "",
    ]
    body = [p.one_line for p in paragraphs]
    return "\n".join(head + body + ["", "1 comment", "", f"  1. {TOPIC_SENTENCE}", ""])


def _markdown_post(slug: str, title: str, day: int) -> str:
    return (
        f"Title: {title}\nDate: 2024-05-{day:02d} 09:00\nAuthor: Marta Keane\nSlug: {slug}\n\n"
        f"A post whose comment files are hostile. {TOPIC_SENTENCE}\n"
    )


def _comment_file(payload: Payload, when: datetime, reply_to: str | None, url: str) -> str:
    head = [f"author: {payload.one_line}", f"date: {when:%Y-%m-%d %H:%M}", f"url: {url}"]
    if reply_to:
        head.append(f"replyto: {reply_to}")
    return "\n".join(head) + f"\n\n{payload.text}\n\n{payload.text} {TOPIC_SENTENCE}\n"


TEXT_THREAD_SLUG = "hostile-scraped-thread"
MARKDOWN_SLUGS = ("hostile-markdown-one", "hostile-markdown-two")
ORPHAN_FOLDER = "<svg onload=alert('XSS-9001')>"


def write_hostile_content(content: Path) -> list[Payload]:
    """Write the hostile posts and comments into ``content``; returns the payloads used."""
    payloads = load_payloads()
    by_number = {p.number: p for p in payloads}
    _write(content / f"{TEXT_THREAD_SLUG}.txt", _text_thread(payloads))
    _write(
        content / "hostile-scraped-post.txt",
        _text_post([by_number[n] for n in (84, 13, 9, 10, 1, 24, 55, 63, 104, 109)]),
    )
    start = datetime(2024, 5, 2, 10, 0)
    for day, (slug, title) in enumerate(
        zip(MARKDOWN_SLUGS, ("Hostile comment files", "Hostile comment files again"), strict=True)
    ):
        _write(content / f"{slug}.md", _markdown_post(slug, title, 2 + day))
        for index, payload in enumerate(payloads):
            name = f"p{payload.number:03d}"
            if day == 0:
                reply_to = f"p{payloads[index - 1].number:03d}" if index % 3 == 1 else None
                url = payload.one_line
            else:
                reply_to = payload.one_line if index % 10 == 0 else None
                url = f"https://example.com/{payload.marker}\"onmouseover='alert(1)'"
            _write(
                content / "comments" / slug / f"{name}.md",
                _comment_file(payload, start + timedelta(minutes=index), reply_to, url),
            )
    _write(
        content / "hostile-entities.md",
        "Title: &lt;img src=x onerror=alert('XSS-7001')&gt; entities\nDate: 2024-05-04\n"
        "Author: <b onmouseover=alert('XSS-7002')>Eve</b>\n"
        "Tags: <img src=x onerror=alert('XSS-7003')>\n"
        "Category: &lt;svg onload=alert('XSS-7004')&gt;\n\nA post with entity-coded markup.\n",
    )
    orphan = content / "comments" / ORPHAN_FOLDER
    _write(orphan / "<img src=x onerror=alert('XSS-9002')>.md", "author: Nobody\n\nHeld back.\n")
    return payloads


def build_hostile_site(root: Path) -> Path:
    """Write the hostile content under ``root`` and build it; returns the output folder."""
    content = root / "content"
    write_hostile_content(content)
    return build_site(content, root / "output")


# --- builds shared by test modules and xdist workers ---------------------------------------------


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def built_once(tmp_path_factory, name: str, build: Callable[[Path], object]) -> Path:
    """A folder that ``build`` fills once per test run, however many modules and workers ask.

    Under pytest-xdist the workers share their parent temporary folder and take turns with a file
    lock, so a whole-site build used by several test modules runs once, not once per worker.
    """
    base = tmp_path_factory.getbasetemp()
    shared = fcntl is not None and os.environ.get("PYTEST_XDIST_WORKER")
    if shared:
        base = base.parent
    folder, done = base / name, base / f"{name}.done"
    with _exclusive(base / f"{name}.lock") if shared else nullcontext():
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            build(folder)
            done.touch()
    return folder


def hostile_output(tmp_path_factory) -> Path:
    """The hostile site's output folder, built once per test run."""
    return built_once(tmp_path_factory, "hostile-site", build_hostile_site) / "output"


# --- checks ------------------------------------------------------------------------------------


def is_dangerous_url(value: str) -> bool:
    """Whether a browser would read ``value`` (entity-decoded) as a script or data URL."""
    squeezed = _URL_TAB_OR_NEWLINE.sub("", value.strip(_URL_EDGES)).lower()
    return squeezed.startswith(_DANGEROUS_SCHEMES)


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads from a URL attribute's (decoded) value; None if relative."""
    match = _SCHEME.match(_URL_TAB_OR_NEWLINE.sub("", value.strip(_URL_EDGES)))
    return match.group(1).lower() if match else None


def markup_problems(markup: str, *, page: bool) -> list[str]:
    """Executable or page-altering constructs in ``markup`` (a whole page, or a feed's HTML).

    A page may have what the theme itself writes: stylesheet, icon and feed ``<link>`` in the head
    and ``<meta>`` charset, viewport, colour scheme and description. Everything else listed here
    comes from content.
    """
    markup, found = _without_own_charts(markup) if page else (markup, [])
    if page:
        markup, found_in_search = _without_own_search(markup)
        found += found_in_search
    found += [
        f"raw {m.group(0)!r}"
        for m in _RAW_ELEMENT.finditer(markup)
        if not (page and m.group(0).lower().startswith("<details"))
    ]
    for parser in ("lxml", "html.parser"):
        soup = BeautifulSoup(markup, parser)
        for element in soup.find_all(True):
            name = element.name.lower()
            own = page and name == "details" and set(element.get("class", [])) <= OWN_DETAILS
            if name in FORBIDDEN_ELEMENTS and not own:
                found.append(f"{parser}: <{name}>")
            if name == "meta" and (not page or "http-equiv" in element.attrs):
                found.append(f"{parser}: <meta {element.attrs}>")
            if name == "link" and (
                not page
                or element.find_parent("head") is None
                or "XSS" in str(element.get("href", ""))
                or not {"stylesheet", "alternate", "icon", "search"} & set(element.get("rel", []))
            ):
                found.append(f"{parser}: <link {element.attrs}>")
            for attribute, value in element.attrs.items():
                text = " ".join(value) if isinstance(value, list) else str(value)
                if attribute.lower().startswith("on"):
                    found.append(f"{parser}: {attribute}= on <{name}>")
                if attribute.lower() in ("style", "srcdoc"):
                    found.append(f"{parser}: {attribute}= on <{name}>")
                if attribute.lower() in URL_ATTRIBUTES and is_dangerous_url(text):
                    found.append(f"{parser}: {attribute}={text!r} on <{name}>")
    return found


def _without_own_search(markup: str) -> tuple[str, list[str]]:
    """`markup` without the search page's form and script, and what in them is not its own."""
    found: list[str] = []
    script = SEARCH_SCRIPT.read_text(encoding="utf-8").strip()

    def check(match: re.Match) -> str:
        for element in BeautifulSoup(match.group(0), "html.parser").find_all(True):
            if element.name.lower() not in SEARCH_ELEMENTS:
                found.append(f"search: <{element.name}>")
            if element.name.lower() == "script" and (element.string or "").strip() != script:
                found.append("search: a script other than search.js")
            found.extend(
                f"search: {a}= on <{element.name}>"
                for a in element.attrs
                if a.lower().startswith("on") or a.lower() in ("style", "srcdoc", "action")
            )
        return ""

    return _OWN_SEARCH.sub(check, markup), found


def _without_own_charts(markup: str) -> tuple[str, list[str]]:
    """`markup` without the site's charts, and what in them is not drawing (there should be none)."""
    found: list[str] = []

    def check(match: re.Match) -> str:
        for element in BeautifulSoup(match.group(0), "html.parser").find_all(True):
            if element.name.lower() not in CHART_ELEMENTS:
                found.append(f"chart: <{element.name}>")
            found.extend(
                f"chart: {a}= on <{element.name}>"
                for a in element.attrs
                if a.lower() not in CHART_ATTRIBUTES
            )
        return ""

    return _OWN_CHART.sub(check, markup), found


def text_of(path: Path) -> str:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").get_text(" ")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return hostile_output(tmp_path_factory)


@pytest.fixture(scope="module")
def payloads() -> list[Payload]:
    return load_payloads()


# --- tests -------------------------------------------------------------------------------------


def test_corpus_has_enough_payloads_each_named_by_a_unique_marker(payloads: list[Payload]) -> None:
    assert len(payloads) >= MIN_PAYLOADS
    numbers = [p.number for p in payloads]
    assert len(set(numbers)) == len(numbers)
    for payload in payloads:
        assert all(int(n) == payload.number for n in MARKER.findall(payload.text)), payload


def test_every_payload_reaches_both_formats_pages(
    hostile_site: Path, payloads: list[Payload]
) -> None:
    for page in (f"{TEXT_THREAD_SLUG}.html", *(f"{slug}.html" for slug in MARKDOWN_SLUGS)):
        text = text_of(hostile_site / "posts" / page)
        missing = [p.marker for p in payloads if p.marker not in text]
        assert missing == [], f"{page}: payloads missing from the page: {missing}"


def test_no_page_has_scripts_handlers_styles_frames_forms_or_script_urls(
    hostile_site: Path,
) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 20
    problems = {
        str(page.relative_to(hostile_site)): found
        for page in pages
        if (found := markup_problems(page.read_text(encoding="utf-8"), page=True))
    }
    assert problems == {}


def test_comment_bodies_hold_only_allowlisted_elements_and_attributes(hostile_site: Path) -> None:
    for slug in (TEXT_THREAD_SLUG, *MARKDOWN_SLUGS):
        soup = BeautifulSoup((hostile_site / "posts" / f"{slug}.html").read_bytes(), "lxml")
        bodies = soup.select(".comment-body")
        assert bodies
        for body in bodies:
            for element in body.find_all(True):
                assert element.name in ALLOWED_TAGS, (slug, str(element)[:200])
                allowed = ALLOWED_ATTRIBUTES.get(element.name, set()) | {"rel"}
                assert set(element.attrs) <= allowed, (slug, str(element)[:200])
                href = element.get("href")
                if href is not None:
                    assert url_scheme(href) in (None, "http", "https"), (slug, href)


def test_author_links_are_plain_http_urls_or_absent(hostile_site: Path) -> None:
    soup = BeautifulSoup(
        (hostile_site / "posts" / f"{MARKDOWN_SLUGS[0]}.html").read_bytes(), "lxml"
    )
    links = soup.select("a.author-site")
    for link in links:
        assert re.fullmatch(r"https?://[^\s\"'<>`\\]+", link["href"]), link["href"]
    second = BeautifulSoup(
        (hostile_site / "posts" / f"{MARKDOWN_SLUGS[1]}.html").read_bytes(), "lxml"
    )
    assert second.select("a.author-site") == []


def test_signatures_and_names_are_shown_as_text(hostile_site: Path) -> None:
    soup = BeautifulSoup((hostile_site / "posts" / f"{TEXT_THREAD_SLUG}.html").read_bytes(), "lxml")
    signatures = soup.select(".signature cite")
    assert len(signatures) >= MIN_PAYLOADS
    assert all(not cite.find_all(True) for cite in signatures)
    assert any("<script>" in cite.get_text() for cite in signatures)
    names = soup.select(".comment-author")
    assert all(not name.find_all(lambda tag: tag.name != "a") for name in names)


def test_feeds_are_well_formed_and_their_html_is_inert(hostile_site: Path) -> None:
    feeds = sorted((hostile_site / "feeds").rglob("*.xml"))
    assert feeds
    problems: dict[str, list[str]] = {}
    hostile_entries = 0
    for feed in feeds:
        parsed = feedparser.parse(
            feed.read_bytes(), sanitize_html=False, resolve_relative_uris=False
        )
        name = str(feed.relative_to(hostile_site))
        assert parsed.bozo == 0, (name, parsed.get("bozo_exception"))
        for entry in parsed.entries:
            fragments = [c.value for c in entry.get("content", [])]
            fragments.append(entry.get("summary", ""))
            # Many readers render a title, an author or a category as HTML, whatever the feed says.
            fragments.append(entry.get("title", ""))
            fragments.append(entry.get("author", ""))
            fragments.extend(tag.get("term") or "" for tag in entry.get("tags", []))
            for fragment in fragments:
                hostile_entries += "XSS-" in fragment
                if found := markup_problems(fragment, page=False):
                    problems.setdefault(name, []).extend(found)
    assert problems == {}
    assert hostile_entries > 0, "no hostile comment reached any feed"


def test_topic_pages_quote_hostile_comments_as_text(hostile_site: Path) -> None:
    topic_pages = [p for p in (hostile_site / "topics").glob("*.html") if p.name != "index.html"]
    quoted = [p for p in topic_pages if "XSS-" in text_of(p)]
    assert quoted, "no hostile comment was quoted on a topic page"


def test_analysis_json_is_json_and_keeps_hostile_names_as_data(
    hostile_site: Path, payloads: list[Payload]
) -> None:
    document = json.loads((hostile_site / "analysis.json").read_text(encoding="utf-8"))
    posts = {post["slug"]: post for post in document["posts"]}
    authors = {c["author"] for c in posts[MARKDOWN_SLUGS[0]]["comments"]}
    assert {clean_text(p.one_line) for p in payloads} <= authors


def test_hostile_file_names_are_listed_as_text_on_the_held_back_page(hostile_site: Path) -> None:
    page = hostile_site / "held-back.html"
    assert "XSS-9002" in text_of(page)
    assert markup_problems(page.read_text(encoding="utf-8"), page=True) == []


def test_commenter_pages_exist_for_hostile_names(hostile_site: Path) -> None:
    pages = [p for p in (hostile_site / "commenters").glob("*.html") if p.name != "index.html"]
    named = [p for p in pages if "XSS-" in BeautifulSoup(p.read_bytes(), "lxml").h1.get_text()]
    assert len(named) >= MIN_PAYLOADS


def test_the_check_admits_the_sites_charts_and_nothing_dressed_as_one() -> None:
    from netiquette.charts import sparkline

    own = str(sparkline([1, 3, 2], "s", "Spam <b>", "3 mentions"))
    assert markup_problems(f"<p>{own}</p>", page=True) == []
    forged = own.replace("<polyline", '<polyline onload="alert(1)"')
    assert markup_problems(forged, page=True) == ["chart: onload= on <polyline>"]
    smuggled = own.replace("</desc>", "</desc><script>alert(1)</script>")
    assert "chart: <script>" in markup_problems(smuggled, page=True)
    assert markup_problems(own, page=False)
