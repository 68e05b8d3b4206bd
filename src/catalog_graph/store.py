"""The persistent SPARQL store of a build: a pyoxigraph (RocksDB) store in ``DIR/store``.

``build`` bulk-loads it from ``graph.nq`` into a temporary folder and swaps it into place, so
``store/`` is either a complete store or absent. ``query``, ``validate`` and ``serve`` open it
read-only. SPARQL sees the union of all named graphs as its default graph, so queries need no
``GRAPH`` clause; ``GRAPH ?g { … }`` still names a catalog's graph.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CatalogError
from .rdf import PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

STORE_DIR = "store"


def load_store(nquads_path: Path, store_dir: Path) -> int:
    """Bulk-load an N-Quads file into a new store at ``store_dir`` (replacing any); its size."""
    import pyoxigraph as ox

    store_dir = Path(store_dir)
    tmp = store_dir.with_name(f".{store_dir.name}.tmp-{os.getpid()}")
    old = store_dir.with_name(f".{store_dir.name}.old-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        store = ox.Store(str(tmp))
        # lenient: skip re-validating IRIs, which pyoxigraph checked when the quads were made
        store.bulk_load(path=str(nquads_path), format=ox.RdfFormat.N_QUADS, lenient=True)
        store.flush()
        size = len(store)
        del store  # closes the database before it moves
        if store_dir.exists():
            os.replace(store_dir, old)
        os.replace(tmp, store_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return size


def open_store(directory: Path) -> ox.Store:
    """The store of a built DIR, read-only; CatalogError when there is none."""
    import pyoxigraph as ox

    directory = Path(directory)
    path = directory / STORE_DIR
    if not directory.is_dir():
        raise CatalogError(str(directory), "no such folder (run `catalog-graph build` first)",
                           "missing")
    if not (path / "CURRENT").is_file():
        raise CatalogError(str(directory), "no store/ here (run `catalog-graph build` first)",
                           "missing")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise CatalogError(str(path), f"cannot open the store ({exc})", "unreadable") from None


def run_query(store: ox.Store, sparql: str) -> Any:
    """Run a SPARQL query over the union of all graphs, with the usual prefixes predeclared.

    Returns pyoxigraph's QuerySolutions, QueryBoolean or QueryTriples; SyntaxError for bad SPARQL.
    """
    return store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
