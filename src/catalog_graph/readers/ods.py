"""OpenDocument spreadsheets (.ods) with lxml on content.xml (:mod:`catalog_graph.readers._odf`).

python-calamine reads .ods values but not their merged ranges, so the XML is read directly:
merges come from ``number-columns-spanned``/``number-rows-spanned``. The sheet, the title and
the rows are chosen as for an .xlsx: the same catalog saved as .ods gives the same rows.
"""

from __future__ import annotations

from pathlib import Path

from catalog_graph.errors import CatalogError
from catalog_graph.models import RawTable
from catalog_graph.readers import _odf
from catalog_graph.readers._select import header_score, pick_title
from catalog_graph.readers.rows import place, split_preamble, trim
from catalog_graph.readers.xlsx import PROBE_ROWS


def read(path: Path, display: str) -> RawTable:
    """Read the catalog sheet of an OpenDocument spreadsheet into rows of cells, merges marked."""
    root = _odf.content(path, display, "OpenDocument spreadsheet")
    sheets = [t for t in root.iter(_odf.TABLE + "table")
              if not any(a.tag == _odf.TABLE + "table" for a in t.iterancestors())]
    if not sheets:
        raise CatalogError(display, "holds no sheet", "no_table")
    warnings: list[str] = []
    best, best_key, best_rows = None, (-1, -1, 0), None
    for index, sheet in enumerate(sheets):
        notes: list[str] = []
        spans, nrows, ncols = _odf.spans(sheet, notes)
        rows = trim(place(spans, nrows, ncols))
        probe = [[c.text for c in r] for r in rows[:PROBE_ROWS]]
        wide = sum(1 for r in probe if sum(1 for t in r if t) >= 2)
        if not wide:
            continue
        key = (header_score(probe, PROBE_ROWS), wide, -index)
        if key > best_key:
            best, best_key, best_rows = index, key, (rows, notes)
    if best is None or best_rows is None:
        raise CatalogError(display, "holds no table (no sheet has a row with two or more filled "
                           "cells)", "no_table")
    name = sheets[best].get(_odf.TABLE + "name", str(best + 1))
    rows, notes = best_rows
    if best_key[0] == 0:
        warnings.append(f"no sheet has catalog header words; read sheet '{name}'")
    warnings.extend(notes)
    preamble, rows = split_preamble(rows)
    if not rows:
        raise CatalogError(display, f"has no table on sheet '{name}'", "no_table")
    if best != 0:
        first = sheets[0].get(_odf.TABLE + "name", "1")
        warnings.append(f"read sheet '{name}', the one holding the catalog, not the first "
                        f"sheet '{first}'")
    return RawTable(file=display, rows=rows, pages=[None] * len(rows), title=pick_title(preamble),
                    warnings=warnings)
