"""The persistent SPARQL store of a build: a pyoxigraph (RocksDB) store in ``DIR/store``.

``build`` bulk-loads it from ``graph.nq`` into a temporary folder and swaps it into place, so
``store/`` is either a complete store or absent. ``query``, ``validate`` and ``serve`` open it
read-only. SPARQL sees the union of all named graphs as its default graph, so queries need no
``GRAPH`` clause; ``GRAPH ?g { … }`` still names a catalog's graph.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from catalog_graph.atomic import find_variant, open_read
from catalog_graph.errors import CatalogError
from catalog_graph.graph.namespaces import PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

STORE_DIR = "store"
READ_ONLY = "the store is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR …) is not allowed"

_PROLOGUE = (r"(?:\s|#[^\n]*(?:\n|$))*"
             r"(?:(?:PREFIX\s*[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)(?:\s|#[^\n]*(?:\n|$))*)*")
_UPDATE = re.compile(_PROLOGUE + r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
                     re.IGNORECASE)
_DECLARED = re.compile(r"PREFIX\s*([^\s:]*):", re.IGNORECASE)
_PREFIXED = re.compile(r"(?<![\w:/#.?$<-])([A-Za-z][\w.-]*)?:(?=[\w\u00c0-\uffff%\\])")
QUERY_STACK = 256 * 1024 * 1024  # bytes of stack a query runs on (address space, used as needed)

T = TypeVar("T")


def load_store(nquads_path: Path, store_dir: Path) -> int:
    """Bulk-load an N-Quads file (or its .gz or .zst, as ``build --compress`` writes it) into a
    new store at ``store_dir`` (replacing any); its size."""
    import pyoxigraph as ox

    store_dir = Path(store_dir)
    tmp = store_dir.with_name(f".{store_dir.name}.tmp-{os.getpid()}")
    old = store_dir.with_name(f".{store_dir.name}.old-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        store = ox.Store(str(tmp))
        # lenient: skip re-validating IRIs, which pyoxigraph checked when the quads were made
        with open_read(Path(nquads_path)) as data:
            store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS, lenient=True)
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
        if find_variant(directory / "graph.nq") is not None:
            raise CatalogError(str(directory), "no store/ here: it was built without one (run "
                               "`catalog-graph build` with store among its --formats)", "missing")
        raise CatalogError(str(directory), "no store/ here (run `catalog-graph build` first)",
                           "missing")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise CatalogError(str(path), f"cannot open the store ({exc})", "unreadable") from None


def is_update(text: str) -> bool:
    """Whether a request text is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR …)."""
    return bool(_UPDATE.match(text))


def unknown_prefixes(sparql: str) -> list[str]:
    """The prefixes a query uses but neither declares nor finds predeclared (:data:`PREFIXES`),
    in order of first use; strings, IRIs and comments are not looked into."""
    code = _code_only(sparql)
    declared = set(PREFIXES) | {m.group(1) for m in _DECLARED.finditer(code)}
    found: list[str] = []
    for m in _PREFIXED.finditer(code):
        name = m.group(1) or ""
        if name not in declared and name not in found and name.lower() not in ("_", "http", "https"):
            found.append(name)
    return found


def _code_only(sparql: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length)."""
    out = list(sparql)
    i, n = 0, len(sparql)
    while i < n:
        ch = sparql[i]
        end = None
        if ch == "#":
            end = sparql.find("\n", i)
            end = n if end < 0 else end
        elif ch in "\"'":
            quote = ch * 3 if sparql.startswith(ch * 3, i) else ch
            end = _string_end(sparql, i + len(quote), quote, len(quote) == 3)
            end = n if end is None else end
        elif ch == "<":
            iri = _IRI.match(sparql, i)
            end = iri.end() if iri is not None else None
        if end is None:
            i += 1
            continue
        for k in range(i, end):
            out[k] = " "
        i = end
    return "".join(out)


def run_query(store: ox.Store, sparql: str) -> Any:
    """Run a SPARQL query over the union of all graphs, with the usual prefixes predeclared.

    Returns pyoxigraph's QuerySolutions, QueryBoolean or QueryTriples; SyntaxError for bad SPARQL.
    """
    check_query(sparql)
    return store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)


class QueryTimeout(CatalogError):
    """A query still running when its time was up."""


def on_big_stack(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)`` run in a thread with a :data:`QUERY_STACK` stack: its
    result, or its exception raised here.

    pyoxigraph's parser, planner and evaluator recurse once per term of a flat chain
    (``?o = 1 || ?o = 2 || …``, ``1+1+…``, ``{…} UNION {…} UNION …``): 10,000 terms (some 100 KB
    of query) overflow the 8 MiB main stack and kill the process; on this stack such a query
    merely takes its time. A query's results are bound to the thread that made them, so
    ``function`` must both run the query and consume its results.
    """
    return on_big_stack_within(None, function, *args, **kwargs)


def on_big_stack_within(seconds: float | None, function: Callable[..., T], *args: Any,
                        **kwargs: Any) -> T:
    """:func:`on_big_stack`, but QueryTimeout when ``function`` is still running after
    ``seconds`` (None: no limit). The thread cannot be stopped: it is left to end with the
    process, so only a process about to exit (the command line) should give a limit."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, function(*args, **kwargs)))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            outcome.append((False, exc))

    previous = threading.stack_size(QUERY_STACK)
    try:
        thread = threading.Thread(target=run, name="query", daemon=True)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join(seconds)
    if thread.is_alive():
        raise QueryTimeout("query", f"still running after {seconds:g} s, stopped (--timeout)",
                           "timeout")
    if not outcome:  # pragma: no cover - run() always appends
        raise RuntimeError("the query thread ended without an outcome")
    done, value = outcome[0]
    if not done:
        raise value
    return value


MAX_NESTING = 200  # brackets a query may nest; people and tools nest a dozen
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")


def check_query(sparql: str) -> None:
    """SyntaxError when a query nests ( { [ more than :data:`MAX_NESTING` deep (in strings,
    IRIs and comments they do not count). pyoxigraph's parser recurses on nesting: 3,000 braces
    (6 KB of query) overflow its stack and kill the process instead of raising."""
    n = len(sparql)
    depth = 0
    i = 0
    while i < n:
        ch = sparql[i]
        if ch == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if ch in "\"'":
            long = sparql.startswith(ch * 3, i)
            quote = ch * 3 if long else ch
            end = _string_end(sparql, i + len(quote), quote, long)
            if end is None:
                if long:
                    return  # the rest is inside an unterminated string: the parser says so
                i += 1
                continue
            i = end
            continue
        if ch == "<":
            iri = _IRI.match(sparql, i)
            if iri is not None:
                i = iri.end()
                continue
        if ch in "({[":
            depth += 1
            if depth > MAX_NESTING:
                raise SyntaxError(f"the query nests brackets more than {MAX_NESTING} deep "
                                  f"(at character {i})")
        elif ch in ")}]":
            depth = max(0, depth - 1)
        i += 1


def _string_end(text: str, start: int, quote: str, long: bool) -> int | None:
    """Where a string literal opened before ``start`` ends (after its closing quote); None when
    it does not (a short string must close on its line)."""
    j = start
    while True:
        k = text.find(quote, j)
        if k < 0:
            return None
        if not long:
            newline = text.find("\n", j, k)
            if newline >= 0:
                return None
        slashes = k
        while slashes > j and text[slashes - 1] == "\\":
            slashes -= 1
        if (k - slashes) % 2 == 0:
            return k + len(quote)
        j = k + 1
