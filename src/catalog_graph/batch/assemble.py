"""The outputs of a build, written in input order as the inputs are done (:class:`Assembly`).

Each input's part is appended to the outputs as soon as every input before it is done, so no
corpus-wide graph is ever held; the shared graphs (regulations, vocabulary) come last, made from
what every input cited. Every file is written under a temporary name in DIR and renamed into
place when the build ends (:mod:`catalog_graph.atomic`); the store is loaded alongside
(:mod:`catalog_graph.store.load`). :func:`remove_leftovers` removes what a killed build left.
"""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path
from typing import Any

from catalog_graph.atomic import AtomicFile, compressed_name, variants
from catalog_graph.batch.cache import Entry
from catalog_graph.batch.models import BuildSummary
from catalog_graph.batch.progress import Progress
from catalog_graph.batch.tables import Tables
from catalog_graph.graph.files import GraphFiles, Pieces, shared_pieces
from catalog_graph.graph.iris import Iris
from catalog_graph.graph.rdf import (
    jsonld_from_lines,
    nquads,
    prefix_header,
    regulation_quads,
    triple_lines,
    turtle_from_lines,
    vocabulary_quads,
)
from catalog_graph.models import Regulation
from catalog_graph.resolve.lawtexts import LawTexts
from catalog_graph.resolve.resolver import merge_regulations
from catalog_graph.store.db import STORE_DIR
from catalog_graph.store.load import LEFTOVER_PREFIXES, StoreLoader

OUTPUTS = ("items.jsonl", "graph.nq", "graph.ttl", "graph.nt", "graph.jsonld", "graph.graphml",
           "graph.gexf", "graph.nodelink.json", "report.json", "items.csv", "citations.csv",
           "regulations.csv")
_STREAMED = ("items.jsonl", "graph.nq", "graph.ttl", "graph.nt", "graph.jsonld")

# ``build --formats``: each name → the files it writes (report.json is always written, last)
FORMATS: dict[str, tuple[str, ...]] = {
    "jsonl": ("items.jsonl",), "nq": ("graph.nq",), "ttl": ("graph.ttl",), "nt": ("graph.nt",),
    "jsonld": ("graph.jsonld",), "graphml": ("graph.graphml",), "gexf": ("graph.gexf",),
    "nodelink": ("graph.nodelink.json",), "csv": ("items.csv", "citations.csv", "regulations.csv"),
    "store": (STORE_DIR,),
}
DEFAULT_FORMATS = tuple(FORMATS)  # every one, as before --formats existed


def parse_formats(text: str) -> tuple[str, ...]:
    """``--formats`` (names separated by commas, ``all`` for every one) → the formats, in
    :data:`FORMATS` order; ValueError naming what is unknown."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    if "all" in names:
        return DEFAULT_FORMATS
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise ValueError(f"unknown format {', '.join(unknown) or '(none)'}; choose among "
                         f"{', '.join(FORMATS)} or all")
    return tuple(name for name in FORMATS if name in names)

# what a killed build may leave in DIR: temporary files and store folders (see remove_leftovers)
_TEMPORARY_PREFIXES = tuple(f".{name}." for name in OUTPUTS) + (".graph.",)


def remove_leftovers(out_dir: Path) -> None:
    """Remove what a killed build left in DIR: temporary files and half-swapped stores."""
    for path in out_dir.iterdir():
        name = path.name
        if not (name.startswith(LEFTOVER_PREFIXES)
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


class Assembly:
    """The outputs being written, and what the shared graphs need from every input."""

    def __init__(self, out_dir: Path, summary: BuildSummary, progress: Progress, iris: Iris,
                 keys: dict[str, str], laws: LawTexts | None = None,
                 formats: tuple[str, ...] = DEFAULT_FORMATS, compress: str | None = None) -> None:
        """``keys``: the cache key of every input's graph (by IRI), for the store to reuse;
        ``laws``: the user's law texts, for the cited articles' texts; ``formats``: what to write
        (:data:`FORMATS`); ``compress``: None, "gzip" or "zstd", for every text file but
        report.json."""
        self.out_dir = out_dir
        self.laws = laws
        self.summary = summary
        self.progress = progress
        self.formats = formats
        self.compress = compress
        self.files = {name for f in formats for name in FORMATS[f]} | {"report.json"}
        self.outputs = {name: AtomicFile(out_dir / name, compress=compress)
                        for name in _STREAMED if name in self.files}
        self.outputs["report.json"] = AtomicFile(out_dir / "report.json")
        self.graph_files = GraphFiles(out_dir, [f for f in ("graphml", "gexf", "nodelink")
                                                if f in formats])
        self.tables = Tables(out_dir, compress) if "csv" in formats else None
        self.iris = iris
        self.store = StoreLoader(out_dir, keys) if "store" in formats else None
        if "graph.ttl" in self.outputs:
            self.outputs["graph.ttl"].write(prefix_header())
        if "graph.jsonld" in self.outputs:
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
        report, summary, outputs = entry.report, self.summary, self.outputs
        outputs["report.json"].write((b"[\n" if not self.reports else b",\n")
                                     + _report_lines(report))
        self.reports += 1
        summary.warnings += len(report["warnings"])
        if report["status"] != "ok":
            summary.failed.append(report)
        else:
            if "items.jsonl" in outputs:
                outputs["items.jsonl"].write(entry.blob("items"))
            if self.tables is not None:
                self.tables.add(entry.blob("items_csv"), entry.blob("citations_csv"),
                                entry.citing)
            if self.store is not None:
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
        outputs = self.outputs
        if "graph.nq" in outputs:
            outputs["graph.nq"].write(lines)
        if "graph.nt" in outputs:
            outputs["graph.nt"].write(triple_lines(lines))
        if "graph.ttl" in outputs:
            outputs["graph.ttl"].write(turtle)
        if jsonld and "graph.jsonld" in outputs:
            outputs["graph.jsonld"].write((b",\n" if self.jsonld_parts else b"") + jsonld)
            self.jsonld_parts += 1

    def finish(self, iris: Iris) -> None:
        """The shared graphs, then every file committed and the store loaded."""
        self.progress.step("shared graphs")
        records = (Regulation(**record) for rid, known in self.records.items() if rid in self.cited
                   for record in known.values())
        regulations = {r.id: r for r in merge_regulations(records)}
        reg_quads, kinds = regulation_quads(regulations, self.provisions, iris, self.laws)
        for quads in (reg_quads, vocabulary_quads(self.concepts | kinds, iris, self.time_limits)):
            lines = b"".join(nquads(quads))
            self.summary.triples += lines.count(b"\n")
            if self.store is not None:
                self.store.write(lines)
            self._write_quads(lines,
                              turtle_from_lines(lines) if "graph.ttl" in self.outputs else b"",
                              jsonld_from_lines(lines) if "graph.jsonld" in self.outputs else b"")
        self.summary.regulations = len(regulations)
        self.graph_files.add(shared_pieces(regulations, self.cited, self.provisions, iris,
                                           self.laws))
        self.outputs["report.json"].write(b"\n]\n")
        if "graph.jsonld" in self.outputs:
            self.outputs["graph.jsonld"].write(b"\n]\n")
        for name in _STREAMED:
            if name in self.outputs:
                self.outputs[name].commit()
        if self.tables is not None:
            self.progress.step("tables")
            self.tables.finish(regulations)
        self.progress.step("graph files")
        for fmt, name, write in (("graphml", "graph.graphml", self.graph_files.write_graphml),
                                 ("gexf", "graph.gexf", self.graph_files.write_gexf),
                                 ("nodelink", "graph.nodelink.json",
                                  self.graph_files.write_node_link)):
            if fmt in self.formats:
                with AtomicFile(self.out_dir / name, compress=self.compress) as output:
                    write(output.fh)
        if self.store is not None:
            self.progress.step("store")
            self.store.commit([iris.regulations_graph, iris.vocabulary_graph])
        self._remove_stale()
        self.outputs["report.json"].commit()  # last: a report means a finished build

    def _remove_stale(self) -> None:
        """Remove what an earlier build wrote that this one did not: the files of formats left
        out, and the other compressions of the files written (a folder holds one build)."""
        written = {self.outputs["report.json"].path.name}
        for name in self.files - {"report.json", STORE_DIR}:
            written.add(compressed_name(Path(name), self.compress).name)
        for name in OUTPUTS:
            for path in variants(self.out_dir / name):
                if path.name not in written:
                    path.unlink(missing_ok=True)
        if STORE_DIR not in self.files:
            shutil.rmtree(self.out_dir / STORE_DIR, ignore_errors=True)

    def close(self) -> None:
        """Remove whatever was not committed."""
        if self.store is not None:
            self.store.discard()
        for output in self.outputs.values():
            output.discard()
        if self.tables is not None:
            self.tables.discard()
        self.graph_files.close()
