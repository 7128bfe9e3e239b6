"""Site search with Pagefind: a static index written into ``pagefind/`` and a page that queries it.

The index is built from the content the build already holds, not by scraping its pages, so what it
finds does not depend on the theme's markup: each published post and page is one result (its title
and text, without its comments; the text keeps its paragraph anchors, so the search page can point
at the paragraphs that match), and each of their comments is a result of its own whose address is
the comment's anchor on the post's page, with its author and date. The ``topic`` filter holds the
names of the topics a post's paragraphs raise, or those a comment raises, so its counts are counts
of posts and comments.

Pagefind runs as its Python API's service (the ``pagefind`` and ``pagefind-bin`` packages); with
either missing the build says so once and writes no search at all. Everything is given to it in
one order and under one language, and the one thing it writes in an order of its own, a filter's
values, is sorted afterwards (`stable_filters`): the bundle is the same bytes on every build.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import functools
import gzip
import hashlib
import json
import logging
import shutil
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from markupsafe import Markup, escape
from pelican.utils import sanitised_join

from netiquette.render import html_to_text
from netiquette.sanitize import plain_text

logger = logging.getLogger("netiquette")

BUNDLE = "pagefind"
"""The bundle's folder at the top of the output: Pagefind's JavaScript takes the folder holding it
for the site's root when it turns a result's address into a link."""
TEMPLATE = "netiquette/search"
_STAMP_FILES = ("pagefind-entry.json", "pagefind.js")
"""Files of the bundle a rebuild checks before it leaves the bundle as it is."""


@dataclass(frozen=True, slots=True)
class PageRecord:
    """A post or page, given to Pagefind as HTML so that its paragraphs' anchors are indexed."""

    url: str
    html: str
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CommentRecord:
    """One comment, a result of its own at ``<post url>#<comment anchor>``."""

    url: str
    content: str
    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)


def missing_pagefind() -> str | None:
    """Why Pagefind cannot run here, or None when it can."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return "the pagefind package is not installed (pip install 'pagefind[bin]')"
    if get_executable() is None:
        return "Pagefind's program is missing (pip install 'pagefind[bin]')"
    return None


def check_search(settings: dict) -> None:
    """Turn search off, with one warning, when Pagefind is not installed: the pages then neither
    link to a search page nor get one."""
    if not settings.get("NETIQUETTE_SEARCH"):
        return
    why = missing_pagefind()
    if why is not None:
        logger.warning("search is off: %s", why)
        settings["NETIQUETTE_SEARCH"] = False


def search_language(settings: dict) -> str:
    """The one language the whole index is made in: the search page looks for its own language's
    index, and a site's posts in other languages are found there too."""
    return str(settings.get("DEFAULT_LANG") or "en").replace("_", "-").lower()


def _root_url(url: str) -> str:
    return "/" + url.lstrip("/")


def _day(value) -> str | None:
    return value.strftime("%Y-%m-%d") if value is not None else None


def _author(content) -> str | None:
    author = getattr(content, "author", None)
    return plain_text(getattr(author, "name", author)) if author else None


def page_record(content, kind: str, language: str) -> PageRecord:
    """`content` as one search result: its title and text, its date, author and topics."""
    view = getattr(content, "netiquette", None)
    date = None if view is not None and view.undated else _day(getattr(content, "date", None))
    hidden = [f'<span data-pagefind-meta="kind">{kind}</span>']
    author = _author(content)
    if author:
        hidden.append(f'<span data-pagefind-meta="author">{escape(author)}</span>')
    if date:
        hidden.append(f'<span data-pagefind-meta="date">{date}</span>')
        hidden.append(f'<span data-pagefind-sort="date">{date}</span>')
    topics = tuple(topic.name for topic in view.post_topics) if view is not None else ()
    hidden.extend(f'<span data-pagefind-filter="topic">{escape(name)}</span>' for name in topics)
    html = (
        f'<html lang="{escape(language)}"><body><main data-pagefind-body>'
        f'<h1 data-pagefind-meta="title">{Markup(content.title)}</h1>'
        f"<div data-pagefind-ignore>{''.join(hidden)}</div>"
        f"{getattr(content, '_content', None) or ''}</main></body></html>"
    )
    return PageRecord(_root_url(content.url), html, topics)


def comment_records(content) -> list[CommentRecord]:
    """Every comment shown under `content`, in the thread's order."""
    view = getattr(content, "netiquette", None)
    if view is None or not view.comment_count:
        return []
    post_title = html_to_text(str(content.title))
    records = []
    for event in view.events:
        if not event.opens:
            continue
        comment = event.comment
        meta = {
            "kind": "comment",
            "title": f"Comment by {comment.author_name}",
            "author": comment.author_name,
            "post": post_title,
        }
        sort = {}
        date = _day(comment.date)
        if date:
            meta["date"] = sort["date"] = date
        topics = [topic.name for topic in comment.topics]
        records.append(
            CommentRecord(
                url=f"{_root_url(content.url)}#{comment.anchor}",
                content=html_to_text(str(comment.body)),
                meta=meta,
                filters={"topic": topics} if topics else {},
                sort=sort,
            )
        )
    return records


def search_records(context: dict, language: str) -> list[PageRecord | CommentRecord]:
    """The records of every published post and page (and their comments), in address order."""
    contents = [(c, "post") for c in context.get("articles") or ()]
    contents += [(c, "page") for c in context.get("pages") or ()]
    records: list[PageRecord | CommentRecord] = []
    for content, kind in sorted(contents, key=lambda pair: (pair[0].url, pair[0].source_path)):
        records.append(page_record(content, kind, language))
        records.extend(comment_records(content))
    return records


def topic_names(records, topics) -> list[str]:
    """The names the ``topic`` filter can take, in the taxonomy's order (`topics`: terms)."""
    used = set()
    for record in records:
        used.update(
            record.topics if isinstance(record, PageRecord) else record.filters.get("topic", ())
        )
    return [term.name for term in topics if term.name in used]


def write_search(generator, writer) -> None:
    """Write the search page and the index of `generator`'s site, when search is on.

    A rebuild with the page cache on leaves the index alone when its records, its settings and
    Pagefind's version are those of the last build and its files are still there."""
    settings = generator.settings
    if not settings.get("NETIQUETTE_SEARCH"):
        return
    language = search_language(settings)
    records = search_records(generator.context, language)
    writer.write_file(
        settings["NETIQUETTE_SEARCH_SAVE_AS"],
        generator.get_template(TEMPLATE),
        generator.context,
        relative_urls=settings.get("RELATIVE_URLS"),
        search_topics=topic_names(records, [t.term for t in generator.index.topics]),
    )
    output = Path(generator.output_path)
    name, digest = f"file:{BUNDLE}/", None
    if getattr(writer, "enabled", False):
        digest = writer.describe([_pagefind_version(), language, list(map(_describe, records))])
        if digest is not None and writer.unchanged(name, digest):
            return
    if write_bundle(records, output, language) and digest is not None:
        writer.remember(name, digest, [str(output / BUNDLE / f) for f in _STAMP_FILES])


def _describe(record) -> list[str]:
    if isinstance(record, PageRecord):
        return [record.url, record.html, *record.topics]
    return [record.url, record.content, json.dumps([record.meta, record.filters, record.sort])]


def _pagefind_version() -> str:
    versions = []
    for package in ("pagefind", "pagefind-bin"):
        try:
            versions.append(metadata.version(package))
        except metadata.PackageNotFoundError:
            versions.append("")
    return "/".join(versions)


def write_bundle(records, output: Path, language: str) -> bool:
    """Index `records` into ``output/pagefind``, replacing what an earlier build left there.

    The bundle is written beside it first and then put in its place: Pagefind adds to a folder
    without removing what is no longer part of the index. False (and an error logged) when
    Pagefind fails; the site is still written."""
    target = Path(sanitised_join(str(output), BUNDLE))
    staging = target.with_name(f".{BUNDLE}.new")
    if staging.exists():
        shutil.rmtree(staging)
    try:
        _run(lambda: _index(records, staging, language))
    except Exception as error:
        logger.error("search index not written: Pagefind failed: %s", error)
        shutil.rmtree(staging, ignore_errors=True)
        return False
    try:
        stable_filters(staging)
    except (OSError, ValueError, KeyError, IndexError) as error:
        logger.warning(
            "search index: its filter values could not be put in order (%s); the index works, "
            "but its files may differ from one build to the next",
            error,
        )
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    staging.rename(target)
    return True


def _run(coroutine):
    """Run ``coroutine()`` to its end, in a thread of its own when this one already runs an event
    loop (a build started from async code, or from a test driving a browser)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine())).result()


_SIGNATURE = b"pagefind_dcd"
"""What every compressed file of the bundle starts with, once decompressed."""


def stable_filters(bundle: Path) -> None:
    """Put each filter's values in the order of their names, so the bundle is the same bytes on
    every build.

    Pagefind writes a filter's values in the order of a hash map seeded afresh by every run (it
    says so itself: "Change filter indexes to BTree to give them a stable hash", in its
    ``index/mod.rs``), and names the file by a hash of them, which the language's metadata file
    names, itself named by its hash in ``pagefind-entry.json``. No setting changes that. Each
    filter file is therefore read (CBOR: the filter's name, then [value, [page numbers]] pairs),
    its values sorted, and written under the name Pagefind gives such a file; the metadata and the
    entry are pointed at the new names. Everything is read and checked before anything is written.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry_text = entry_path.read_text(encoding="utf-8")
    writes: dict[Path, bytes] = {}
    removed: list[Path] = []
    for language, details in sorted(json.loads(entry_text)["languages"].items()):
        meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = _unpack(meta_path)
        for path in sorted((bundle / "filter").glob(f"{language}_*.pf_filter")):
            data = _unpack(path)
            name, values = _cbor_item(data)
            ordered = _cbor([name, sorted(values, key=lambda value: value[0])])
            stable = f"{language}_{_pagefind_hash(ordered)}"[: len(language) + 8]
            old, new = _cbor(path.stem), _cbor(stable)
            if meta.count(old) != 1 or len(new) != len(old):
                raise ValueError(f"{path.name} is not named once in {meta_path.name}")
            meta = meta.replace(old, new)
            removed.append(path)
            writes[path.with_name(f"{stable}.pf_filter")] = ordered
        meta_hash = f"{language}_{_pagefind_hash(meta)[: len(language) + 8]}"
        if entry_text.count(f'"{details["hash"]}"') != 1:
            raise ValueError(f"{entry_path.name} names {details['hash']} more than once")
        entry_text = entry_text.replace(f'"{details["hash"]}"', f'"{meta_hash}"')
        removed.append(meta_path)
        writes[bundle / f"pagefind.{meta_hash}.pf_meta"] = meta
    for path in removed:
        path.unlink()
    for path, data in writes.items():
        path.write_bytes(gzip.compress(_SIGNATURE + data, compresslevel=9, mtime=0))
    entry_path.write_text(entry_text, encoding="utf-8")


def _pagefind_hash(data: bytes) -> str:
    """Pagefind's hash of a file's content: SHA-1, each byte in hex without a leading zero."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


def _unpack(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind file")
    return data[len(_SIGNATURE) :]


def _cbor_item(data: bytes):
    """The one CBOR item `data` holds, of the kinds a filter file uses (whole numbers, text and
    arrays); ValueError for anything else, or for an encoding `_cbor` would not give back."""

    def read(at: int):
        major, info = data[at] >> 5, data[at] & 31
        at += 1
        if info >= 28:
            raise ValueError("indefinite or reserved CBOR length")
        size = 0 if info < 24 else 1 << (info - 24)
        value = info if info < 24 else int.from_bytes(data[at : at + size], "big")
        at += size
        if major == 0:
            return value, at
        if major == 3:
            return data[at : at + value].decode("utf-8"), at + value
        if major == 4:
            items = []
            for _ in range(value):
                item, at = read(at)
                items.append(item)
            return items, at
        raise ValueError(f"CBOR major type {major} in a filter file")

    item, end = read(0)
    if end != len(data) or _cbor(item) != data:
        raise ValueError("a filter file not laid out as this version of Pagefind writes it")
    return item


def _cbor(value) -> bytes:
    """`value` (a whole number, text, or a list of these) as CBOR, in its shortest form."""
    if isinstance(value, int):
        return _cbor_head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _cbor_head(3, len(raw)) + raw
    return _cbor_head(4, len(value)) + b"".join(_cbor(item) for item in value)


def _cbor_head(major: int, number: int) -> bytes:
    if number < 24:
        return bytes([major << 5 | number])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * size):
            return bytes([major << 5 | info]) + number.to_bytes(size, "big")
    raise ValueError(f"{number} is too large for CBOR")


async def _index(records, staging: Path, language: str) -> None:
    from pagefind.index import IndexConfig

    service = await _service_class()().launch()
    try:
        index = await service.create_index(IndexConfig(force_language=language))
        for record in records:
            if isinstance(record, PageRecord):
                await index.add_html_file(content=record.html, url=record.url)
            else:
                await index.add_custom_record(
                    url=record.url,
                    content=record.content,
                    language=language,
                    meta=record.meta,
                    filters=record.filters,
                    sort=record.sort,
                )
        # Pagefind's own writing answers before its files are all on disk (a loaded machine
        # caught it with empty files), so the bundle is asked for and written here.
        files = await index.get_files()
    finally:
        await service.close()
    for file in files:
        target = Path(sanitised_join(str(staging), file["path"]))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file["content"])


@functools.cache
def _service_class():
    from pagefind.service import PagefindService

    class Service(PagefindService):
        """Pagefind's service, reading each answer as soon as it arrives, whatever its size.

        The API's own reader pauses a tenth of a second before every answer, which makes a site
        of a thousand comments take minutes, cannot read an answer over 2 MiB (the bundle is
        one), and waits forever when the program stops. This reader fails every open request
        instead, and closing does not wait on them."""

        async def _wait_for_responses(self) -> None:
            stream = self._backend.stdout
            pending = bytearray()
            while True:
                chunk = await stream.read(1 << 20)
                if not chunk:
                    for future in self._responses.values():
                        if not future.done():
                            future.set_exception(RuntimeError("Pagefind stopped"))
                    return
                start = len(pending)
                pending += chunk
                # Answers are base64, each ended by a comma; the bundle's can be megabytes.
                while (end := pending.find(b",", start)) >= 0:
                    self._answer(bytes(pending[:end]))
                    del pending[: end + 1]
                    start = 0

        def _answer(self, message: bytes) -> None:
            response = json.loads(base64.b64decode(message))
            if not response:
                return
            future = self._responses.pop(response.get("message_id"), None)
            if future is None or future.done():
                return
            payload = response["payload"]
            if payload.get("type") == "Error":
                future.set_exception(RuntimeError(payload.get("message", "unknown error")))
            else:
                future.set_result(payload)

        async def close(self) -> None:
            self._poll_task.cancel()
            if self._backend.returncode is None:
                self._backend.terminate()
            await self._backend.wait()

    return Service
