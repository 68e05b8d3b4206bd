"""The query worker pool of ``catalog-graph serve``: processes that each hold the store open
read-only and answer one query at a time.

Each query runs in a worker with a deadline; a query still running at the deadline gets 503 and
its worker is killed and replaced, so it cannot hold up other queries or keep a core busy. A
worker also limits its own CPU time, so a runaway query ends even if the server is gone.
A worker is a fresh Python running :func:`worker_process` (``python -c WORKER_COMMAND READ_FD
WRITE_FD DIR LIMITS_JSON``), not ``python -m`` on this module: the package imports this module
before ``-m`` would run it, and runpy warns of that on every start.
"""

from __future__ import annotations

import json
import os
import queue
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from catalog_graph.errors import CatalogError
from catalog_graph.serve.answer import DEFAULT_LIMITS, Answer, Limits, answer_query, text_answer
from catalog_graph.store.db import on_big_stack, open_store

MAX_WAITING = 64  # requests that may wait for a free worker at once
START_TIMEOUT = 60.0  # seconds a worker may take to open the store
WORKER_COMMAND = ("import sys; from catalog_graph.serve.pool import worker_process; "
                  "worker_process(sys.argv[1:])")


def _worker_main(requests: Any, answers: Any, directory: str, limits: Limits) -> None:
    """A query worker: opens the store read-only, then answers requests until the pipe closes.

    Each query gets a CPU-time allowance a little above the deadline, so that a runaway query
    ends even if the server that started it is gone.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the server's to handle
    try:
        store = open_store(Path(directory))
    except CatalogError as exc:
        answers.send(("error", (exc.file, exc.message, exc.kind)))
        return
    except Exception as exc:  # noqa: BLE001 - reported to the server as one line
        answers.send(("error", (directory, f"cannot open the store ({exc})", "unreadable")))
        return
    answers.send(("ready", None))
    explorer = _Loading(store, directory, limits)  # the browsing pages' index, read meanwhile
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Linux
        resource = None
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):
            return
        if resource is not None:
            used = resource.getrusage(resource.RUSAGE_SELF)
            spent = used.ru_utime + used.ru_stime
            _, hard = resource.getrlimit(resource.RLIMIT_CPU)
            soft = int(spent + limits.timeout * 2 + 10)
            if hard == resource.RLIM_INFINITY or soft <= hard:
                resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
        if "page" in request:
            answer = _on_big_stack_page(explorer, request)
        else:
            answer = _on_big_stack(store, limits, request)
        try:
            answers.send(answer)
        except (OSError, ValueError):
            return


def _on_big_stack(store: Any, limits: Limits, request: Mapping[str, Any]) -> Answer:
    """The answer to one request, computed on a big stack (:func:`store.on_big_stack`), where a
    query that is a long flat chain of terms is merely slow, and the deadline stops it."""
    try:
        return on_big_stack(answer_query, store, limits=limits, **request)
    except Exception as exc:  # noqa: BLE001 - a worker answers, it does not die
        return text_answer(500, f"query failed: {type(exc).__name__}: {exc}")


class _Loading:
    """The browsing pages over the build (:class:`catalog_graph.serve.pages.Explorer`), read in
    a thread as soon as the worker is ready, so that reading ``items.jsonl`` (seconds at a
    million triples) overlaps with the server's start and the first queries."""

    def __init__(self, store: Any, directory: str, limits: Limits) -> None:
        self.explorer: Any = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._load, args=(store, directory, limits),
                                       daemon=True)
        self.thread.start()

    def _load(self, store: Any, directory: str, limits: Limits) -> None:
        from catalog_graph.serve.pages import Explorer

        try:
            self.explorer = Explorer(store, Path(directory), limits)
        except Exception as exc:  # noqa: BLE001 - reported by every page asked for
            self.error = exc

    def get(self) -> Any:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.explorer


def _on_big_stack_page(loading: _Loading, request: Mapping[str, Any]) -> Answer:
    """A browsing page (``/items``, ``/regulation/ID`` …), computed on a big stack."""
    try:
        explorer = loading.get()
        return on_big_stack(explorer.answer, request["page"], request.get("params") or {})
    except Exception as exc:  # noqa: BLE001 - a worker answers, it does not die
        return text_answer(500, f"page failed: {type(exc).__name__}: {exc}")


def worker_process(argv: Sequence[str]) -> None:
    """The entry of a worker process: ``READ_FD WRITE_FD DIR LIMITS_JSON``."""
    from multiprocessing.connection import Connection

    read_fd, write_fd, directory, limits = argv
    requests = Connection(int(read_fd), writable=False)
    answers = Connection(int(write_fd), readable=False)
    _worker_main(requests, answers, directory, Limits(**json.loads(limits)))


class _Worker:
    """A worker process and the two ends of its pipes."""

    def __init__(self, process: Any, requests: Any, answers: Any) -> None:
        self.process = process
        self.requests = requests
        self.answers = answers

    def stop(self) -> None:
        for conn in (self.requests, self.answers):
            try:
                conn.close()
            except OSError:
                pass
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except Exception:  # noqa: BLE001 - a process that will not die is left to the OS
            pass


class Workers:
    """A pool of query worker processes, each with the store open read-only.

    :meth:`run` hands a query to an idle worker and waits for its answer until the deadline;
    past it the worker is killed (the query with it) and replaced in the background. Workers
    are started as ``python -c WORKER_COMMAND …``, so the program using this class needs no
    ``if __name__ == "__main__"`` guard.
    """

    def __init__(self, directory: Path, size: int = 2, limits: Limits = DEFAULT_LIMITS) -> None:
        self.directory = str(directory)
        self.limits = limits
        self.size = max(1, size)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._waiting = threading.BoundedSemaphore(MAX_WAITING)
        try:
            for _ in range(self.size):
                self._idle.put(self._spawn())
        except BaseException:
            self.close()
            raise

    def _spawn(self) -> _Worker:
        import subprocess
        from dataclasses import asdict
        from multiprocessing.connection import Connection

        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", WORKER_COMMAND, str(to_child_r),
                 str(from_child_w), self.directory, json.dumps(asdict(self.limits))],
                pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL)
        except OSError as exc:
            for fd in (to_child_r, to_child_w, from_child_r, from_child_w):
                os.close(fd)
            raise CatalogError(self.directory, f"cannot start a query worker ({exc})",
                               "unavailable") from None
        os.close(to_child_r)
        os.close(from_child_w)
        worker = _Worker(process, Connection(to_child_w, readable=False),
                         Connection(from_child_r, writable=False))
        with self._lock:
            self._all.add(worker)
        try:
            if worker.answers.poll(START_TIMEOUT):
                status, problem = worker.answers.recv()
            else:
                status, problem = "error", (self.directory, "the query worker did not start", "")
        except (EOFError, OSError):
            status, problem = "error", (self.directory, "the query worker died starting", "")
        if status != "ready":
            self._discard(worker)
            raise CatalogError(*problem)
        return worker

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        if self._closed:
            return
        try:
            fresh = self._spawn()
        except CatalogError as exc:
            print(f"catalog-graph: warning: {exc}", file=sys.stderr)
            return
        if self._closed:
            self._discard(fresh)
        else:
            self._idle.put(fresh)

    def run(self, request: Mapping[str, Any]) -> Answer:
        """The answer to one request (``query``, ``accept``, ``fmt``, graphs) within the deadline."""
        timeout = self.limits.timeout
        if not self._waiting.acquire(blocking=False):
            return _busy("too many queries waiting")
        try:
            try:
                worker = self._idle.get(timeout=timeout)
            except queue.Empty:
                return _busy("all query workers stayed busy")
        finally:
            self._waiting.release()
        try:
            worker.requests.send(dict(request))
            if worker.answers.poll(timeout):
                answer = worker.answers.recv()
            else:
                threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
                return text_answer(503, f"query stopped: still running after the time limit "
                                         f"of {timeout:g} s (serve --timeout sets it)")
        except (EOFError, OSError):
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            return text_answer(500, "the query worker died (out of memory?); try a smaller query")
        self._idle.put(worker)
        return answer

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._discard(worker)


def _busy(reason: str) -> Answer:
    answer = text_answer(503, f"server busy: {reason}; try again")
    answer.headers["Retry-After"] = "5"
    return answer

