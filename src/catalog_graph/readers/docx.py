"""Word documents (.docx) with python-docx.

The body is walked in order, paragraphs and tables alike (content controls opened), so each
table knows the paragraphs above it. The catalog is the table whose first rows carry catalog
header words; tables after it with the same number of grid columns continue it (Word users
split long tables, or paste one table per section). Its title is the paragraph above it that
names it (…目录), else the nearest short one.

Merges are read from the XML: ``w:gridSpan`` spans columns (the covered positions become
``left``), ``w:vMerge`` without ``restart`` continues the range above (``up``), and
``w:gridBefore`` shifts a row right. A cell's paragraphs are its lines, joined by "\\n";
``w:br`` inside a paragraph is a line break too.
"""

from __future__ import annotations

from pathlib import Path

from catalog_graph.errors import CatalogError
from catalog_graph.models import Cell, RawTable
from catalog_graph.readers._select import MIN_SEVERAL, header_score, names_catalog, pick_title
from catalog_graph.readers.archive import check_archive
from catalog_graph.readers.clean import clean_cell
from catalog_graph.readers.rows import EMPTY, LEFT, MAX_COLS, MAX_ROWS, UP, split_preamble, trim

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(path: Path, display: str) -> RawTable:
    """Read the catalog table of a Word document into rows of cells, merges marked."""
    check_archive(path, display, "Word document", "word/document.xml")
    body = _body(path, display)
    blocks = list(_blocks(body))
    tables = [(i, b) for i, b in enumerate(blocks) if not isinstance(b, str)]
    if not tables:
        raise CatalogError(display, "holds no table (a Word document of paragraphs only)", "no_table")
    warnings: list[str] = []
    grids = [(i, _grid(tbl, warnings)) for i, tbl in tables]
    grids = [(i, g) for i, g in grids if g and max(len(r) for r in g) >= 2]
    if not grids:
        raise CatalogError(display, "holds no table with two or more columns", "no_table")
    scored = [(header_score([[c.text for c in r] for r in g]), len(g), -k, k)
              for k, (_, g) in enumerate(grids)]
    best = max(scored)
    k = best[3]
    if best[0] == 0:
        warnings.append("no table has catalog header words; read the largest")
    # a catalog of its own before the best one (（一）… above it, （二）… above the best)
    k = next(j for j, sc in enumerate(scored)
             if j == k or (sc[0] >= max(MIN_SEVERAL, best[0] - 1) and j < k))
    start, rows = grids[k]
    width = max(len(r) for r in rows)
    joined = titled = 0
    previous_end = start
    for i, more in grids[k + 1:]:
        between = [b for b in blocks[previous_end + 1:i] if isinstance(b, str)]
        title = pick_title(between) if between else None
        title = title if title and names_catalog(title) else None
        same = max(len(r) for r in more) == width
        if not same and not (title and header_score([[c.text for c in r] for r in more])
                             >= MIN_SEVERAL):
            continue
        if title:  # （二）涉农补贴领域……目录 above the next table: a catalog of its own
            rows = rows + [[Cell(title)]]
            titled += 1
        rows = rows + more
        joined += 1
        previous_end = i
    if titled:
        warnings.append(f"the document holds {titled + 1} catalog tables, each under its own "
                        "title; read them all")
    elif joined:
        warnings.append(f"joined {joined + 1} tables with the same {width} columns")
    if len(rows) > MAX_ROWS:
        warnings.append(f"the table has more than {MAX_ROWS} rows; read the first {MAX_ROWS}")
        rows = rows[:MAX_ROWS]
    preamble, rows = split_preamble(trim(rows))  # a title row merged across the table
    if not rows:
        raise CatalogError(display, "holds no table with a row of two or more cells", "no_table")
    previous = max((i for i, _ in tables if i < start), default=-1)
    above = [b for b in blocks[previous + 1:start] if isinstance(b, str)]
    return RawTable(file=display, rows=rows, pages=[None] * len(rows),
                    title=pick_title(above + preamble), warnings=warnings)


def _body(path: Path, display: str):
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises anything on broken parts
        raise CatalogError(display, f"is a damaged Word document ({type(exc).__name__}: "
                           f"{str(exc)[:80]})", "corrupt") from None
    return document.element.body


def _blocks(body):
    """The body's paragraphs (as text) and tables (as elements), in document order."""
    for child in body.iterchildren():
        tag = child.tag
        if tag == W + "p":
            yield _paragraph_text(child)
        elif tag == W + "tbl":
            yield child
        elif tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if tag == W + "sdt" else child
            if content is not None:
                yield from _blocks(content)


def _paragraph_text(p) -> str:
    """A paragraph's text: runs, tabs and breaks, inserted text kept, deleted text dropped."""
    parts: list[str] = []
    for el in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen"):
        tag = el.tag
        if tag == W + "t":
            parts.append(el.text or "")
        elif tag == W + "tab":
            parts.append("\t")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


def _cells(tr):
    """A row's cells, also those wrapped in content controls."""
    for child in tr.iterchildren():
        if child.tag == W + "tc":
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _cells(content)


def _rows(tbl):
    for child in tbl.iterchildren():
        if child.tag == W + "tr":
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _rows(content)


def _int_val(el, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(W + "val", default))
    except ValueError:
        return default


def _grid(tbl, warnings: list[str]) -> list[list[Cell]]:
    """The table's rows of cells on its column grid, merges marked."""
    rows: list[list[Cell]] = []
    for tr in _rows(tbl):
        if len(rows) >= MAX_ROWS + 1:
            break
        trpr = tr.find(W + "trPr")
        col = _int_val(trpr.find(W + "gridBefore") if trpr is not None else None, 0)
        col = min(max(col, 0), MAX_COLS)  # a hostile count must not size the row
        row: list[Cell] = [EMPTY] * col
        for tc in _cells(tr):
            tcpr = tc.find(W + "tcPr")
            span = 1
            vmerge = None
            if tcpr is not None:
                span = max(1, _int_val(tcpr.find(W + "gridSpan"), 1))
                vm = tcpr.find(W + "vMerge")
                if vm is not None:
                    vmerge = vm.get(W + "val", "continue")
            if col + span > MAX_COLS:
                message = f"cells beyond column {MAX_COLS} ignored"
                if message not in warnings:
                    warnings.append(message)
                break
            above = rows[-1][col] if rows and col < len(rows[-1]) else None
            if vmerge == "continue" and above is not None and above.merged != "left":
                row.extend([UP] * span)
            else:
                row.append(Cell(_cell_text(tc)))
                row.extend([LEFT] * (span - 1))
            col += span
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [EMPTY] * (width - len(r)) for r in rows]


def _cell_text(tc) -> str:
    """A cell's paragraphs, one line each (nested tables' paragraphs included)."""
    lines = [_paragraph_text(p) for p in tc.iter(W + "p")]
    return clean_cell("\n".join(lines))
