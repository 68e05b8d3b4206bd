"""One input of a build → its cache entry (:class:`~catalog_graph.batch.cache.Entry`).

A pure, module-level function of the input's bytes, its display path and the :class:`Setup`,
so that it runs the same in this process, in a worker process (:func:`convert_file`) or on a
Dask worker (:func:`convert_data`, given the bytes). The input goes through
:mod:`catalog_graph.pipeline` with a fresh resolver; the entry holds its report, its parts of
every output and what it cites from the shared graphs.
"""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path
from typing import Any

from catalog_graph.batch.cache import Entry, fingerprint
from catalog_graph.batch.cluster import ClusterMismatch
from catalog_graph.batch.models import FileResult, Setup
from catalog_graph.errors import CatalogError
from catalog_graph.graph.iris import Iris
from catalog_graph.graph.rdf import key_text
from catalog_graph.models import Catalog
from catalog_graph.pipeline import graph_parts, parse_file
from catalog_graph.readers import archives
from catalog_graph.resolve.resolver import Resolver


def _report(display: str, catalog: Catalog, triples: int) -> FileResult:
    """The report of a catalog read: its counts, and its warnings and its items' and
    citations', each prefixed with where it was found."""
    warnings = list(catalog.warnings)
    citations = 0
    for item in catalog.items:
        where = item.reference()
        warnings.extend(f"{where}: {w}" for w in item.warnings)
        for citation in item.citations:
            citations += 1
            warnings.extend(f"{where}: {citation.text}: {w}" for w in citation.warnings)
    return FileResult(path=display, items=len(catalog.items), citations=citations,
                      triples=triples, warnings=warnings)


def failed_entry(display: str, error: str, cacheable: bool) -> Entry:
    """The entry of an input that contributes nothing, and why."""
    return Entry(report=FileResult(display, status="failed", error=error).report(),
                 cacheable=cacheable)


def skipped_entry(display: str, note: str) -> Entry:
    """The entry of a file in an archive that holds no catalog (a cover letter): no items,
    and why it was skipped."""
    empty = b""
    return Entry(report=FileResult(display, warnings=[f"skipped, holds no catalog: {note}"]).report(),
                 blobs={name: empty for name in _BLOBS})


_BLOBS = ("items", "nquads", "turtle", "jsonld", "graphml_nodes", "graphml_edges", "gexf_nodes",
          "gexf_edges", "nodelink_nodes", "nodelink_edges")


def convert(display: str, path: Path, setup: Setup) -> Entry:
    """One input → its cache entry. A file that cannot be read is a failed entry, cached
    (the same bytes fail again); an internal error is one too, but not cached. An input named
    ``archive.zip!/inner/path`` whose path is that archive is the file inside it, unpacked
    into a temporary folder; one that holds no catalog is skipped with a note."""
    member = archives.split(display, path)
    if member is None:
        return _convert(display, path, setup, in_archive=False)
    archive_display, chain = member
    with tempfile.TemporaryDirectory(prefix="catalog-graph-member-") as folder:
        try:
            inner = archives.member_file(path, archive_display, chain, Path(folder))
        except CatalogError as exc:
            return failed_entry(display, str(exc), cacheable=True)
        return _convert(display, inner, setup, in_archive=True)


def _convert(display: str, path: Path, setup: Setup, in_archive: bool) -> Entry:
    iris = Iris(setup.base)
    try:
        # a fresh resolver per file: resolution never depends on which files came before
        resolver = Resolver(setup.authority)
        catalog = parse_file(path, resolver, display=display,
                             pdf_settings={"engine": setup.pdf_engine})
        parts = graph_parts(catalog, iris, resolver)
        report = _report(display, catalog, parts.triples)
    except CatalogError as exc:
        if in_archive and exc.kind in archives.NO_CATALOG_KINDS:
            return skipped_entry(display, exc.message)
        return failed_entry(display, str(exc), cacheable=True)
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the others
        return failed_entry(display, f"{display}: internal error: {type(exc).__name__}: {exc}",
                            cacheable=False)
    pieces = parts.pieces
    return Entry(
        report=report.report(),
        blobs={"items": parts.items_jsonl, "nquads": parts.nquads, "turtle": parts.turtle,
               "jsonld": parts.jsonld,
               "graphml_nodes": pieces.graphml_nodes, "graphml_edges": pieces.graphml_edges,
               "gexf_nodes": pieces.gexf_nodes, "gexf_edges": pieces.gexf_edges,
               "nodelink_nodes": pieces.nodelink_nodes, "nodelink_edges": pieces.nodelink_edges,
               "items_csv": parts.items_csv, "citations_csv": parts.citations_csv},
        regulations=[r.to_dict() for r in parts.regulations],
        provisions=sorted(parts.provisions, key=lambda p: (p[0], [-1 if v is None else v
                                                                  for v in p[1]])),
        concepts=sorted(parts.concepts),
        time_limits=sorted(parts.time_limits, key=key_text),
        cited=sorted(parts.cited),
        attributes=sorted(pieces.attributes),
        citing=dict(sorted(parts.citing.items())),
    )


def convert_file(task: tuple[str, str, Setup]) -> bytes:
    """One input ``(display path, path, setup)`` → its cache entry, as stored."""
    display, path, setup = task
    return convert(display, Path(path), setup).to_bytes()


def convert_data(task: tuple[Any, ...]) -> bytes:
    """The same from the input's bytes, on a Dask worker: ``(display path, file name suffix,
    bytes, IRI base, extra authority files as (name, bytes), fingerprint[, PDF engine])``.
    ClusterMismatch when this process would give other results (its fingerprint differs)."""
    display, suffix, data, base, authority, expected, *rest = task
    pdf_engine = rest[0] if rest else Setup.pdf_engine
    with tempfile.TemporaryDirectory(prefix="catalog-graph-") as tmp:
        paths = []
        for number, (name, content) in enumerate(authority):
            folder = Path(tmp) / "authority" / str(number)
            folder.mkdir(parents=True)
            (folder / name).write_bytes(content)
            paths.append(str(folder / name))
        if fingerprint(paths) != expected:
            raise ClusterMismatch(f"the Dask worker on {socket.gethostname()} runs another "
                                  "version of catalog-graph, or other ontology/authority files or "
                                  "libraries; install the same everywhere")
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        return convert(display, path, Setup(base, tuple(paths), pdf_engine)).to_bytes()
