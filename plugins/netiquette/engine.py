"""Analysing a stream of threads on every core of this machine, or on a Dask cluster.

The per-thread analysis is a pure map: a thread in, its `ThreadAnalysis` out, the same wherever it
runs. Threads are sent in batches of `BATCH` with at most two batches in flight, and results come
back in input order, so memory stays flat however large the corpus and the output is identical to
a run in one process. On one machine the map runs on a standard library process pool; with Dask
(the optional ``dask`` extra) on a `distributed` cluster: an existing scheduler's address, or
``local`` for a cluster of this machine's cores.
"""

from __future__ import annotations

import functools
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from itertools import chain, islice

from netiquette.analysis import ThreadAnalysis, analyze_thread
from netiquette.model import Thread
from netiquette.tagger import Tagger, tagger_for
from netiquette.taxonomy import load_taxonomy

BATCH = 64
"""Threads sent to the workers at a time; two batches are in flight, the rest is still unread."""


@functools.cache
def worker_tagger(topics: tuple[str, ...], model: str | None) -> Tagger:
    """One tagger per worker process, compiled on its first thread."""
    return tagger_for(load_taxonomy(list(topics)), model)


def analyse(thread: Thread, topics: tuple[str, ...], model: str | None) -> ThreadAnalysis:
    """The work of one thread, as every engine runs it."""
    return analyze_thread(thread, worker_tagger(topics, model))


def _batches(threads: Iterable[Thread]) -> Iterator[list[Thread]]:
    source = iter(threads)
    while batch := list(islice(source, BATCH)):
        yield batch


def analyse_all(
    threads: Iterable[Thread],
    topics: tuple[str, ...],
    model: str | None,
    *,
    processes: int = 1,
    dask: str | None = None,
) -> Iterator[ThreadAnalysis]:
    """Every thread's analysis, in input order: here (``processes=1``), on a process pool of this
    machine, or on Dask (`dask` is a scheduler address or ``local``)."""
    work = functools.partial(analyse, topics=topics, model=model)
    source = iter(threads)
    first = list(islice(source, BATCH))
    threads = chain(first, source)
    if dask is not None:
        yield from _on_dask(threads, work, dask)
    elif processes <= 1 or len(first) < BATCH:
        yield from map(work, threads)  # a few threads: starting workers would cost more
    else:
        with ProcessPoolExecutor(processes) as pool:
            yield from _pipelined(threads, pool, work)


def _pipelined(threads, pool: Executor, work) -> Iterator[ThreadAnalysis]:
    in_flight: deque = deque()
    for batch in _batches(threads):
        in_flight.append([pool.submit(work, thread) for thread in batch])
        if len(in_flight) > 1:
            yield from (future.result() for future in in_flight.popleft())
    while in_flight:
        yield from (future.result() for future in in_flight.popleft())


def _on_dask(threads, work, address: str) -> Iterator[ThreadAnalysis]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise RuntimeError(
            "--dask needs Dask: pip install 'netiquette[dask]' (or -e \".[dask]\")"
        ) from None
    environment = dict(os.environ)  # distributed sets thread counts and a hash seed in it
    cluster = (
        LocalCluster(threads_per_worker=1, dashboard_address=None) if address == "local" else None
    )
    try:
        with Client(cluster or address) as client:
            in_flight: deque = deque()
            for batch in _batches(threads):
                in_flight.append(client.map(work, batch, pure=False))
                if len(in_flight) > 1:
                    yield from client.gather(in_flight.popleft())
            while in_flight:
                yield from client.gather(in_flight.popleft())
    finally:
        if cluster is not None:
            cluster.close()
        os.environ.clear()
        os.environ.update(environment)
