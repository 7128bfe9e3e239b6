"""Who wrote a comment, and the same threads with every person replaced by a stable pseudonym.

`identity` decides which comments are one person's: a name is one person; an anonymous commenter
("Anonymous", "Guest", no name) is told apart by their link when they left one, else counts as a
different person each time. `Pseudonyms` turns such keys into ``person-<12 hex digits>``, an HMAC
of the key under a salt: the same person gets the same pseudonym in every file and every run with
the same salt, and nobody without the salt can recompute it. With the public default salt anyone
can: they need only guess a name and hash it, so pass your own salt for anything shared.

`Scrubber` replaces what identifies people inside texts: e-mail addresses, URLs and bare domain
names, @handles, and the names of the corpus's known authors (whole names in any case; a part of a
longer name, three letters or more, where it is capitalised). Its limits: names of people who never
wrote in the corpus, names under three letters (two for Chinese, Japanese and Korean), nicknames and
misspellings, and descriptions ("my boss at the bank") stay as written.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import re
import tomllib
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_SALT = "netiquette-public-salt-1"
"""The salt used when none is given. It is public (it is in this file), so its pseudonyms are not
secret: anyone can hash a guessed name with it."""

ANONYMOUS_NAMES = frozenset(
    {"", "anonymous", "anon", "anonymous user", "anonymous coward", "guest", "unknown", "a reader",
     "reader", "visitor", "someone", "nobody", "n/a", "-"}
)  # fmt: skip
MIN_NAME = 3
"""Shortest name (or part of a name) replaced inside texts: shorter ones are ordinary words."""
MIN_WIDE_NAME = 2
"""The same for names in scripts written without spaces (Chinese, Japanese, Korean)."""

_WORD = re.compile(r"[^\W_]+")
_GAP = re.compile(r"[\s.'’\-‐]{1,3}")
_WIDE_CHARS = "\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_WIDE = re.compile(f"[{_WIDE_CHARS}]")
_TLDS = (
    "com|net|org|info|biz|edu|gov|io|co|me|blog|name|online|site|xyz|tv|ly|fm|ws|cc|us|uk|ca|au|nz|"
    "de|fr|nl|be|ch|at|es|it|pt|se|no|dk|fi|is|ie|pl|cz|sk|hu|ro|ru|ua|gr|tr|il|in|cn|tw|hk|jp|kr|"
    "sg|my|id|ph|th|vn|br|ar|mx|cl|za|eu|tk"
)
_FINDS = re.compile(
    r"(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
    rf"|(?P<url>(?:[a-z][a-z0-9+.-]{{1,15}}://|www\.)[^\s<>\"'`{_WIDE_CHARS}]+)"
    r"|(?P<domain>(?<![A-Za-z0-9_@])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    rf"(?:{_TLDS})(?![A-Za-z0-9_-])(?:/[^\s<>\"'`{_WIDE_CHARS}]*)?)"
    r"|(?P<handle>(?<![\w@/.])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,38}[A-Za-z0-9_])?)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\"”’»"
COMMON_WORDS_FILE = Path(__file__).with_name("common_words.toml")


def is_anonymous(name: str | None) -> bool:
    return " ".join((name or "").split()).casefold() in ANONYMOUS_NAMES


def identity(name: str | None, url: str | None, fallback: str) -> str:
    """A key for the person behind an author name and link; `fallback` (the comment's own place)
    stands for an anonymous commenter who left no link, so two such never merge."""
    if not is_anonymous(name):
        return "name:" + " ".join((name or "").split()).casefold()
    if url and normalise_url(url):
        return "url:" + normalise_url(url)
    return "once:" + fallback


def normalise_url(url: str) -> str:
    """A link as a key: case-folded host without ``www.``, no scheme, fragment or final slash."""
    url = url.strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url if "//" in url else "//" + url)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return url.casefold()
    path = parts.path.rstrip("/")
    query = "?" + parts.query if parts.query else ""
    return (host + path + query) if host else url.casefold()


class Pseudonyms:
    """Salted, stable pseudonyms: ``kind-`` and the first 12 hex digits of an HMAC-SHA-256."""

    def __init__(self, salt: str = DEFAULT_SALT) -> None:
        self._key = salt.encode("utf-8", "surrogatepass")

    def make(self, kind: str, key: str) -> str:
        message = f"{kind}:{key}".encode("utf-8", "surrogatepass")
        return f"{kind}-{hmac.new(self._key, message, hashlib.sha256).hexdigest()[:12]}"

    def person(self, identity_key: str) -> str:
        return self.make("person", identity_key)

    def url(self, url: str) -> str:
        return self.make("url", normalise_url(url))


class Scrubbed:
    """A text with its replacements, and where each original offset went."""

    __slots__ = ("_starts", "edits", "text")

    def __init__(self, text: str, edits: tuple[tuple[int, int, int, int], ...]) -> None:
        self.text = text
        self.edits = edits
        """(start, end) in the original and (start, end) in `text` of each replacement."""
        self._starts = [edit[0] for edit in edits]

    def position(self, offset: int, *, end: bool = False) -> int:
        """Where `offset` of the original is in `text`; inside a replacement, its start (or its
        end, for the end of a span), so a span covering part of a name covers the pseudonym."""
        index = bisect_right(self._starts, offset) - 1
        if index < 0:
            return offset
        start, stop, new_start, new_stop = self.edits[index]
        if offset < stop:
            return new_stop if end and offset > start else new_start
        return offset - stop + new_stop

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.position(start), self.position(end, end=True)


class Scrubber:
    """Replaces e-mail addresses, links, @handles and known authors' names in texts."""

    def __init__(self, pseudonyms: Pseudonyms, names: Iterable[str]) -> None:
        self.pseudonyms = pseudonyms
        self._full: dict[tuple[str, ...], str] = {}
        self._exact: dict[tuple[str, ...], str] = {}
        self._parts: dict[str, str] = {}
        wide: dict[str, str] = {}
        part_owners: dict[str, set[str]] = {}
        common = common_words()
        for raw in names:
            if is_anonymous(raw):
                continue
            name = " ".join(raw.split())
            person = pseudonyms.person(identity(name, None, ""))
            if _WIDE.search(name):
                if len(name) >= MIN_WIDE_NAME:
                    wide.setdefault(name.casefold(), person)
                continue
            words = tuple(_WORD.findall(name))
            if not words or len(name) < MIN_NAME:
                continue
            folded = tuple(word.casefold() for word in words)
            if len(words) == 1 and folded[0] in common:
                self._exact.setdefault(words, person)
            else:
                self._full.setdefault(folded, person)
            if len(words) > 1:
                for word, fold in zip(words, folded, strict=True):
                    if len(word) >= MIN_NAME and fold not in common:
                        part_owners.setdefault(fold, set()).add(person)
        for fold, owners in part_owners.items():
            self._parts[fold] = (
                next(iter(owners)) if len(owners) == 1 else pseudonyms.person("part:" + fold)
            )
        self._first = {w[0] for w in self._full} | {w[0].casefold() for w in self._exact}
        self._longest = max((len(w) for w in [*self._full, *self._exact]), default=0)
        ordered = sorted(wide, key=len, reverse=True)
        self._wide = (
            re.compile("|".join(map(re.escape, ordered)), re.IGNORECASE) if ordered else None
        )
        self._wide_people = wide

    def scrub(self, text: str) -> Scrubbed:
        """`text` with every e-mail, link, handle and known name replaced by its pseudonym."""
        found: list[tuple[int, int, str]] = []
        for match in _FINDS.finditer(text):
            kind = match.lastgroup
            start, end = match.span()
            value = match.group()
            if kind in ("url", "domain"):
                value = _trim_url(value)
                end = start + len(value)
                found.append((start, end, self.pseudonyms.url(value)))
            elif kind == "email":
                found.append((start, end, self.pseudonyms.make("email", value.casefold())))
            else:
                found.append((start, end, "@" + self._handle(value[1:])))
        found.extend(self._names(text))
        if self._wide is not None:
            for match in self._wide.finditer(text):
                person = self._wide_people[match.group().casefold()]
                found.append((match.start(), match.end(), person))
        return _apply(text, found)

    def _handle(self, handle: str) -> str:
        folded = handle.casefold()
        known = self._full.get((folded,)) or self._parts.get(folded)
        return known or self.pseudonyms.person("handle:" + folded)

    def _names(self, text: str) -> Iterable[tuple[int, int, str]]:
        tokens = list(_WORD.finditer(text))
        folded = [token.group().casefold() for token in tokens]
        index = 0
        while index < len(tokens):
            hit = self._name_at(tokens, folded, index)
            if hit is None:
                index += 1
                continue
            size, person = hit
            yield tokens[index].start(), tokens[index + size - 1].end(), person
            index += size

    def _name_at(self, tokens, folded, index) -> tuple[int, str] | None:
        if folded[index] in self._first:
            for size in range(min(self._longest, len(tokens) - index), 0, -1):
                if size > 1 and not _joined(tokens, index, size):
                    continue
                key = tuple(folded[index : index + size])
                person = self._full.get(key)
                if person is None:
                    exact = tuple(token.group() for token in tokens[index : index + size])
                    person = self._exact.get(exact)
                if person is not None:
                    return size, person
        word = tokens[index].group()
        if folded[index] in self._parts and word[:1].isupper():
            return 1, self._parts[folded[index]]
        return None


def _joined(tokens, index: int, size: int) -> bool:
    """Whether tokens ``index``… follow each other as the words of one name do."""
    for left, right in itertools.pairwise(tokens[index : index + size]):
        gap = left.string[left.end() : right.start()]
        if not _GAP.fullmatch(gap):
            return False
    return True


def _trim_url(url: str) -> str:
    """A link without the punctuation that ends the sentence around it."""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url


def _apply(text: str, found: list[tuple[int, int, str]]) -> Scrubbed:
    """`text` with the non-overlapping replacements (earliest, then longest, first) made."""
    found.sort(key=lambda item: (item[0], -item[1]))
    parts: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    cursor = 0
    length = 0
    for start, end, replacement in found:
        if start < cursor or end <= start:
            continue
        parts.append(text[cursor:start])
        length += start - cursor
        parts.append(replacement)
        edits.append((start, end, length, length + len(replacement)))
        length += len(replacement)
        cursor = end
    parts.append(text[cursor:])
    return Scrubbed("".join(parts), tuple(edits))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Common English words: a one-word name that is one ("Will", "Rose") is replaced only as
    written, so the word itself stays."""
    with COMMON_WORDS_FILE.open("rb") as file:
        return frozenset(tomllib.load(file)["words"].split())
