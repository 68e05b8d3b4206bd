"""Excel 2003 XML spreadsheets ("XML Spreadsheet 2003", SpreadsheetML), a common export of web
systems, usually named .xls.

``<Worksheet ss:Name>`` → ``<Table>`` → ``<Row ss:Index>`` → ``<Cell ss:Index ss:MergeAcross
ss:MergeDown>`` → ``<Data ss:Type>``: ``ss:Index`` (1-based) places a row or cell after a gap,
``MergeAcross``/``MergeDown`` are the merged range beyond the cell. A cell without an index
goes to the next position no merge from above covers. Numbers are shown as the .xlsx reader
shows them, so the same catalog exported as SpreadsheetML or .xlsx gives the same rows. The
XML is parsed without entities or network.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from catalog_graph.errors import CatalogError
from catalog_graph.models import RawTable
from catalog_graph.readers._select import header_score, pick_title
from catalog_graph.readers.clean import clean_cell
from catalog_graph.readers.rows import MAX_COLS, MAX_ROWS, Span, place, split_preamble, trim
from catalog_graph.readers.xlsx import PROBE_ROWS
from catalog_graph.readers.xlsx import _text as _value_text

SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
MAX_BYTES = 50 * 1024 * 1024


def read(path: Path, display: str) -> RawTable:
    """Read the catalog worksheet of an Excel 2003 XML spreadsheet, merges marked."""
    from lxml import etree

    size = path.stat().st_size
    if size > MAX_BYTES:
        raise CatalogError(display, f"is {size // (1024 * 1024)} MiB, over the "
                           f"{MAX_BYTES // (1024 * 1024)} MiB limit for an Excel 2003 XML "
                           "spreadsheet", "too_large")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             recover=False)
    try:
        root = etree.fromstring(path.read_bytes(), parser)
    except etree.XMLSyntaxError as exc:
        raise CatalogError(display, f"is a damaged Excel 2003 XML spreadsheet ({str(exc)[:80]})",
                           "corrupt") from None
    sheets = root.findall(f"{SS}Worksheet")
    warnings: list[str] = []
    best, best_key, best_rows = None, (-1, -1, 0), []
    for index, sheet in enumerate(sheets):
        table = sheet.find(f"{SS}Table")
        if table is None:
            continue
        rows = trim(_grid(table, warnings))
        probe = [[c.text for c in r] for r in rows[:PROBE_ROWS]]
        wide = sum(1 for r in probe if sum(1 for t in r if t) >= 2)
        if not wide:
            continue
        key = (header_score(probe, PROBE_ROWS), wide, -index)
        if key > best_key:
            best, best_key, best_rows = index, key, rows
    if best is None:
        raise CatalogError(display, "is an Excel 2003 XML spreadsheet with no table (no sheet has "
                           "a row with two or more filled cells)", "no_table")
    name = sheets[best].get(f"{SS}Name", str(best + 1))
    if best_key[0] == 0:
        warnings.append(f"no sheet has catalog header words; read sheet '{name}'")
    preamble, rows = split_preamble(best_rows)
    if not rows:
        raise CatalogError(display, f"has no table on sheet '{name}'", "no_table")
    if best != 0:
        warnings.append(f"read sheet '{name}', the one holding the catalog, not the first "
                        f"sheet '{sheets[0].get(f'{SS}Name', '1')}'")
    return RawTable(file=display, rows=rows, pages=[None] * len(rows), title=pick_title(preamble),
                    warnings=warnings)


def _grid(table, warnings: list[str]) -> list[list]:
    """The table's rows of cells, merges marked."""
    spans: list[Span] = []
    covered: set[tuple[int, int]] = set()
    r = -1
    nrows = ncols = 0
    for row in table.iterfind(f"{SS}Row"):
        r = _index(row, r + 1)
        if r >= MAX_ROWS:
            warnings.append(f"the sheet has more than {MAX_ROWS} rows; read the first {MAX_ROWS}")
            break
        c = -1
        for cell in row.iterfind(f"{SS}Cell"):
            explicit = cell.get(f"{SS}Index")
            c = _index(cell, c + 1)
            if explicit is None:
                while (r, c) in covered:
                    c += 1
            if c >= MAX_COLS:
                break
            across = _count(cell.get(f"{SS}MergeAcross"))
            down = _count(cell.get(f"{SS}MergeDown"))
            across, down = min(across, MAX_COLS - c - 1), min(down, MAX_ROWS - r - 1)
            text = _cell_text(cell)
            if text or across or down:
                spans.append(Span(r, c, text, down + 1, across + 1))
                nrows = max(nrows, r + down + 1)
                ncols = max(ncols, c + across + 1)
            if down and (down + 1) * (across + 1) <= 4 * MAX_COLS:
                covered.update((r + i, c + j) for i in range(1, down + 1) for j in range(across + 1))
            c += across
    return place(spans, nrows, ncols)


def _cell_text(cell) -> str:
    data = cell.find(f"{SS}Data")
    if data is None:
        return ""
    text = "".join(data.itertext())
    kind = data.get(f"{SS}Type")
    if kind == "Number":
        try:
            return _value_text(float(text))
        except ValueError:
            pass
    elif kind == "DateTime":
        try:
            return _value_text(dt.datetime.fromisoformat(text.strip()))
        except ValueError:
            pass
    elif kind == "Boolean":
        return "TRUE" if text.strip() == "1" else "FALSE"
    return clean_cell(text)


def _index(el, default: int) -> int:
    value = el.get(f"{SS}Index")
    if value is None:
        return default
    try:
        return max(int(value) - 1, default)
    except ValueError:
        return default


def _count(value: str | None) -> int:
    try:
        return max(int(value), 0) if value else 0
    except ValueError:
        return 0
