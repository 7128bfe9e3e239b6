"""Topics and commenters as Pelican taxonomy terms, configured like TAG_URL / TAG_SAVE_AS."""

from __future__ import annotations

import functools
import hashlib

from pelican.urlwrappers import URLWrapper
from pelican.utils import slugify


class _NetiquetteTerm(URLWrapper):
    """A URLWrapper whose URL settings are named ``NETIQUETTE_<KIND>_URL`` / ``_SAVE_AS``."""

    settings_prefix = ""

    def _from_settings(self, key, get_page_name=False):
        value = str(self.settings[f"{self.settings_prefix}_{key}"])
        if get_page_name:
            value = value.rsplit(".", 1)[0] if "." in value.rsplit("/", 1)[-1] else value
        return value.format(**self.as_dict())

    @functools.cached_property
    def page_name(self) -> str:
        return self._from_settings("URL", get_page_name=True)

    @functools.cached_property
    def url(self) -> str:
        return self._from_settings("URL")

    @functools.cached_property
    def save_as(self) -> str:
        return self._from_settings("SAVE_AS")


class TopicTerm(_NetiquetteTerm):
    settings_prefix = "NETIQUETTE_TOPIC"

    def __init__(self, slug: str, name: str, description: str, settings):
        super().__init__(name, settings)
        self.slug = slug
        self.description = description


MAX_SLUG = 80
"""Longest slug kept whole; a longer one is cut and given a suffix (file names have limits)."""
RESERVED_SLUGS = frozenset({"index"})
"""Slugs a term may not take: the commenters index lives at ``commenters/index.html``."""


def distinct_slugs(terms: list[CommenterTerm]) -> list[tuple[str, list[str]]]:
    """Give commenters whose names slugify alike ("Hua Liang", "hua-liang", "华亮"), or to a
    reserved or over-long slug, each a slug of their own: the shared slug (cut to `MAX_SLUG`)
    and a suffix from the name, the same on every build. Returns the slugs that were shared,
    with the names that shared them, for the build to report."""
    groups: dict[str, list[CommenterTerm]] = {}
    for term in terms:
        groups.setdefault(term.slug, []).append(term)
    shared = []
    for slug, group in sorted(groups.items()):
        if len(group) == 1 and slug not in RESERVED_SLUGS and len(slug) <= MAX_SLUG:
            continue
        for term in group:
            suffix = hashlib.sha1(term.name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
            term._slug = f"{slug[:MAX_SLUG].rstrip('-')}-{suffix}"
        if len(group) > 1:
            shared.append((slug, sorted(term.name for term in group)))
    return shared


class CommenterTerm(_NetiquetteTerm):
    """A person who comments; names that slugify to nothing (all non-Latin) get a hashed slug."""

    settings_prefix = "NETIQUETTE_COMMENTER"

    @property
    def slug(self):
        if self._slug is None:
            self._slug = (
                slugify(
                    self.name,
                    regex_subs=self.settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
                    use_unicode=False,
                )
                or "person-" + hashlib.sha1(self.name.encode("utf-8")).hexdigest()[:10]
            )
        return self._slug
