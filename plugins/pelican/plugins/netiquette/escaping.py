"""Titles and names that stay text in any theme, whatever its autoescape setting.

Pelican's themes print ``{{ article.title }}``, ``{{ article.author }}``, ``{{ tag }}`` or
``{{ article.author.name }}`` as they are when autoescaping is off (Pelican's default), and many
print ``title|striptags`` (which decodes entities) into an attribute or ``<title>``. A post from a
scraped page, an import or any Markdown file can carry ``Tags: <img src=x onerror=…>`` or a title
``&lt;img …&gt;``; as each content is made:

* every author, tag and category name becomes escaped `Markup`: printed raw it is text, and a theme
  that escapes it (autoescape, ``|escape``) does not escape it twice. Slugs, and so addresses, stay those of the name as
  written; code that needs the name itself reads it with `netiquette.sanitize.plain_text`.
* a title stays HTML, as Pelican has it, but its text becomes `inert_html`: the angle brackets and
  straight quotes a theme's ``striptags`` would bring back are look-alikes (‹ › “ ” ‘ ’).
"""

from __future__ import annotations

import functools

from markupsafe import Markup, escape
from pelican.urlwrappers import URLWrapper

from netiquette.sanitize import inert_html


def make_text_safe(content) -> None:
    """``content_object_init``: `content`'s title made inert, each of its names escaped, once."""
    title = getattr(content, "title", None)
    if isinstance(title, str):
        content.title = inert_html(title)
        if isinstance(getattr(content, "metadata", None), dict) and "title" in content.metadata:
            content.metadata["title"] = content.title
    for wrapper in _wrappers(content):
        name = wrapper.name
        if name is None or isinstance(name, Markup):
            continue
        slug = wrapper.slug
        wrapper.name = escape(name)
        wrapper.slug = slug
        # What `escape` and autoescaping read first: ``{{ tag|escape }}`` is not escaped twice.
        wrapper.__html__ = functools.partial(Markup, wrapper.name)


def _wrappers(content) -> list[URLWrapper]:
    found = [getattr(content, "author", None), getattr(content, "category", None)]
    found += list(getattr(content, "authors", None) or [])
    found += list(getattr(content, "tags", None) or [])
    unique = {id(w): w for w in found if isinstance(w, URLWrapper)}
    return list(unique.values())
