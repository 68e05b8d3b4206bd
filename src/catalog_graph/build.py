"""``catalog-graph build``: catalog files and folders → the graph in a folder.

Two stages. :func:`process_file` turns one input into everything it contributes — its items as
JSON lines, its named graph as sorted N-Quads and Turtle, the regulations it cites — and is a
pure, picklable, module-level function, so it runs the same in this process or in a worker.
:func:`build` then assembles the results in input-path order and writes, streaming (no corpus-wide
rdflib graph is ever held):

==================  ===========================================================================
``items.jsonl``     every item, one JSON object per line; catalogs by path, items in table order
``graph.nq``        N-Quads: each catalog's graph (by path), then ``graph/regulations``, then
                    ``graph/vocabulary``; lines sorted within each graph
``graph.ttl``       the same triples as Turtle (graphs merged), subjects sorted within each part
``graph.graphml``   the networkx MultiDiGraph (catalogs, items, regulations, provisions, issuers)
``graph.gexf``      the same, for Gephi
``store/``          the pyoxigraph store, bulk-loaded from graph.nq, that ``query`` reads
``report.json``     one entry per input: path, status ok|failed, items, citations, triples,
                    warnings, error
==================  ===========================================================================

Every file is written under a temporary name in DIR and renamed into place: complete or absent.
The same inputs give byte-identical files (the store aside) whatever the number of workers.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import CatalogError
from .iris import DEFAULT_BASE, Iris
from .models import Catalog, Regulation

CATALOG_SUFFIXES = frozenset({".txt", ".tsv", ".csv", ".text", ".pdf", ".xlsx", ".xlsm", ".docx",
                              ".html", ".htm", ".xhtml", ".shtml"})

OUTPUTS = ("items.jsonl", "graph.nq", "graph.ttl", "graph.graphml", "graph.gexf", "report.json")


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
    results: list[dict[str, Any]]
    items: int = 0
    triples: int = 0
    regulations: int = 0

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.results if r["status"] != "ok"]


# --------------------------------------------------------------------------- inputs


def collect_inputs(paths: Iterable[Path], exclude: Path | None = None) -> list[tuple[str, Path]]:
    """Files and folders → (display path, path) of every catalog file, sorted by display path.

    Folders are searched recursively for catalog files (by suffix), skipping hidden entries and
    ``exclude`` (the output folder); a path that does not exist is kept so that it is reported.
    The same file named twice counts once.
    """
    found: dict[Path, str] = {}
    excluded = exclude.resolve() if exclude is not None else None
    for arg in paths:
        arg = Path(arg)
        if arg.is_dir():
            for path in sorted(arg.rglob("*")):
                rel = path.relative_to(arg)
                if any(part.startswith(".") for part in rel.parts) or not path.is_file():
                    continue
                if path.suffix.lower() not in CATALOG_SUFFIXES:
                    continue
                if excluded is not None and excluded in path.resolve().parents:
                    continue
                found.setdefault(path.resolve(), (arg / rel).as_posix())
        else:
            found.setdefault(arg.resolve(), arg.as_posix())
    return sorted(((display, path) for path, display in found.items()), key=lambda t: t[0])


# --------------------------------------------------------------------------- one input


def _new_resolver() -> Any:
    """A fresh resolver per file: resolution never depends on which files came before."""
    from .resolve import Resolver

    return Resolver()


def process_file(task: tuple[str, str, str]) -> FileResult:
    """One input ``(display path, path, IRI base)`` → its items, quads and cited regulations."""
    display, path, base = task
    try:
        return _process(display, Path(path), Iris(base))
    except CatalogError as exc:
        return FileResult(display, status="failed", error=str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the others
        return FileResult(display, status="failed",
                          error=f"{display}: internal error: {type(exc).__name__}: {exc}")


def _process(display: str, path: Path, iris: Iris) -> FileResult:
    from .output import item_json
    from .pipeline import parse_file
    from .rdf import catalog_quads, nquads, turtle_body

    resolver = _new_resolver()
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
        nquads=b"".join(lines), turtle=turtle_body(part.quads), catalog=catalog,
        regulations=[r for r in regulations if r is not None], provisions=part.provisions,
        concepts=part.concepts, time_limits=part.time_limits,
    )


def run_files(tasks: Sequence[tuple[str, str, str]], workers: int) -> Iterator[FileResult]:
    """Results in task order: in this process when ``workers`` is 1, else in worker processes.

    Workers are spawned (not forked: the parent may hold threads), so a script calling
    :func:`build` with several workers must guard its entry point with
    ``if __name__ == "__main__":`` as multiprocessing requires.
    """
    if workers <= 1 or len(tasks) <= 1:
        yield from map(process_file, tasks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context) as pool:
        yield from pool.map(process_file, tasks)


# --------------------------------------------------------------------------- assembly


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


def _write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Let ``write`` fill a temporary path in the same folder, then rename it to ``path``."""
    fd, tmp = _temp_file(path)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


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

    def result(self) -> Any:
        self._thread.join()
        ok, value = self._outcome[0]
        if not ok:
            raise value
        return value


def build(inputs: Iterable[Path], out_dir: Path, workers: int | None = None,
          base: str = DEFAULT_BASE,
          on_result: Callable[[FileResult], None] | None = None) -> BuildSummary:
    """Build the graph of every catalog under ``inputs`` into ``out_dir``.

    ``workers``: processes parsing inputs (default: the number of cores; 1: this process).
    ``on_result`` is called with each input's result as it is assembled (for progress).
    Raises CatalogError when there is no input at all; failed inputs are reported, not raised.
    """
    from . import nx as graphs
    from .rdf import (
        nquads,
        prefix_header,
        regulation_quads,
        turtle_body,
        vocabulary_quads,
    )
    from .resolve import merge_regulations
    from .store import STORE_DIR, load_store

    iris = Iris(base)
    out_dir = Path(out_dir)
    files = collect_inputs(inputs, exclude=out_dir)
    if not files:
        raise CatalogError(", ".join(str(p) for p in inputs) or ".", "no catalog files found",
                           "empty")
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    tasks = [(display, str(path), base) for display, path in files]

    graph = graphs.GraphBuilder(iris)
    records: list[Regulation] = []
    provisions: set[tuple[str, tuple[int | None, ...]]] = set()
    concepts: set[tuple[str, str]] = set()
    time_limits: set[tuple[Any, ...]] = set()
    summary = BuildSummary(out_dir, [])
    outputs = {name: _AtomicFile(out_dir / name) for name in ("items.jsonl", "graph.nq", "graph.ttl")}
    try:
        outputs["graph.ttl"].write(prefix_header())
        for result in run_files(tasks, workers):
            summary.results.append(result.report())
            if result.status == "ok":
                outputs["items.jsonl"].write(result.items_jsonl)
                outputs["graph.nq"].write(result.nquads)
                outputs["graph.ttl"].write(result.turtle)
                graph.add_catalog(result.catalog)
                records.extend(result.regulations)
                provisions |= result.provisions
                concepts |= result.concepts
                time_limits |= result.time_limits
                summary.items += result.items
                summary.triples += result.triples
            if on_result is not None:
                on_result(result)
            result.catalog = None  # assembled: let it go
        regulations = {r.id: r for r in merge_regulations(r for r in records
                                                          if r.id in graph.cited)}
        reg_quads, kinds = regulation_quads(regulations, provisions, iris)
        shared = [reg_quads, vocabulary_quads(concepts | kinds, iris, time_limits)]
        for quads in shared:
            lines = nquads(quads)
            summary.triples += len(lines)
            outputs["graph.nq"].write(b"".join(lines))
            outputs["graph.ttl"].write(turtle_body(quads))
        for output in outputs.values():
            output.commit()
    finally:
        for output in outputs.values():
            output.discard()
    summary.regulations = len(regulations)

    # The store loads in Rust without the GIL: let it run while networkx writes its files.
    loading = _Background(load_store, out_dir / "graph.nq", out_dir / STORE_DIR)
    try:
        graph.add_regulations(regulations)
        _write_atomic(out_dir / "graph.graphml", lambda p: graphs.write_graphml(graph.graph, p))
        _write_atomic(out_dir / "graph.gexf", lambda p: graphs.write_gexf(graph.graph, p))
    finally:
        loading.result()
    report = json.dumps(summary.results, ensure_ascii=False, indent=2) + "\n"
    _write_atomic(out_dir / "report.json", lambda p: p.write_text(report, encoding="utf-8"))
    return summary
