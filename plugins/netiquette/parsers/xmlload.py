"""Parsing export XML that real tools wrote, which is not always well-formed.

Exports in the wild carry stray bytes before the XML declaration, namespace prefixes nobody declared,
bytes that are not UTF-8 and unquoted attributes. Each is repaired in the gentlest way that still
reads the whole file, and reported as a warning with its line; only a file with no readable root
element is an `ArchiveError`.
"""

from __future__ import annotations

import re

from lxml import etree

from netiquette.model import Problem
from netiquette.parsers.archive import ArchiveError
from netiquette.sources import decode

#: Namespaces that exports use without always declaring them.
KNOWN_NAMESPACES = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dsq": "http://disqus.com/disqus-internals",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "georss": "http://www.georss.org/georss",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "media": "http://search.yahoo.com/mrss/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "sy": "http://purl.org/rss/1.0/modules/syndication/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "wp": "http://wordpress.org/export/1.2/",
}

_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")
_DECLARED_ENCODING = re.compile(
    r"""(<\?xml[^>]*?encoding\s*=\s*["'])\s*[A-Za-z0-9._:-]+\s*(["'])"""
)
_UNDECLARED = re.compile(r"Namespace prefix (\S+) (?:for \S+ )?on \S+ is not defined")
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL)
_START_TAG_NAME = re.compile(rb"<[A-Za-z_][\w.:-]*")


def _parser(*, recover: bool) -> etree.XMLParser:
    return etree.XMLParser(huge_tree=True, recover=recover, resolve_entities=False, no_network=True)


def _strip_leading_junk(data: bytes, source: str, problems: list[Problem]) -> bytes:
    """Drop anything before the first ``<``, keeping its line breaks so line numbers stay right."""
    start = data.find(b"<")
    if start <= 0:
        return data
    if data[:start].strip():
        problems.append(
            Problem(source, f"{len(data[:start].strip())} stray byte(s) before the XML removed", 1)
        )
    elif not data.startswith(b"<?xml", start):
        return data
    return _keep_lines(data, start)


def _keep_lines(data: bytes, start: int) -> bytes:
    newlines = b"\n" * data.count(b"\n", 0, start)
    rest = data[start:]
    declaration = _DECLARATION.match(rest)
    if declaration:
        return rest[: declaration.end()] + newlines + rest[declaration.end() :]
    return newlines + rest


def _as_utf8(data: bytes, source: str, problems: list[Problem]) -> bytes:
    """The document as UTF-8 bytes declaring UTF-8, whatever it was written in.

    `decode` reads the byte-order mark or declaration (every encoding Python knows, a bad byte
    costing one character instead of the rest of the file); libxml2 then gets bytes whose
    declaration matches them.
    """
    text, decode_problems = decode(data, source, kind="xml")
    problems.extend(decode_problems)
    head = _DECLARED_ENCODING.sub(r"\1UTF-8\2", text[:512], count=1)
    return (head + text[512:]).encode("utf-8")


def _undeclared_prefixes(log: etree._ListErrorLog) -> dict[str, int]:
    """Undeclared namespace prefixes in a parser's error log, with the line each first appears on."""
    found: dict[str, int] = {}
    for entry in log:
        match = _UNDECLARED.search(entry.message)
        if match and match.group(1) not in found:
            found[match.group(1)] = entry.line
    return found


def _declare(data: bytes, prefixes: dict[str, int]) -> bytes:
    """Add ``xmlns:prefix`` declarations to the root start tag, on the line it is on already."""
    prolog = _PROLOG.match(data)
    tag = _START_TAG_NAME.match(data, prolog.end() if prolog else 0)
    if tag is None:
        return data
    declarations = b"".join(
        f' xmlns:{prefix}="{KNOWN_NAMESPACES.get(prefix, f"urn:undeclared:{prefix}")}"'.encode()
        for prefix in prefixes
    )
    return data[: tag.end()] + declarations + data[tag.end() :]


def parse_xml(data: bytes, source: str) -> tuple[etree._Element, list[Problem]]:
    """The root element of an export, and warnings about anything repaired to read it.

    Raises `ArchiveError` (with file and line) when not even a recovering parser finds a root.
    """
    problems: list[Problem] = []
    data = _strip_leading_junk(_as_utf8(data, source, problems), source, problems)
    parser = _parser(recover=False)
    try:
        return etree.fromstring(data, parser), problems
    except etree.XMLSyntaxError as error:
        first_error = error
        prefixes = _undeclared_prefixes(parser.error_log)

    if prefixes:
        for prefix, line in prefixes.items():
            uri = KNOWN_NAMESPACES.get(prefix, f"urn:undeclared:{prefix}")
            problems.append(
                Problem(
                    source,
                    f"namespace prefix '{prefix}:' is used but not declared; read as {uri}",
                    line,
                )
            )
        data = _declare(data, prefixes)
        parser = _parser(recover=False)
        try:
            return etree.fromstring(data, parser), problems
        except etree.XMLSyntaxError as error:
            first_error = error

    line = first_error.lineno or None
    message = first_error.msg.split(", line ")[0]
    try:
        root = etree.fromstring(data, _parser(recover=True))
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise ArchiveError(source, f"not readable as XML: {message}", line)
    problems.append(
        Problem(
            source,
            f"XML is not well-formed ({message}); read in recovery mode, so content near here "
            "may be missing or misplaced",
            line,
        )
    )
    return root, problems
