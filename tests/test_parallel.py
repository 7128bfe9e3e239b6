"""Analysing threads on several cores gives exactly what one core gives, in the same order; work
in a child comes back, or fails when the child dies; tasks shared with a child are each done once."""

from __future__ import annotations

import os
import signal
import time

import pytest

from netiquette.analysis import analyze_thread
from netiquette.model import Comment, Post, Thread
from netiquette.parallel import (
    MIN_THREADS_PER_PROCESS,
    ChildDied,
    Pending,
    Shared,
    in_child,
    run_jobs,
    worker_count,
)
from netiquette.tagger import default_tagger

PHRASES = ["Pure spam, again.", "He asked me for a job.", "Nice photos!", "I unfollowed them."]


def make_threads(count: int) -> list[Thread]:
    threads = []
    for n in range(count):
        post = Post(title=f"Post {n}", paragraphs=[PHRASES[n % 4], "An ordinary paragraph."])
        comments = [
            Comment(id=f"{n}-{k}", author=f"P{k}", body=PHRASES[(n + k) % 4], format="markdown")
            for k in range(3)
        ]
        threads.append(Thread(post, comments))
    return threads


def test_parallel_analysis_equals_sequential_analysis():
    threads = make_threads(2 * MIN_THREADS_PER_PROCESS + 7)
    tagger = default_tagger()

    def analyse(thread):
        return analyze_thread(thread, tagger)

    sequential = run_jobs(analyse, threads, processes=1)
    parallel = run_jobs(analyse, threads, processes=2)
    for one, other in zip(sequential, parallel, strict=True):
        assert one.thread.post.title == other.thread.post.title
        assert one.paragraph_mentions == other.paragraph_mentions
        assert one.comments == other.comments
    assert parallel[0].comments["0-0"].topics == ["spam"]


def test_worker_count_follows_the_setting_else_the_cores():
    assert worker_count(3) == 3
    assert worker_count(0) >= 1


def test_jobs_shared_with_workers_come_back_in_order():
    jobs = list(range(3 * MIN_THREADS_PER_PROCESS + 5))
    assert run_jobs(lambda n: (n, n * n), jobs, processes=2) == [(n, n * n) for n in jobs]
    assert run_jobs(lambda n: n + 1, jobs, processes=3) == [n + 1 for n in jobs]


def test_work_in_a_child_runs_in_another_process_and_returns_its_result():
    assert in_child(os.getpid) != os.getpid()
    assert in_child(lambda: {"forms": ["spam", "spams"]}) == {"forms": ["spam", "spams"]}


def test_pending_work_runs_beside_this_process_until_its_result_is_asked_for(tmp_path):
    started = tmp_path / "started"

    def work():
        started.write_text("yes", "utf-8")
        return os.getpid()

    pending = Pending(work)
    deadline = time.monotonic() + 10
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert started.exists()
    assert pending.result() != os.getpid()


def test_a_child_that_dies_fails_its_result_instead_of_leaving_it_waiting():
    pending = Pending(lambda: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(ChildDied):
        pending.result()


def test_tasks_shared_with_a_child_are_each_taken_once_from_either_end():
    shared = Shared(500)

    def child_takes():
        taken = []
        while (number := shared.take_front()) is not None:
            taken.append(number)
            time.sleep(0.001)
        return taken

    pending = Pending(child_takes)
    mine = []
    while (number := shared.take_back(pending.done)) is not None:
        mine.append(number)
        time.sleep(0.001)
    theirs = pending.result()
    assert sorted(theirs + mine) == list(range(500))
    assert theirs == sorted(theirs) and mine == sorted(mine, reverse=True)
    assert theirs and mine and max(theirs) < min(mine)


def test_a_child_that_dies_holding_the_shared_tasks_does_not_leave_this_process_waiting(tmp_path):
    shared = Shared(10)
    holding = tmp_path / "holding"

    def die_holding_the_lock():
        shared._lock.acquire()
        holding.write_text("yes", "utf-8")
        time.sleep(1)
        os.kill(os.getpid(), signal.SIGKILL)

    pending = Pending(die_holding_the_lock)
    deadline = time.monotonic() + 10
    while not holding.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert shared.take_back(pending.done) is None
    with pytest.raises(ChildDied):
        pending.result()
