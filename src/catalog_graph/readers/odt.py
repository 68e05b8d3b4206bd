"""OpenDocument text (.odt) with lxml on content.xml (:mod:`catalog_graph.readers._odf`).

The body is walked in order, paragraphs and headings alike, so each table knows the lines above
it; the catalog is the table whose first rows carry catalog header words, tables after it with
as many columns continue it, and its title is the line above that names it, as in a .docx
(:mod:`catalog_graph.readers.docx`). Reading the XML directly keeps the merges (2-3 ms a file,
against half a second or more to convert the file to .docx with LibreOffice).
"""

from __future__ import annotations

from pathlib import Path

from catalog_graph.errors import CatalogError
from catalog_graph.models import RawTable
from catalog_graph.readers import _odf
from catalog_graph.readers._select import header_score, pick_title
from catalog_graph.readers.rows import MAX_ROWS, place, split_preamble, trim


def read(path: Path, display: str) -> RawTable:
    """Read the catalog table of an OpenDocument text into rows of cells, merges marked."""
    root = _odf.content(path, display, "OpenDocument text")
    body = root.find(f"{_odf.OFFICE}body/{_odf.OFFICE}text")
    if body is None:
        raise CatalogError(display, "is an OpenDocument file without a text body", "corrupt")
    blocks = list(_blocks(body))
    warnings: list[str] = []
    grids = []
    for i, block in enumerate(blocks):
        if isinstance(block, str):
            continue
        spans, nrows, ncols = _odf.spans(block, warnings)
        grid = trim(place(spans, nrows, ncols))
        if grid and max(len(r) for r in grid) >= 2:
            grids.append((i, grid))
    if not grids:
        raise CatalogError(display, "holds no table with two or more columns", "no_table")
    scored = [(header_score([[c.text for c in r] for r in g]), len(g), -k, k)
              for k, (_, g) in enumerate(grids)]
    best = max(scored)
    k = best[3]
    if best[0] == 0:
        warnings.append("no table has catalog header words; read the largest")
    start, rows = grids[k]
    width = max(len(r) for r in rows)
    joined = 0
    for _, more in grids[k + 1:]:
        if max(len(r) for r in more) == width:
            rows = rows + more
            joined += 1
    if joined:
        warnings.append(f"joined {joined + 1} tables with the same {width} columns")
    if len(rows) > MAX_ROWS:
        rows = rows[:MAX_ROWS]
    preamble, rows = split_preamble(trim(rows))
    if not rows:
        raise CatalogError(display, "holds no table with a row of two or more cells", "no_table")
    previous = max((i for i, b in enumerate(blocks) if i < start and not isinstance(b, str)),
                   default=-1)
    above = [b for b in blocks[previous + 1:start] if isinstance(b, str)]
    return RawTable(file=display, rows=rows, pages=[None] * len(rows),
                    title=pick_title(above + preamble), warnings=warnings)


def _blocks(parent):
    """The body's paragraphs (as text) and tables (as elements), in order; sections and lists
    opened."""
    for child in parent:
        tag = child.tag
        if tag in (_odf.TEXT + "p", _odf.TEXT + "h"):
            yield _odf.paragraph_text(child)
        elif tag == _odf.TABLE + "table":
            yield child
        elif tag in (_odf.TEXT + "section", _odf.TEXT + "list", _odf.TEXT + "list-item"):
            yield from _blocks(child)
