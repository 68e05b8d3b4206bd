"""Excel workbooks (.xlsx, .xlsm) with openpyxl.

The sheet holding the catalog is the one whose first rows carry catalog header words (a
workbook often starts with a 填报说明 or 封面 sheet). The sheet is streamed with openpyxl's
sheet parser, as read-only mode does (a sheet of any length in little memory), keeping what
read-only mode throws away: the ``<mergeCells>`` list. The first cell of a merged range keeps
the value, the others become ``up`` (rows below) or ``left`` (columns to the right).

Rows above the table that hold a single text (the title merged across the sheet, a paragraph,
a date) are not table rows: the one naming the catalog becomes the title. Cached formula
results are read (``data_only``); numbers typed as 序号 come back as ``"1"``, not ``"1.0"``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from catalog_graph.errors import CatalogError
from catalog_graph.models import Cell, RawTable
from catalog_graph.readers._select import MIN_SEVERAL, header_score, names_catalog, pick_title
from catalog_graph.readers.archive import check_archive
from catalog_graph.readers.clean import clean_cell
from catalog_graph.readers.rows import EMPTY, LEFT, MAX_COLS, MAX_ROWS, UP, split_preamble, trim

PROBE_ROWS = 30  # rows of each sheet looked at to choose the catalog sheet


def read(path: Path, display: str) -> RawTable:
    """Read the catalog sheet of a workbook into rows of cells, merged ranges marked."""
    check_archive(path, display, "Excel workbook", "xl/workbook.xml")
    handle = open(path, "rb")  # noqa: SIM115 - closed with the workbook below
    wb = _open(handle, display)
    try:
        sheets = [ws for ws in wb.worksheets if hasattr(ws, "iter_rows")]
        if not sheets:
            raise CatalogError(display, "holds no worksheet (a workbook of charts only?)", "no_table")
        warnings: list[str] = []
        ws, sure = _catalog_sheet(sheets, display, warnings)
        read = [(sheet, _read_sheet(wb, sheet, display)) for sheet in sure]
    finally:
        wb.close()
        handle.close()
    rows, notes, preamble = next(r for sheet, r in read if sheet is ws)
    warnings.extend(notes)
    if not rows:
        raise CatalogError(display, f"has no table on sheet '{ws.title}' (no row with two or more "
                           "filled cells)", "no_table")
    title = pick_title(preamble)
    # several catalogs, one a sheet, each titled (…目录 above its table, or as the sheet's name)
    titled = [(sheet, r, _sheet_title(sheet, r[2])) for sheet, r in read]
    if len(titled) > 1 and all(t for _, _, t in titled[1:]):
        first = titled[0]
        rows, title = list(first[1][0]), first[2] or title
        for _sheet, (more, more_notes, _), sheet_title in titled[1:]:
            if more:
                rows += [[Cell(sheet_title)]] + more
                warnings.extend(more_notes)
        warnings.append(f"the workbook holds {len(titled)} catalog sheets, each under its own "
                        "title; read them all")
    elif ws is not sheets[0]:
        warnings.append(f"read sheet '{ws.title}', the one holding the catalog, not the first "
                        f"sheet '{sheets[0].title}'")
    return RawTable(file=display, rows=rows, pages=[None] * len(rows), title=title,
                    warnings=warnings)


def _read_sheet(wb, ws, display: str) -> tuple[list, list[str], list[str]]:
    """A sheet's rows (merges marked, edges trimmed, lines above the table removed), the
    reader's notes and those lines."""
    try:
        values, spans, notes = _sheet(wb, ws)
    except Exception as exc:  # noqa: BLE001 - a broken part inside an intact zip
        raise CatalogError(display, f"has a damaged worksheet '{ws.title}' ({type(exc).__name__})",
                           "corrupt") from None
    rows = trim(_with_merges(values, spans, notes))
    preamble, rows = split_preamble(rows)
    return rows, notes, preamble


def _sheet_title(ws, preamble: list[str]) -> str | None:
    """A sheet's own catalog title: the line above its table naming a catalog, else the
    sheet's name when it names one."""
    title = pick_title(preamble)
    if title and names_catalog(title):
        return title
    return ws.title if names_catalog(ws.title) else None


def _open(handle, display: str):
    """The workbook in read-only mode (opened from a file object, so any name will do)."""
    from openpyxl import load_workbook

    try:
        return load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises anything on broken parts
        handle.close()
        raise CatalogError(display, f"is a damaged Excel workbook ({type(exc).__name__}: "
                           f"{str(exc)[:80]})", "corrupt") from None


def _catalog_sheet(sheets: list, display: str, warnings: list[str]):
    """The sheet whose first rows look most like a catalog header (ties: the fuller sheet,
    then the first), and every sheet as sure of its header (within one header word, at least
    four), in workbook order; CatalogError when no sheet holds a table at all."""
    best = None
    best_key: tuple[int, int, int] = (-1, -1, 0)
    scores: list[tuple[object, int]] = []
    for index, ws in enumerate(sheets):
        probe: list[list[str]] = []
        try:
            for row in ws.iter_rows(max_row=PROBE_ROWS, max_col=MAX_COLS, values_only=True):
                probe.append([_text(v) for v in row])
        except Exception as exc:  # noqa: BLE001
            raise CatalogError(display, f"has a damaged worksheet '{ws.title}' "
                               f"({type(exc).__name__})", "corrupt") from None
        wide = sum(1 for r in probe if sum(1 for t in r if t) >= 2)
        if not wide:
            continue
        key = (header_score(probe, PROBE_ROWS), wide, -index)
        scores.append((ws, key[0]))
        if key > best_key:
            best, best_key = ws, key
    if best is None:
        raise CatalogError(display, "holds no table (no sheet has a row with two or more filled "
                           "cells)", "no_table")
    if best_key[0] == 0:
        warnings.append(f"no sheet has catalog header words; read sheet '{best.title}'")
    sure = [ws for ws, score in scores
            if ws is best or score >= max(MIN_SEVERAL, best_key[0] - 1)]
    return best, sure


def _sheet(wb, ws) -> tuple[list[list[str]], list[tuple[int, int, int, int]], list[str]]:
    """The sheet's cell texts row by row (within the caps), its merged ranges (r0, c0, r1, c1,
    0-based inclusive) and what the caps cut, in one streaming pass over the sheet's XML.

    openpyxl's own sheet parser is used as read-only mode uses it, but its sparse rows are
    kept sparse (a stray cell in column XFD costs nothing) and its ``<mergeCells>`` are kept."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import WorkSheetParser

    rows: list[list[str]] = []
    pending = 0  # empty rows not yet stored: kept only when a filled row follows
    beyond = False
    notes: list[str] = []
    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats,
                                 timedelta_formats=wb._timedelta_formats)
        last = 0
        for index, cells in parser.parse():
            texts: list[str] = []
            for cell in cells:
                col = cell["column"]
                text = _text(cell["value"])
                if not text:
                    continue
                if col > MAX_COLS:
                    beyond = True
                    continue
                if len(texts) < col:
                    texts.extend([""] * (col - len(texts)))
                texts[col - 1] = text
            pending += index - last - 1
            last = index
            if not texts:
                pending += 1
                continue
            if len(rows) + pending >= MAX_ROWS:
                notes.append(f"the sheet has more than {MAX_ROWS} rows; read the first {MAX_ROWS}")
                break
            rows.extend([] for _ in range(pending))
            pending = 0
            rows.append(texts)
        spans = []
        ranges = parser.merged_cells.mergeCell if parser.merged_cells is not None else []
        for merged in ranges:
            try:
                c0, r0, c1, r1 = range_boundaries(merged.ref)
            except (ValueError, TypeError):
                continue
            spans.append((r0 - 1, c0 - 1, r1 - 1, c1 - 1))
    if beyond:
        notes.append(f"cells beyond column {MAX_COLS} ignored")
    return rows, spans, notes


def _text(value: object) -> str:
    """A cell value as the text the sheet shows for it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_cell(value.replace("_x000D_", ""))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return clean_cell(str(value))


def _with_merges(values: list[list[str]], spans: list[tuple[int, int, int, int]],
                 notes: list[str]) -> list[list[Cell]]:
    """Rows of cells: the values, and merged markers over every range but its first cell
    (what had to be ignored is added to ``notes``)."""
    nrows = len(values)
    ncols = max((len(r) for r in values), default=0)
    for r0, _c0, _r1, c1 in spans:
        if r0 < nrows:
            ncols = max(ncols, min(c1 + 1, MAX_COLS))
    rows = [[Cell(t) if t else EMPTY for t in r] + [EMPTY] * (ncols - len(r)) for r in values]
    # Excel never writes overlapping ranges (it repairs such a file by dropping them); a range
    # starting inside an earlier one is ignored, and all ranges together mark at most about
    # twice the sheet, so that thousands of hostile ranges cost no more than the sheet itself.
    budget = 2 * nrows * ncols
    ignored = 0
    for r0, c0, r1, c1 in spans:
        if r0 >= nrows or c0 >= ncols:
            continue
        r1, c1 = min(r1, nrows - 1), min(c1, ncols - 1)
        area = (r1 - r0 + 1) * (c1 - c0 + 1)
        if rows[r0][c0].merged is not None or area > budget:
            ignored += 1
            continue
        budget -= area
        for c in range(c0 + 1, c1 + 1):
            rows[r0][c] = LEFT
        for r in range(r0 + 1, r1 + 1):
            row = rows[r]
            for c in range(c0, c1 + 1):
                row[c] = UP
    if ignored:
        notes.append(f"{ignored} merged ranges overlapping others ignored")
    return rows
