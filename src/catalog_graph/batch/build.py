"""``catalog-graph build``: catalog files and folders → the graph in a folder.

This module plans and schedules; three stages:

1. **Find** the inputs (:mod:`catalog_graph.batch.inputs`): files and folders, searched recursively,
   hidden and temporary files skipped, sorted by the path shown for them.
2. **Convert** each input that is not in the cache (:mod:`catalog_graph.batch.cache`, in
   ``DIR/.cache``) into everything it contributes — its items as JSON lines, its named graph as
   sorted N-Quads and Turtle, its GraphML and GEXF pieces, the regulations it cites — with a
   pure, module-level function (:mod:`catalog_graph.batch.convert`), in this process, in worker
   processes (:mod:`catalog_graph.batch.workers`) or on a Dask cluster
   (:mod:`catalog_graph.batch.cluster`). Each result goes to the cache as it comes.
3. **Assemble** the results in input order, streaming (:mod:`catalog_graph.batch.assemble`):
   each input's part is appended to the outputs as soon as every input before it is done, so no
   corpus-wide graph is ever held; the shared graphs (regulations, vocabulary) come last, made
   from what every input cited; the store is loaded alongside (:mod:`catalog_graph.store.load`).

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

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog_graph.atomic import COMPRESSIONS
from catalog_graph.batch.assemble import DEFAULT_FORMATS, FORMATS, Assembly, remove_leftovers
from catalog_graph.batch.cache import Cache, Entry, content_digest, entry_key, fingerprint
from catalog_graph.batch.cluster import run_dask
from catalog_graph.batch.convert import convert, convert_data, convert_file, failed_entry
from catalog_graph.batch.inputs import scan_inputs
from catalog_graph.batch.models import BuildSummary, Setup
from catalog_graph.batch.progress import Progress
from catalog_graph.batch.workers import Died, Done, default_workers, run_local
from catalog_graph.errors import CatalogError
from catalog_graph.graph.iris import DEFAULT_BASE, Iris
from catalog_graph.resolve.authority import expand_paths, read_authority_file
from catalog_graph.resolve.lawtexts import LawTexts

__all__ = ["build"]


@dataclass
class _Input:
    """One input and what the cache knows of it."""

    display: str
    path: Path | None
    error: str | None = None  # a folder that could not be listed
    key: str | None = None  # its cache key (None: its bytes could not be read)
    cached: bool = False  # the cache holds its entry
    converted: bool = False  # converted by this build (not taken from the cache)


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
          authority: Iterable[Path | str] = (), laws: Path | str | None = None,
          formats: Iterable[str] = DEFAULT_FORMATS, compress: str | None = None,
          pdf_engine: str = "pdfium") -> BuildSummary:
    """Build the graph of every catalog under ``inputs`` into ``out_dir``.

    ``workers``: processes converting inputs (default: the number of cores; 1: this process).
    Workers are spawned (not forked: the parent may hold threads), so a script calling
    :func:`build` with several workers must guard its entry point with
    ``if __name__ == "__main__":`` as multiprocessing requires.
    ``scheduler``: the address of a Dask scheduler to convert the inputs on instead.
    ``progress`` hears of each input as it is assembled, and of the steps after.
    ``authority``: authority files (or folders of them) read after the built-in ones.
    ``laws``: a folder of the user's law texts (LawRefBook layout): each cited article's text
    goes on its provision node (``cg:articleText``) in the regulations graph.
    ``formats``: the outputs to write (names of :data:`~catalog_graph.batch.assemble.FORMATS`;
    report.json always); what an earlier build wrote and this one does not is removed.
    ``compress``: None, "gzip" or "zstd": every text output but report.json written compressed,
    as NAME.gz or NAME.zst.
    ``pdf_engine``: the engine reading PDF pages, ``"pdfium"`` or ``"pdfplumber"`` (the same
    items; see :class:`~catalog_graph.readers.pdf.PdfSettings`).
    Raises CatalogError when there is no input at all, when an authority file cannot be read,
    when another build is writing ``out_dir``, or when the cluster cannot be used; failed
    inputs are reported, not raised.
    """
    started = time.monotonic()
    chosen = set(formats)
    if chosen - set(FORMATS) or not chosen:
        raise ValueError(f"unknown formats {sorted(chosen - set(FORMATS))}; choose among "
                         f"{', '.join(FORMATS)}")
    formats = tuple(f for f in FORMATS if f in chosen)
    if compress not in (None, *COMPRESSIONS):
        raise ValueError(f"unknown compression {compress!r}; one of {', '.join(COMPRESSIONS)}")
    progress = progress or Progress()
    iris = Iris(base)
    out_dir = Path(out_dir)
    extra = expand_paths(authority)
    for path in extra:
        read_authority_file(path)  # a bad file stops the build here, not in every input
    setup = Setup(base, tuple(str(p) for p in extra), pdf_engine)
    texts = LawTexts(laws) if laws is not None else None  # a bad folder stops the build here
    scan = scan_inputs(inputs, exclude=out_dir)
    if not scan.files and not scan.unlisted:
        raise CatalogError(", ".join(str(p) for p in inputs) or ".", "no catalog files found",
                           "empty")
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = Cache(out_dir)
    with cache.locked():
        remove_leftovers(out_dir)
        cache.clean()
        fp = fingerprint(setup.authority)
        plan = _plan(scan.files, scan.unlisted, cache, setup, fp)
        summary = BuildSummary(out_dir, inputs=len(plan))
        progress.start(len(plan))
        keys = {iris.catalog(item.display): item.key for item in plan if item.key is not None}
        assembly = Assembly(out_dir, summary, progress, iris, keys, laws=texts, formats=formats,
                            compress=compress)
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
            yield index, Done(failed_entry(item.display, item.error, cacheable=False).to_bytes())
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
            yield index, (item.display, item.path.suffix, data, setup.base, authority, fp,
                          setup.pdf_engine)
        else:
            yield index, (item.display, str(item.path), setup)


def _convert_and_assemble(plan: list[_Input], cache: Cache, assembly: Assembly, setup: Setup,
                          fp: str, workers: int | None, scheduler: str | None) -> None:
    """Convert what the cache does not hold; assemble every input in order as soon as it and
    every input before it are done (results kept in the cache, or here when not cacheable)."""
    misses = sum(1 for item in plan if not item.cached)
    if scheduler:
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
                result = failed_entry(item.display, f"{item.display}: {result.message}",
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
                    entry = convert(item.display, item.path or Path(item.display), setup)
                    if not item.converted:
                        summary.cached -= 1
                        summary.read.append(item.display)
                        item.converted = True
            assembly.add(entry, cached=not item.converted, key=item.key)
            following += 1
    summary.read.sort()
