"""Comment bodies to HTML and text: one conversion, the same result whichever path it takes."""

from __future__ import annotations

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from netiquette.model import Comment
from netiquette.render import body_html, html_to_text, markdown_to_html

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
