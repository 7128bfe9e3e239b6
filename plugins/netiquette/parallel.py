"""Analysing many threads on every core: the rendering and tagging of a whole site in parallel.

Workers are forked after the tagger is compiled, so they inherit it and the modules; jobs go to
them and results come back pickled. Where fork is not available (or there is little to do) the jobs
run in this process; either way the results come back in the order of the jobs.

A forked worker shares its parent's memory until either writes to it, and a long-lived worker
ends up copying much of it (every object it touches has its reference count written), so workers
are replaced after `CHUNKS_PER_WORKER` chunks of at most `JOBS_PER_CHUNK` jobs.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Generic, TypeVar

MIN_THREADS_PER_PROCESS = 50
"""Below this many threads per worker, starting workers costs more than it saves."""
JOBS_PER_CHUNK = 25
"""Jobs sent to a worker at a time (fewer on small sites, so the work still splits evenly)."""
CHUNKS_PER_WORKER = 4
"""Chunks a worker runs before a fresh one replaces it: its copied memory stays bounded."""

Job = TypeVar("Job")
Result = TypeVar("Result")

_work: Callable | None = None


def worker_count(setting: int | None) -> int:
    """Processes to use: the setting if positive, else every core this process may run on."""
    if setting and setting > 0:
        return setting
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether this platform starts processes by forking (workers inherit what is built)."""
    return "fork" in multiprocessing.get_all_start_methods()


def run_jobs(
    work: Callable[[Job], Result], jobs: Sequence[Job], processes: int = 1
) -> list[Result]:
    """``[work(job) for job in jobs]``, shared between this process and forked workers when it pays.

    This process takes every ``processes``-th job itself and the workers the rest, so a build on
    two cores forks one worker, not two next to an idle parent. Jobs travel to the workers pickled:
    a worker touching inherited objects would copy the pages they sit on.
    """
    processes = min(processes, len(jobs) // MIN_THREADS_PER_PROCESS)
    if processes < 2 or not can_fork():
        return [work(job) for job in jobs]
    theirs = [job for number, job in enumerate(jobs) if number % processes]
    global _work
    _work = work
    gc.freeze()  # workers' collections leave inherited objects alone, so their pages stay shared
    try:
        with multiprocessing.get_context("fork").Pool(
            processes - 1, maxtasksperchild=CHUNKS_PER_WORKER
        ) as pool:
            chunk = max(1, min(JOBS_PER_CHUNK, len(theirs) // (processes * 8)))
            pending = pool.map_async(_run, theirs, chunksize=chunk)
            mine = [work(job) for job in jobs[::processes]]
            done = iter(pending.get())
    finally:
        gc.unfreeze()
        _work = None
    own = iter(mine)
    return [next(done) if number % processes else next(own) for number in range(len(jobs))]


def _run(job):
    return _work(job)


class Pending(Generic[Result]):
    """``work()`` started in a forked child now; `result` waits for it and brings it back pickled.

    For work that leaves much freed memory behind (compiling the tagger builds and drops many
    intermediate forms): the allocator keeps such memory in this process, but a child's goes back
    to the system when it exits. Started early, it also overlaps with this process's own work.
    A child that dies (killed for memory, say) fails `result` with `ChildDied` rather than leaving
    it waiting. Where fork is not available, `result` runs the work here.
    """

    def __init__(self, work: Callable[[], Result]):
        self._work: Callable[[], Result] | None = work
        self._executor = None
        if not can_fork():
            return
        global _work
        _work = work
        try:
            # With fork, the executor starts its process here, inheriting `_work`.
            self._executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            self._running = self._executor.submit(_call)
        finally:
            _work = None
        self._work = None

    def done(self) -> bool:
        """Whether the child has ended, with an answer or without."""
        return self._executor is None or self._running.done()

    def result(self) -> Result:
        if self._executor is None:
            return self._work()
        try:
            return self._running.result()
        except BrokenProcessPool:
            raise ChildDied("a forked process of the build died before it finished") from None
        finally:
            self._executor.shutdown(cancel_futures=True)


class ChildDied(RuntimeError):
    """A forked process ended without an answer: killed, or out of memory."""


class Shared:
    """Numbered tasks shared by this process and a child it forks after making them: the child
    takes them from the front (`take_front`), this process from the back (`take_back`), each task
    once, so whichever runs out of its own work first helps with the rest. Needs fork."""

    def __init__(self, count: int) -> None:
        context = multiprocessing.get_context("fork")
        self._ends = context.RawArray("q", [0, count])
        self._lock = context.Lock()

    def take_front(self) -> int | None:
        """The first task nobody has taken yet, or None when all are taken."""
        with self._lock:
            front, back = self._ends
            if front >= back:
                return None
            self._ends[0] = front + 1
            return front

    def take_back(self, child_gone: Callable[[], bool]) -> int | None:
        """The last task nobody has taken yet, or None when all are taken. ``child_gone`` says
        whether the child has ended: one that dies holding the lock must not leave this process
        waiting for ever (its death is for the caller to report)."""
        while not self._lock.acquire(timeout=0.5):
            if child_gone():
                return None
        try:
            front, back = self._ends
            if front >= back:
                return None
            self._ends[1] = back - 1
            return back - 1
        finally:
            self._lock.release()


def in_child(work: Callable[[], Result]) -> Result:
    """``work()`` in a forked child (see `Pending`), waiting for it."""
    return Pending(work).result()


def _call():
    return _work()
