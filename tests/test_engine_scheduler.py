"""The scheduler: work across forked worker processes, results in the order of the items."""

from __future__ import annotations

import os

from timeline.engine.scheduler import CHUNK, Scheduler


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_workers_run_the_items_and_give_results_in_order():
    items = list(range(5 * CHUNK))
    results = list(Scheduler(2).map(_square_and_pid, items))
    assert [square for square, _ in results] == [n * n for n in items]
    pids = {pid for _, pid in results}
    # Made in worker processes (how the chunks spread over the two depends on the machine).
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


def test_what_the_workers_see_is_what_the_build_held_when_they_started():
    # Forked, the workers start with the build's objects: a closure over them is not pickled.
    held = {"word": "shared"}
    results = list(Scheduler(2).map(lambda n: held["word"] + str(n), range(3 * CHUNK)))
    assert results[:2] == ["shared0", "shared1"] and len(results) == 3 * CHUNK


def test_one_worker_or_little_work_runs_here():
    assert {pid for _, pid in Scheduler(1).map(_square_and_pid, range(5 * CHUNK))} == {os.getpid()}
    assert {pid for _, pid in Scheduler(2).map(_square_and_pid, range(CHUNK))} == {os.getpid()}
