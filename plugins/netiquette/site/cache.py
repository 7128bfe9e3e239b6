"""The analysis cache: each thread's comments, rendered HTML and mentions, keyed by content.

A thread's key hashes what its analysis depends on (post paragraphs, the comments its source holds,
and a digest of its parsed comment files) with the plugin version and the taxonomy's fingerprint, so
editing a post or a comment, changing the taxonomy or upgrading Netiquette invalidates exactly what
it must. Comment folders are recognised by their files' names, sizes and modification times (as
Pelican recognises its own sources), so an unchanged thread is rebuilt without reading its comment
files. The cache follows Pelican's switches: it is read when ``LOAD_CONTENT_CACHE`` is on and
written when ``CACHE_CONTENT`` is on, in ``CACHE_PATH``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from netiquette.analysis import ThreadAnalysis
from netiquette.model import Comment, Problem, Thread, repair_structure
from netiquette.tagger import Tagger, tagger_for
from netiquette.taxonomy import Taxonomy

logger = logging.getLogger("netiquette")
CACHE_FORMAT = 4
"""Raised whenever what the cache stores changes shape."""
CACHE_FILE = "netiquette-analysis.pickle"
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


@functools.cache
def code_fingerprint() -> str:
    """A digest of the plugin's own code: a cache written by other code is never read back."""
    digest = hashlib.sha1()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")) + sorted(package.glob("*.toml")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class AnalysisCache:
    def __init__(self, settings: dict, salt: str):
        self.salt = f"{CACHE_FORMAT}:{code_fingerprint()}:{salt}"
        self.load = bool(settings.get("LOAD_CONTENT_CACHE"))
        self.save_enabled = bool(settings.get("CACHE_CONTENT"))
        self.path = Path(settings.get("CACHE_PATH") or "cache") / CACHE_FILE
        stored = self._read() if self.load else {}
        self._old: dict[str, tuple] = stored.get("threads", {})
        self._old_folders: dict[tuple, str] = stored.get("folders", {})
        self._new: dict[str, tuple] = {}
        self._new_folders: dict[tuple, str] = {}
        self.hits = 0

    def _read(self) -> dict[str, tuple]:
        data = _load(self.path, self.salt)
        return data if isinstance(data, dict) else {}

    def tagger(self, taxonomy: Taxonomy) -> Tagger:
        """The compiled tagger for ``taxonomy``, from the cache when it was compiled before.

        Compiling expands every phrase into its forms and takes about a second; loading takes a
        tenth of that.
        """
        path = self.path.with_name(TAGGER_FILE)
        if self.load:
            cached = _load(path, self.salt)
            if isinstance(cached, Tagger):
                return cached
        tagger = tagger_for(taxonomy)
        if self.save_enabled:
            _dump(path, self.salt, tagger)
        return tagger

    def lookup(
        self,
        thread: Thread,
        folder: Path | None,
        read_folder: Callable[[Path], tuple[list[Comment], list[Problem]]],
    ) -> tuple[str, ThreadAnalysis | None]:
        """Add the comment files of ``folder`` to ``thread``; its cache key and cached analysis.

        When neither the thread nor the folder's files changed, the comments, problems and analysis
        come from the cache and no comment file is read. Otherwise the analysis is None: compute it
        and `store` it under the key.
        """
        signature = folder_signature(folder) if folder is not None else None
        read: tuple[list[Comment], list[Problem]] | None = None
        digest = self._old_folders.get(signature, "") if signature else ""
        if signature and not digest:
            read = read_folder(folder)
            digest = comments_digest(*read)
        if signature:
            self._new_folders[signature] = digest
        key = thread_key(thread, self.salt, digest)
        cached = self._old.get(key)
        if cached is not None:
            self.hits += 1
            paragraphs, comments, thread.comments, thread.problems = cached
            result = ThreadAnalysis(thread, paragraphs, comments)
            self.store(key, result)
            return key, result
        if signature and read is None:
            read = read_folder(folder)
        if read is not None:
            thread.comments.extend(read[0])
            thread.problems.extend(read[1])
        repair_structure(thread)
        return key, None

    def store(self, key: str, result: ThreadAnalysis) -> None:
        thread = result.thread
        self._new[key] = (
            result.paragraph_mentions,
            result.comments,
            thread.comments,
            thread.problems,
        )

    def save(self) -> None:
        """Write what this build used; skipped when it is exactly what was loaded (keys are hashes)."""
        unchanged = (
            self._new.keys() == self._old.keys()
            and self._new_folders.keys() == self._old_folders.keys()
        )
        if self.save_enabled and not (unchanged and self.path.exists()):
            _dump(self.path, self.salt, {"threads": self._new, "folders": self._new_folders})


def _load(path: Path, salt: str):
    """What was stored at ``path`` under ``salt``; None when absent, stale or unreadable.

    The salt is read first, so a cache written by another version is skipped without unpickling
    objects whose classes may have changed shape since.
    """
    try:
        with path.open("rb") as handle:
            if pickle.load(handle) != salt:
                return None
            return pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as error:  # a corrupt or foreign cache is rebuilt, never fatal
        logger.warning("%s: cache unreadable (%s); rebuilding it", path, error)
        return None


def _dump(path: Path, salt: str, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as handle:
        pickle.dump(salt, handle, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)
