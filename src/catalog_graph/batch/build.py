"""``catalog-graph build``: catalog files and folders → the graph in a folder.

Three stages:

1. **Find** the inputs (:mod:`catalog_graph.batch.inputs`): files and folders, searched recursively,
   hidden and temporary files skipped, sorted by the path shown for them.
2. **Convert** each input that is not in the cache (:mod:`catalog_graph.batch.cache`, in
   ``DIR/.cache``) into everything it contributes — its items as JSON lines, its named graph as
   sorted N-Quads and Turtle, its GraphML and GEXF pieces, the regulations it cites — with a
   pure, module-level function (:func:`convert_file`), in this process, in worker processes
   (:mod:`catalog_graph.batch.workers`) or on a Dask cluster (:mod:`catalog_graph.batch.cluster`). Each
   result goes to the cache as it comes.
3. **Assemble** the results in input order, streaming: each input's part is appended to the
   outputs as soon as every input before it is done, so no corpus-wide graph is ever held; the
   shared graphs (regulations, vocabulary) come last, made from what every input cited.

==================  ===========================================================================
``items.jsonl``     every item, one JSON object per line; catalogs by path, items in table order
``graph.nq``        N-Quads: each catalog's graph (by path), then ``graph/regulations``, then
                    ``graph/vocabulary``; lines sorted within each graph
``graph.ttl``       the same triples as Turtle (graphs merged), subjects sorted within each part
``graph.nt``        the same triples as N-Triples, in the order of graph.nq
``graph.jsonld``    the same quads as expanded JSON-LD, one named graph per catalog
``graph.graphml``   the networkx MultiDiGraph (catalogs, items, regulations, provisions, issuers),
                    written piece by piece (:mod:`catalog_graph.graph.files`)
``graph.gexf``      the same, for Gephi
``graph.nodelink.json``  the same as networkx node-link JSON (``nodes`` and ``edges``)
``store/``          the pyoxigraph store, bulk-loaded from graph.nq, that ``query`` reads
``report.json``     one entry per input: path, status ok|failed, items, citations, triples,
                    warnings, error
==================  ===========================================================================

Every file is written under a temporary name in DIR and renamed into place: complete or absent
(the store is built in a temporary folder and swapped in). A build that is killed leaves only
temporary files, which the next build into DIR removes before it starts; since every input's
result is cached as soon as it is made, the next build reads only what was not done, and its
output is byte for byte that of a build never interrupted. The same inputs give byte-identical
files (the store's database files aside) whatever the number of workers, the order results
come in, the cache, or the cluster.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from catalog_graph.batch.cache import Cache, Entry, content_digest, entry_key, fingerprint
from catalog_graph.batch.inputs import CATALOG_SUFFIXES, collect_inputs, scan_inputs
from catalog_graph.batch.progress import Progress
from catalog_graph.batch.workers import Died, Done, default_workers, run_local
from catalog_graph.errors import CatalogError
from catalog_graph.graph.iris import DEFAULT_BASE, Iris
from catalog_graph.models import Catalog, Regulation

__all__ = ["CATALOG_SUFFIXES", "OUTPUTS", "BuildSummary", "FileResult", "Setup", "build",
           "collect_inputs", "convert_data", "convert_file"]

OUTPUTS = ("items.jsonl", "graph.nq", "graph.ttl", "graph.nt", "graph.jsonld", "graph.graphml",
           "graph.gexf", "graph.nodelink.json", "report.json")
_STREAMED = ("items.jsonl", "graph.nq", "graph.ttl", "graph.nt", "graph.jsonld")

# what a killed build may leave in DIR: temporary files and store folders (see _clean)
_TEMPORARY_PREFIXES = tuple(f".{name}." for name in OUTPUTS) + (".graph.",)
_STORE_LEFTOVERS = (".store.tmp-", ".store.old-", ".store.fifo-")
STORE_MANIFEST = "catalog-graph.json"  # in store/: catalog graph IRI → the cache entry it came from


@dataclass
class FileResult:
    """What one input contributes to the build (or why it contributes nothing)."""

    path: str
    status: str = "ok"
    error: str | None = None
    items: int = 0
    citations: int = 0
    triples: int = 0
    warnings: list[str] = field(default_factory=list)
    items_jsonl: bytes = b""
    nquads: bytes = b""
    turtle: bytes = b""
    jsonld: bytes = b""
    catalog: Catalog | None = None
    regulations: list[Regulation] = field(default_factory=list)
    provisions: set[tuple[str, tuple[int | None, ...]]] = field(default_factory=set)
    concepts: set[tuple[str, str]] = field(default_factory=set)
    time_limits: set[tuple[Any, ...]] = field(default_factory=set)

    def report(self) -> dict[str, Any]:
        """The entry of report.json."""
        return {"path": self.path, "status": self.status, "items": self.items,
                "citations": self.citations, "triples": self.triples,
                "warnings": list(self.warnings), "error": self.error}


@dataclass
class BuildSummary:
    """What a build did."""

    out_dir: Path
    inputs: int = 0
    items: int = 0
    citations: int = 0
    triples: int = 0
    regulations: int = 0
    warnings: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)  # report entries of failed inputs
    read: list[str] = field(default_factory=list)  # inputs converted by this build
    cached: int = 0  # inputs taken from the cache
    seconds: float = 0.0

    @property
    def parsed(self) -> int:
        """How many inputs this build converted (the others came from the cache)."""
        return len(self.read)


# --------------------------------------------------------------------------- one input


@dataclass(frozen=True)
class Setup:
    """What converting an input depends on besides the input: the IRI base and the authority
    files read after the built-in ones (``--authority``)."""

    base: str = DEFAULT_BASE
    authority: tuple[str, ...] = ()


def _new_resolver(authority: tuple[str, ...] = ()) -> Any:
    """A fresh resolver per file: resolution never depends on which files came before."""
    from catalog_graph.resolve.resolver import Resolver

    return Resolver(authority)


def _process(display: str, path: Path, iris: Iris, authority: tuple[str, ...] = ()) -> FileResult:
    from catalog_graph.graph.rdf import catalog_quads, jsonld_graphs, nquads, turtle_body
    from catalog_graph.output import item_json
    from catalog_graph.pipeline import parse_file

    resolver = _new_resolver(authority)
    catalog = parse_file(path, resolver, display=display)
    part = catalog_quads(catalog, iris)
    lines = nquads(part.quads)
    warnings = list(catalog.warnings)
    citations = 0
    for item in catalog.items:
        where = f"row {item.source.row}" + (f" (page {item.source.page})" if item.source.page else "")
        warnings.extend(f"{where}: {w}" for w in item.warnings)
        for citation in item.citations:
            citations += 1
            warnings.extend(f"{where}: {citation.text}: {w}" for w in citation.warnings)
    regulations = [resolver.regulation(reg_id) for reg_id in sorted(part.regulations)]
    return FileResult(
        path=display, items=len(catalog.items), citations=citations, triples=len(lines),
        warnings=warnings,
        items_jsonl="".join(item_json(item) + "\n" for item in catalog.items).encode("utf-8"),
        nquads=b"".join(lines), turtle=turtle_body(part.quads), jsonld=jsonld_graphs(part.quads),
        catalog=catalog,
        regulations=[r for r in regulations if r is not None], provisions=part.provisions,
        concepts=part.concepts, time_limits=part.time_limits,
    )


def _failed(display: str, error: str, cacheable: bool) -> Entry:
    return Entry(report=FileResult(display, status="failed", error=error).report(),
                 cacheable=cacheable)


def _convert(display: str, path: Path, setup: Setup) -> Entry:
    """One input → its cache entry. A file that cannot be read is a failed entry, cached
    (the same bytes fail again); an internal error is one too, but not cached."""
    from catalog_graph.graph.files import catalog_pieces
    from catalog_graph.graph.rdf import key_text

    iris = Iris(setup.base)
    try:
        result = _process(display, path, iris, setup.authority)
        assert result.catalog is not None
        pieces = catalog_pieces(result.catalog, iris)
    except CatalogError as exc:
        return _failed(display, str(exc), cacheable=True)
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the others
        return _failed(display, f"{display}: internal error: {type(exc).__name__}: {exc}",
                       cacheable=False)
    cited = {c.regulation for item in result.catalog.items for c in item.citations
             if c.regulation is not None}
    return Entry(
        report=result.report(),
        blobs={"items": result.items_jsonl, "nquads": result.nquads, "turtle": result.turtle,
               "jsonld": result.jsonld,
               "graphml_nodes": pieces.graphml_nodes, "graphml_edges": pieces.graphml_edges,
               "gexf_nodes": pieces.gexf_nodes, "gexf_edges": pieces.gexf_edges,
               "nodelink_nodes": pieces.nodelink_nodes, "nodelink_edges": pieces.nodelink_edges},
        regulations=[r.to_dict() for r in result.regulations],
        provisions=sorted(result.provisions, key=lambda p: (p[0], [-1 if v is None else v
                                                                   for v in p[1]])),
        concepts=sorted(result.concepts),
        time_limits=sorted(result.time_limits, key=key_text),
        cited=sorted(cited),
        attributes=sorted(pieces.attributes),
    )


def convert_file(task: tuple[str, str, Setup]) -> bytes:
    """One input ``(display path, path, setup)`` → its cache entry, as stored."""
    display, path, setup = task
    return _convert(display, Path(path), setup).to_bytes()


def convert_data(task: tuple[str, str, bytes, str, tuple[tuple[str, bytes], ...], str]) -> bytes:
    """The same from the input's bytes, on a Dask worker: ``(display path, file name suffix,
    bytes, IRI base, extra authority files as (name, bytes), fingerprint)``. ClusterMismatch
    when this process would give other results (its fingerprint differs)."""
    from catalog_graph.batch.cluster import ClusterMismatch

    display, suffix, data, base, authority, expected = task
    with tempfile.TemporaryDirectory(prefix="catalog-graph-") as tmp:
        paths = []
        for number, (name, content) in enumerate(authority):
            folder = Path(tmp) / "authority" / str(number)
            folder.mkdir(parents=True)
            (folder / name).write_bytes(content)
            paths.append(str(folder / name))
        if fingerprint(paths) != expected:
            import socket

            raise ClusterMismatch(f"the Dask worker on {socket.gethostname()} runs another "
                                  "version of catalog-graph, or other ontology/authority files or "
                                  "libraries; install the same everywhere")
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        return _convert(display, path, Setup(base, tuple(paths))).to_bytes()


# --------------------------------------------------------------------------- outputs


def _temp_file(path: Path) -> tuple[int, str]:
    """A temporary file beside ``path``, with the permissions a new file would get."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)
    return fd, tmp


class _AtomicFile:
    """A file in DIR written under a temporary name, renamed into place on :meth:`commit`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        fd, self.tmp = _temp_file(path)
        self.fh: IO[bytes] = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        self.fh.write(data)

    def commit(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        if not self.fh.closed:
            self.fh.close()
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass


class _Background:
    """A function running in a thread; :meth:`result` waits for it and re-raises its error."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        import threading

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


class _StoreLoader:
    """A new ``store/`` loaded from the N-Quads written to it, while the build goes on.

    pyoxigraph bulk-loads them from a named pipe (in Rust, without the GIL) into a temporary
    folder, batch by batch as they come; :meth:`commit` waits for the last batch and swaps the
    new store in (``store/`` moved aside, the new one renamed to ``store/``, the old one
    removed: a kill in between leaves folders the next build removes, see :func:`_clean`).

    Incremental: ``store/`` records which catalog graph came from which cache entry
    (:data:`STORE_MANIFEST`, swapped in with the store). When most of those entries are still
    the build's inputs, the new store starts as a checkpoint of the old one (hard links, not a
    copy), the graphs of changed and removed inputs and the shared graphs are dropped, and only
    the parts written with :meth:`write` for a graph not :meth:`kept` are loaded: a rebuild
    after a few files changed loads a few files' quads, not the corpus.
    """

    def __init__(self, out_dir: Path, keys: dict[str, str] | None = None) -> None:
        """``keys``: every input's graph IRI → its cache key (None: load everything)."""
        import shutil

        from catalog_graph.store.db import STORE_DIR

        self.path = out_dir / STORE_DIR
        self.tmp = out_dir / f".store.tmp-{os.getpid()}"
        self.old = out_dir / f".store.old-{os.getpid()}"
        self.fifo = out_dir / f".store.fifo-{os.getpid()}"
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.fifo.unlink(missing_ok=True)
        self.reused = self._checkpoint(keys or {})  # graph IRI → key, already in the new store
        self.manifest: dict[str, str] = {}  # what the new store holds
        os.mkfifo(self.fifo)
        self.loading = _Background(self._load)
        self.pipe: IO[bytes] | None = self._open()

    def _checkpoint(self, keys: dict[str, str]) -> dict[str, str]:
        """Start from the old store when most of it is still wanted: the graphs kept."""
        import shutil

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
        import errno

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
        import shutil

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
        import shutil

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


def _clean(out_dir: Path) -> None:
    """Remove what a killed build left in DIR: temporary files and half-swapped stores."""
    import shutil
    import stat

    for path in out_dir.iterdir():
        name = path.name
        if not (name.startswith(_STORE_LEFTOVERS)
                or (name.startswith(_TEMPORARY_PREFIXES) and name.endswith(".tmp"))):
            continue
        if stat.S_ISDIR(path.lstat().st_mode):
            shutil.rmtree(path, ignore_errors=True)
        else:  # a file, or the store's named pipe (opening which would wait for a writer)
            path.unlink(missing_ok=True)


def _report_lines(entry: dict[str, Any]) -> bytes:
    """One report entry as ``json.dumps(entries, indent=2)`` writes it inside the list."""
    text = json.dumps(entry, ensure_ascii=False, indent=2)
    return "\n".join("  " + line for line in text.split("\n")).encode("utf-8")


# --------------------------------------------------------------------------- the build


@dataclass
class _Input:
    """One input and what the cache knows of it."""

    display: str
    path: Path | None
    error: str | None = None  # a folder that could not be listed
    key: str | None = None  # its cache key (None: its bytes could not be read)
    cached: bool = False  # the cache holds its entry
    converted: bool = False  # converted by this build (not taken from the cache)


class _Assembly:
    """The outputs being written, and what the shared graphs need from every input."""

    def __init__(self, out_dir: Path, summary: BuildSummary, progress: Progress, iris: Iris,
                 keys: dict[str, str]) -> None:
        """``keys``: the cache key of every input's graph (by IRI), for the store to reuse."""
        from catalog_graph.graph.files import GraphFiles
        from catalog_graph.graph.rdf import prefix_header

        self.out_dir = out_dir
        self.summary = summary
        self.progress = progress
        self.outputs = {name: _AtomicFile(out_dir / name)
                        for name in (*_STREAMED, "report.json")}
        self.graph_files = GraphFiles(out_dir)
        self.iris = iris
        self.store = _StoreLoader(out_dir, keys)
        self.outputs["graph.ttl"].write(prefix_header())
        self.outputs["graph.jsonld"].write(b"[\n")
        self.jsonld_parts = 0
        self.reports = 0
        # regulation id → its distinct records (JSON → record), in the order first seen
        self.records: dict[str, dict[str, dict[str, Any]]] = {}
        self.provisions: set[tuple[str, tuple[int | None, ...]]] = set()
        self.concepts: set[tuple[str, str]] = set()
        self.time_limits: set[tuple[Any, ...]] = set()
        self.cited: set[str] = set()

    def add(self, entry: Entry, cached: bool, key: str | None) -> None:
        """Append one input's part (inputs in order); ``key``: its cache entry's."""
        from catalog_graph.graph.files import Pieces

        report, summary, outputs = entry.report, self.summary, self.outputs
        outputs["report.json"].write((b"[\n" if not self.reports else b",\n")
                                     + _report_lines(report))
        self.reports += 1
        summary.warnings += len(report["warnings"])
        if report["status"] != "ok":
            summary.failed.append(report)
        else:
            outputs["items.jsonl"].write(entry.blob("items"))
            self.store.add(self.iris.catalog(report["path"]), key, entry.blob("nquads"))
            self._write_quads(entry.blob("nquads"), entry.blob("turtle"), entry.blob("jsonld"))
            self.graph_files.add(Pieces(entry.blob("graphml_nodes"), entry.blob("graphml_edges"),
                                        entry.blob("gexf_nodes"), entry.blob("gexf_edges"),
                                        entry.blob("nodelink_nodes"),
                                        entry.blob("nodelink_edges")),
                                 entry.attributes)
            for record in entry.regulations:
                known = self.records.setdefault(record["id"], {})
                known.setdefault(json.dumps(record, sort_keys=True, ensure_ascii=False), record)
            self.provisions.update(entry.provisions)
            self.concepts.update(entry.concepts)
            self.time_limits.update(entry.time_limits)
            self.cited.update(entry.cited)
            summary.items += report["items"]
            summary.citations += report["citations"]
            summary.triples += report["triples"]
        self.progress.file_done(report, cached)

    def _write_quads(self, lines: bytes, turtle: bytes, jsonld: bytes) -> None:
        """One part's quads (N-Quads lines) to graph.nq and graph.nt, its Turtle and JSON-LD to
        theirs (the store is fed by the caller)."""
        from catalog_graph.graph.rdf import triple_line

        outputs = self.outputs
        outputs["graph.nq"].write(lines)
        outputs["graph.nt"].write(b"".join(triple_line(line)
                                           for line in lines.splitlines(keepends=True)))
        outputs["graph.ttl"].write(turtle)
        if jsonld:
            outputs["graph.jsonld"].write((b",\n" if self.jsonld_parts else b"") + jsonld)
            self.jsonld_parts += 1

    def finish(self, iris: Iris) -> None:
        """The shared graphs, then every file committed and the store loaded."""
        from catalog_graph.graph.files import shared_pieces
        from catalog_graph.graph.rdf import (
            jsonld_graphs,
            nquads,
            regulation_quads,
            turtle_body,
            vocabulary_quads,
        )
        from catalog_graph.resolve.resolver import merge_regulations

        self.progress.step("shared graphs")
        records = (Regulation(**record) for rid, known in self.records.items() if rid in self.cited
                   for record in known.values())
        regulations = {r.id: r for r in merge_regulations(records)}
        reg_quads, kinds = regulation_quads(regulations, self.provisions, iris)
        for quads in (reg_quads, vocabulary_quads(self.concepts | kinds, iris, self.time_limits)):
            lines = b"".join(nquads(quads))
            self.summary.triples += lines.count(b"\n")
            self.store.write(lines)
            self._write_quads(lines, turtle_body(quads), jsonld_graphs(quads))
        self.summary.regulations = len(regulations)
        self.graph_files.add(shared_pieces(regulations, self.cited, self.provisions, iris))
        self.outputs["report.json"].write(b"\n]\n")
        self.outputs["graph.jsonld"].write(b"\n]\n")
        for name in _STREAMED:
            self.outputs[name].commit()
        self.progress.step("graph files")
        for name, write in (("graph.graphml", self.graph_files.write_graphml),
                            ("graph.gexf", self.graph_files.write_gexf),
                            ("graph.nodelink.json", self.graph_files.write_node_link)):
            output = _AtomicFile(self.out_dir / name)
            try:
                write(output.fh)
                output.commit()
            finally:
                output.discard()
        self.progress.step("store")
        self.store.commit([iris.regulations_graph, iris.vocabulary_graph])
        self.outputs["report.json"].commit()  # last: a report means a finished build

    def close(self) -> None:
        """Remove whatever was not committed."""
        self.store.discard()
        for output in self.outputs.values():
            output.discard()
        self.graph_files.close()


def _plan(scan_files: list[tuple[str, Path]], unlisted: list[tuple[str, str]], cache: Cache,
          setup: Setup, fp: str) -> list[_Input]:
    """Every input, in order, with its cache key and whether the cache holds it."""
    inputs = [_Input(display, path) for display, path in scan_files]
    inputs += [_Input(display, None, error=f"{display}: {why}") for display, why in unlisted]
    inputs.sort(key=lambda i: i.display)
    for item in inputs:
        if item.path is None:
            continue
        try:
            digest = content_digest(item.path)
        except OSError:
            continue  # converted here, where the reader says what is wrong
        item.key = entry_key(fp, setup.base, item.display, digest)
        item.cached = cache.has(item.key)
    return inputs


def build(inputs: Iterable[Path], out_dir: Path, workers: int | None = None,
          base: str = DEFAULT_BASE, scheduler: str | None = None,
          progress: Progress | None = None,
          authority: Iterable[Path | str] = ()) -> BuildSummary:
    """Build the graph of every catalog under ``inputs`` into ``out_dir``.

    ``workers``: processes converting inputs (default: the number of cores; 1: this process).
    Workers are spawned (not forked: the parent may hold threads), so a script calling
    :func:`build` with several workers must guard its entry point with
    ``if __name__ == "__main__":`` as multiprocessing requires.
    ``scheduler``: the address of a Dask scheduler to convert the inputs on instead.
    ``progress`` hears of each input as it is assembled, and of the steps after.
    ``authority``: authority files (or folders of them) read after the built-in ones.
    Raises CatalogError when there is no input at all, when an authority file cannot be read,
    when another build is writing ``out_dir``, or when the cluster cannot be used; failed
    inputs are reported, not raised.
    """
    from catalog_graph.resolve.authority import expand_paths, read_authority_file

    started = time.monotonic()
    progress = progress or Progress()
    iris = Iris(base)
    out_dir = Path(out_dir)
    extra = expand_paths(authority)
    for path in extra:
        read_authority_file(path)  # a bad file stops the build here, not in every input
    setup = Setup(base, tuple(str(p) for p in extra))
    scan = scan_inputs(inputs, exclude=out_dir)
    if not scan.files and not scan.unlisted:
        raise CatalogError(", ".join(str(p) for p in inputs) or ".", "no catalog files found",
                           "empty")
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = Cache(out_dir)
    with cache.locked():
        _clean(out_dir)
        cache.clean()
        fp = fingerprint(setup.authority)
        plan = _plan(scan.files, scan.unlisted, cache, setup, fp)
        summary = BuildSummary(out_dir, inputs=len(plan))
        progress.start(len(plan))
        keys = {iris.catalog(item.display): item.key for item in plan if item.key is not None}
        assembly = _Assembly(out_dir, summary, progress, iris, keys)
        try:
            _convert_and_assemble(plan, cache, assembly, setup, fp, workers, scheduler)
            assembly.finish(iris)
        finally:
            assembly.close()
            progress.close()
        cache.prune({item.key for item in plan if item.key is not None})
    summary.seconds = time.monotonic() - started
    return summary


def _tasks(plan: list[_Input], setup: Setup, fp: str,
           remote: bool) -> Iterator[tuple[int, Any]]:
    """What each input needs done: nothing (cached: ``Done(None)``), a conversion here (it
    could not be hashed, so is not cached), or a task for a worker (a Dask worker gets the
    bytes of the input and of the authority files)."""
    authority = (tuple((Path(p).name, Path(p).read_bytes()) for p in setup.authority)
                 if remote else ())
    for index, item in enumerate(plan):
        if item.error is not None:
            yield index, Done(_failed(item.display, item.error, cacheable=False).to_bytes())
        elif item.cached:
            yield index, Done(None)
        elif item.key is None or item.path is None:
            yield index, Done(convert_file((item.display, str(item.path), setup)))
        elif remote:
            try:
                data = item.path.read_bytes()
            except OSError:
                yield index, Done(convert_file((item.display, str(item.path), setup)))
                continue
            yield index, (item.display, item.path.suffix, data, setup.base, authority, fp)
        else:
            yield index, (item.display, str(item.path), setup)


def _convert_and_assemble(plan: list[_Input], cache: Cache, assembly: _Assembly, setup: Setup,
                          fp: str, workers: int | None, scheduler: str | None) -> None:
    """Convert what the cache does not hold; assemble every input in order as soon as it and
    every input before it are done (results kept in the cache, or here when not cacheable)."""
    misses = sum(1 for item in plan if not item.cached)
    if scheduler:
        from catalog_graph.batch.cluster import run_dask

        results = run_dask(scheduler, convert_data, _tasks(plan, setup, fp, remote=True))
    else:
        count = workers or default_workers()
        results = run_local(convert_file, _tasks(plan, setup, fp, remote=False),
                            count if misses > 1 else 1)
    waiting: dict[int, Entry | None] = {}  # done, not yet assembled (None: in the cache)
    following = 0
    summary = assembly.summary
    for index, result in results:
        item = plan[index]
        if result is None:
            summary.cached += 1
            waiting[index] = None
        else:
            if isinstance(result, Died):
                result = _failed(item.display, f"{item.display}: {result.message}",
                                 cacheable=False).to_bytes()
            summary.read.append(item.display)
            item.converted = True
            if Entry.peek(result)["cacheable"] and item.key is not None:
                cache.store(item.key, result)
                item.cached = True
            else:
                item.key = None  # not cached: the cache keeps no entry for it
            # assembled at once, or kept here until its turn when the cache does not hold it
            waiting[index] = (Entry.from_bytes(result) if index == following or item.key is None
                              else None)
        while following in waiting:
            entry = waiting.pop(following)
            item = plan[following]
            if entry is None:
                entry = cache.load(item.key) if item.key is not None else None
                if entry is None:  # damaged since it was checked: convert it again
                    entry = _convert(item.display, item.path or Path(item.display), setup)
                    if not item.converted:
                        summary.cached -= 1
                        summary.read.append(item.display)
                        item.converted = True
            assembly.add(entry, cached=not item.converted, key=item.key)
            following += 1
    summary.read.sort()
