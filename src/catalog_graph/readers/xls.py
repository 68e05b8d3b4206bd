"""Excel 97-2003 workbooks (.xls, BIFF8 and BIFF5) and Kingsoft .et files with python-calamine.

calamine (a Rust reader of the Excel binary format) gives every sheet's values and its merged
ranges (``MERGECELLS`` records); read with ``skip_empty_area=False`` so that row 0 is the
sheet's first row and the ranges line up. The catalog sheet is chosen, merges marked, the title
found and numbers shown exactly as for an .xlsx (:mod:`catalog_graph.readers.xlsx`): the same
catalog saved as .xls gives the same rows. The format is known by content (an OLE file with a
``Workbook`` stream, see :mod:`catalog_graph.readers.sniff`), so .et files and .xls files
under other names are read here; password-protected and damaged files are refused there.
"""

from __future__ import annotations

from pathlib import Path

from catalog_graph.errors import CatalogError
from catalog_graph.models import RawTable
from catalog_graph.readers._select import header_score, pick_title
from catalog_graph.readers.rows import MAX_COLS, MAX_ROWS, split_preamble, trim
from catalog_graph.readers.xlsx import PROBE_ROWS, _text, _with_merges

MAX_BYTES = 200 * 1024 * 1024  # Excel 97 files stop at 65,536 rows; 200 MiB is far beyond a catalog


def read(path: Path, display: str) -> RawTable:
    """Read the catalog sheet of an Excel 97-2003 workbook into rows of cells, merges marked."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise CatalogError(display, f"is {size // (1024 * 1024)} MiB, over the "
                           f"{MAX_BYTES // (1024 * 1024)} MiB limit for an Excel 97-2003 workbook",
                           "too_large")
    sheets = _sheets(path, display)
    if not sheets:
        raise CatalogError(display, "holds no worksheet", "no_table")
    warnings: list[str] = []
    best, best_key = None, (-1, -1, 0)
    for index, (_, values, _) in enumerate(sheets):
        probe = values[:PROBE_ROWS]
        wide = sum(1 for r in probe if sum(1 for t in r if t) >= 2)
        if not wide:
            continue
        key = (header_score(probe, PROBE_ROWS), wide, -index)
        if key > best_key:
            best, best_key = index, key
    if best is None:
        raise CatalogError(display, "holds no table (no sheet has a row with two or more filled "
                           "cells)", "no_table")
    name, values, spans = sheets[best]
    if best_key[0] == 0:
        warnings.append(f"no sheet has catalog header words; read sheet '{name}'")
    notes: list[str] = []
    rows = trim(_with_merges(values, spans, notes))
    warnings.extend(notes)
    preamble, rows = split_preamble(rows)
    if not rows:
        raise CatalogError(display, f"has no table on sheet '{name}' (no row with two or more "
                           "filled cells)", "no_table")
    if best != 0:
        warnings.append(f"read sheet '{name}', the one holding the catalog, not the first "
                        f"sheet '{sheets[0][0]}'")
    return RawTable(file=display, rows=rows, pages=[None] * len(rows), title=pick_title(preamble),
                    warnings=warnings)


def _sheets(path: Path, display: str) -> list[tuple[str, list[list[str]], list[tuple[int, int, int, int]]]]:
    """Each worksheet's name, cell texts (within the caps, empty rows at the end dropped) and
    merged ranges (r0, c0, r1, c1, 0-based inclusive)."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        with open(path, "rb") as fh:
            book = CalamineWorkbook.from_filelike(fh)
            sheets = []
            for name in book.sheet_names:
                sheet = book.get_sheet_by_name(name)
                rows = sheet.to_python(skip_empty_area=False)
                values = [[_text(v) for v in row[:MAX_COLS]] for row in rows[:MAX_ROWS]]
                merges = sheet.merged_cell_ranges or []
                spans = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merges]
                sheets.append((name, values, spans))
    except PasswordError:
        raise CatalogError(display, "is a password-protected Excel 97-2003 workbook; save it "
                           "without a password", "encrypted") from None
    except (CalamineError, ValueError, OSError) as exc:
        raise CatalogError(display, f"is a damaged Excel 97-2003 workbook ({str(exc)[:80]})",
                           "corrupt") from None
    return sheets
