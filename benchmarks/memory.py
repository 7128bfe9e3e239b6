"""The peak memory of a process tree, sampled from outside it as the sum of its processes' PSS.

A build forks workers that share most of their pages with the build process copy-on-write. Adding
up their resident sizes (RSS) would count every shared page once per process; the build process's
own peak (``VmHWM``) counts none of the workers. PSS (proportional set size, ``Pss:`` in
``/proc/<pid>/smaps_rollup``) charges each page to the processes that map it in equal shares, so
the sum over a tree counts a page shared only within the tree exactly once.

The tree is the started process and every descendant alive at a sample: found through
``/proc/<pid>/task/<tid>/children`` where the kernel provides it (``CONFIG_PROC_CHILDREN``), else by
reading every process's parent from ``/proc/<pid>/stat``. Sampling runs in the process that started
the tree, so the measured processes do no extra work; a peak shorter than the interval can be
missed, which is why the build process still reports its own ``VmHWM`` as well.

Reading PSS is not free: the kernel walks the page tables of every process, about 2 ms of CPU per
100 MiB mapped. On a two-core machine that CPU is taken from the build, so the wait between samples
grows with their cost to keep sampling under `MAX_CPU_SHARE` of one core; `TreeSampler` records
the time spent and the mean interval achieved.

Linux only: `available` is false where ``/proc`` has no PSS, and callers fall back to the build
process's own peak.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

PROC = Path("/proc")
INTERVAL_S = 0.025
"""The wait between samples while sampling is cheap: often enough to see short-lived workers."""
MAX_CPU_SHARE = 0.1
"""At most this share of one core goes to sampling; larger trees are sampled less often."""


def available() -> bool:
    """Whether this system exposes per-process PSS (Linux 4.14 or later, or ``smaps`` before)."""
    return any((PROC / "self" / name).exists() for name in ("smaps_rollup", "smaps"))


def pss_kib(pid: int) -> int:
    """The PSS of ``pid`` in KiB; 0 once it has exited (a zombie maps nothing)."""
    for name in ("smaps_rollup", "smaps"):
        try:
            text = (PROC / str(pid) / name).read_bytes()
        except FileNotFoundError:
            continue
        except OSError:
            return 0
        return sum(int(line.split()[1]) for line in text.splitlines() if line.startswith(b"Pss:"))
    return 0


def _children_from_tasks(pid: int) -> list[int] | None:
    """Children listed by the kernel per thread; None where the kernel does not list them."""
    try:
        tasks = list((PROC / str(pid) / "task").iterdir())
    except OSError:
        return []
    found: list[int] = []
    for task in tasks:
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:
            if not (task / "stat").exists():
                continue
            return None
        except (OSError, ValueError):
            continue
    return found


def _parents() -> dict[int, int]:
    """Every process's parent, from ``/proc/<pid>/stat`` (the name may hold spaces or brackets)."""
    parents = {}
    for entry in os.listdir(PROC):
        if not entry.isdigit():
            continue
        try:
            stat = (PROC / entry / "stat").read_bytes()
        except OSError:
            continue
        parents[int(entry)] = int(stat.rpartition(b")")[2].split()[1])
    return parents


def tree(root: int) -> list[int]:
    """``root`` and its descendants alive now, parents before children."""
    pids = [root]
    parents: dict[int, int] | None = None
    for pid in pids:
        children = _children_from_tasks(pid)
        if children is None:
            if parents is None:
                parents = _parents()
            children = [child for child, parent in parents.items() if parent == pid]
        pids += [child for child in children if child not in pids]
    return pids


@dataclass
class TreeSampler:
    """The largest PSS sum seen over ``root``'s process tree, one `sample` at a time."""

    root: int
    peak_kib: int = 0
    samples: int = 0
    most_processes: int = 0
    pids_seen: set[int] = field(default_factory=set)
    cpu_s: float = 0.0
    elapsed_s: float = 0.0

    def sample(self) -> int:
        pids = tree(self.root)
        total = sum(pss_kib(pid) for pid in pids)
        self.samples += 1
        self.peak_kib = max(self.peak_kib, total)
        self.most_processes = max(self.most_processes, len(pids))
        self.pids_seen.update(pids)
        return total

    @property
    def peak_mib(self) -> float:
        return self.peak_kib / 1024

    @property
    def mean_interval_ms(self) -> float:
        return self.elapsed_s / max(1, self.samples) * 1000


def run_sampled(
    command: Sequence[str],
    cwd: Path | None = None,
    stdout: IO | None = None,
    stderr: IO | None = None,
    interval: float = INTERVAL_S,
    max_cpu_share: float = MAX_CPU_SHARE,
) -> tuple[int, TreeSampler]:
    """Run ``command`` to its end, sampling its tree's PSS every ``interval`` seconds or more.

    Samples are only taken while the process has not been waited for, so its pid cannot have been
    reused; output goes to files rather than pipes, which nobody reads while sampling.
    """
    process = subprocess.Popen(command, cwd=cwd, stdout=stdout, stderr=stderr)
    sampler = TreeSampler(process.pid)
    began = time.perf_counter()
    try:
        while process.poll() is None:
            started, cpu = time.perf_counter(), time.thread_time()
            sampler.sample()
            cost = time.thread_time() - cpu
            sampler.cpu_s += cost
            rest = interval - (time.perf_counter() - started)
            time.sleep(max(rest, cost * (1 / max_cpu_share - 1), 0.0))
    except BaseException:
        process.kill()
        process.wait()
        raise
    sampler.elapsed_s = time.perf_counter() - began
    return process.returncode, sampler
