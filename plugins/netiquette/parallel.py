"""Analysing many threads on every core: the rendering and tagging of a whole site in parallel.

Workers are forked after the tagger is compiled and the threads are read, so they inherit both and
only the results travel back. Where fork is not available (or there is little to do) the threads are
analysed in this process; either way the results come back in the order of the threads.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence

from netiquette.analysis import ThreadAnalysis, analyze_thread
from netiquette.model import Thread
from netiquette.tagger import Tagger

MIN_THREADS_PER_PROCESS = 50
"""Below this many threads per worker, starting workers costs more than it saves."""

_shared: tuple[Sequence[Thread], Tagger] | None = None


def worker_count(setting: int | None) -> int:
    """Processes to use: the setting if positive, else every core this process may run on."""
    if setting and setting > 0:
        return setting
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def analyse_threads(
    threads: Sequence[Thread], tagger: Tagger, processes: int = 1
) -> list[ThreadAnalysis]:
    processes = min(processes, len(threads) // MIN_THREADS_PER_PROCESS)
    if processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [analyze_thread(thread, tagger) for thread in threads]
    global _shared
    _shared = (threads, tagger)
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            chunk = max(1, len(threads) // (processes * 16))
            parts = pool.map(_analyse_one, range(len(threads)), chunksize=chunk)
    finally:
        _shared = None
    return [ThreadAnalysis(thread, *part) for thread, part in zip(threads, parts, strict=True)]


def _analyse_one(index: int):
    threads, tagger = _shared
    result = analyze_thread(threads[index], tagger)
    return result.paragraph_mentions, result.comments
