"""File-name-safe, unique slugs for the posts of an archive (and of Markdown files without one).

Slugs become file names and URLs, so they are ASCII (non-Latin titles are transliterated with
unidecode) and unique within one import: the first post keeps a slug, later ones get ``-2``, ``-3``
in archive order, so the same archive always yields the same names. A Windows device name (``con``,
``com1``) is never handed out: it could be neither a file nor a page there, so it becomes ``con-2``.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from unidecode import unidecode

#: Names Windows gives to devices, with any extension and in any case.
RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{device}{n}" for device in ("com", "lpt") for n in range(10)}
    | {f"{device}{n}" for device in ("com", "lpt") for n in "\u00b9\u00b2\u00b3"}
)
MAX_SLUG_LENGTH = 80
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens; '' when nothing usable is left."""
    ascii_text = unidecode(unquote(text)).lower()
    slug = _NOT_SLUG.sub("-", ascii_text).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-")


class SlugRegistry:
    """Hands out slugs, never the same one twice."""

    def __init__(self) -> None:
        self._taken: set[str] = set(RESERVED_NAMES)

    def reserve(self, slug: str) -> None:
        """Mark a slug that already exists elsewhere as taken."""
        self._taken.add(slug)

    def claim(self, *candidates: str, fallback: str = "post") -> str:
        """The first candidate that slugifies to something, made unique."""
        base = next((slug for slug in map(slugify, candidates) if slug), "") or slugify(fallback)
        base = base or "post"
        slug, n = base, 2
        while slug in self._taken:
            slug = f"{base}-{n}"
            n += 1
        self._taken.add(slug)
        return slug
