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

logger = logging.getLogger("netiquette")
CACHE_FILE = "netiquette-analysis.pickle"
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
        self.salt = salt
        self.load = bool(settings.get("LOAD_CONTENT_CACHE"))
        self.save_enabled = bool(settings.get("CACHE_CONTENT"))
        self.path = Path(settings.get("CACHE_PATH") or "cache") / CACHE_FILE
        self._old: dict[str, tuple] = self._read() if self.load else {}
        self._new: dict[str, tuple] = {}
        self.hits = 0

    def _read(self) -> dict[str, tuple]:
        try:
            with self.path.open("rb") as handle:
                data = pickle.load(handle)
        except FileNotFoundError:
            return {}
        except Exception as error:  # a corrupt or foreign cache is rebuilt, never fatal
            logger.warning("%s: analysis cache unreadable (%s); rebuilding it", self.path, error)
            return {}
        return data if isinstance(data, dict) else {}

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
        if not self.save_enabled:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        with temporary.open("wb") as handle:
            pickle.dump(self._new, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(self.path)
