"""Where work runs: in this process, or across worker processes (`--jobs N`).

Workers are forked once the work is known, so they start with everything the build holds (the
timeline, the theme's Jinja environment with its compiled templates): nothing of it is sent to
them, only the ranges of items each works on, and only the results come back. Results come in
the order of the items, so what a build makes does not depend on the number of workers.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

CHUNK = 50  # items a worker takes at a time: few enough to spread the work evenly

# What a forked worker runs: set just before the workers are forked, read only by them.
_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def default_jobs() -> int:
    """One worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Scheduler:
    """Runs a function over items, with `workers` processes when that pays (enough items, and
    a platform that forks); otherwise here, one item after another."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)

    @property
    def parallel(self) -> bool:
        """True when work may go to workers."""
        return self.workers > 1 and _can_fork()

    def map(self, function: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Any]:
        """`function` of each item, in order. The workers start at once: the results can be
        waited for after other work."""
        if not self.parallel or len(items) < 2 * CHUNK:
            return map(function, items)
        global _work
        _work = (function, items)
        gc.collect()
        gc.freeze()  # the forked workers then leave the objects they share alone
        pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"))
        ranges = [(start, min(start + CHUNK, len(items))) for start in range(0, len(items), CHUNK)]
        try:
            futures = [pool.submit(_run, bounds) for bounds in ranges]
        finally:
            _work = None  # the workers have it: they were forked by the first submit
            gc.unfreeze()
        return _results(pool, futures)


def _results(pool: ProcessPoolExecutor, futures: list[Future[list[Any]]]) -> Iterator[Any]:
    try:
        for future in futures:
            yield from future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _run(bounds: tuple[int, int]) -> list[Any]:
    function, items = _work  # type: ignore[misc]
    return [function(item) for item in items[bounds[0] : bounds[1]]]
