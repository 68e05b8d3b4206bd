"""A page's grid read cell by cell: the printed table the PDF reader's stitching takes.

Each cell of the grid (:mod:`.grid`) is cropped from the page with its rulings and red ink
whited out and given to the OCR engine; a cell with no ink (specks only) is not read. The
engine's lines become the PDF reader's printed lines (:class:`~..pdf.lines.Line`, in PDF
points), so a cell's text is joined as the PDF reader joins it: a line that ends because the
next piece did not fit is a wrap (no break in the text), a short line before a list marker a
typed break. OCR's misreadings that cannot change a correct reading are then repaired
(:func:`~.normalize.normalize_citation`). The result is a :class:`~..pdf.models.PTable` of
:class:`OcrCell` (a PCell with the confidence it was read with), in PDF points of the page.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import cv2
import numpy as np

from catalog_graph.readers._select import pick_title
from catalog_graph.readers.image.engine import OcrEngine, TextLine
from catalog_graph.readers.image.grid import Grid, binarize
from catalog_graph.readers.image.normalize import normalize_citation
from catalog_graph.readers.pdf.lines import Line, is_cjk, join_lines, piece_end
from catalog_graph.readers.pdf.models import PCell, PTable

INSET = 3
"""Pixels kept off each side of a cell's crop, so that what is left of its rulings stays out."""


SEAM_ROWS = 5
"""Cells in a page's first rows (a repeated header and the row it continues) and last row keep
their picture, so that a row a page break cut can be read again whole (:func:`mend_seam`)."""


@dataclass(eq=False)
class OcrCell(PCell):
    """A printed cell read by OCR: ``confidence`` is the engine's for its weakest line (None
    for a cell with no ink, which was not read). ``crop`` is its picture, kept for the cells
    a page break may cut (the left pixel and points per pixel with it)."""

    confidence: float | None = None
    crop: tuple[np.ndarray, int, float] | None = None


def read_table(grid: Grid, engine: OcrEngine, page: int, points_per_pixel: float) -> PTable:
    """The page's table with every cell's text read: coordinates in PDF points."""
    ppp = points_per_pixel / grid.scale  # points per pixel of the straightened page
    ink = binarize(grid.clean)
    cells: dict[tuple[int, int], OcrCell] = {}
    for gc in grid.cells:
        x0, y0, x1, y1 = gc.bbox
        cell = OcrCell(x0 * ppp, y0 * ppp, x1 * ppp, y1 * ppp, page,
                       open_top=gc.open_top, open_bottom=gc.open_bottom)
        if _has_ink(ink[y0 + INSET:y1 - INSET, x0 + INSET:x1 - INSET]):
            grey = grid.clean[y0 + INSET:y1 - INSET, x0 + INSET:x1 - INSET]
            found = engine.read(grey)
            solid = _solid_squares(grey) if found else []
            found = [restore_bullets(t, solid) for t in found]
            ox, oy = x0 + INSET, y0 + INSET
            cell.lines = [_printed_line(t, ox, ppp) for t in found if t.text.strip()]
            if cell.lines:
                cell.confidence = round(min(t.confidence for t in found), 4)
                cell.last_bottom = max(oy + t.bottom for t in found) * ppp
        if gc.row < SEAM_ROWS or gc.row + gc.rowspan == len(grid.ys) - 1:
            cell.crop = (grid.clean[y0 + 1:y1 - (0 if gc.open_bottom else 1),
                                    x0 + INSET:x1 - INSET].copy(), x0 + INSET, ppp)
        for r in range(gc.row, gc.row + gc.rowspan):
            for c in range(gc.col, gc.col + gc.colspan):
                cells[(r, c)] = cell
    nrows, ncols = len(grid.ys) - 1, len(grid.xs) - 1
    rows = [[cells[(r, c)] for c in range(ncols)] for r in range(nrows)]
    _fill_text(rows)
    xs = [x * ppp for x in grid.xs]
    return PTable(page, grid.ys[0] * ppp, grid.ys[-1] * ppp, xs, rows)


def _solid_squares(grey: np.ndarray) -> list[tuple[int, int, int]]:
    """The solid squares printed in a cell (x, y and side, pixels): blobs of dark ink, square,
    filling 90 % of their box or more. Dense characters (置, 国) leave gaps between their
    strokes; checked on the sample's scans, only ■ does this."""
    paper, darkest = int(np.percentile(grey, 90)), int(np.percentile(grey, 1))
    if paper - darkest < 60:
        return []
    dark = (grey < (paper + darkest) // 2).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    out = []
    for x, y, w, h, area in stats[1:]:
        side = max(int(w), int(h))
        if side >= 8 and abs(int(w) - int(h)) <= 0.2 * side and area >= 0.9 * w * h:
            out.append((int(x), int(y), side))
    return out


def restore_bullets(line: TextLine, squares: list[tuple[int, int, int]]) -> TextLine:
    """The line with the solid squares printed in it (■, the bullet catalogs put before each
    channel: ■政府网站 ■政务新媒体) that recognition dropped put back where they stand, by
    their distance from the line's start in characters."""
    text = line.text
    mine = [(x, side) for x, y, side in squares
            if line.top <= y + side / 2 <= line.bottom and line.x0 - side <= x <= line.x1]
    if not text or not mine or text.count("■") >= len(mine):
        return line
    units = sum(1.0 if is_cjk(ch) else 0.5 for ch in text)
    advance = (line.x1 - line.x0) / (units + len(mine) - text.count("■"))
    for x, side in sorted(mine, reverse=True):
        if not 0.4 * advance <= side <= 1.05 * advance:
            continue
        at = min(len(text), max(0, round((x - line.x0) / advance)))
        if "■" in text[max(0, at - 1):at + 1]:
            continue
        text = text[:at] + "■" + text[at:]
    return TextLine(text, line.x0, line.top, line.x1, line.bottom, line.confidence)


def mend_seam(upper: OcrCell, lower: OcrCell, engine: OcrEngine) -> bool:
    """Read again, whole, a cell a page break cut through a line of text: the printer clips
    that line, so the top halves of its characters stand at the foot of one page and the
    bottom halves at the head of the next, and each half alone reads as nonsense. When ink
    touches the cut on both sides, the two pieces' pictures are put one on the other and read
    as one; the text goes to ``upper`` and ``lower`` becomes its continuation (as a merged
    range a break cut). True when the cell was read again."""
    if upper.crop is None or lower.crop is None:
        return False
    (top, ox, ppp), (bottom, _, _) = upper.crop, lower.crop
    if not (_touches(top[-6:]) and _touches(bottom[:6])):
        return False
    width = max(top.shape[1], bottom.shape[1])
    paper = int(np.percentile(top, 90))

    def widen(a: np.ndarray) -> np.ndarray:
        return np.pad(a, ((0, 0), (0, width - a.shape[1])), constant_values=paper)

    found = engine.read(np.vstack([widen(top), widen(bottom)]))
    found = [t for t in found if t.text.strip()]
    if not found:
        return False
    lines = [_printed_line(t, ox, ppp) for t in found]
    pad = max(0.0, ((upper.x1 - upper.x0) - upper.usable) / 2)
    upper.text = normalize_citation(join_lines(lines, upper.x0, upper.x1, pad, upper.slack))
    upper.confidence = round(min(t.confidence for t in found), 4)
    upper.open_bottom = lower.open_top = True
    lower.text, lower.lines, lower.confidence = "", [], None
    return True


def _touches(band: np.ndarray) -> bool:
    """Whether ink (darker than the paper by far) reaches into this strip at a cell's edge."""
    if band.size == 0:
        return False
    paper = int(np.percentile(band, 90))
    return int(np.count_nonzero(band < paper - 60)) >= 8


def read_title(grid: Grid, engine: OcrEngine) -> str | None:
    """The catalog's title from the text above the table (its nearest line naming a catalog,
    else the first short one), or None when nothing is printed there."""
    top = max(0, grid.ys[0] - 4)
    if top < 20:
        return None
    strip = grid.clean[max(0, top - int(0.3 * grid.clean.shape[0])):top]
    if not _has_ink(binarize(strip)):
        return None
    lines = [normalize_citation(t.text) for t in engine.read(strip) if t.text.strip()]
    return pick_title(lines)


def _printed_line(t: TextLine, ox: int, ppp: float) -> Line:
    """An OCR'd line as the PDF reader's printed line: its ends, a character's size (from the
    line's width over its characters, a CJK one counting 1 and an ASCII one 0.5) and the
    width of its first unbreakable piece."""
    text = t.text.strip()
    units = sum(1.0 if is_cjk(ch) else 0.5 for ch in text) or 1.0
    x0, x1 = (ox + t.x0) * ppp, (ox + t.x1) * ppp
    size = (x1 - x0) / units
    piece = sum(1.0 if is_cjk(ch) else 0.5 for ch in text[:piece_end(text)]) * size
    return Line(text, x0, x1, piece, size)


def _fill_text(rows: list[list[OcrCell]]) -> None:
    """Every cell's text from its lines, as the PDF reader joins them (see the module doc)."""
    cells = list({id(c): c for row in rows for c in row}.values())
    gaps = [max(0.0, min(ln.x0 for ln in c.lines) - c.x0) for c in cells if c.lines]
    sizes = [ln.size for c in cells for ln in c.lines if len(ln.text) >= 4]
    pad = min(max(_low(gaps), 0.5), 8.0) if gaps else 2.0
    size = statistics.median(sizes) if sizes else 10.0
    for cell in cells:
        cell.usable = (cell.x1 - cell.x0) - 2 * pad
        cell.slack = 0.3 * size  # OCR boxes end less exactly than glyphs do
        if cell.lines:
            text = join_lines(cell.lines, cell.x0, cell.x1, pad, cell.slack)
            cell.text = normalize_citation(text)


def _low(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, len(ordered) // 10)]


def _has_ink(ink: np.ndarray) -> bool:
    """True unless the crop holds only specks (dust, noise, the end of a ruling)."""
    if ink.size == 0 or np.count_nonzero(ink) < 25:
        return False
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    big = stats[1:, cv2.CC_STAT_AREA]
    return int(big[big >= 8].sum()) >= 30
