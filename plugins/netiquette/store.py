"""Analysed threads kept on disk, one file each, so a build holds one thread's comments at a time.

A site's comments (their sanitized HTML, the parsed comments, every mention) are the bulk of what a
build computes, and each is needed by one page only. The store keeps each thread's analysis in a
file named by the thread's cache key; a page loads its thread while it is rendered. With the cache
on, the store is part of the cache (a rebuild reads back only the threads whose pages it renders);
otherwise it is a temporary folder removed when the build ends.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import weakref
from collections.abc import Iterable
from pathlib import Path

from netiquette.analysis import ThreadAnalysis


class ThreadStore:
    """Thread analyses by key: written to `folder`, read from it or from `fallback`."""

    def __init__(self, folder: Path | None = None, fallback: Path | None = None):
        temporary = folder is None
        self.folder = Path(tempfile.mkdtemp(prefix="netiquette-threads-")) if temporary else folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.fallback = fallback
        # A temporary store goes when it is closed, or with this object if a build stops first.
        self._remove = (
            weakref.finalize(self, shutil.rmtree, self.folder, True) if temporary else None
        )

    def _path(self, folder: Path, key: str, suffix: str = ".pickle") -> Path:
        return folder / f"{key}{suffix}"

    def put(self, key: str, analysis: ThreadAnalysis, texts: dict[str, str] | None = None) -> None:
        """Store ``analysis`` under ``key``, with named texts derived from it, each read alone."""
        for name, text in (texts or {}).items():
            path = self._path(self.folder, key, f".{name}.txt")
            self._write(path, text.encode("utf-8", "surrogatepass"))
        self._write(
            self._path(self.folder, key),
            pickle.dumps(analysis, protocol=pickle.HIGHEST_PROTOCOL),
        )

    def _write(self, path: Path, data: bytes) -> None:
        if self._remove is not None:  # a build's own folder: no other build reads it meanwhile
            path.write_bytes(data)
            return
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)

    def text(self, key: str, name: str) -> str | None:
        """The text called ``name`` stored with ``key``'s analysis; None when there is none."""
        for folder in (self.folder, self.fallback):
            if folder is None:
                continue
            path = self._path(folder, key, f".{name}.txt")
            try:
                return path.read_bytes().decode("utf-8", "surrogatepass")
            except FileNotFoundError:
                continue
        return None

    def has(self, key: str) -> bool:
        return any(
            self._path(folder, key).exists() for folder in (self.folder, self.fallback) if folder
        )

    def get(self, key: str) -> ThreadAnalysis:
        """The analysis stored under ``key``; raises `KeyError` when no folder has it."""
        for folder in (self.folder, self.fallback):
            if folder is None:
                continue
            try:
                with self._path(folder, key).open("rb") as handle:
                    return pickle.load(handle)
            except FileNotFoundError:
                continue
        raise KeyError(key)

    def prune(self, keep: Iterable[str]) -> None:
        """Remove the threads no longer used, so a cache does not grow with every edit."""
        wanted = set(keep)
        for entry in os.scandir(self.folder):
            if entry.name.endswith((".pickle", ".txt")) and entry.name.split(".")[0] not in wanted:
                os.unlink(entry.path)

    def close(self) -> None:
        """Remove a temporary store; a store that is part of the cache stays."""
        if self._remove is not None:
            self._remove()
