"""A page's ruled tables, each cell with its text, and the text outside them.

Tables are found from ruling lines by pdfplumber's ``TableFinder`` (its ``lines`` strategy),
bounded so that a page of rulings gone wild is refused in a moment, not searched for hours;
each table's cells make its grid (:mod:`catalog_graph.readers.pdf.grid`), each character goes
to the cell it was printed in, outsized text (a watermark across the table) to none, and the
cells' text is made from their characters (:mod:`catalog_graph.readers.pdf.cell_text`).
"""

from __future__ import annotations

import statistics
from bisect import bisect_right
from typing import Any

from catalog_graph.readers.pdf.cell_text import fill_text
from catalog_graph.readers.pdf.grid import table_grid
from catalog_graph.readers.pdf.limits import PageTooBusy
from catalog_graph.readers.pdf.models import PageObjects, PTable
from catalog_graph.readers.pdf.settings import PdfSettings


def tables_on_page(page: PageObjects, chars: list[dict[str, Any]], settings: PdfSettings
                   ) -> tuple[list[PTable], list[dict[str, Any]]]:
    """The page's ruled tables with their cells' text, and the characters outside them
    (``PageTooBusy`` when its rulings are too many to cross). ``page`` is what either engine
    read on it: its edges are where the rulings are looked for."""
    from pdfplumber.table import TableSettings

    finder = _finder_class()(page, TableSettings.resolve(settings.table_finder()), settings)
    found = [t for t in finder.tables if t.cells]
    if not found:
        return [], chars
    hedges = [e for e in finder.edges if e["orientation"] == "h"]
    vedges = [e for e in finder.edges if e["orientation"] == "v"]
    grids = [table_grid(t.cells, hedges, vedges, page.page_number, settings) for t in found]
    grids = [g for g in grids if g is not None]
    grids.sort(key=lambda g: (g[0].top, g[0].xs[0]))
    outside: list[dict[str, Any]] = []
    buckets: list[dict[int, list[dict[str, Any]]]] = [{} for _ in grids]
    bounds = [(g[0].xs[0], g[0].xs[-1], g[1][0], g[1][-1]) for g in grids]
    inside = []
    for ch in chars:
        cx, top = (ch["x0"] + ch["x1"]) / 2, ch["top"]
        for x0, x1, y0, y1 in bounds:
            if x0 <= cx <= x1 and y0 <= top <= y1:
                inside.append(ch["size"])
                break
    outsized = settings.watermark_ratio * statistics.median(inside) if inside else float("inf")
    for ch in chars:
        if ch["size"] > outsized:  # a watermark across the table, not a cell's text
            continue
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        for k, (table, ys) in enumerate(grids):
            xs = table.xs
            if xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]:
                c = min(max(bisect_right(xs, cx) - 1, 0), len(xs) - 2)
                r = min(max(bisect_right(ys, cy) - 1, 0), len(ys) - 2)
                cell = table.rows[r][c]
                buckets[k].setdefault(id(cell), []).append(ch)
                break
        else:
            outside.append(ch)
    tables = []
    for (table, _), bucket in zip(grids, buckets, strict=True):
        fill_text(table, bucket)
        if len(table.xs) >= 3:  # two columns at least
            tables.append(table)
    return tables, outside


_FINDER: list[type] = []


def _finder_class() -> type:
    """pdfplumber's TableFinder, refusing a page whose merged rulings would take too long to
    cross (it tests every horizontal against every vertical one, so 19,000 rectangles with
    coordinates gone wild kept it busy for hours) or whose crossings too long to make into
    cells (13,500 crossings took 19 s)."""
    if _FINDER:
        return _FINDER[0]
    from pdfplumber.table import TableFinder

    class BoundedFinder(TableFinder):
        def __init__(self, page, settings=None, limits: PdfSettings | None = None
                     ) -> None:  # TableFinder's, with a bound
            from pdfplumber.table import (
                Table,
                TableSettings,
                cells_to_tables,
                edges_to_intersections,
                intersections_to_cells,
            )

            self.page = page
            self.limits = PdfSettings.resolve(limits)
            self.settings = TableSettings.resolve(settings)
            self.edges = self.get_edges()
            self.intersections = edges_to_intersections(
                self.edges, self.settings.intersection_x_tolerance,
                self.settings.intersection_y_tolerance)
            if len(self.intersections) > self.limits.max_intersections:  # cells cost their square
                raise PageTooBusy(f"{len(self.intersections)} crossings of rulings")
            self.cells = intersections_to_cells(self.intersections)
            self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]

        def get_edges(self):
            edges = super().get_edges()
            horizontal = sum(1 for e in edges if e["orientation"] == "h")
            if horizontal * (len(edges) - horizontal) > self.limits.max_crossings:
                raise PageTooBusy(f"{horizontal} horizontal and {len(edges) - horizontal} "
                                  "vertical rulings")
            return edges

    _FINDER.append(BoundedFinder)
    return BoundedFinder
