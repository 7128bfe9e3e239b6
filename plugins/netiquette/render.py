"""Comment bodies to safe HTML and to plain text, whatever format they came in.

Conversion happens once per comment: the sanitized HTML is what pages and feeds show, and its text is
what the tagger reads, so evidence quotes always match what a reader sees.
"""

from __future__ import annotations

import html
import re

import cffi
import markdown
from cmarkgfm import _cmark as _cmark_bindings
from cmarkgfm import cmark
from markupsafe import Markup

from netiquette.model import Comment
from netiquette.sanitize import clean_html

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
        "<p>" + html.escape(part, quote=False).replace("\n", "<br />\n") + "</p>" for part in parts
    )


_BLOCK_TAGS = (
    "address|article|aside|blockquote|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|"
    "ol|p|pre|section|table|td|th|tr|ul"
)
_BLOCK_MARKUP = re.compile(rf"</?(?:{_BLOCK_TAGS})(?:[\s/>]|$)", re.IGNORECASE)
_PRE = re.compile(r"<pre[\s>]", re.IGNORECASE)
_IN_PARAGRAPH = re.compile(r"(<p(?:\s[^>]*)?>)(.*?)(</p>)", re.IGNORECASE | re.DOTALL)


def autop(text: str) -> str:
    """HTML for a body stored as WordPress and Disqus store them, shown as those engines show it
    (WordPress's ``wpautop``): blank-line separated chunks without block markup become ``<p>``
    paragraphs, and a single line break inside a paragraph becomes ``<br>``. Anything with
    ``<pre>`` is left as it is."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text or _PRE.search(text):
        return text
    chunks = [chunk.strip() for chunk in _PARAGRAPH_BREAK.split(text) if chunk.strip()]
    return "\n".join(
        _IN_PARAGRAPH.sub(_line_breaks, chunk)
        if _BLOCK_MARKUP.search(chunk)
        else "<p>" + chunk.replace("\n", "<br />\n") + "</p>"
        for chunk in chunks
    )


def _line_breaks(match: re.Match[str]) -> str:
    return match.group(1) + match.group(2).strip("\n").replace("\n", "<br />\n") + match.group(3)


# Anything Markdown (with the "extra" extensions) could read as markup: such text goes through the
# full converter; plain prose, most comments, takes the fast path below with the same result.
_MARKDOWN_SYNTAX = re.compile(
    r"[\\`*_\[\]<>#|~&{}\t]|^[ \t]|^(?:[-+*:>]|\d+[.)])|^[=-]+[ \t]*$| $|https?:|www\.",
    re.M,
)
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


def markdown_to_html(text: str) -> str:
    """HTML of Markdown as Python-Markdown renders it (as Pelican renders posts)."""
    if not _MARKDOWN_SYNTAX.search(text):
        paragraphs = _BLANK_LINES.split(text.strip("\n"))
        return "\n".join(f"<p>{part}</p>" for part in paragraphs if part)
    _MARKDOWN.reset()
    return _MARKDOWN.convert(text)


# Comment bodies are CommonMark, rendered by cmark-gfm (C; linear time whatever the input, where
# Python-Markdown takes tens of seconds over a comment of 8,000 "[" and overflows the stack on lists
# nested 500 deep) with the GitHub table extension and footnotes, the parts of Python-Markdown's
# "extra" that commenters use; fenced code is CommonMark's own. Raw HTML is kept for `clean_html` to
# sanitize (as Python-Markdown kept it). Bare URLs are not turned into links, as before.
_CMARK_OPTIONS = cmark.Options.CMARK_OPT_UNSAFE | cmark.Options.CMARK_OPT_FOOTNOTES
_CMARK_EXTENSIONS = ["table"]
# Anything CommonMark (with those extensions) could read as markup, or that cmark would rewrite
# (NUL, carriage returns, other whitespace); text without any takes the fast path below, which
# gives exactly cmark's output.
_COMMONMARK_SYNTAX = re.compile(r"[\\`*_\[\]<>#|~&\t\r\f\v\x00]|^[ ]|^(?:[-+=>]|\d+[.)])| $", re.M)


def comment_markdown_to_html(text: str) -> str:
    """HTML of a comment's Markdown (CommonMark with tables and footnotes), as cmark renders it."""
    if not _COMMONMARK_SYNTAX.search(text):
        paragraphs = _BLANK_LINES.split(text.strip("\n"))
        return "".join(
            "<p>" + part.replace('"', "&quot;") + "</p>\n" for part in paragraphs if part
        )
    return _cmark_render(text.encode("utf-8", "replace"))


# cmarkgfm's own wrappers (`markdown_to_html_with_extensions`) never free the parsed document nor
# the rendered string: about 13 KB lost per call, 250 MiB over 20,000 comments. The same calls
# made here free both (the document with cmark's `cmark_node_free`, which cmarkgfm's bindings do
# not declare, and the string with the C library's `free`, cmark's default allocator).
_lib, _ffi = _cmark_bindings.lib, _cmark_bindings.ffi
_own_ffi = cffi.FFI()
_own_ffi.cdef("void cmark_node_free(void *node); void free(void *pointer);")
_node_free = _own_ffi.dlopen(_cmark_bindings.__file__).cmark_node_free
_free = _own_ffi.dlopen(None).free
_lib.cmark_gfm_core_extensions_ensure_registered()
_EXTENSIONS = [_lib.cmark_find_syntax_extension(name.encode()) for name in _CMARK_EXTENSIONS]


def _address(pointer) -> object:
    return _own_ffi.cast("void *", int(_ffi.cast("uintptr_t", pointer)))


def _cmark_render(data: bytes) -> str:
    parser = _lib.cmark_parser_new(_CMARK_OPTIONS)
    try:
        for extension in _EXTENSIONS:
            _lib.cmark_parser_attach_syntax_extension(parser, extension)
        _lib.cmark_parser_feed(parser, data, len(data))
        root = _lib.cmark_parser_finish(parser)
        try:
            extensions = _lib.cmark_parser_get_syntax_extensions(parser)
            raw = _lib.cmark_render_html(root, _CMARK_OPTIONS, extensions)
            try:
                return _ffi.string(raw).decode("utf-8", "replace")
            finally:
                _free(_address(raw))
        finally:
            _node_free(_address(root))
    finally:
        _lib.cmark_parser_free(parser)


def body_html(comment: Comment) -> Markup:
    """The comment's body as sanitized HTML, marked safe for templates, ready for a page or a feed."""
    if comment.format == "text":
        html = paragraphs_to_html(comment.body)
    elif comment.format == "markdown":
        html = comment_markdown_to_html(comment.body)
    else:
        html = autop(comment.body)
    return Markup(clean_html(html))


def html_to_text(fragment: str) -> str:
    """Readable plain text of (sanitized) HTML: blocks become paragraphs, entities are decoded."""
    text = _BLOCK_END.sub("\n\n", _LINE_BREAK.sub("\n", fragment))
    text = html.unescape(_TAG.sub("", text))
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
