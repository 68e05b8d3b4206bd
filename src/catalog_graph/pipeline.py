"""A file → a Catalog: read, lay out, cite. The one path every command takes."""

from __future__ import annotations

from pathlib import Path

from catalog_graph.layout.table import build_catalog
from catalog_graph.models import Catalog
from catalog_graph.paths import display_name
from catalog_graph.readers import read_table
from catalog_graph.resolve import Resolver, cite


def parse_file(path: Path, resolver: Resolver | None = None, display: str | None = None,
               citations: bool = True) -> Catalog:
    """Read one catalog file into items with their citations resolved.

    ``display`` is the name the file goes by in ``source.file`` and in errors
    (default: the path as given).
    """
    path = Path(path)
    table, fmt = read_table(path, display_name(display if display is not None else path))
    catalog = build_catalog(table, fmt)
    if citations:
        attach_citations(catalog, resolver)
    return catalog


def attach_citations(catalog: Catalog, resolver: Resolver | None = None) -> None:
    """Find and resolve the citations in every item's basis (cells cited once per text)."""
    cache: dict[str, list] = {}
    for item in catalog.items:
        if not item.basis:
            continue
        if item.basis not in cache:
            cache[item.basis] = cite(item.basis, resolver)
        item.citations = [_copy(c) for c in cache[item.basis]]


def _copy(citation):
    from dataclasses import replace

    return replace(citation, provisions=list(citation.provisions), issuer=list(citation.issuer),
                   warnings=list(citation.warnings))
