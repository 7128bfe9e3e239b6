"""Reading source files as text, the same way for every format and every reader.

Every reader (site readers, importers, comment files, the command line) goes through `decode`, so a
file reads the same wherever it is used. The encoding is chosen in this order: a byte-order mark
(UTF-8, UTF-16, UTF-32), then the NUL-byte pattern of BOM-less UTF-16/32, then a declared charset
(``<?xml encoding=…?>``, or an HTML ``<meta charset>`` near the top of a page), then UTF-8. Bytes
the chosen encoding cannot read are replaced with U+FFFD rather than fatal, control characters
are removed, and line endings are normalised to ``\\n``; each such repair is reported with file and
line, so parsers see one shape and nothing is changed silently.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Literal

from netiquette.model import Problem

#: What the bytes are, for finding a declared charset: None sniffs it from the first bytes.
Kind = Literal["text", "html", "xml"] | None

# C0 controls other than tab and line breaks, DEL and the C1 controls: meaningless in prose, and
# invalid in XML feeds.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# UTF-32 before UTF-16: FF FE 00 00 starts with FF FE.
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
#: Bytes looked at for the NUL pattern of wide encodings and for a declared charset.
SNIFF_BYTES = 4096
_XML_START = re.compile(rb"\s*<\?xml[\s?]")
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?\bencoding\s*=\s*["']\s*([A-Za-z0-9._:-]+)""")
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_MARKUP_START = re.compile(rb"\s*<")
# Labels browsers read differently from Python, or that Python does not know (WHATWG Encoding).
_LABELS = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "windows-874": "cp874",
    "gb2312": "gbk",
    "x-gbk": "gbk",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "windows-31j": "cp932",
    "x-sjis": "cp932",
    "x-mac-roman": "mac-roman",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-euc-jp": "euc_jp",
}
# A codec that does not read these bytes as themselves (UTF-7, unicode-escape, EBCDIC, punycode)
# could turn a declared page into markup its author never wrote; such declarations are ignored.
_ASCII_PROBE = bytes(range(0x20, 0x7F)) + b"\t\n\r\\n+-"


def decode(data: bytes, source: str, *, kind: Kind = None) -> tuple[str, list[Problem]]:
    """Text of ``data`` in the encoding it carries or declares, with every repair reported.

    `kind` says where to look for a declared charset ("xml": the XML declaration, "html": a
    ``<meta>`` in the first few KB, "text": nowhere); left None it is sniffed from the first bytes.
    """
    problems: list[Problem] = []
    codec, start = _bom(data)
    if codec is None:
        codec = _wide_without_bom(data) or _declared(data, source, kind, problems) or "utf-8"
    text = _decode_reporting(data[start:], codec, source, problems)
    controls = len(_CONTROL.findall(text))
    if controls:
        first = _CONTROL.search(text)
        line = _line_at(text, first.start()) if first else None
        problems.append(
            Problem(source, f"{controls} control character(s) removed (binary content?)", line)
        )
        text = _CONTROL.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if data.strip() and not text.replace("\ufffd", "").strip():
        problems.append(
            Problem(
                source, f"no readable text in {len(data)} byte(s) (read as {codec})", 1, "error"
            )
        )
    return text, problems


def read_text(path: str | Path) -> tuple[str, list[Problem]]:
    """Read a content file as normalised text, with any decoding problems."""
    return decode(Path(path).read_bytes(), str(path))


def remove_controls(text: str) -> str:
    """``text`` without the control characters XML (and so every feed) rejects or discourages."""
    return _CONTROL.sub("", text)


def _bom(data: bytes) -> tuple[str | None, int]:
    """The codec a byte-order mark names and the mark's length, or (None, 0)."""
    for mark, codec in _BOMS:
        if data.startswith(mark):
            if codec == "utf-32-le" and _utf16_after_all(data):
                return "utf-16-le", 2
            return codec, len(mark)
    return None, 0


def _utf16_after_all(data: bytes) -> bool:
    """Whether bytes starting FF FE 00 00 are UTF-16 text whose first character is U+0000."""
    sample = data[: SNIFF_BYTES + 4]
    return not _valid(sample[4:], "utf-32-le", final=False) and _valid(
        sample[2:], "utf-16-le", final=False
    )


def _wide_without_bom(data: bytes) -> str | None:
    """UTF-16 or UTF-32 recognised by where the NUL bytes of mostly-Latin text fall.

    Only a clear pattern over at least 16 bytes counts, and only if the sample decodes cleanly, so
    UTF-8 text with a stray NUL is never taken for a wide encoding.
    """
    size = min(len(data), SNIFF_BYTES) // 4 * 4
    if size < 16:
        return None
    sample = data[:size]
    quarter = size // 4
    zeros = [sample[offset::4].count(0) for offset in range(4)]
    if zeros[3] == quarter and zeros[2] >= 0.9 * quarter and zeros[0] < 0.5 * quarter:
        candidate = "utf-32-le"
    elif zeros[0] == quarter and zeros[1] >= 0.9 * quarter and zeros[3] < 0.5 * quarter:
        candidate = "utf-32-be"
    elif zeros[1] + zeros[3] >= 1.2 * quarter and zeros[0] + zeros[2] <= 0.1 * quarter:
        candidate = "utf-16-le"
    elif zeros[0] + zeros[2] >= 1.2 * quarter and zeros[1] + zeros[3] <= 0.1 * quarter:
        candidate = "utf-16-be"
    else:
        return None
    return candidate if _valid(sample, candidate, final=False) else None


def _valid(data: bytes, codec: str, *, final: bool = True) -> bool:
    try:
        codecs.getincrementaldecoder(codec)("strict").decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _declared(data: bytes, source: str, kind: Kind, problems: list[Problem]) -> str | None:
    """The codec the document declares, if it declares a usable one; others are reported."""
    head = data[:SNIFF_BYTES]
    if kind is None:
        kind = "xml" if _XML_START.match(head) else "html" if _MARKUP_START.match(head) else "text"
    if kind == "text":
        return None
    match = _XML_ENCODING.search(head[:512]) if kind == "xml" else None
    if match is None and kind == "html" and not _XML_START.match(head):
        match = _META_CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii")
    line = head.count(b"\n", 0, match.start()) + 1
    try:
        name = codecs.lookup(_LABELS.get(label.lower(), label)).name
    except LookupError:
        name = _LABELS.get(label.lower())
        if name is None:
            problems.append(
                Problem(source, f"unknown charset {label!r} declared; read as UTF-8", line)
            )
            return None
    name = _LABELS.get(name, name)
    if name.startswith(("utf-16", "utf-32")):
        problems.append(
            Problem(source, f"declares {label!r} but is not in that encoding; read as UTF-8", line)
        )
        return None
    if not _ascii_compatible(name):
        problems.append(
            Problem(source, f"charset {label!r} declared is not supported; read as UTF-8", line)
        )
        return None
    return name


def _ascii_compatible(codec: str) -> bool:
    try:
        return _ASCII_PROBE.decode(codec) == _ASCII_PROBE.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def _decode_reporting(data: bytes, codec: str, source: str, problems: list[Problem]) -> str:
    """``data`` decoded, bytes the codec cannot read replaced with U+FFFD and reported once."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        first_bad = error.start
    text = data.decode(codec, errors="replace")
    before = data[:first_bad].decode(codec, errors="replace")
    line = _line_at(before, len(before))
    bad = text.count("\ufffd")
    reason = "not UTF-8" if codec == "utf-8" else f"not valid {codec}"
    problems.append(
        Problem(source, f"{bad} undecodable byte(s) replaced with U+FFFD ({reason})", line)
    )
    return text


def _line_at(text: str, end: int) -> int:
    """The 1-based line of position `end` in `text`, counting any line-ending convention once."""
    prefix = text[:end]
    return prefix.count("\n") + prefix.count("\r") - prefix.count("\r\n") + 1
