"""One catalog file through every stage: the one path every command takes.

:func:`parse_file` reads a file (``readers``), lays its table out into items (``layout``) and
finds and resolves the citations in each item's basis (``citations``, ``resolve``): the
:class:`~catalog_graph.models.Catalog` that ``parse`` prints. :func:`graph_parts` turns that
catalog into what it contributes to each output of ``build`` (``graph``): its items as JSON
lines, its named graph as N-Quads, Turtle and JSON-LD, its GraphML, GEXF and node-link pieces,
and what it cites from the graphs every catalog shares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from catalog_graph.graph.files import Pieces, catalog_pieces
from catalog_graph.graph.iris import Iris
from catalog_graph.graph.rdf import catalog_quads, graph_text
from catalog_graph.layout.table import build_catalog
from catalog_graph.models import Catalog, Citation, Regulation
from catalog_graph.output import item_json, table_rows
from catalog_graph.paths import display_name
from catalog_graph.readers import read_table
from catalog_graph.resolve import Resolver, cite


def parse_file(path: Path, resolver: Resolver | None = None, display: str | None = None,
               citations: bool = True, pdf_settings: Mapping[str, Any] | None = None) -> Catalog:
    """Read one catalog file into items with their citations resolved.

    ``display`` is the name the file goes by in ``source.file`` and in errors
    (default: the path as given); ``pdf_settings`` the PDF reader's settings to change
    (:class:`~catalog_graph.readers.pdf.PdfSettings`, e.g. ``{"engine": "pdfplumber"}``).
    """
    path = Path(path)
    table, fmt = read_table(path, display_name(display if display is not None else path),
                            pdf_settings=pdf_settings)
    catalog = build_catalog(table, fmt)
    if citations:
        attach_citations(catalog, resolver)
    return catalog


def parse_archive(path: Path, resolver: Resolver | None = None, display: str | None = None,
                  citations: bool = True) -> tuple[list[Catalog], list[str]]:
    """Read every catalog in an archive (.zip, .7z, .rar; archives inside it one level deep):
    the catalogs, in member order, each with ``source.file`` ``archive.zip!/inner/path``, and
    notes on the files skipped as holding no catalog. CatalogError when the archive is broken,
    when a file in it that should hold a catalog is broken, or when it holds no catalog."""
    import tempfile

    from catalog_graph.errors import CatalogError
    from catalog_graph.readers import archives

    path = Path(path)
    shown = display_name(display if display is not None else path)
    catalogs: list[Catalog] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="catalog-graph-archive-") as folder:
        for found in archives.unpack(path, shown, Path(folder)):
            if found.path is None:
                notes.append(f"{found.display}: {found.note}")
                continue
            try:
                catalogs.append(parse_file(found.path, resolver, found.display, citations))
            except CatalogError as exc:
                if exc.kind not in archives.NO_CATALOG_KINDS:
                    raise
                notes.append(f"{found.display}: skipped, holds no catalog: {exc.message}")
    if not catalogs:
        raise CatalogError(shown, "is an archive holding no catalog ("
                           + "; ".join(n.removeprefix(shown + archives.SEPARATOR) for n in notes)
                           + ")" if notes else "is an empty archive", "no_table")
    return catalogs, notes


def attach_citations(catalog: Catalog, resolver: Resolver | None = None) -> None:
    """Find and resolve the citations in every item's basis (cells cited once per text)."""
    cache: dict[str, list[Citation]] = {}
    for item in catalog.items:
        if not item.basis:
            continue
        if item.basis not in cache:
            cache[item.basis] = cite(item.basis, resolver)
        item.citations = [_copy(c) for c in cache[item.basis]]


def _copy(citation: Citation) -> Citation:
    return replace(citation, provisions=list(citation.provisions), issuer=list(citation.issuer),
                   warnings=list(citation.warnings))


@dataclass
class GraphParts:
    """What one catalog contributes to a build's outputs, as parts that join other catalogs'
    in any order the build chooses (each sorted within itself)."""

    items_jsonl: bytes  # its items, one JSON object a line
    nquads: bytes  # its named graph: sorted N-Quads lines
    triples: int  # how many lines nquads has
    turtle: bytes  # the same triples as Turtle, without the @prefix lines
    jsonld: bytes  # the same as an expanded JSON-LD named graph
    pieces: Pieces  # its nodes and edges for GraphML, GEXF and node-link JSON
    regulations: list[Regulation]  # the records of the regulations its graph cites, by id
    provisions: set[tuple[str, tuple[int | None, ...]]] = field(default_factory=set)
    concepts: set[tuple[str, str]] = field(default_factory=set)  # vocabulary values it uses
    time_limits: set[tuple[Any, ...]] = field(default_factory=set)
    cited: set[str] = field(default_factory=set)  # ids of the regulations its citations name
    items_csv: bytes = b""  # its rows of items.csv
    citations_csv: bytes = b""  # its rows of citations.csv (regulation labels still empty)
    citing: dict[str, int] = field(default_factory=dict)  # regulation id → its items citing it


def graph_parts(catalog: Catalog, iris: Iris, resolver: Resolver) -> GraphParts:
    """One catalog (parsed with ``resolver``) → its parts of every graph output."""
    part = catalog_quads(catalog, iris)
    text = graph_text(part.quads)
    regulations = [resolver.regulation(reg_id) for reg_id in sorted(part.regulations)]
    items_jsonl = "".join(item_json(item) + "\n" for item in catalog.items).encode("utf-8")
    pieces = catalog_pieces(catalog, iris)
    items_csv, citations_csv, citing = table_rows(catalog)
    return GraphParts(
        items_csv=items_csv, citations_csv=citations_csv, citing=citing,
        items_jsonl=items_jsonl, nquads=text.nquads, triples=text.triples,
        turtle=text.turtle, jsonld=text.jsonld, pieces=pieces,
        regulations=[r for r in regulations if r is not None],
        provisions=part.provisions, concepts=part.concepts, time_limits=part.time_limits,
        cited={c.regulation for item in catalog.items for c in item.citations
               if c.regulation is not None},
    )
