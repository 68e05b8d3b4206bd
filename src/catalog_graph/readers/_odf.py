"""OpenDocument files (.ods, .odt) read straight from their ``content.xml`` with lxml.

A table is ``table:table``; its rows ``table:table-row`` (inside header-rows, row-groups and
rows wrappers too), its cells ``table:table-cell`` and, under a merged range,
``table:covered-table-cell``. ``number-columns-spanned``/``number-rows-spanned`` on the first
cell of a range are the merge; ``number-columns-repeated``/``number-rows-repeated`` repeat a
cell or row (Calc writes the empty rest of a sheet as one cell repeated 16,000 times: repeats
are expanded only up to the caps, empty rows only when a filled one follows). A cell's text is
its paragraphs, one line each, with ``text:s`` (spaces), ``text:tab`` and ``text:line-break``;
a number or date cell gives its value (``office:value``, ``office:date-value``) as the .xlsx
reader shows it, so the same catalog saved as .ods or .xlsx gives the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from catalog_graph.errors import CatalogError
from catalog_graph.readers.archive import check_archive
from catalog_graph.readers.clean import clean_cell
from catalog_graph.readers.rows import MAX_COLS, MAX_ROWS, Span
from catalog_graph.readers.xlsx import _text as _value_text

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ROW_WRAPPERS = frozenset({TABLE + "table-header-rows", TABLE + "table-rows",
                           TABLE + "table-row-group"})
_CELLS = frozenset({TABLE + "table-cell", TABLE + "covered-table-cell"})


def content(path: Path, display: str, what: str):
    """The root of the document's content.xml (bomb limits checked, entities not expanded)."""
    import zipfile

    from lxml import etree

    check_archive(path, display, what, "content.xml")
    try:
        with zipfile.ZipFile(path) as zf:
            data = zf.read("content.xml")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=False)
        return etree.fromstring(data, parser)
    except (zipfile.BadZipFile, OSError, ValueError, etree.XMLSyntaxError) as exc:
        raise CatalogError(display, f"is a damaged {what} ({type(exc).__name__}: "
                           f"{str(exc)[:80]})", "corrupt") from None


def own_rows(table) -> Iterator:
    """The table's rows, those in header-rows and row-group wrappers included, nested tables'
    rows not."""
    for child in table:
        if child.tag == TABLE + "table-row":
            yield child
        elif child.tag in _ROW_WRAPPERS:
            yield from own_rows(child)


def spans(table, notes: list[str]) -> tuple[list[Span], int, int]:
    """The table's filled cells as spans, and the grid's rows and columns (empty rows and
    columns at the end not counted)."""
    found: list[Span] = []
    row_index = 0
    nrows = ncols = 0
    for tr in own_rows(table):
        cells: list[Span] = []
        col = 0
        for cell in tr:
            if cell.tag not in _CELLS:
                continue
            repeat = _int(cell.get(TABLE + "number-columns-repeated"), 1)
            if cell.tag == TABLE + "table-cell":
                text = cell_text(cell)
                rowspan = _int(cell.get(TABLE + "number-rows-spanned"), 1)
                colspan = _int(cell.get(TABLE + "number-columns-spanned"), 1)
                if text or rowspan > 1 or colspan > 1:
                    for k in range(min(repeat, MAX_COLS - col)):
                        cells.append(Span(row_index, col + k, text, rowspan, colspan))
            col += repeat
            if col >= MAX_COLS:
                if col > MAX_COLS and any(s.col >= MAX_COLS for s in cells):
                    notes.append(f"cells beyond column {MAX_COLS} ignored")
                break
        repeat = _int(tr.get(TABLE + "number-rows-repeated"), 1)
        if not cells:
            row_index += repeat  # empty rows count only if a filled one follows
            continue
        if row_index >= MAX_ROWS:
            notes.append(f"the table has more than {MAX_ROWS} rows; read the first {MAX_ROWS}")
            break
        repeat = min(repeat, MAX_ROWS - row_index)
        for k in range(repeat):
            found.extend(Span(s.row + k, s.col, s.text, s.rowspan, s.colspan) for s in cells)
        row_index += repeat
        nrows = row_index
        ncols = max(ncols, max(min(s.col + s.colspan, MAX_COLS) for s in cells))
    found = [s for s in found if s.row < nrows]
    return found, nrows, ncols


def cell_text(cell) -> str:
    """A cell's value as the .xlsx reader shows it: a number or date from its value attribute,
    else its paragraphs, one line each."""
    kind = cell.get(OFFICE + "value-type")
    if kind in ("float", "percentage", "currency"):
        try:
            return _value_text(float(cell.get(OFFICE + "value", "")))
        except ValueError:
            pass
    elif kind == "date":
        value = cell.get(OFFICE + "date-value", "")
        try:
            return _value_text(dt.datetime.fromisoformat(value))
        except ValueError:
            pass
    elif kind == "boolean":
        return "TRUE" if cell.get(OFFICE + "boolean-value") == "true" else "FALSE"
    return clean_cell("\n".join(paragraph_text(p) for p in cell.iter(TEXT + "p", TEXT + "h")))


def paragraph_text(p) -> str:
    """A paragraph's text with its spaces (``text:s``), tabs and line breaks."""
    parts: list[str] = []

    def walk(el) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            tag = child.tag
            if tag == TEXT + "s":
                parts.append(" " * min(_int(child.get(TEXT + "c"), 1), 1000))
            elif tag == TEXT + "tab":
                parts.append("\t")
            elif tag == TEXT + "line-break":
                parts.append("\n")
            elif tag in (TEXT + "note", OFFICE + "annotation"):
                pass  # footnotes and comments are not the cell's text
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(p)
    return "".join(parts)


def _int(value: str | None, default: int) -> int:
    try:
        return max(int(value), 1) if value is not None else default
    except ValueError:
        return default
