"""Converting a build's inputs on a Dask distributed cluster (``build --scheduler ADDRESS``).

Needs the optional extra: ``pip install 'catalog-graph[dask]'`` here and on every worker, with
the same version of catalog-graph (and the same ``ontology/`` and authority files). The build
reads each input here and sends its bytes with the task, so workers need no shared file
system; each worker writes the bytes to a private temporary file, converts it exactly as a local
worker process would, and sends back the cache entry. A worker that was set up differently
(other code, authority or library versions: other results) is refused with an error instead of
mixing its results in. Tasks are submitted in input order, a bounded number at a time (twice
the cluster's threads), so memory stays bounded here and on the scheduler. A worker that dies
is replaced by Dask, which runs its tasks again; a file that kills three workers in turn
(Dask's ``allowed-failures``) is reported as failed.

Start a cluster (one machine or many)::

    dask scheduler --host 0.0.0.0 --port 8786            # prints tcp://HOST:8786
    dask worker tcp://HOST:8786 --nworkers 4 --nthreads 1   # on each machine

then ``catalog-graph build corpus/ -o out/ --scheduler tcp://HOST:8786``. One thread per worker
process: reading files is Python work that threads share poorly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from catalog_graph.batch.workers import Died, Done
from catalog_graph.errors import CatalogError

CONNECT_TIMEOUT = 30  # seconds to reach the scheduler
WORKERS_TIMEOUT = 120  # seconds to wait for a first worker to join


class ClusterMismatch(Exception):
    """A Dask worker would give other results than this process (other code or data)."""


def run_dask(address: str, function: Callable[[Any], Any],
             tasks: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
    """``(index, function(task))`` for each task, run on the cluster at ``address``, as they
    finish. Tasks given as :class:`~catalog_graph.batch.workers.Done` pass straight through.

    CatalogError when the scheduler cannot be reached, no worker joins, or the workers cannot
    run the conversion (not installed there, or set up differently).
    """
    try:
        import distributed
    except ImportError:
        raise CatalogError(address, "--scheduler needs Dask: pip install 'catalog-graph[dask]'",
                           "usage") from None
    from distributed import KilledWorker

    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise CatalogError(address, f"cannot reach the Dask scheduler ({exc})",
                           "unreachable") from None
    inflight: dict[Any, int] = {}
    try:
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except TimeoutError:
            raise CatalogError(address, f"no Dask worker joined the scheduler within "
                               f"{WORKERS_TIMEOUT} s (start some with `dask worker {address}`)",
                               "unreachable") from None
        window = max(4, 2 * sum(client.nthreads().values()))
        finished = distributed.as_completed(loop=client.loop, raise_errors=False)
        exhausted = False
        while True:
            while not exhausted and len(inflight) < window:
                try:
                    index, task = next(tasks)
                except StopIteration:
                    exhausted = True
                    break
                if isinstance(task, Done):
                    yield index, task.value
                    continue
                future = client.submit(function, task, pure=False, priority=-index)
                inflight[future] = index
                finished.add(future)
            if not inflight:
                if exhausted:
                    return
                continue
            future = next(finished)
            index = inflight.pop(future)
            if future.status == "error":
                exc = future.exception()
                if isinstance(exc, KilledWorker):
                    yield index, Died("the Dask workers running it died (a crash, or killed "
                                      "for using too much memory)")
                    continue
                if isinstance(exc, ClusterMismatch):
                    raise CatalogError(address, str(exc), "cluster")
                raise CatalogError(address, "the Dask workers cannot convert catalogs "
                                   f"({type(exc).__name__}: {exc}); is catalog-graph "
                                   "installed on them?", "cluster")
            result = future.result()
            future.release()
            yield index, result
    finally:
        for future in inflight:
            future.cancel()
        client.close()
