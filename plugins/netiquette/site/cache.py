"""The analysis cache: each thread's analysis and summary, keyed by content.

A thread's key hashes what its analysis depends on (post paragraphs, the comments its source holds,
and a digest of its parsed comment files) with the plugin version and the taxonomy's fingerprint, so
editing a post or a comment, changing the taxonomy or upgrading Netiquette invalidates exactly what
it must. Comment folders are recognised by their files' names, sizes and modification times (as
Pelican recognises its own sources), so an unchanged thread is rebuilt without reading its comment
files. The cache follows Pelican's switches: it is read when ``LOAD_CONTENT_CACHE`` is on and
written when ``CACHE_CONTENT`` is on, in ``CACHE_PATH``.

One file holds every thread's `ThreadSummary` and the folder signatures; each thread's full analysis
is a file of its own in the thread store (``netiquette-threads/``), read only when its page is
rendered.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple, TypeVar

from netiquette import __version__
from netiquette.analysis import analyze_thread
from netiquette.classifier import ModelError
from netiquette.model import Comment, Problem, Thread, repair_structure
from netiquette.parallel import Pending, in_child
from netiquette.site.analysis_json import thread_part
from netiquette.site.summary import ThreadSummary, excerpts_text, summarize
from netiquette.store import ThreadStore
from netiquette.tagger import DEFAULT_MODEL, Tagger, tagger_for
from netiquette.taxonomy import Taxonomy, TaxonomyError, load_taxonomy

logger = logging.getLogger("netiquette")
CACHE_FORMAT = 5
"""Raised whenever what the cache stores changes shape."""
CACHE_FILE = "netiquette-analysis.pickle"
THREADS_FOLDER = "netiquette-threads"
TAGGER_FILE = "netiquette-tagger.pickle"
_SEP = b"\x1e"


def thread_key(thread: Thread, salt: str, folder_digest: str) -> str:
    """What a thread's analysis depends on: its paragraphs, its own comments and its comment files."""
    digest = hashlib.sha1(f"{salt}\x1f{folder_digest}".encode())
    for paragraph in thread.post.paragraphs:
        digest.update(_SEP + paragraph.encode("utf-8", "surrogatepass"))
    for comment in thread.comments:
        for part in (comment.id, comment.format, comment.body):
            digest.update(_SEP + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def comments_digest(comments: list[Comment], problems: list[Problem]) -> str:
    """A digest of parsed comment files: everything a page shows of them, and their problems."""
    digest = hashlib.sha1()
    for comment in comments:
        for part in (
            comment.id, comment.parent_id or "", comment.author, comment.author_url or "",
            comment.date.isoformat() if comment.date else "", comment.format, comment.body,
            comment.source, ",".join(sorted(comment.inferred)),
        ):  # fmt: skip
            digest.update(_SEP + part.encode("utf-8", "surrogatepass"))
    for problem in problems:
        digest.update(_SEP + str(problem).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def folder_signature(folder: Path) -> tuple:
    """Names, sizes and modification times of a folder's files: a change to any file changes it."""
    entries = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_file():
            stat = entry.stat()
            entries.append((entry.name, stat.st_size, stat.st_mtime_ns))
    return (str(folder), tuple(entries))


_CODE_FOLDERS: list[Path] = [Path(__file__).resolve().parents[1]]


def add_code(folder: Path) -> None:
    """Count `folder`'s code (a front end such as the Pelican plugin) in `code_fingerprint`."""
    folder = folder.resolve()
    if folder not in _CODE_FOLDERS:
        _CODE_FOLDERS.append(folder)
        code_fingerprint.cache_clear()


@functools.cache
def code_fingerprint() -> str:
    """A digest of the code that makes pages: a cache written by other code is never read back."""
    digest = hashlib.sha1()
    for package in _CODE_FOLDERS:
        files = [*package.rglob("*.py"), *package.glob("*.toml"), *package.glob("models/*")]
        files += [*package.glob("templates/**/*"), *package.glob("static/**/*")]
        for path in sorted(p for p in files if p.is_file()):
            name = f"{package.name}/{path.relative_to(package).as_posix()}"
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cache_salt(taxonomy: Taxonomy, model: str | None) -> str:
    """What every cached item depends on besides its own content: code, taxonomy and model."""
    return (
        f"{CACHE_FORMAT}:{code_fingerprint()}:{__version__}:{taxonomy.fingerprint}:"
        f"{model_fingerprint(model)}"
    )


def model_fingerprint(model: str | None) -> str:
    """The topic model's identity: the shipped one is part of the code; a user's file by content."""
    if model is None or model == DEFAULT_MODEL:
        return str(model)
    try:
        return hashlib.sha1(Path(model).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


_compiling: dict[str, Pending] = {}
"""Taggers being compiled in a child since the build started, by cache salt."""


def start_compiling(settings: dict) -> None:
    """Start compiling the site's tagger in a child while Pelican reads the content.

    Skipped when the cache will give the tagger; a taxonomy error is left to be reported when the
    generator loads the taxonomy.
    """
    try:
        taxonomy = load_taxonomy(settings["NETIQUETTE_TOPICS"])
    except TaxonomyError:
        return
    model = settings["NETIQUETTE_MODEL"]
    salt = cache_salt(taxonomy, model)
    cached = Path(settings.get("CACHE_PATH") or "cache") / TAGGER_FILE
    if (settings.get("LOAD_CONTENT_CACHE") and cached.exists()) or salt in _compiling:
        return
    _compiling[salt] = Pending(functools.partial(tagger_for, taxonomy, model))


T = TypeVar("T")
_MISSING = object()


class AnalysisCache:
    """Summaries of the last build's threads, the thread store, and what this build used."""

    def __init__(self, settings: dict, taxonomy: Taxonomy):
        self.model = settings["NETIQUETTE_MODEL"]
        self.salt = cache_salt(taxonomy, self.model)
        self.load = bool(settings.get("LOAD_CONTENT_CACHE"))
        self.save_enabled = bool(settings.get("CACHE_CONTENT"))
        root = Path(settings.get("CACHE_PATH") or "cache")
        self.path = root / CACHE_FILE
        stored = self._read() if self.load else {}
        self._old: dict[str, ThreadSummary] = stored.get("threads", {})
        self._old_folders: dict[tuple, str] = stored.get("folders", {})
        self._old_prepared: dict[tuple, object] = stored.get("prepared", {})
        self._new: dict[str, ThreadSummary] = {}
        self._new_folders: dict[tuple, str] = {}
        self._new_prepared: dict[tuple, object] = {}
        threads = root / THREADS_FOLDER
        self.store = ThreadStore(
            threads if self.save_enabled else None, threads if self.load else None
        )
        self.hits = 0

    def _read(self) -> dict:
        data = read_pickle(self.path, self.salt)
        return data if isinstance(data, dict) else {}

    def tagger(self, taxonomy: Taxonomy) -> Tagger:
        """The compiled tagger for ``taxonomy``, from the cache when it was compiled before."""
        path = self.path.with_name(TAGGER_FILE)
        if self.load:
            cached = read_pickle(path, self.salt)
            if isinstance(cached, Tagger):
                return cached
        pending = _compiling.pop(self.salt, None)
        try:
            if pending is not None:
                tagger = pending.result()
            else:
                tagger = in_child(functools.partial(tagger_for, taxonomy, self.model))
        except ModelError as error:
            logger.error(
                "%s; set NETIQUETTE_MODEL to a file made by `netiquette train`, or to None. "
                "This build tags by phrases alone.",
                error,
            )
            tagger = in_child(functools.partial(tagger_for, taxonomy, None))
        if self.save_enabled:
            write_pickle(path, self.salt, tagger)
        return tagger

    def prepared(self, kind: str, source: str, prepare: Callable[[], T]) -> T:
        """``prepare()``, a pure function of ``source``, or what it gave for the same ``source``
        in the last build: a rebuild need not redo it for posts that did not change."""
        if not (self.load or self.save_enabled):
            return prepare()
        key = (kind, hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest())
        found = self._new_prepared.get(key, self._old_prepared.get(key, _MISSING))
        if found is _MISSING:
            found = prepare()
        self._new_prepared[key] = found
        return found  # type: ignore[return-value]

    def signature(self, folder: Path | None) -> tuple | None:
        """The comment folder's signature; None without a folder or when no cache is used."""
        if folder is None or not (self.load or self.save_enabled):
            return None
        return folder_signature(folder)

    def known_digest(self, folder: Path | None, signature: tuple | None) -> str | None:
        """The digest of the folder's comments when it is known without reading them."""
        if folder is None:
            return ""
        return self._old_folders.get(signature) if signature is not None else None

    def reusable(self, key: str) -> ThreadSummary | None:
        """The last build's summary under ``key``, when its analysis is still in the store."""
        summary = self._old.get(key)
        if summary is not None and self.store.has(key):
            return summary
        return None

    def record(
        self, key: str, signature: tuple | None, digest: str, summary, *, reused: bool
    ) -> None:
        """Note what this build used: the thread under ``key`` and the folder's digest."""
        self.hits += reused
        self._new[key] = summary
        if signature is not None:
            self._new_folders[signature] = digest

    def save(self) -> None:
        """Write what this build used; skipped when it is exactly what was loaded (keys are hashes).
        What `prepared` kept is let go: it is asked for only before the threads are analysed."""
        prepared, loaded = self._new_prepared, self._old_prepared
        self._new_prepared, self._old_prepared = {}, {}
        if not self.save_enabled:
            return
        unchanged = (
            self._new.keys() == self._old.keys()
            and self._new_folders.keys() == self._old_folders.keys()
            and prepared.keys() == loaded.keys()
        )
        if unchanged and self.path.exists():
            return
        write_pickle(
            self.path,
            self.salt,
            {"threads": self._new, "folders": self._new_folders, "prepared": prepared},
        )
        self.store.prune(self._new)

    def close(self) -> None:
        self.store.close()


class ThreadJob(NamedTuple):
    """A thread the build analyses (none of its cached summaries fits): where its summary goes,
    the thread, its comment folder, and the folder's signature and digest if known."""

    index: int
    thread: Thread
    folder: Path | None
    signature: tuple | None
    digest: str | None


class JobResult(NamedTuple):
    key: str
    digest: str
    summary: ThreadSummary
    reused: bool
    """True when the thread's files were touched but its content is unchanged."""


def analyse_job(
    thread: Thread,
    folder: Path | None,
    digest: str | None,
    *,
    cache: AnalysisCache,
    tagger: Tagger,
    read_folder: Callable[[Path], tuple[list[Comment], list[Problem]]],
) -> JobResult:
    """Read a thread's comment files, analyse it and store the analysis.

    Runs in a worker: only the summary travels back. A thread whose files were touched but whose
    content is unchanged is found in the cache by its key and not analysed again.
    """
    read = read_folder(folder) if folder is not None else ([], [])
    if digest is None:
        digest = comments_digest(*read)
    key = thread_key(thread, cache.salt, digest)
    summary = cache.reusable(key)
    if summary is not None:
        return JobResult(key, digest, summary, True)
    # A copy: the job's thread outlives the job, and must not keep the comments it was given.
    thread = Thread(
        thread.post,
        [*thread.comments, *read[0]],
        thread.declared_count,
        [*thread.problems, *read[1]],
    )
    repair_structure(thread)
    analysis = analyze_thread(thread, tagger)
    for comment in thread.comments:
        comment.body = ""  # rendered and tagged: the source text is not needed again
    texts = {"json": thread_part(analysis), "excerpts": excerpts_text(analysis)}
    cache.store.put(key, analysis, texts)
    return JobResult(key, digest, summarize(key, analysis), False)


def read_pickle(path: Path, salt: str):
    """What was stored at ``path`` under ``salt``; None when absent, stale or unreadable.

    The salt is read first, so a cache written by another version is skipped without unpickling
    objects whose classes may have changed shape since.
    """
    try:
        with path.open("rb") as handle, _collector_paused():
            if pickle.load(handle) != salt:
                return None
            return pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as error:  # a corrupt or foreign cache is rebuilt, never fatal
        logger.warning("%s: cache unreadable (%s); rebuilding it", path, error)
        return None


@contextlib.contextmanager
def _collector_paused():
    """Unpickling makes many objects that all survive; collecting meanwhile only costs time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_pickle(path: Path, salt: str, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as handle:
        pickle.dump(salt, handle, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)
