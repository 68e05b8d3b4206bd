"""Loading a build's ``store/``: a new pyoxigraph store, fed the N-Quads as the build writes
them, swapped into place when the build ends (:class:`StoreLoader`).

A rebuild starts from a checkpoint of the old store when most of it is still wanted, and loads
only the graphs of the inputs that changed: ``store/`` records which cache entry each catalog
graph came from in :data:`STORE_MANIFEST`.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from catalog_graph.store.db import STORE_DIR

STORE_MANIFEST = "catalog-graph.json"  # in store/: catalog graph IRI → the cache entry it came from
# the names of the new store, the old one moved aside and the pipe, while a build runs:
# what a killed build may leave beside store/ (the next build removes them)
_NEW, _OLD, _FIFO = LEFTOVER_PREFIXES = (".store.tmp-", ".store.old-", ".store.fifo-")


class _Background:
    """A function running in a thread; :meth:`result` waits for it and re-raises its error."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self._outcome: list[Any] = []
        self._thread = threading.Thread(target=self._run, args=(function, args), daemon=True)
        self._thread.start()

    def _run(self, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            self._outcome.append((True, function(*args)))
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            self._outcome.append((False, exc))

    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self) -> Any:
        self._thread.join()
        ok, value = self._outcome[0]
        if not ok:
            raise value
        return value


class StoreLoader:
    """A new ``store/`` loaded from the N-Quads written to it, while the build goes on.

    pyoxigraph bulk-loads them from a named pipe (in Rust, without the GIL) into a temporary
    folder, batch by batch as they come; :meth:`commit` waits for the last batch and swaps the
    new store in (``store/`` moved aside, the new one renamed to ``store/``, the old one
    removed: a kill in between leaves folders the next build removes, see
    :data:`LEFTOVER_PREFIXES`).

    Incremental: ``store/`` records which catalog graph came from which cache entry
    (:data:`STORE_MANIFEST`, swapped in with the store). When most of those entries are still
    the build's inputs, the new store starts as a checkpoint of the old one (hard links, not a
    copy), the graphs of changed and removed inputs and the shared graphs are dropped, and only
    the parts written with :meth:`write` for a graph not :meth:`kept` are loaded: a rebuild
    after a few files changed loads a few files' quads, not the corpus.
    """

    def __init__(self, out_dir: Path, keys: dict[str, str] | None = None) -> None:
        """``keys``: every input's graph IRI → its cache key (None: load everything)."""
        self.path = out_dir / STORE_DIR
        self.tmp = out_dir / f"{_NEW}{os.getpid()}"
        self.old = out_dir / f"{_OLD}{os.getpid()}"
        self.fifo = out_dir / f"{_FIFO}{os.getpid()}"
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.fifo.unlink(missing_ok=True)
        self.reused = self._checkpoint(keys or {})  # graph IRI → key, already in the new store
        self.manifest: dict[str, str] = {}  # what the new store holds
        os.mkfifo(self.fifo)
        self.loading = _Background(self._load)
        self.pipe: IO[bytes] | None = self._open()

    def _checkpoint(self, keys: dict[str, str]) -> dict[str, str]:
        """Start from the old store when most of it is still wanted: the graphs kept."""
        import pyoxigraph as ox

        try:
            previous = json.loads((self.path / STORE_MANIFEST).read_text(encoding="utf-8"))
            graphs = previous["graphs"]
            assert isinstance(graphs, dict)
        except (OSError, ValueError, KeyError, TypeError, AssertionError):
            return {}
        kept = {graph: key for graph, key in graphs.items() if keys.get(graph) == key}
        if not keys or len(kept) * 2 < len(keys):
            return {}
        try:
            ox.Store.read_only(str(self.path)).backup(str(self.tmp))
            store = ox.Store(str(self.tmp))
            for graph in [*graphs, *previous.get("shared", [])]:
                if graph not in kept:
                    store.remove_graph(ox.NamedNode(graph))
            store.flush()
            del store
        except (OSError, ValueError):
            shutil.rmtree(self.tmp, ignore_errors=True)
            return {}
        return kept

    def _load(self) -> int:
        import pyoxigraph as ox

        store = ox.Store(str(self.tmp))
        # lenient: skip re-validating IRIs, which pyoxigraph checked when the quads were made
        store.bulk_load(path=str(self.fifo), format=ox.RdfFormat.N_QUADS, lenient=True)
        store.flush()
        size = len(store)
        del store  # closes the database before it moves
        return size

    def _open(self) -> IO[bytes]:
        """The pipe's writing end, once the loader has opened the other (or its error)."""
        while True:
            try:
                fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    raise
            if self.loading.done():
                self.loading.result()  # raises the loader's error
                raise RuntimeError("the store loader stopped before reading")
            time.sleep(0.005)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "wb", buffering=1 << 20)

    def kept(self, graph: str, key: str | None) -> bool:
        """Whether the checkpoint already holds this catalog's graph, as made from ``key``."""
        return key is not None and self.reused.get(graph) == key

    def add(self, graph: str, key: str | None, data: bytes) -> None:
        """One catalog's quads (its graph's, made from the cache entry ``key``)."""
        self.manifest[graph] = key or ""  # "": not cached, so never reused, but dropped next time
        if not self.kept(graph, key):
            self.write(data)

    def write(self, data: bytes) -> None:
        assert self.pipe is not None
        self.pipe.write(data)

    def commit(self, shared: list[str]) -> None:
        """Wait for the load to end, drop reused graphs no input brought this time, record what
        the store holds, then put the new store in place."""
        import pyoxigraph as ox

        assert self.pipe is not None
        self.pipe.close()
        self.pipe = None
        self.loading.result()
        gone = [graph for graph, key in self.reused.items() if self.manifest.get(graph) != key]
        if gone:  # a reused entry that failed when it was read again
            store = ox.Store(str(self.tmp))
            for graph in gone:
                store.remove_graph(ox.NamedNode(graph))
            store.flush()
            del store
        (self.tmp / STORE_MANIFEST).write_text(
            json.dumps({"graphs": dict(sorted(self.manifest.items())), "shared": shared},
                       indent=0) + "\n", encoding="utf-8")
        if self.path.exists():
            os.replace(self.path, self.old)
        os.replace(self.tmp, self.path)
        shutil.rmtree(self.old, ignore_errors=True)
        self.fifo.unlink(missing_ok=True)

    def discard(self) -> None:
        """Stop the load (a line it cannot parse ends it at once) and remove what it made."""
        if self.pipe is not None:
            try:
                self.pipe.write(b"\n<not n-quads\n")
                self.pipe.close()
            except OSError:
                pass
            self.pipe = None
            try:
                self.loading.result()
            except Exception:  # noqa: BLE001 - the error was asked for
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.fifo.unlink(missing_ok=True)
