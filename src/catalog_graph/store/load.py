"""Loading a build's ``store/``: a new pyoxigraph store, fed the N-Quads as the build writes
them, in pieces of bounded size, swapped into place when the build ends (:class:`StoreLoader`).

A rebuild starts from a checkpoint of the old store when most of it is still wanted, and loads
only the graphs of the inputs that changed: ``store/`` records which cache entry each catalog
graph came from in :data:`STORE_MANIFEST`.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from catalog_graph.store.db import STORE_DIR

STORE_MANIFEST = "catalog-graph.json"  # in store/: catalog graph IRI → the cache entry it came from
# the names of the new store, the old one moved aside and the pipe older versions fed it from,
# while a build runs: what a killed build may leave beside store/ (the next build removes them)
_NEW, _OLD, _FIFO = LEFTOVER_PREFIXES = (".store.tmp-", ".store.old-", ".store.fifo-")
PIECE = 32 << 20  # bytes of N-Quads bulk-loaded at a time: the loader's memory is ~5x this


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

    The N-Quads are gathered into pieces of about :data:`PIECE` bytes, each bulk-loaded by
    pyoxigraph (in Rust, without the GIL) in a thread into a temporary folder while the next
    piece is gathered; at most one piece waits while another loads, so the memory the loading
    takes is bounded whatever the size of the corpus (one bulk load of everything grows with
    it: 1.2–1.4 GiB at 10,000 catalogs). :meth:`commit` waits for the last piece and swaps the
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

    def __init__(self, out_dir: Path, keys: dict[str, str] | None = None,
                 piece: int | None = None) -> None:
        """``keys``: every input's graph IRI → its cache key (None: load everything);
        ``piece``: bytes per bulk load (default :data:`PIECE`)."""
        self.path = out_dir / STORE_DIR
        self.tmp = out_dir / f"{_NEW}{os.getpid()}"
        self.old = out_dir / f"{_OLD}{os.getpid()}"
        self.piece = piece or PIECE
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.reused = self._checkpoint(keys or {})  # graph IRI → key, already in the new store
        self.manifest: dict[str, str] = {}  # what the new store holds
        self.pending: list[bytes] = []  # the piece being gathered
        self.size = 0
        self.pieces: queue.Queue[bytes | None] = queue.Queue(maxsize=1)
        self.loading: _Background | None = _Background(self._load)
        self.open = True

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
        """In the thread: bulk-load each piece as it comes, until None."""
        import pyoxigraph as ox

        store = ox.Store(str(self.tmp))
        try:
            while (piece := self.pieces.get()) is not None:
                # lenient: skip re-validating IRIs, which pyoxigraph checked when made
                store.bulk_load(input=piece, format=ox.RdfFormat.N_QUADS, lenient=True)
                del piece
            store.flush()
            return len(store)
        finally:
            del store  # closes the database before it moves

    def _send(self, piece: bytes | None) -> None:
        """Hand a piece (None: the end) to the loading thread, waiting while one already waits;
        the thread's error if it stopped."""
        assert self.loading is not None
        while True:
            try:
                self.pieces.put(piece, timeout=0.5)
                return
            except queue.Full:
                if self.loading.done():
                    self.loading.result()  # raises the loader's error
                    raise RuntimeError("the store loader stopped") from None

    def kept(self, graph: str, key: str | None) -> bool:
        """Whether the checkpoint already holds this catalog's graph, as made from ``key``."""
        return key is not None and self.reused.get(graph) == key

    def add(self, graph: str, key: str | None, data: bytes) -> None:
        """One catalog's quads (its graph's, made from the cache entry ``key``)."""
        self.manifest[graph] = key or ""  # "": not cached, so never reused, but dropped next time
        if not self.kept(graph, key):
            self.write(data)

    def write(self, data: bytes) -> None:
        """Some whole N-Quads lines to load."""
        assert self.open
        self.pending.append(data)
        self.size += len(data)
        if self.size >= self.piece:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            piece = b"".join(self.pending)
            self.pending, self.size = [], 0
            self._send(piece)

    def commit(self, shared: list[str]) -> None:
        """Wait for the load to end, drop reused graphs no input brought this time, record what
        the store holds, then put the new store in place."""
        import pyoxigraph as ox

        assert self.loading is not None
        self._flush()
        self._send(None)
        self.open = False
        self.loading.result()
        self.loading = None
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

    def discard(self) -> None:
        """Stop the load and remove what it made."""
        self.pending, self.size, self.open = [], 0, False
        if self.loading is not None:
            try:
                while True:  # drop a waiting piece, so that the end gets in
                    self.pieces.get_nowait()
            except queue.Empty:
                pass
            try:
                self._send(None)
                self.loading.result()
            except Exception:  # noqa: BLE001 - stopping anyway
                pass
            self.loading = None
        shutil.rmtree(self.tmp, ignore_errors=True)
