"""Comment bodies to HTML and text: one conversion, the same result whichever path it takes."""

from __future__ import annotations

import time

import cmarkgfm
import markdown
import pytest
from cmarkgfm import cmark
from hypothesis import given, settings
from hypothesis import strategies as st

from netiquette.model import Comment
from netiquette.render import (
    body_html,
    comment_markdown_to_html,
    html_to_text,
    markdown_to_html,
)

REFERENCE = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
PIECES = list("abc XYZ.,!?'\"0123\n\t-*:=#>&_[]()`") + [
    "\n\n",
    "  ",
    "1. ",
    "- ",
    "é",
    "’",
    "http://x",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_plain_prose_shortcut_renders_exactly_as_python_markdown(text):
    REFERENCE.reset()
    assert markdown_to_html(text) == REFERENCE.convert(text)


COMMONMARK_PIECES = [*PIECES, "+", "|", "~", "!", '"', "<b>", "&amp;", "\r", "\x00", "    ", "==="]


def _cmark(text: str) -> str:
    options = cmark.Options.CMARK_OPT_UNSAFE | cmark.Options.CMARK_OPT_FOOTNOTES
    return cmarkgfm.markdown_to_html_with_extensions(text, options=options, extensions=["table"])


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(COMMONMARK_PIECES), max_size=40).map("".join))
def test_comment_prose_shortcut_renders_exactly_as_cmark(text):
    assert comment_markdown_to_html(text) == _cmark(text)


def _markdown_comment(body: str) -> Comment:
    return Comment(id="1", author="a", body=body, format="markdown")


def test_comment_markdown_keeps_what_commenters_use():
    html = body_html(
        _markdown_comment(
            "**Bold**, _em_, `code` and [a link](https://example.org/).\n\n"
            "```python\nprint('<hi>')\n```\n\n> quoted\n\n1. one\n2. two\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nA note[^1].\n\n[^1]: The note.\n"
        )
    )
    assert "<strong>Bold</strong>" in html and "<em>em</em>" in html
    assert "<code>code</code>" in html
    assert (
        '<a href="https://example.org/" rel="nofollow ugc noopener noreferrer">a link</a>' in html
    )
    assert "<pre><code>print('&lt;hi&gt;')\n</code></pre>" in html
    assert "<blockquote>" in html and "<ol>\n<li>one</li>" in html
    # Tables and footnote sections are not allowed markup: their text stays, their tags go.
    assert "<table" not in html and "<section" not in html and "The note." in html
    assert "<sup>" in html


def test_comment_markdown_does_not_link_bare_urls():
    html = body_html(_markdown_comment("See https://example.org/ and www.example.org today."))
    assert "<a" not in html


@pytest.mark.parametrize(
    "body",
    [
        "[" * 8000,
        "".join("  " * depth + "- x\n" for depth in range(500)),
        "- " * 500 + "x",
        "> " * 1000 + "x",
        "*a " * 5000,
        "<" * 8000,
    ],
    ids=["brackets", "nested-list", "list-markers", "quotes", "emphasis", "angles"],
)
def test_hostile_comment_markdown_renders_in_linear_time(body):
    start = time.perf_counter()
    html = body_html(_markdown_comment(body))
    assert time.perf_counter() - start < 1.0
    assert "<script" not in html


def test_markdown_comment_keeps_formatting_and_drops_script():
    comment = Comment(id="1", author="a", body="Hello *world*\n\n- one\n- two\n\n<script>x</script>",
                      format="markdown")  # fmt: skip
    html = body_html(comment)
    assert "<em>world</em>" in html and "<li>one</li>" in html and "script" not in html
    assert html_to_text(html) == "Hello world\n\none\n\ntwo"


def test_wordpress_style_html_gets_paragraphs_and_line_breaks():
    comment = Comment(
        id="1", author="a", body="Line one\nline <b>two</b>\n\nPara &amp; 2", format="html"
    )
    html = body_html(comment)
    assert html == "<p>Line one<br>\nline <b>two</b></p>\n<p>Para &amp; 2</p>"
    assert html_to_text(html) == "Line one\nline two\n\nPara & 2"


def test_plain_text_comment_is_escaped_not_interpreted():
    comment = Comment(id="1", author="a", body="a <b>bold</b> claim\n\nsecond", format="text")
    assert body_html(comment) == "<p>a &lt;b&gt;bold&lt;/b&gt; claim</p>\n<p>second</p>"


def test_rendering_comments_frees_what_cmark_allocates():
    import resource

    body = "Some **words** | a |\n|---|\n| 1 |\n\nA note[^1].\n\n[^1]: x\n" * 20
    for _ in range(200):
        comment_markdown_to_html(body)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(5000):
        comment_markdown_to_html(body)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 8 * 1024  # cmarkgfm's own wrapper loses ~150 MiB over these calls


def test_autop_breaks_lines_as_wordpress_shows_them_even_inside_paragraphs():
    from netiquette.render import autop

    assert autop("<p>going to test it \nbut thanks</p>\n\n<p>ok</p>") == (
        "<p>going to test it <br />\nbut thanks</p>\n<p>ok</p>"
    )
    assert autop("one\ntwo\n\nthree") == "<p>one<br />\ntwo</p>\n<p>three</p>"
    assert autop("<pre>a\nb</pre>") == "<pre>a\nb</pre>"
