"""Comparing catalogs: two versions of one (``diff``), or a catalog against its field's standard
(``coverage``). Both rest on one capability, aligning the items of two catalogs
(:mod:`catalog_graph.compare.align`)."""

from __future__ import annotations

from pathlib import Path

from catalog_graph.compare.coverage import Coverage, coverage
from catalog_graph.compare.diff import CatalogDiff, diff_catalogs
from catalog_graph.models import Catalog


def _parse_both(a: Path | str | Catalog, b: Path | str | Catalog) -> tuple[Catalog, Catalog]:
    """Both catalogs, their citations resolved by one resolver (one regulation, one node)."""
    from catalog_graph.pipeline import parse_file
    from catalog_graph.resolve.resolver import Resolver

    resolver = Resolver()
    return tuple(x if isinstance(x, Catalog) else parse_file(Path(x), resolver)  # type: ignore
                 for x in (a, b))


def diff(old: Path | str | Catalog, new: Path | str | Catalog) -> CatalogDiff:
    """What changed between two versions of a catalog (files in any format, or parsed catalogs)."""
    return diff_catalogs(*_parse_both(old, new))


def compare_to_standard(catalog: Path | str | Catalog, standard: Path | str | Catalog) -> Coverage:
    """What ``catalog`` lacks against ``standard`` (files in any format, or parsed catalogs)."""
    return coverage(*_parse_both(catalog, standard))


__all__ = ["CatalogDiff", "Coverage", "compare_to_standard", "coverage", "diff", "diff_catalogs"]
