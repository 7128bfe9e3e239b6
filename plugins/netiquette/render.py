"""Comment bodies to safe HTML and to plain text, whatever format they came in.

Conversion happens once per comment: the sanitized HTML is what pages and feeds show, and its text is
what the tagger reads, so evidence quotes always match what a reader sees.
"""

from __future__ import annotations

import html
import re

import markdown
from markupsafe import Markup

from netiquette.model import Comment
from netiquette.sanitize import clean_html

_BLOCK_TAG = re.compile(r"<\s*(p|div|blockquote|ul|ol|li|pre|h[1-6]|table|tr)\b", re.I)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LINE_BREAK = re.compile(r"<br\s*/?>\n?", re.I)
_BLOCK_END = re.compile(r"</(?:p|li|blockquote|pre|ul|ol|h[1-6])\s*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_BLANK_RUNS = re.compile(r"\n{3,}")
_MARKDOWN = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def paragraphs_to_html(text: str) -> str:
    """Plain text with blank-line separated paragraphs as escaped ``<p>`` elements."""
    parts = [part.strip() for part in _PARAGRAPH_BREAK.split(text) if part.strip()]
    return "\n".join(
        "<p>" + html.escape(part, quote=False).replace("\n", "<br>\n") + "</p>" for part in parts
    )


def autop(fragment: str) -> str:
    """WordPress-style paragraphs for HTML stored with bare newlines, as WXR comments are."""
    if _BLOCK_TAG.search(fragment):
        return fragment
    parts = [part.strip() for part in _PARAGRAPH_BREAK.split(fragment) if part.strip()]
    return "\n".join("<p>" + part.replace("\n", "<br>\n") + "</p>" for part in parts)


# Anything Markdown (with the "extra" extensions) could read as markup: such text goes through the
# full converter; plain prose, most comments, takes the fast path below with the same result.
_MARKDOWN_SYNTAX = re.compile(
    r"[\\`*_\[\]<>#|~&{}\t]|^[ \t]|^(?:[-+*:>]|\d+[.)])|^[=-]+[ \t]*$| $|https?:|www\.",
    re.M,
)
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


def markdown_to_html(text: str) -> str:
    """HTML of a comment's Markdown, as Python-Markdown renders it."""
    if not _MARKDOWN_SYNTAX.search(text):
        paragraphs = _BLANK_LINES.split(text.strip("\n"))
        return "\n".join(f"<p>{part}</p>" for part in paragraphs if part)
    _MARKDOWN.reset()
    return _MARKDOWN.convert(text)


def body_html(comment: Comment) -> Markup:
    """The comment's body as sanitized HTML, marked safe for templates, ready for a page or a feed."""
    if comment.format == "text":
        html = paragraphs_to_html(comment.body)
    elif comment.format == "markdown":
        html = markdown_to_html(comment.body)
    else:
        html = autop(comment.body)
    return Markup(clean_html(html))


def html_to_text(fragment: str) -> str:
    """Readable plain text of (sanitized) HTML: blocks become paragraphs, entities are decoded."""
    text = _BLOCK_END.sub("\n\n", _LINE_BREAK.sub("\n", fragment))
    text = html.unescape(_TAG.sub("", text))
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
