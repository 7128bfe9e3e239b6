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
        self.topic = slug
        """The taxonomy's slug; `slug` is the page's, which differs where that one is taken."""
        self.slug = slug
        self.description = description


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

    @slug.setter
    def slug(self, slug: str) -> None:
        self._slug = slug
