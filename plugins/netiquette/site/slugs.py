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

from pelican.utils import slugify

logger = logging.getLogger("netiquette")

MAX_SLUG = 80
"""Longest slug kept whole: file names have limits, and so do readers of addresses."""

_SEPARATORS = re.compile(r"[\s_-]+")
_SAFE_SLUG = re.compile(r"[\w-]+")
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


def keep_slug_inside(content) -> None:
    """A slug is one path segment: ``Slug: ../../elsewhere`` would write outside the output
    folder, and leave its comments on no page. Such a slug is slugified again, and reported."""
    slug = getattr(content, "slug", None)
    if not slug or _SAFE_SLUG.fullmatch(slug):
        return
    subs = content.settings.get("SLUG_REGEX_SUBSTITUTIONS") or []
    safe = slugify(slug, regex_subs=subs) or "untitled"
    logger.warning(
        "%s: slug %r is not a single path segment; using %r",
        getattr(content, "source_path", "?"),
        slug,
        safe,
    )
    content.slug = safe


def _written_at(content) -> tuple:
    date = getattr(content, "date", None)
    if isinstance(date, datetime):
        stamp = date.replace(tzinfo=date.tzinfo or UTC).timestamp()
    else:
        stamp = float("inf")
    return stamp, content.relative_source_path


def distinct_contents(contents: list, reserved: set[str], kind: str) -> None:
    """Posts (or pages) of one language that share a slug: the oldest keeps it, the others get
    a suffix from their source file; one whose page is a reserved page gets a suffix too."""
    by_lang: dict[str, list] = {}
    for content in contents:
        by_lang.setdefault(getattr(content, "lang", ""), []).append(content)
    for group in by_lang.values():
        taken = {content.slug for content in group if content.save_as.lstrip("/") in reserved}
        changes, _ = distinct(
            {content: content.slug for content in group},
            key=lambda content: content.relative_source_path,
            owner=lambda ids: min(ids, key=_written_at),
            taken=taken.__contains__,
        )
        for content, slug in sorted(changes.items(), key=lambda item: _written_at(item[0])):
            if content.slug in taken:
                why = "would overwrite one of the site's own pages"
            elif not content.slug or len(content.slug) > MAX_SLUG:
                why = "is empty or too long for a file name"
            else:
                why = f"is an older {kind}'s"
            logger.warning(
                "%s: slug %r %s; this %s is at %r",
                content.relative_source_path, content.slug, why, kind, slug,
            )  # fmt: skip
            others = [other for other in content.translations if other.slug == content.slug]
            content.translations = [o for o in content.translations if o not in others]
            for other in others:
                other.translations = [o for o in other.translations if o is not content]
            content.slug = slug


def distinct_terms(contents: list, settings, reserved: set[str]) -> None:
    """Tags, categories and authors whose names differ but slugify alike get slugs of their own;
    every copy of one name (Pelican makes one per post) gets the same slug."""
    by_class: dict[str, list] = {}
    for content in contents:
        wrappers = list(getattr(content, "tags", None) or [])
        wrappers += list(getattr(content, "authors", None) or [])
        if getattr(content, "category", None) is not None:
            wrappers.append(content.category)
        for wrapper in wrappers:
            by_class.setdefault(type(wrapper).__name__.upper(), []).append(wrapper)
    for kind, wrappers in sorted(by_class.items()):
        slug_of = {same_name(w.name): w.slug for w in wrappers}
        name_of = {same_name(w.name): w.name for w in wrappers}
        changes, shared = distinct(
            slug_of,
            key=str,
            owner=only_reading_as(slug_of.__getitem__, name_of.__getitem__),
            taken=save_as_taken(str(settings.get(f"{kind}_SAVE_AS", "")), reserved),
        )
        report(f"{kind.lower()} names", [(s, [name_of[i] for i in ids]) for s, ids in shared])
        for wrapper in wrappers:
            new = changes.get(same_name(wrapper.name))
            if new is not None:
                wrapper.slug = new


def articles_apart(generator) -> None:
    """``article_generator_pretaxonomy``: before Pelican groups posts by tag and category."""
    settings = generator.settings
    reserved = reserved_pages(settings)
    contents = [
        *generator.articles,
        *generator.translations,
        *generator.hidden_articles,
        *generator.hidden_translations,
        *generator.drafts,
        *generator.drafts_translations,
    ]
    distinct_contents(contents, reserved, "post")
    distinct_terms(contents, settings, reserved)


def pages_apart(generator) -> None:
    """``page_generator_finalized``: pages may not take a post's address either."""
    reserved = reserved_pages(generator.settings)
    context = generator.context
    for key in ("articles", "hidden_articles", "drafts"):
        reserved |= {content.save_as.lstrip("/") for content in context.get(key, [])}
    contents = [
        *generator.pages,
        *generator.translations,
        *generator.hidden_pages,
        *generator.hidden_translations,
        *generator.draft_pages,
        *generator.draft_translations,
    ]
    distinct_contents(contents, reserved, "page")
