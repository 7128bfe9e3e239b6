"""Pelican's side of distinct slugs: posts, pages, tags, categories and authors each at an address
of their own, and slugs that stay one path segment (the rules are in `netiquette.naming`)."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from pelican.utils import slugify

from netiquette.naming import (
    MAX_SLUG,
    distinct,
    only_reading_as,
    report,
    reserved_pages,
    same_name,
    save_as_taken,
)
from netiquette.sanitize import plain_text

logger = logging.getLogger("netiquette")

_SAFE_SLUG = re.compile(r"[\w-]+")


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
        slug_of = {same_name(plain_text(w.name)): w.slug for w in wrappers}
        name_of = {same_name(plain_text(w.name)): plain_text(w.name) for w in wrappers}
        changes, shared = distinct(
            slug_of,
            key=str,
            owner=only_reading_as(slug_of.__getitem__, name_of.__getitem__),
            taken=save_as_taken(str(settings.get(f"{kind}_SAVE_AS", "")), reserved),
        )
        report(f"{kind.lower()} names", [(s, [name_of[i] for i in ids]) for s, ids in shared])
        for wrapper in wrappers:
            new = changes.get(same_name(plain_text(wrapper.name)))
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
