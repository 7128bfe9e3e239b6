"""Netiquette in any theme: its templates and stylesheet ship with the plugin, and every post page
shows its thread whether or not the theme knows about Netiquette.

Templates: ``netiquette/*.html`` are searched after ``THEME_TEMPLATES_OVERRIDES`` and the theme, so
a site or a theme replaces any of them by giving one of the same name (and can extend the original
as ``!netiquette/thread.html``). The page templates extend the theme's ``base.html`` and fill its
``content`` block.

Threads: when the template of a post (or of a page with comments) does not include
``netiquette/thread.html`` itself, the thread is rendered after the post's content, on that page
only: feeds and summaries read the post itself.

Paragraph marks: on the same page only, a post's paragraphs that raise topics are marked in its
content (`netiquette.site.marks`), with links made for that page's ``SITEURL``. Summaries, feeds
and lists of posts (notmyidea shows the newest post in full on its index) show the post as
written: a mark's relative link would be wrong on any other page, and a feed reader has no
stylesheet for it.

Head: the build writes the stylesheet to ``NETIQUETTE_CSS_SAVE_AS``. A page showing anything of
Netiquette's (a thread, a badge, a topic page) gets ``netiquette/head.html`` (the stylesheet's link,
a topic's feeds) before ``</head>`` unless the theme's head already includes it: no block of the
theme's is needed, so any theme gets it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from markupsafe import Markup
from pelican.contents import Content
from pelican.utils import sanitised_join

from netiquette.site.marks import mark_paragraphs

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = Path(__file__).parent / "static" / "netiquette.css"
THREAD = "netiquette/thread.html"
HEAD = "netiquette/head.html"
_OURS = ("netiquette/", "!netiquette/")
_HEAD_END = re.compile(r"</head\s*>|<body[\s>]", re.I)


def add_templates(generator) -> None:
    """``generator_init``: the package's templates, last in this generator's search."""
    environment = generator.env
    ours = FileSystemLoader(str(TEMPLATES))
    loader = environment.loader
    if not isinstance(loader, ChoiceLoader):
        environment.loader = ChoiceLoader([loader, ours] if loader is not None else [ours])
        return
    for inner in loader.loaders:
        if isinstance(inner, PrefixLoader):
            inner.mapping.setdefault("!netiquette", FileSystemLoader(str(TEMPLATES / "netiquette")))
    loader.loaders.append(ours)


def write_stylesheet(settings: dict, output_path: str) -> None:
    """Copy the stylesheet to ``NETIQUETTE_CSS_SAVE_AS``; an identical copy is left untouched."""
    target = settings.get("NETIQUETTE_CSS_SAVE_AS")
    if not target:
        return
    path = Path(sanitised_join(output_path, target))
    data = STYLESHEET.read_bytes()
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


class WithThread:
    """A post as its theme's template sees it on its own page: its content, its paragraphs marked
    by `mark` when given, followed by its thread.

    Everything else is the post's; it compares equal to the post (``page in hidden_pages``)."""

    __slots__ = ("_item", "_thread", "_mark")

    def __init__(self, item, thread: Markup, mark: Callable[[str], Markup] | None = None) -> None:
        self._item = item
        self._thread = thread
        self._mark = mark

    def __getattr__(self, name: str):
        return getattr(self._item, name)

    @property
    def content(self) -> Markup:
        return self._marked(self._item.content) + self._thread

    def get_content(self, siteurl: str) -> Markup:
        return self._marked(self._item.get_content(siteurl)) + self._thread

    def _marked(self, content: str) -> Markup:
        return self._mark(content) if self._mark else Markup(content)

    def __eq__(self, other) -> bool:
        return self._item is (other._item if isinstance(other, WithThread) else other)

    def __hash__(self) -> int:
        return hash(self._item)


@dataclass(frozen=True)
class ThemedPage:
    """A page's template with what Netiquette adds to it: the thread of the post named
    `thread_of` (``article`` or ``page``) after its content, the paragraph marks of the one named
    `marks_of` in it, and Netiquette's head."""

    template: object
    thread_of: str | None
    marks_of: str | None = None

    @property
    def also_uses(self) -> tuple[str, ...]:
        """The templates rendered into the page besides its own."""
        return ((THREAD,) if self.thread_of else ()) + (HEAD,)

    def render(self, context: dict) -> str:
        environment = self.template.environment
        for key in dict.fromkeys(k for k in (self.thread_of, self.marks_of) if k):
            thread = Markup()
            if key == self.thread_of:
                thread = Markup(environment.get_template(THREAD).render(context))
            mark = _marker(context, context[key]) if key == self.marks_of else None
            context = {**context, key: WithThread(context[key], thread, mark)}
        page = self.template.render(context)
        return add_to_head(page, environment.get_template(HEAD).render(context).strip())


def page_in_theme(template, kwargs: dict, uses: frozenset[str]) -> ThemedPage | None:
    """What Netiquette adds to one page written with `template` (which renders the templates
    `uses`), or None when the theme shows everything itself."""
    thread_of = marks_of = None
    for key in ("article", "page"):
        item = kwargs.get(key)
        view = getattr(item, "netiquette", None) if isinstance(item, Content) else None
        if view is None:
            continue
        if thread_of is None and THREAD not in uses and (key == "article" or view.comment_count):
            thread_of = key
        if marks_of is None and view.paragraph_marks:
            marks_of = key
    ours = thread_of or marks_of or any(name.startswith(_OURS) for name in uses)
    if not ours:
        return None
    return ThemedPage(template, thread_of, marks_of)


def _marker(context: dict, item) -> Callable[[str], Markup]:
    """What marks `item`'s content on the page being written: links start with its ``SITEURL``,
    as the badges of ``netiquette/macros.html`` do."""
    siteurl = context.get("SITEURL") or ""
    marks = item.netiquette.paragraph_marks

    @functools.lru_cache(maxsize=2)
    def mark(content: str) -> Markup:
        return Markup(mark_paragraphs(str(content), marks, lambda term: f"{siteurl}/{term.url}"))

    return mark


def add_to_head(page: str, head: str) -> str:
    """`page` with `head` at the end of its head, unless its head holds it already."""
    end = _HEAD_END.search(page)
    if not head or end is None or head in page[: end.start()]:
        return page
    return f"{page[: end.start()]}{head}\n{page[end.start() :]}"
