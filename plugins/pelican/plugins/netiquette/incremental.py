"""Rebuilds that leave unchanged pages alone: a page is rendered only when what it shows changed.

Before rendering a page, `PageWriter` takes a digest of everything its template can see: the source
of the template and of every template it extends, includes or imports; the value of every variable
those templates name (found with Jinja's `meta` module); every setting (filters and other code
included, by name); and the address of every piece of content (links inside content are resolved
against them). When the digest equals the one recorded for the same output at the last build and the
files written then are still there, unchanged in size and modification time, the page is left as it
is. A rebuild after editing one post renders that post's page and the pages that list or quote it.

The digest errs towards rendering: a value it cannot describe in a way that is stable from one build
to the next (an object of a type it does not know), a template chosen by a computed name, or any
plugin listening to Pelican's ``content_written`` signal (it expects every page) makes pages render
as usual. Inside a value, another post is described by what lists and links show of it (address,
title, dates, metadata, summary), not by its whole text; a theme that prints the full text of other
posts on every page should turn this off (``NETIQUETTE_SKIP_UNCHANGED_PAGES = False``).

The record lives in ``CACHE_PATH`` and follows Pelican's switches like the analysis cache: it is read
when ``LOAD_CONTENT_CACHE`` is on and written when ``CACHE_CONTENT`` is on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import logging
import os
import re
import types
import weakref
from pathlib import Path, PurePath

from jinja2 import meta
from markupsafe import Markup
from pelican import signals
from pelican.contents import Content
from pelican.plugins.netiquette.feeds import EMPTY_FEED_DATE, SafeFeedItem
from pelican.plugins.netiquette.theming import page_in_theme
from pelican.urlwrappers import URLWrapper
from pelican.writers import FileOverwriteFailedError, Writer

from netiquette.site.cache import code_fingerprint, read_pickle, write_pickle

logger = logging.getLogger("netiquette")
RECORD_FILE = "netiquette-pages.pickle"
RECORD_SALT = "netiquette-pages/1"
"""Changed whenever the record's shape changes; a record under another salt is not read."""
_PLUGIN_PACKAGE = __name__.rpartition(".")[0]
"""This plugin's own package: its listeners see every page, written or skipped."""


class Volatile(Exception):
    """A value has no description that stays the same from one build to the next."""


_SKIPPED_ATTRIBUTES = frozenset({"settings", "netiquette_thread"})
"""Content attributes (and metadata) left out: the settings are digested once per build, and a
thread as read is accounted for by the view made from it (and is changed by its analysis)."""


class Describer:
    """Stable descriptions of template values, memoised for one build.

    Values are expected not to change while pages are written (Pelican's output phase only reads).
    Objects are kept alive by the memo, so an ``id`` is never reused for another object meanwhile.
    Small records (dataclasses with slots) are described afresh each time rather than remembered:
    there are many of them, each cheap to describe.
    """

    def __init__(self, settings: dict):
        self._memo: dict[tuple[int, bool], tuple[object, bytes]] = {}
        self._active: set[int] = set()
        self._fields: dict[type, tuple[str, ...]] = {}
        self.settings_digest = self.digest([code_fingerprint(), settings])

    def digest(self, value, nested: bool = False) -> bytes:
        parts: list[str] = []
        self._feed(parts, value, nested)
        return _hash(parts)

    def _memoised(self, value, nested: bool, describe) -> str:
        key = (id(value), nested)
        found = self._memo.get(key)
        if found is not None:
            return found[1]
        if id(value) in self._active:
            return "cycle:" + type(value).__qualname__
        self._active.add(id(value))
        try:
            parts: list[str] = []
            describe(parts)
            result = _hash(parts).hex()
        finally:
            self._active.discard(id(value))
        self._memo[key] = (value, result)
        return result

    def _feed(self, parts: list[str], value, nested: bool) -> None:
        kind = type(value)
        if kind in _TEXT:
            parts.append("s" + value)
        elif kind in _NUMBERS:
            parts.append(f"{kind.__name__}:{value!r}")
        elif kind is list or kind is tuple:
            parts.append(f"[{len(value)}")
            for item in value:
                self._feed(parts, item, nested)
            parts.append("]")
        elif kind is dict:
            parts.append(f"{{{len(value)}")
            for key, item in value.items():
                self._feed(parts, key, nested)
                self._feed(parts, item, nested)
            parts.append("}")
        elif isinstance(value, Content):
            parts.append(self._content(value, nested))
        elif isinstance(value, URLWrapper):
            parts.append(
                f"{kind.__qualname__}:{value.name}:{value.slug}:{value.url}:{value.save_as}"
            )
        elif kind in self._fields or (
            dataclasses.is_dataclass(value) and not isinstance(value, type)
        ):
            if hasattr(kind, "__slots__"):
                self._dataclass(parts, value)
            else:
                parts.append(
                    self._memoised(value, nested, lambda into: self._dataclass(into, value))
                )
        else:
            self._other(parts, value, nested)

    def _dataclass(self, parts: list[str], value) -> None:
        kind = type(value)
        names = self._fields.get(kind)
        if names is None:
            names = tuple(
                f.name for f in dataclasses.fields(value) if f.metadata.get("digest", True)
            )
            self._fields[kind] = names
        parts.append(kind.__qualname__)
        for name in names:
            self._feed(parts, getattr(value, name), True)

    def _content(self, content: Content, nested: bool) -> str:
        def describe(parts: list[str]) -> None:
            parts.append(f"{type(content).__qualname__}:{content.source_path}")
            metadata = {
                key: value
                for key, value in (getattr(content, "metadata", None) or {}).items()
                if key not in _SKIPPED_ATTRIBUTES
            }
            if nested:
                for name in ("url", "save_as", "title", "date", "status"):
                    self._feed(parts, getattr(content, name, None), True)
                self._feed(parts, metadata, True)
                return
            self._feed(parts, content._content, True)
            for name, item in sorted(vars(content).items()):
                if name.startswith("_") or name in _SKIPPED_ATTRIBUTES:
                    continue
                if name == "metadata":
                    item = metadata
                parts.append(name)
                self._feed(parts, item, True)

        return self._memoised(content, nested, describe)

    def _other(self, parts: list[str], value, nested: bool) -> None:
        kind = type(value)
        if isinstance(value, str):
            parts.append("s" + str(value))
        elif isinstance(value, bool | int | float | bytes):
            parts.append(f"{kind.__name__}:{value!r}")
        elif isinstance(value, list | tuple):
            self._feed(parts, list(value), nested)
        elif isinstance(value, dict):
            self._feed(parts, dict(value), nested)
        elif isinstance(value, set | frozenset):
            parts.append("<" + ",".join(sorted(self.digest(v, nested).hex() for v in value)) + ">")
        elif isinstance(value, dt.datetime | dt.date | dt.time):
            parts.append(f"{kind.__name__}:{value.isoformat()}:{getattr(value, 'tzinfo', None)}")
        elif isinstance(value, enum.Enum):
            parts.append(f"enum:{kind.__qualname__}.{value.name}")
        elif isinstance(value, PurePath):
            parts.append(f"path:{value}")
        elif isinstance(value, re.Pattern):
            parts.append(f"re:{value.pattern!r}:{value.flags}")
        elif isinstance(value, types.ModuleType):
            parts.append(f"module:{value.__name__}")
        elif isinstance(value, types.FunctionType):
            code = value.__code__
            body = hashlib.blake2b(code.co_code + repr(code.co_consts).encode(), digest_size=16)
            parts.append(f"function:{value.__module__}.{value.__qualname__}:{body.hexdigest()}")
        elif isinstance(value, _NAMED_CALLABLES):
            owner = getattr(value, "__objclass__", None)
            module = getattr(value, "__module__", None) or getattr(owner, "__module__", "")
            parts.append(f"callable:{module}.{value.__qualname__}")
        elif isinstance(value, functools.partial):
            self._feed(parts, ["partial", value.func, list(value.args), value.keywords], nested)
        elif isinstance(value, dt.tzinfo):
            parts.append(f"tz:{value}")
        else:
            raise Volatile(f"{kind.__module__}.{kind.__qualname__}")


_NAMED_CALLABLES = (
    type,
    types.BuiltinFunctionType,
    types.MethodDescriptorType,
    types.WrapperDescriptorType,
    types.ClassMethodDescriptorType,
)
_TEXT = frozenset({str, Markup})
_NUMBERS = frozenset({int, float, bool, type(None)})


def _hash(parts: list[str]) -> bytes:
    text = "\x00".join(parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()


_NAMES: dict[tuple[tuple, str], tuple[frozenset[str], tuple[str | None, ...]]] = {}


def _names_in(environment, source: str) -> tuple[frozenset[str], tuple[str | None, ...]]:
    """The variables a template's source reads and the templates it uses (None: a computed
    name), parsed once per source for every environment of the same kind (each generator has
    its own environment, all with the same syntax)."""
    key = (_syntax(environment), source)
    found = _NAMES.get(key)
    if found is None:
        tree = environment.parse(source)
        found = (
            frozenset(meta.find_undeclared_variables(tree)),
            tuple(meta.find_referenced_templates(tree)),
        )
        _NAMES[key] = found
    return found


def _syntax(environment) -> tuple:
    """What decides how an environment parses a template: its delimiters and its extensions."""
    return (
        environment.block_start_string, environment.block_end_string,
        environment.variable_start_string, environment.variable_end_string,
        environment.comment_start_string, environment.comment_end_string,
        environment.line_statement_prefix, environment.line_comment_prefix,
        environment.trim_blocks, environment.lstrip_blocks,
        tuple(sorted(environment.extensions)),
    )  # fmt: skip


class TemplateInputs:
    """What a template can see: its sources' digest and the variable names they use."""

    def __init__(self, environment):
        self.environment = environment
        self._found: dict[str, tuple[tuple[bytes, frozenset[str]] | None, frozenset[str]]] = {}

    def of(self, name: str) -> tuple[bytes, frozenset[str]] | None:
        """The digest and variables of ``name`` and every template it uses; None when unknowable."""
        return self._walk(name)[0]

    def uses(self, name: str) -> frozenset[str]:
        """``name`` and every template it names, however deep (those named by a computed
        expression aside)."""
        return self._walk(name)[1]

    def _walk(self, name: str) -> tuple[tuple[bytes, frozenset[str]] | None, frozenset[str]]:
        if name not in self._found:
            self._found[name] = self._collect(name)
        return self._found[name]

    def _collect(self, name: str) -> tuple[tuple[bytes, frozenset[str]] | None, frozenset[str]]:
        hasher = hashlib.blake2b(digest_size=20)
        variables: set[str] = set()
        knowable = True
        pending, seen = [name], set()
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            try:
                source, _, _ = self.environment.loader.get_source(self.environment, current)
                names, used_templates = _names_in(self.environment, source)
            except Exception:  # a template that cannot be read here will fail loudly when rendered
                knowable = False
                continue
            hasher.update(current.encode() + b"\x00" + source.encode() + b"\x00")
            variables |= names
            for used in used_templates:
                if used is None:
                    knowable = False
                else:
                    pending.append(used)
        inputs = (hasher.digest(), frozenset(variables)) if knowable else None
        return inputs, frozenset(seen)


@dataclasses.dataclass(frozen=True)
class WrittenElsewhere:
    """The files a `PageWriter` in another process wrote, and its record of them."""

    record: dict[str, tuple[bytes, tuple]]
    files: frozenset[str]
    rendered: int
    skipped: int


class PageWriter(Writer):
    """Pelican's writer, which skips a page whose digest matches the last build's."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        settings = self.settings
        self.enabled = bool(settings.get("NETIQUETTE_SKIP_UNCHANGED_PAGES", True)) and bool(
            settings.get("LOAD_CONTENT_CACHE") or settings.get("CACHE_CONTENT")
        )
        self.record_path = Path(settings.get("CACHE_PATH") or "cache") / RECORD_FILE
        stored = (
            read_pickle(self.record_path, RECORD_SALT) if settings.get("LOAD_CONTENT_CACHE") else {}
        )
        self.previous: dict[str, tuple[bytes, tuple]] = stored if isinstance(stored, dict) else {}
        self.record: dict[str, tuple[bytes, tuple]] = {}
        self.save_enabled = bool(settings.get("CACHE_CONTENT"))
        self.rendered = 0
        self.skipped = 0
        self._describer: Describer | None = None
        self._templates: dict[int, TemplateInputs] = {}
        self._opened: list[str] | None = None
        self._site: bytes | None = None
        _writers.append(self)

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):  # fmt: skip
        """Write the page, with Netiquette's thread and head where its theme leaves them out
        (`theming.page_in_theme`), unless it is unchanged since the last build."""
        themed = None
        if name and hasattr(template, "environment"):
            themed = page_in_theme(
                template, kwargs, self._inputs(template.environment).uses(template.name)
            )
        digest = None
        if name and self.enabled and not override_output and only_ours(signals.content_written):
            digest = self._page_digest(
                name, template, context, relative_urls, paginated, template_name, url, kwargs,
                themed.also_uses if themed else (),
            )  # fmt: skip
        return self._written(
            name,
            digest,
            lambda: super(PageWriter, self).write_file(
                name, themed or template, context, relative_urls, paginated, template_name,
                override_output, url, **kwargs,
            ),
        )  # fmt: skip

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom",
                   override_output=False, feed_title=None):  # fmt: skip
        digest = None
        if (
            path
            and self.enabled
            and not override_output
            and only_ours(signals.feed_generated, signals.feed_written)
        ):
            digest = self._feed_digest(elements, context, path, url, feed_type, feed_title)
        return self._written(
            f"feed:{path}",
            digest,
            lambda: super(PageWriter, self).write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            ),
        )

    def _add_item_to_the_feed(self, feed, item):
        super()._add_item_to_the_feed(feed, SafeFeedItem(item))

    def _written(self, name: str, digest: bytes | None, write):
        """Run ``write`` unless ``name`` is unchanged; record the files it wrote under ``digest``."""
        if digest is not None and self.unchanged(name, digest):
            self.skipped += 1
            return None
        self._opened = []
        try:
            result = write()
        finally:
            opened, self._opened = self._opened, None
        self.rendered += 1
        if digest is not None:
            self.remember(name, digest, opened)
        return result

    def unchanged(self, name: str, digest: bytes) -> bool:
        """True when ``name`` was written from ``digest`` last time and its files are as they were."""
        previous = self.previous.get(name)
        if previous is None or previous[0] != digest:
            return False
        files = previous[1]
        if any(_stat(path) != (path, size, mtime) for path, size, mtime in files):
            return False
        self._written_files.update(path for path, _, _ in files)
        self.record[name] = previous
        return True

    def remember(self, name: str, digest: bytes, paths: list[str]) -> None:
        """Record that ``paths`` were written for ``name`` from ``digest``."""
        self.record[name] = (digest, tuple(_stat(path) for path in paths))

    def output(self) -> WrittenElsewhere:
        """What this writer wrote and recorded, for the writer of the build to `adopt`."""
        return WrittenElsewhere(dict(self.record), frozenset(self._written_files),
                                self.rendered, self.skipped)  # fmt: skip

    def adopt(self, written: WrittenElsewhere) -> None:
        """Take over what another writer (in a forked child) wrote as if this one had written it;
        a file both wrote fails the build as Pelican fails a file written twice."""
        twice = sorted(written.files & self._written_files)
        if twice:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{twice[0]}" as Pelican has already written to it previously'
            )
        self._written_files |= written.files
        self.record.update(written.record)
        self.rendered += written.rendered
        self.skipped += written.skipped

    def describe(self, value) -> bytes | None:
        """A stable digest of ``value`` for this build, or None when it has none."""
        try:
            return self._describe().digest(value)
        except Volatile:
            return None

    def _describe(self) -> Describer:
        if self._describer is None:
            self._describer = Describer(self.settings)
        return self._describer

    def _open_w(self, filename, encoding, override=False):
        if self._opened is not None:
            self._opened.append(filename)
        return super()._open_w(filename, encoding, override)

    def _inputs(self, environment) -> TemplateInputs:
        """The template inputs of one environment (each generator has its own)."""
        inputs = self._templates.get(id(environment))
        if inputs is None or inputs.environment is not environment:
            inputs = self._templates[id(environment)] = TemplateInputs(environment)
        return inputs

    def _page_digest(self, name, template, context, relative_urls, paginated, template_name,
                     url, kwargs, also_uses=()) -> bytes | None:  # fmt: skip
        """The digest of one `write_file` call, or None when it cannot be taken; `also_uses` names
        the templates rendered into the page besides its own."""
        templates = self._inputs(template.environment)
        found = [templates.of(used) for used in (template.name, *also_uses)]
        if any(inputs is None for inputs in found):
            return None
        source_digest = b"".join(inputs[0] for inputs in found)
        variables = frozenset().union(*(inputs[1] for inputs in found))
        try:
            describer = self._describe()
            if self._site is None:
                self._site = describer.digest(_content_addresses(context))
            hasher = hashlib.blake2b(digest_size=20)
            hasher.update(source_digest + describer.settings_digest + self._site)
            for value in (name, template.name, bool(relative_urls), template_name, url):
                hasher.update(describer.digest(value))
            if paginated is None:
                paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}
            hasher.update(describer.digest(paginated))
            environment_globals = template.environment.globals
            for variable in sorted(variables):
                if variable in kwargs:
                    value = kwargs[variable]
                elif variable in context:
                    value = context[variable]
                elif variable in environment_globals:
                    value = environment_globals[variable]
                else:
                    hasher.update(b"absent:" + variable.encode())
                    continue
                hasher.update(variable.encode() + b"=" + describer.digest(value))
            return hasher.digest()
        except Volatile as error:
            logger.debug("%s is rendered: no stable digest of a %s", name, error)
            return None

    def _feed_digest(self, elements, context, path, url, feed_type, feed_title) -> bytes | None:
        try:
            describer = self._describe()
            limit = self.settings.get("FEED_MAX_ITEMS")
            values = [path, url, feed_type, feed_title, elements[:limit]]
            values += [
                context.get(k)
                for k in ("SITEURL", "FEED_DOMAIN", "SITENAME", "SITESUBTITLE", EMPTY_FEED_DATE)
            ]
            return describer.settings_digest + describer.digest(values)
        except Volatile as error:
            logger.debug("feed %s is written: no stable digest of a %s", path, error)
            return None

    def save(self) -> None:
        if self.save_enabled and self.enabled:
            write_pickle(self.record_path, RECORD_SALT, self.record)


_writers: list[PageWriter] = []


def only_ours(*signals_) -> bool:
    """True when no other plugin listens to these signals: it would miss the files not written,
    and the listener in a forked child's copy of it would keep what it hears to itself."""
    for signal in signals_:
        for receiver in signal.receivers.values():
            target = receiver() if isinstance(receiver, weakref.ref) else receiver
            module = getattr(target, "__module__", "") or ""
            ours = module == _PLUGIN_PACKAGE or module.startswith(_PLUGIN_PACKAGE + ".")
            if target is not None and not ours:
                return False
    return True


def _content_addresses(context: dict) -> list:
    """Every content's source and address: links inside any page are resolved against them."""
    addresses = []
    for key in ("generated_content", "static_content"):
        for source, content in sorted((context.get(key) or {}).items()):
            addresses.append(
                (source, getattr(content, "url", None), getattr(content, "save_as", None))
            )
    return addresses


def _stat(path: str) -> tuple[str, int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (path, -1, -1)
    return (path, stat.st_size, stat.st_mtime_ns)


def finish(pelican) -> None:
    """Save the record of every page writer of this build and report what was skipped."""
    while _writers:
        writer = _writers.pop()
        writer.save()
        if writer.skipped:
            logger.info(
                "pages: %d rendered, %d unchanged since the last build",
                writer.rendered,
                writer.skipped,
            )
