"""The analysis cache: rendered comment HTML, text and mentions per thread, keyed by content.

A thread's key hashes what its analysis depends on (post paragraphs, each comment's id, format and
body) together with the plugin version and the taxonomy's fingerprint, so editing a post, changing
the taxonomy or upgrading Netiquette invalidates exactly what it must. It follows Pelican's own
switches: it is read when ``LOAD_CONTENT_CACHE`` is on and written when ``CACHE_CONTENT`` is on, in
``CACHE_PATH``.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from pathlib import Path

from netiquette.analysis import ThreadAnalysis
from netiquette.model import Thread
from netiquette.tagger import Tagger, tagger_for
from netiquette.taxonomy import Taxonomy

logger = logging.getLogger("netiquette")
CACHE_FORMAT = 2
"""Raised whenever what the cache stores changes shape."""
CACHE_FILE = "netiquette-analysis.pickle"
TAGGER_FILE = "netiquette-tagger.pickle"
_SEP = b"\x1e"


def thread_key(thread: Thread, salt: str) -> str:
    digest = hashlib.sha1(salt.encode("utf-8"))
    for paragraph in thread.post.paragraphs:
        digest.update(_SEP + paragraph.encode("utf-8", "surrogatepass"))
    for comment in thread.comments:
        for part in (comment.id, comment.format, comment.body):
            digest.update(_SEP + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class AnalysisCache:
    def __init__(self, settings: dict, salt: str):
        self.salt = f"{CACHE_FORMAT}:{salt}"
        self.load = bool(settings.get("LOAD_CONTENT_CACHE"))
        self.save_enabled = bool(settings.get("CACHE_CONTENT"))
        self.path = Path(settings.get("CACHE_PATH") or "cache") / CACHE_FILE
        self._old: dict[str, tuple] = self._read() if self.load else {}
        self._new: dict[str, tuple] = {}
        self.hits = 0

    def _read(self) -> dict[str, tuple]:
        data = _load(self.path)
        return data if isinstance(data, dict) else {}

    def tagger(self, taxonomy: Taxonomy) -> Tagger:
        """The compiled tagger for ``taxonomy``, from the cache when it was compiled before.

        Compiling expands every phrase into its forms and takes about a second; loading takes a
        tenth of that.
        """
        path = self.path.with_name(TAGGER_FILE)
        if self.load:
            cached = _load(path)
            if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == self.salt:
                return cached[1]
        tagger = tagger_for(taxonomy)
        if self.save_enabled:
            _dump(path, (self.salt, tagger))
        return tagger

    def analysis(self, thread: Thread, compute) -> ThreadAnalysis:
        """The cached analysis of ``thread`` if its content is unchanged, else ``compute(thread)``."""
        key = thread_key(thread, self.salt)
        cached = self._old.get(key)
        if cached is not None:
            self.hits += 1
            paragraphs, comments = cached
            result = ThreadAnalysis(thread, paragraphs, comments)
        else:
            result = compute(thread)
        self._new[key] = (result.paragraph_mentions, result.comments)
        return result

    def save(self) -> None:
        if self.save_enabled:
            _dump(self.path, self._new)


def _load(path: Path):
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as error:  # a corrupt or foreign cache is rebuilt, never fatal
        logger.warning("%s: cache unreadable (%s); rebuilding it", path, error)
        return None


def _dump(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)
