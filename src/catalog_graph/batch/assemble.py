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

from catalog_graph.atomic import AtomicFile
from catalog_graph.batch.cache import Entry
from catalog_graph.batch.models import BuildSummary
from catalog_graph.batch.progress import Progress
from catalog_graph.batch.tables import Tables
from catalog_graph.graph.files import GraphFiles, Pieces, shared_pieces
from catalog_graph.graph.iris import Iris
from catalog_graph.graph.rdf import (
    jsonld_graphs,
    nquads,
    prefix_header,
    regulation_quads,
    triple_line,
    turtle_body,
    vocabulary_quads,
)
from catalog_graph.models import Regulation
from catalog_graph.resolve.lawtexts import LawTexts
from catalog_graph.resolve.resolver import merge_regulations
from catalog_graph.store.load import LEFTOVER_PREFIXES, StoreLoader

OUTPUTS = ("items.jsonl", "graph.nq", "graph.ttl", "graph.nt", "graph.jsonld", "graph.graphml",
           "graph.gexf", "graph.nodelink.json", "report.json", "items.csv", "citations.csv",
           "regulations.csv")
_STREAMED = ("items.jsonl", "graph.nq", "graph.ttl", "graph.nt", "graph.jsonld")

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
                 keys: dict[str, str], laws: LawTexts | None = None) -> None:
        """``keys``: the cache key of every input's graph (by IRI), for the store to reuse;
        ``laws``: the user's law texts, for the cited articles' texts."""
        self.out_dir = out_dir
        self.laws = laws
        self.summary = summary
        self.progress = progress
        self.outputs = {name: AtomicFile(out_dir / name)
                        for name in (*_STREAMED, "report.json")}
        self.graph_files = GraphFiles(out_dir)
        self.tables = Tables(out_dir)
        self.iris = iris
        self.store = StoreLoader(out_dir, keys)
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
        report, summary, outputs = entry.report, self.summary, self.outputs
        outputs["report.json"].write((b"[\n" if not self.reports else b",\n")
                                     + _report_lines(report))
        self.reports += 1
        summary.warnings += len(report["warnings"])
        if report["status"] != "ok":
            summary.failed.append(report)
        else:
            outputs["items.jsonl"].write(entry.blob("items"))
            self.tables.add(entry.blob("items_csv"), entry.blob("citations_csv"), entry.citing)
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
        outputs["graph.nq"].write(lines)
        outputs["graph.nt"].write(b"".join(triple_line(line)
                                           for line in lines.splitlines(keepends=True)))
        outputs["graph.ttl"].write(turtle)
        if jsonld:
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
            self.store.write(lines)
            self._write_quads(lines, turtle_body(quads), jsonld_graphs(quads))
        self.summary.regulations = len(regulations)
        self.graph_files.add(shared_pieces(regulations, self.cited, self.provisions, iris,
                                           self.laws))
        self.outputs["report.json"].write(b"\n]\n")
        self.outputs["graph.jsonld"].write(b"\n]\n")
        for name in _STREAMED:
            self.outputs[name].commit()
        self.progress.step("tables")
        self.tables.finish(regulations)
        self.progress.step("graph files")
        for name, write in (("graph.graphml", self.graph_files.write_graphml),
                            ("graph.gexf", self.graph_files.write_gexf),
                            ("graph.nodelink.json", self.graph_files.write_node_link)):
            with AtomicFile(self.out_dir / name) as output:
                write(output.fh)
        self.progress.step("store")
        self.store.commit([iris.regulations_graph, iris.vocabulary_graph])
        self.outputs["report.json"].commit()  # last: a report means a finished build

    def close(self) -> None:
        """Remove whatever was not committed."""
        self.store.discard()
        for output in self.outputs.values():
            output.discard()
        self.tables.discard()
        self.graph_files.close()
