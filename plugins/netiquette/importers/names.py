"""File names for what an import writes: one safe path component per id, on every file system.

Archive ids end up as file names, and an archive may hold anything: ``.``, ``..``, blanks, a
Windows device name (``con``, ``COM1.txt``), 300 characters, or two ids that differ only in case
(one file on macOS and Windows). An id that is already a plain lower-case name is kept as it is
(``12``, ``hello-world``); any other becomes a readable cleaned form, an underscore and a short hash
of the id itself, so the name is the same on every run and two ids never share one. Plain names
never contain an underscore, so they cannot meet a hashed one either.

Comment files carry a prefix naming the archive format (``wp-12.md``, ``disqus-12.md``): comments
from two archives of the same post then never land on the same file.
"""

from __future__ import annotations

import hashlib
import re

from unidecode import unidecode

from netiquette.parsers.slugs import RESERVED_NAMES

MAX_NAME_LENGTH = 64
#: The file-name prefix of a comment, by the format of the archive it came from.
COMMENT_PREFIXES = {"wxr": "wp", "disqus": "disqus", "html": "html"}
UNKNOWN_PREFIX = "import"

_HASH_LENGTH = 12
_PLAIN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NOT_PLAIN = re.compile(r"[^a-z0-9]+")
_SURROGATES = re.compile("[\ud800-\udfff]+")
_SLUG_COMPONENT = re.compile(r"[\w-]+")
_IMPORTED_STEM = re.compile(
    rf"(?:{'|'.join(map(re.escape, COMMENT_PREFIXES.values()))}|{UNKNOWN_PREFIX})-({_PLAIN.pattern})"
)


def is_reserved(name: str) -> bool:
    """True for a name Windows keeps for a device, whatever follows its first dot."""
    return name.split(".", 1)[0].rstrip(" ").lower() in RESERVED_NAMES


def safe_name(raw: str) -> str:
    """`raw` itself when it is a plain lower-case name, else a cleaned form plus a hash of `raw`."""
    if len(raw) <= MAX_NAME_LENGTH and _PLAIN.fullmatch(raw) and not is_reserved(raw):
        return raw
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_LENGTH]
    readable = _NOT_PLAIN.sub(
        "-", unidecode(_SURROGATES.sub("", raw), errors="ignore").lower()
    ).strip("-")
    readable = readable[: MAX_NAME_LENGTH - _HASH_LENGTH - 1].rstrip("-") or "id"
    return f"{readable}_{digest}"


def slug_component(slug: str) -> str:
    """The folder or file name for a post slug: the slug itself wherever it can be one.

    A comment folder must be named exactly like its post's slug to be found, so a slug that is a
    single word-and-hyphen component is kept, in its own case; anything else gets `safe_name`.
    """
    fits = _SLUG_COMPONENT.fullmatch(slug) and len(slug.encode("utf-8")) <= 200
    return slug if fits and not is_reserved(slug) else safe_name(slug)


def comment_stem(archive_format: str, comment_id: str) -> str:
    """The file name, without extension, of a comment with this id from an archive of this format."""
    prefix = COMMENT_PREFIXES.get(archive_format, UNKNOWN_PREFIX)
    return f"{prefix}-{safe_name(comment_id)}"


def original_id(stem: str) -> str | None:
    """The archive's own id of a comment file the import named, when the name still shows it."""
    match = _IMPORTED_STEM.fullmatch(stem)
    return match.group(1) if match else None
