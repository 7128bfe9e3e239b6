"""The sanitizer, the one gate between untrusted comment content and a page or feed.

Example-based tests pin the allowlist down; property-based tests (hypothesis) build markup from
dangerous fragments and check that nothing executable ever comes out, that cleaning is idempotent,
and that `safe_url` only ever returns plain absolute http(s) URLs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from netiquette.model import Comment
from netiquette.render import body_html, markdown_to_html
from netiquette.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    LINK_REL,
    POST_TAGS,
    clean_html,
    clean_post_html,
    clean_text,
    inert_html,
    inert_text,
    plain_text,
    safe_url,
)
from tests.test_hostile_content import Payload, is_dangerous_url, load_payloads

pytestmark = pytest.mark.filterwarnings("ignore::bs4.MarkupResemblesLocatorWarning")

_RAW_TAG = re.compile(r"<\s*/?\s*([A-Za-z][^\s/>]*)")


class _TagCollector(HTMLParser):
    """Every start tag with its attributes, as Python's tokenizer (a browser-like one) sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def executable_constructs(fragment: str, tags: frozenset[str] = ALLOWED_TAGS) -> list[str]:
    """What in sanitized output could run script, style the page or leave the allowlist."""
    found: list[str] = []
    for match in _RAW_TAG.finditer(fragment):
        if match.group(1).lower() not in tags:
            found.append(f"tag outside the allowlist: {match.group(0)!r}")
    parsers = (("html.parser", None), ("lxml", None))
    for name, _ in parsers:
        for element in BeautifulSoup(fragment, name).find_all(True):
            if element.name in ("html", "body", "head"):
                continue
            if element.name not in tags:
                found.append(f"{name}: element <{element.name}>")
            allowed = ALLOWED_ATTRIBUTES.get(element.name, set()) | {"rel"}
            for attribute, value in element.attrs.items():
                if attribute not in allowed:
                    found.append(f"{name}: attribute {attribute}= on <{element.name}>")
                if attribute == "href" and is_dangerous_url(str(value)):
                    found.append(f"{name}: script URL {value!r}")
    collector = _TagCollector()
    collector.feed(fragment)
    collector.close()
    for tag, attrs in collector.tags:
        for attribute, value in attrs:
            if attribute.startswith("on") or attribute in ("style", "src", "srcdoc", "formaction"):
                found.append(f"tokenizer: {attribute}= on <{tag}>")
            if attribute == "href" and value is not None and is_dangerous_url(value):
                found.append(f"tokenizer: script URL {value!r}")
    return found


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        '<p style="color:red">x</p>',
        "<svg><a xlink:href=x>y</a></svg>",
    ],
)
def test_the_checker_itself_flags_executable_markup(markup: str) -> None:
    assert executable_constructs(markup) != []


# --- examples ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>Hello <strong>there</strong></p>", "<p>Hello <strong>there</strong></p>"),
        ("<script>alert(1)</script>after", "after"),
        ("<style>p{color:red}</style>after", "after"),
        ("<p onclick=alert(1)>x</p>", "<p>x</p>"),
        ('<p style="color:red">x</p>', "<p>x</p>"),
        ("<img src=x onerror=alert(1)>", ""),
        ("<iframe src=https://example.com/>x</iframe>y", "y"),
        ("a\x00b\x07c", "abc"),
    ],
)
def test_clean_html_keeps_formatting_and_drops_everything_else(markup: str, expected: str) -> None:
    assert clean_html(markup) == expected


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "jav\tascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "&#106;avascript:alert(1)",
        " \x0e javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
def test_links_with_script_or_data_urls_lose_their_href(href: str) -> None:
    cleaned = clean_html(f'<a href="{href}">x</a>')
    assert "href" not in cleaned
    assert ">x</a>" in cleaned


def test_kept_links_get_nofollow_ugc_and_no_opener() -> None:
    cleaned = clean_html('<a href="https://example.com/" target="_blank" rel="opener">x</a>')
    soup = BeautifulSoup(cleaned, "html.parser")
    link = soup.a
    assert link["href"] == "https://example.com/"
    assert " ".join(link["rel"]) == LINK_REL
    assert "target" not in link.attrs


def test_markdown_script_links_are_not_links() -> None:
    cleaned = clean_html(markdown_to_html("[x](javascript:alert(1)) and <javascript:alert(2)>"))
    assert "javascript:alert(1)" not in re.findall(r'href="([^"]*)"', cleaned)
    assert executable_constructs(cleaned) == []


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "javascript:alert(1)",
        " javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,x",
        "//example.com/",
        "/relative",
        "example.com",
        "http:/missing-slash",
        "ftp://example.com/",
        'https://example.com/"onmouseover="alert(1)',
        "https://example.com/&quot;onmouseover=&quot;alert(1)",
        "https://example.com/ space",
        "https://example.com/<script>",
        "https://example.com/`",
        "http://[::1",
    ],
)
def test_safe_url_rejects_anything_but_absolute_http_urls(url: str | None) -> None:
    assert safe_url(url) is None


@pytest.mark.parametrize(
    "url",
    ["https://example.com/", "http://example.com/a?b=1&c=2#d", "HTTPS://Example.COM/x"],
)
def test_safe_url_keeps_ordinary_web_addresses(url: str) -> None:
    assert safe_url(url) == url


def test_clean_text_strips_control_characters_and_keeps_markup_for_escaping() -> None:
    assert clean_text("  <b>Ann</b>\x00\x1b  ") == "<b>Ann</b>"


def test_every_corpus_payload_comes_out_inert_in_every_body_format() -> None:
    problems: dict[str, list[str]] = {}
    for payload in load_payloads():
        for body_format in ("text", "markdown", "html"):
            comment = Comment(id="c", author="a", body=payload.text, format=body_format)
            found = executable_constructs(body_html(comment))
            if found:
                problems[f"{payload.marker} ({body_format})"] = found
    assert problems == {}


@pytest.mark.parametrize("payload", load_payloads(), ids=lambda p: p.marker)
def test_no_corpus_payload_is_accepted_as_an_author_url(payload: Payload) -> None:
    assert safe_url(payload.text) is None


# --- properties --------------------------------------------------------------------------------

FRAGMENTS = (
    "<script>", "</script>", "<SCRIPT", "<scr", "ipt>", "<img", "<svg", "<math>", "<style>",
    "</style>", "<iframe", "<object", "<embed", "<form", "<base", "<meta", "<noscript>",
    "</noscript>", "<template>", "<xmp>", "<textarea>", "<title>", "<a", "</a>", "<p", "</p>",
    "<b>", "<blockquote>", "<code>", "<pre>", "<li>", "<ul>", "<!--", "-->", "<![CDATA[", "]]>",
    "<!DOCTYPE", "<?", "?>", " href=", " src=", " onerror=", " onload=", " onclick=", " style=",
    " formaction=", " srcdoc=", " xlink:href=", " title=", "=", '"', "'", "`", ">", "<", "/",
    " ", "\t", "\n", "\x00", "\x0c", "javascript:", "JaVaScRiPt:", "jav&#x09;ascript:",
    "&#106;avascript:", "java\tscript:", "vbscript:", "data:text/html,", "alert(1)",
    "expression(", "url(", "&lt;", "&gt;", "&quot;", "&#60;", "&#x3C;", "&amp;", "&", "#",
    "https://example.com/", "x", "\u2028", "\u200b",
)  # fmt: skip

POST_FRAGMENTS = (
    "<dl>", "</dl>", "<dt>", "<dd>", "<table>", "<td>", "<th>", "<figure>", "<figcaption>",
    "<h2>", " alt=", ' alt="x"', "<video", "<source", "<audio",
)  # fmt: skip

hostile_markup = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=30
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_markup)
@example('<a href="jav\tascript:alert(1)">x</a>')
@example("<svg><a xlink:href=javascript:alert(1)>x</a></svg>")
@example("<p title=<script>")
@example('<noscript><p title="</noscript><img src=x onerror=alert(1)>">')
def test_clean_html_never_outputs_an_executable_construct(markup: str) -> None:
    assert executable_constructs(clean_html(markup)) == []


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_markup)
def test_markdown_bodies_never_render_an_executable_construct(markup: str) -> None:
    comment = Comment(id="c", author="a", body=markup, format="markdown")
    assert executable_constructs(body_html(comment)) == []


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_markup)
@example("<p><ul><li>x</li></ul></p>")
@example("<a href=x><a href=y>z</a></a>")
def test_clean_html_is_idempotent(markup: str) -> None:
    once = clean_html(markup)
    assert clean_html(once) == once


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS + POST_FRAGMENTS), st.text(max_size=4)),
                max_size=30).map("".join))  # fmt: skip
@example('<a href="https://x.example/"><img src="https://x.example/a.png" alt="<script>"></a>')
@example("<dl><img src=x alt=y onerror=alert(1)><dt>t</dt></dl>")
def test_post_bodies_never_output_an_executable_construct_or_load_anything(markup: str) -> None:
    cleaned = clean_post_html(markup, "https://blog.example/post/")
    assert executable_constructs(cleaned, POST_TAGS) == []
    assert not BeautifulSoup(cleaned, "html.parser").find(["img", "video", "audio", "source"])


def test_a_post_bodys_images_become_links_and_its_broken_structure_plain_blocks() -> None:
    cleaned = clean_post_html(
        '<p>See <img src="/cat.png" alt="A  cat"> and <img src="https://t.example/p.gif">.</p>'
        '<p><a href="https://x.example/"><img src="b.png" alt="B"></a><a href="/empty"></a></p>'
        "<dl><dt>Term</dt><p>stray</p><dd>Meaning</dd></dl><dl><dt>T</dt><dd>D</dd></dl>"
        '<li>outside</li><table><tr><th>h</th><td style="color:#ccc">c</td></tr></table>',
        "https://blog.example/2020/post/",
    )
    soup = BeautifulSoup(cleaned, "html.parser")
    links = [(a.get("href"), a.get_text(" ", strip=True)) for a in soup.find_all("a")]
    assert links == [
        ("https://blog.example/cat.png", "image: A cat"),
        ("https://x.example/", "image: B"),
    ]
    assert "t.example" not in cleaned and "/empty" not in cleaned
    assert [p.get_text() for p in soup.find_all("p")][2:] == ["Term", "stray", "Meaning", "outside"]
    assert soup.find("dl").decode() == "<dl><dt>T</dt><dd>D</dd></dl>"
    assert soup.find("td").decode() == "<td>c</td>" and soup.find("th") is not None


@settings(max_examples=400, deadline=None)
@given(st.one_of(hostile_markup, st.text()))
def test_safe_url_returns_only_plain_absolute_http_urls(url: str) -> None:
    result = safe_url(url)
    if result is None:
        return
    assert re.match(r"(?i)https?://[^/?#\s]", result)
    assert not any(ch.isspace() or ch in "<>\"'`\\" for ch in result)
    assert not is_dangerous_url(result)


@given(
    st.sampled_from(["https", "http", "HTTPS"]), st.from_regex(r"[a-z0-9.-]{1,20}", fullmatch=True)
)
def test_safe_url_accepts_every_plain_web_address(scheme: str, host: str) -> None:
    url = f"{scheme}://{host}/path?q=1"
    assert safe_url(url) == url


# --- titles and names in themes that print them raw ------------------------------------------

# What a theme's `striptags` (which decodes entities) must not give back: a tag or an attribute end.
_ENDS_ATTRIBUTE_OR_OPENS_TAG = re.compile("[<>\"']")


@settings(max_examples=300, deadline=None)
@given(st.one_of(hostile_markup, st.text()))
@example('"><script>alert(1)</script>')
@example("</title><img src=x onerror=alert(1)>")
def test_an_inert_title_stays_text_even_stripped_of_its_tags(title: str) -> None:
    html = inert_text(title)
    assert executable_constructs(html) == []
    assert not _ENDS_ATTRIBUTE_OR_OPENS_TAG.search(Markup(html).striptags())
    assert not _ENDS_ATTRIBUTE_OR_OPENS_TAG.search(str(html))


def test_an_inert_title_reads_as_its_text() -> None:
    assert inert_text('Why "engagement" isn\'t <b>it</b> & more') == (
        "Why \u201cengagement\u201d isn\u2019t \u2039b\u203ait\u2039/b\u203a &amp; more"
    )


@settings(max_examples=300, deadline=None)
@given(hostile_markup)
@example("<p>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>")
def test_inert_html_keeps_the_tags_and_leaves_striptags_nothing_to_break_out_with(
    markup: str,
) -> None:
    html = inert_html(clean_html(markup))
    assert not _ENDS_ATTRIBUTE_OR_OPENS_TAG.search(html.striptags())
    assert inert_html(html) == html


def test_inert_html_keeps_markup_and_changes_only_text() -> None:
    html = inert_html('<p id="p-1">A <em>"quoted"</em> &lt;tag&gt; &amp; more</p>')
    assert html == '<p id="p-1">A <em>\u201cquoted\u201d</em> \u2039tag\u203a &amp; more</p>'


@given(st.text())
def test_plain_text_gives_back_an_escaped_name(name: str) -> None:
    assert plain_text(escape(name)) == name
    assert plain_text(name) == name
