"""Reading source files as text, the same way for every format.

Bytes that are not UTF-8 are replaced rather than fatal, and reported with the file and line; a
byte-order mark is dropped and line endings are normalised to ``\\n``, so parsers see one shape.
"""

from __future__ import annotations

import re
from pathlib import Path

from netiquette.model import Problem

# C0 controls other than tab and line breaks: meaningless in prose, and invalid in XML feeds.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes, source: str) -> tuple[str, list[Problem]]:
    """Text of ``data`` with invalid UTF-8 replaced (and reported) and a BOM removed."""
    problems: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        problems.append(
            Problem(source, f"{bad} undecodable byte(s) replaced with U+FFFD (not UTF-8)", line)
        )
    controls = len(_CONTROL.findall(text))
    if controls:
        line = text.count("\n", 0, _CONTROL.search(text).start()) + 1
        problems.append(
            Problem(source, f"{controls} control character(s) removed (binary content?)", line)
        )
        text = _CONTROL.sub("", text)
    return text.replace("\r\n", "\n").replace("\r", "\n"), problems


def read_text(path: str | Path) -> tuple[str, list[Problem]]:
    """Read a content file as normalised text, with any decoding problems."""
    return decode(Path(path).read_bytes(), str(path))


def remove_controls(text: str) -> str:
    """``text`` without the control characters that XML (and so every feed) rejects."""
    return _CONTROL.sub("", text)
