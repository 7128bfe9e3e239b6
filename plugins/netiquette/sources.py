"""Reading source files as text, the same way for every format.

Bytes that are not UTF-8 are replaced rather than fatal, and reported with the file and line; a
byte-order mark is dropped and line endings are normalised to ``\\n``, so parsers see one shape.
"""

from __future__ import annotations

from pathlib import Path

from netiquette.model import Problem


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
    if "\x00" in text:
        problems.append(Problem(source, "NUL characters removed (binary content?)"))
        text = text.replace("\x00", "")
    return text.replace("\r\n", "\n").replace("\r", "\n"), problems


def read_text(path: str | Path) -> tuple[str, list[Problem]]:
    """Read a content file as normalised text, with any decoding problems."""
    return decode(Path(path).read_bytes(), str(path))
