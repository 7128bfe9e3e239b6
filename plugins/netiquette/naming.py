"""Every page of the site at an address of its own.

Pelican derives file names from slugs, and slugs from names: two posts with one slug, two
commenters or tags whose names slugify alike ("Hua Liang", "华亮"), a topic slugged ``index`` next
to ``topics/index.html``, or a name of 300 characters ("File name too long") would stop the build
or put two things on one page. Here each such thing gets a slug of its own: the shared slug, cut
to `MAX_SLUG`, plus a suffix hashed from what identifies it, so the same input gives the same
addresses on every build. Whoever holds the slug by right (the only name that reads as it, the
oldest post) keeps it unchanged.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Hashable, Iterable
from datetime import UTC, datetime

logger = logging.getLogger("netiquette")

MAX_SLUG = 80
"""Longest slug kept whole: file names have limits, and so do readers of addresses."""

_SEPARATORS = re.compile(r"[\s_-]+")
_FIXED_PAGE = re.compile(r"[^{}]+\.html?")


def suffixed(slug: str, key: str) -> str:
    """`slug`, cut to `MAX_SLUG`, with a suffix from `key`: stable, and distinct for distinct keys."""
    digest = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    stem = slug[:MAX_SLUG].strip("-")
    return f"{stem}-{digest}" if stem else digest


def same_name(name: str) -> str:
    """The identity of a tag, category or author name: case, spacing and hyphens aside, as
    Pelican already merges them ("Hello World" and "hello-world" are one tag)."""
    return _SEPARATORS.sub(" ", name.casefold()).strip()


def reads_as(name: str, slug: str) -> bool:
    """Whether `name` is plainly the words of `slug` ("Hua Liang" for ``hua-liang``)."""
    return same_name(name).replace(" ", "-") == slug


def distinct(
    slugs: dict[Hashable, str],
    *,
    key: Callable[[Hashable], str] = str,
    owner: Callable[[list], Hashable | None] = lambda ids: None,
    taken: Callable[[str], bool] = lambda slug: False,
) -> tuple[dict[Hashable, str], list[tuple[str, list]]]:
    """New slugs for the ids in `slugs` (id → slug Pelican would use) that must not keep theirs.

    A slug shared by several ids stays with the one `owner` picks (if any) and the others get
    `suffixed` slugs from `key(id)`; a slug that is empty, longer than `MAX_SLUG`, or `taken`
    by another page is suffixed whoever holds it. Returns the changes and, for reporting, each
    shared slug with the ids that shared it."""
    groups: dict[str, list] = {}
    for ident, slug in slugs.items():
        groups.setdefault(slug, []).append(ident)
    changes: dict[Hashable, str] = {}
    shared = []
    for slug, ids in sorted(groups.items()):
        keeper = owner(ids) if len(ids) > 1 else ids[0]
        if not slug or len(slug) > MAX_SLUG or taken(slug):
            keeper = None
        for ident in ids:
            if ident != keeper:
                changes[ident] = suffixed(slug, key(ident))
        if len(ids) > 1:
            shared.append((slug, ids))
    return changes, shared


def reserved_pages(settings) -> set[str]:
    """Output paths of the site's fixed pages (``index.html``, ``topics/index.html``…), which no
    post, tag or commenter may take."""
    return {
        value.lstrip("/")
        for name, value in settings.items()
        if name.endswith("SAVE_AS") and isinstance(value, str) and _FIXED_PAGE.fullmatch(value)
    }


def save_as_taken(pattern: str, reserved: set[str]) -> Callable[[str], bool]:
    """Whether a slug, put into `pattern` (a ``*_SAVE_AS`` setting), lands on a reserved page."""

    def taken(slug: str) -> bool:
        try:
            return pattern.format(slug=slug, lang="", date=_EPOCH).lstrip("/") in reserved
        except (KeyError, IndexError, ValueError, AttributeError):
            return False

    return taken


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def only_reading_as(slug_of: Callable[[Hashable], str], name_of: Callable) -> Callable:
    """An `owner` rule: of names sharing a slug, the one name that reads as the slug keeps it."""

    def owner(ids: list) -> Hashable | None:
        readers = [ident for ident in ids if reads_as(name_of(ident), slug_of(ident))]
        return readers[0] if len(readers) == 1 else None

    return owner


def report(kind: str, shared: Iterable[tuple[str, list[str]]]) -> None:
    for slug, names in shared:
        logger.warning(
            "%s %s share the slug %r; each gets a page of its own",
            kind,
            ", ".join(map(repr, sorted(names))),
            slug,
        )
