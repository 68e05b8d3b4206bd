"""Where a build's inputs are converted: in this process, or in worker processes.

:func:`run_local` takes ``(index, task)`` pairs lazily and yields ``(index, result)`` as the
results come (not in task order), keeping a bounded number of tasks in flight. A task given as
:class:`Done` already has its result (an input found in the cache) and passes straight through,
so that results and progress flow in one stream. A worker process that dies (a crash in a C
library, the kernel's out-of-memory killer) does not stop the build: the tasks it may have been
running are run again one at a time in a fresh pool, and the one that kills its worker again
yields :class:`Died`. Workers exit when the build's process goes away (a killed build leaves no
orphans). ``catalog_graph.batch.cluster`` runs the same tasks on a Dask cluster.

Each worker process keeps its own long-lived LibreOffice for the Word 97-2003 and RTF inputs
(:mod:`catalog_graph.readers.converter`): started by the first such input the worker converts,
restarted by the next one if it dies or hangs, stopped when the worker exits, and killed with
the worker's when the build's process goes away.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from catalog_graph.readers import converter


@dataclass(frozen=True)
class Done:
    """A task whose result is already known."""

    value: Any


@dataclass(frozen=True)
class Died:
    """The result of a task whose worker died while running it."""

    message: str


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _watch_parent(parent: int) -> None:
    """In a worker: exit as soon as the process that started it is gone."""

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                converter.shutdown()  # its LibreOffice must not outlive it
                os._exit(1)
            time.sleep(0.5)

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


def run_local(function: Callable[[Any], Any], tasks: Iterator[tuple[int, Any]],
              workers: int) -> Iterator[tuple[int, Any]]:
    """``(index, function(task))`` for each task, as they finish; see the module docstring.

    ``workers`` 1 runs every task in this process, in order.
    """
    if workers <= 1:
        for index, task in tasks:
            yield index, task.value if isinstance(task, Done) else function(task)
        return
    yield from _Pool(function, workers).run(tasks)


class _Pool:
    """A process pool that survives the death of its workers."""

    def __init__(self, function: Callable[[Any], Any], workers: int) -> None:
        self.function = function
        self.workers = workers
        self.window = 4 * workers
        self.pool: Any = None

    def _start(self) -> Any:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=self.workers,
                                   mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_watch_parent, initargs=(os.getpid(),))

    def _stop(self, wait: bool = True) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=True)
            self.pool = None

    def run(self, tasks: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        inflight: dict[Any, tuple[int, Any]] = {}
        exhausted = False
        try:
            while True:
                while not exhausted and len(inflight) < self.window:
                    try:
                        index, task = next(tasks)
                    except StopIteration:
                        exhausted = True
                        break
                    if isinstance(task, Done):
                        yield index, task.value
                        continue
                    if self.pool is None:
                        self.pool = self._start()
                    inflight[self.pool.submit(self.function, task)] = (index, task)
                if not inflight:
                    if exhausted:
                        self._stop()
                        return
                    continue
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                suspects: list[tuple[int, Any]] = []
                for future in done:
                    index, task = inflight.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        suspects.append((index, task))
                        continue
                    yield index, result
                if suspects:
                    # the pool is broken: every task still in it may have been the culprit
                    suspects.extend(inflight.values())
                    inflight.clear()
                    self._stop()
                    yield from self._one_by_one(sorted(suspects, key=lambda s: s[0]))
        finally:
            self._stop(wait=False)  # stopped early: do not wait for tasks nobody will read

    def _one_by_one(self, suspects: list[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
        """Run each task alone, so that one that kills its worker is known."""
        from concurrent.futures.process import BrokenProcessPool

        for index, task in suspects:
            if self.pool is None:
                self.pool = self._start()
            try:
                result = self.pool.submit(self.function, task).result()
            except BrokenProcessPool:
                result = Died("its worker process died while reading it (a crash, or killed "
                              "for using too much memory)")
                self._stop()
            yield index, result
