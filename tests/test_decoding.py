"""One decoder for every reader: byte-order marks, declared charsets, wide encodings, bad bytes.

Each case goes through the paths a user takes (the site readers, ``netiquette import``,
``netiquette analyze`` and ``netiquette tag``), because a file that reads well in one and badly in
another is the bug these tests exist for. A property test feeds the decoder arbitrary bytes.
"""

from __future__ import annotations

import argparse
import io
import json
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from netiquette.cli import main
from netiquette.commands import import_
from netiquette.formats import load_path
from netiquette.loaders import read_text_thread
from netiquette.parsers.disqus import read_disqus
from netiquette.parsers.wxr import read_wxr
from netiquette.segments import html_paragraphs, number_html_paragraphs
from netiquette.sources import decode
from tests.conftest import ROOT, build_site

WIDE_ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")
BOMS = {
    "utf-16-le": b"\xff\xfe",
    "utf-16-be": b"\xfe\xff",
    "utf-32-le": b"\xff\xfe\x00\x00",
    "utf-32-be": b"\x00\x00\xfe\xff",
}

THREAD = (
    "Tea With Strangers\n\n"
    "Why I answer every comment, even the rude ones.\n\n"
    "2 comments\n\n"
    "  1. Lovely post, thank you. Café au lait for everyone!\n"
    "  2. I disagree, politely.\n"
)

WXR = """<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<item><title>Caf\u00e9 Manners</title><wp:post_id>7</wp:post_id>
<wp:post_name>cafe-manners</wp:post_name>
<wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Zo\u00eb</wp:comment_author>
<wp:comment_date_gmt>2020-01-02 00:00:00</wp:comment_date_gmt>
<wp:comment_content>Na\u00efve question: why?</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author>Ann</wp:comment_author>
<wp:comment_date_gmt>2020-01-03 00:00:00</wp:comment_date_gmt>
<wp:comment_content>Because \U0001f375.</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>1</wp:comment_parent></wp:comment>
</item>
</channel>
</rss>
"""

DISQUS = """<?xml version="1.0" encoding="{encoding}"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="100"><link>https://blog.example/tea/</link><title>T\u00e9a</title></thread>
<post dsq:id="1001"><message><![CDATA[<p>Z\u00fcrich says hi</p>]]></message>
<createdAt>2012-01-20T09:00:00Z</createdAt><author><name>Ann</name></author>
<thread dsq:id="100"/></post>
</disqus>
"""

SHORTCODE_BODY = (
    "<p>Before the picture.</p>\n\n"
    '[caption id="attachment_5" align="alignnone" width="300"]<img src="tea.jpg" /> '
    "Tea, as served.[/caption]\n\n"
    '[gallery ids="1,2,3"]\n\n'
    "A plain paragraph, WordPress style\non two lines.\n\n"
    "[embed]https://video.example/watch?v=1[/embed]\n\n"
    "<pre>[caption] is how you write it</pre>"
)
SHORTCODE_PARAGRAPHS = [
    "Before the picture.",
    "Tea, as served.",
    "A plain paragraph, WordPress style on two lines.",
    "https://video.example/watch?v=1",
    "[caption] is how you write it",
]


def wxr_bytes(encoding: str, declared: str | None = None, body: str = "Body.") -> bytes:
    text = WXR.format(encoding=declared or encoding.upper(), body=body)
    return text.encode(encoding)


def run_import(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="netiquette")
    import_.configure(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["import", *argv])
    stdout, stderr = io.StringIO(), io.StringIO()
    return args.func(args, stdout=stdout, stderr=stderr), stdout.getvalue(), stderr.getvalue()


def saved_page_reader(content: Path):
    from pelican.plugins.netiquette.readers import SavedPageReader
    from pelican.plugins.netiquette.settings import apply_defaults
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    apply_defaults(settings)
    return SavedPageReader(settings)


def comment_texts(thread) -> list[tuple[str, str]]:
    return [(comment.author, comment.body) for comment in thread.comments]


# --- byte-order marks and wide encodings ----------------------------------------------------------


@pytest.mark.parametrize("encoding", WIDE_ENCODINGS)
def test_wide_text_thread_with_a_bom_keeps_its_comments(tmp_path, encoding):
    expected = read_text_thread(_write(tmp_path / "utf8.txt", THREAD.encode("utf-8")))
    data = THREAD.encode(encoding)
    if not encoding.endswith(("16", "32")):
        data = BOMS[encoding] + data
    thread = read_text_thread(_write(tmp_path / "wide.txt", data))
    assert thread.problems == []
    assert thread.post.title == "Tea With Strangers"
    assert len(thread.comments) == 2
    assert comment_texts(thread) == comment_texts(expected)
    assert "Café au lait" in thread.comments[0].body


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_text_without_a_bom_is_recognised_by_its_nul_bytes(encoding):
    text, problems = decode(THREAD.encode(encoding), "nobom.txt")
    assert (text, problems) == (THREAD, [])


def test_utf8_with_a_stray_nul_is_not_taken_for_utf16():
    text, problems = decode(b"Tea\x00 time and more text to make it long enough", "nul.txt")
    assert text == "Tea time and more text to make it long enough"
    assert [p.message for p in problems] == ["1 control character(s) removed (binary content?)"]


def test_tag_command_reads_a_utf16_file(tmp_path, capsys):
    path = _write(
        tmp_path / "post.txt", "First paragraph.\r\n\r\nCafé second.\r\n".encode("utf-16")
    )
    assert main(["tag", "--no-model", "--json", str(path)]) == 0
    segments = [json.loads(line)["text"] for line in capsys.readouterr().out.splitlines()]
    assert segments == ["First paragraph.", "Café second."]


# --- declared charsets ----------------------------------------------------------------------------

CP1252_PAGE = (
    '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" '
    'content="text/html; charset=windows-1252"><title>Caf\u00e9 \u2013 Blog</title></head><body>'
    '<div class="entry-content"><p>Un caf\u00e9, s\u2019il vous pla\u00eet.</p></div>'
    '<ol class="comment-list"><li class="comment" id="comment-3"><div class="comment-author">'
    '<b class="fn">Ren\u00e9e</b></div><div class="comment-content"><p>Merci \u2014 d\u00e9j\u00e0'
    " vu.</p></div></li></ol></body></html>"
)


def test_windows_1252_page_reads_the_same_in_the_site_reader_and_the_importer(tmp_path):
    content = tmp_path / "content"
    page = _write(content / "threads" / "cafe.html", CP1252_PAGE.encode("cp1252"))
    html, metadata = saved_page_reader(content).read(str(page))
    thread = metadata["netiquette_thread"]
    assert thread.problems == []
    assert thread.post.paragraphs == ["Un caf\u00e9, s\u2019il vous pla\u00eet."]
    assert "Un caf\u00e9" in html and "\ufffd" not in html
    assert thread.comments[0].author == "Ren\u00e9e"

    out = tmp_path / "imported"
    code, report, err = run_import("html", str(page), "--output", str(out))
    assert code == 0, err
    written = "".join(path.read_text(encoding="utf-8") for path in out.rglob("*.md"))
    assert "Un caf\u00e9, s\u2019il vous pla\u00eet." in written
    assert "Ren\u00e9e" in written and "d\u00e9j\u00e0 vu" in written
    assert "\ufffd" not in written and "undecodable" not in report + err


def test_unknown_declared_charset_is_reported_and_read_as_utf8():
    data = '<meta charset="x-klingon"><p>Caf\u00e9</p>'.encode()
    text, problems = decode(data, "odd.html")
    assert "Caf\u00e9" in text
    assert [str(p) for p in problems] == [
        "odd.html:1: unknown charset 'x-klingon' declared; read as UTF-8"
    ]


def test_charset_that_could_smuggle_markup_is_not_honoured():
    data = b'<meta charset="utf-7"><p>+ADw-script+AD4-</p>'
    text, problems = decode(data, "seven.html")
    assert "<script>" not in text and "+ADw-script+AD4-" in text
    assert "not supported" in problems[0].message


def test_bytes_the_declared_charset_cannot_read_are_reported_at_their_line():
    data = b'<?xml version="1.0" encoding="windows-1252"?>\n<a>\n<b>\x81</b></a>'
    text, problems = decode(data, "bad.xml")
    assert "\ufffd" in text
    assert [(p.line, "undecodable" in p.message) for p in problems] == [(3, True)]


def test_a_file_that_decodes_to_nothing_is_an_error():
    _, problems = decode(b"\x00\x01\x02\x03", "nothing.txt")
    assert [p.level for p in problems] == ["warning", "error"]
    assert "no readable text" in problems[-1].message


# --- exports in wide encodings --------------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "declared"), [
    ("utf-32", None), ("utf-32", "UTF-8"), ("utf-16", None), ("utf-8-sig", "UTF-8"),
])  # fmt: skip
def test_wxr_in_a_wide_encoding_with_a_bom_imports_its_comments(encoding, declared):
    result = read_wxr(wxr_bytes(encoding, declared), f"{encoding}.xml")
    [post] = result.posts
    assert post.thread.post.title == "Caf\u00e9 Manners"
    assert comment_texts(post.thread) == [
        ("Zo\u00eb", "<p>Na\u00efve question: why?</p>"),
        ("Ann", "<p>Because \U0001f375.</p>"),
    ]
    assert post.thread.comments[1].parent_id == "1"
    assert result.counts.published == 2
    assert not [p for p in result.all_problems() if "U+FFFD" in p.message]


def test_utf32_wxr_through_the_command_line_writes_the_comments(tmp_path):
    source = _write(tmp_path / "export.xml", wxr_bytes("utf-32"))
    code, report, err = run_import("wxr", str(source), "--output", str(tmp_path / "out"))
    assert code == 0, err
    comments = list((tmp_path / "out" / "comments").rglob("*.md"))
    assert len(comments) == 2
    assert any("Na\u00efve" in path.read_text(encoding="utf-8") for path in comments)


@pytest.mark.parametrize("encoding", ["utf-32", "utf-16"])
def test_disqus_export_in_a_wide_encoding_imports_its_comments(encoding, tmp_path):
    data = DISQUS.format(encoding=encoding.upper()).encode(encoding)
    result = read_disqus(data, "disqus.xml", create_posts=True)
    [post] = result.posts
    assert post.thread.post.title == "T\u00e9a"
    assert comment_texts(post.thread) == [("Ann", "<p>Z\u00fcrich says hi</p>")]
    threads = load_path(_write(tmp_path / "disqus.xml", data))
    assert [len(thread.comments) for thread in threads] == [1]


def test_analyze_reads_a_utf32_export(tmp_path, capsys):
    source = _write(tmp_path / "export.xml", wxr_bytes("utf-32"))
    assert main(["analyze", "--json", "--no-model", str(source)]) == 0
    [thread] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert thread["title"] == "Caf\u00e9 Manners"
    assert [c["author"] for c in thread["comments"]] == ["Zo\u00eb", "Ann"]


# --- one HTML-to-paragraphs routine ---------------------------------------------------------------


def test_shortcodes_give_the_same_paragraphs_in_import_build_and_analyze(tmp_path):
    source = _write(tmp_path / "export.xml", wxr_bytes("utf-8", body=SHORTCODE_BODY))
    [imported] = read_wxr(source.read_bytes(), str(source)).posts
    assert imported.thread.post.paragraphs == SHORTCODE_PARAGRAPHS

    [analyzed] = load_path(source)
    assert analyzed.post.paragraphs == SHORTCODE_PARAGRAPHS

    content = tmp_path / "content"
    code, _, err = run_import("wxr", str(source), "--output", str(content))
    assert code == 0, err
    [post_file] = content.glob("*.md")
    [analyzed_md] = load_path(post_file)
    assert analyzed_md.post.paragraphs == SHORTCODE_PARAGRAPHS

    output = build_site(content, tmp_path / "output")
    page = BeautifulSoup((output / "posts" / "cafe-manners.html").read_bytes(), "lxml")
    built = [" ".join(p.get_text().split()) for p in page.select("[id^=p-]")]
    assert built == SHORTCODE_PARAGRAPHS
    body = page.select_one(".post-body")
    for literal in body.select("pre"):
        literal.decompose()
    assert "[caption" not in body.decode() and "[gallery" not in body.decode()


def test_numbered_html_and_paragraphs_agree():
    html, paragraphs = number_html_paragraphs(SHORTCODE_BODY)
    assert paragraphs == html_paragraphs(SHORTCODE_BODY) == SHORTCODE_PARAGRAPHS
    soup = BeautifulSoup(html, "lxml")
    assert [" ".join(tag.get_text().split()) for tag in soup.select("[id^=p-]")] == paragraphs
    assert [tag["id"] for tag in soup.select("[id^=p-]")] == ["p-1", "p-2", "p-3", "p-4", "p-5"]


def test_inline_markup_joins_without_stray_spaces():
    fragment = '<p>im Internet <a href="/x">Netz</a>, kurz <em>VSGE</em>.<br>Neu<b>e</b> Zeile</p>'
    assert html_paragraphs(fragment) == ["im Internet Netz, kurz VSGE. Neue Zeile"]


def test_loose_text_in_a_list_item_is_a_paragraph_of_its_own():
    fragment = "<ul><li>Point<ul><li>Sub-point</li></ul></li></ul>"
    html, paragraphs = number_html_paragraphs(fragment)
    assert paragraphs == ["Point", "Sub-point"]
    assert '<span id="p-1">Point</span>' in html


# --- the decoder on any input ---------------------------------------------------------------------

_PREFIXES = [
    b"",
    b"\xef\xbb\xbf",
    *BOMS.values(),
    b'<meta charset="windows-1252">',
    b'<meta charset="shift_jis">',
    b'<?xml version="1.0" encoding="iso-8859-7"?>',
    b'<?xml version="1.0" encoding="nonsense"?>',
]
# U+FFFD written in UTF-8, UTF-16 and UTF-32 (either byte order): a replacement character there
# was in the file, not made by the decoder.
_ENCODED_REPLACEMENT = (b"\xef\xbf\xbd", b"\xfd\xff", b"\xff\xfd")


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(_PREFIXES),
    st.binary(max_size=400),
    st.sampled_from([None, "text", "html", "xml"]),
)
def test_any_bytes_decode_to_clean_text_and_every_replacement_is_reported(prefix, body, kind):
    data = prefix + body
    text, problems = decode(data, "any.bin", kind=kind)
    assert isinstance(text, str) and "\r" not in text
    assert not [c for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n"]
    if "\ufffd" in text and not any(mark in data for mark in _ENCODED_REPLACEMENT):
        assert any("U+FFFD" in problem.message for problem in problems)
    assert all(problem.source == "any.bin" for problem in problems)


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
