"""The printed table, as the PDF reader's steps pass it on: cells with their lines, tables.

A :class:`PageObjects` is what an engine (pdfplumber's or PDFium's) read on a page. A
:class:`PCell` is a cell as printed on one page, with its borders and printed lines; a
:class:`PTable` is a ruled table on one page, its rows holding the cell that covers each
position of its grid (the same PCell at every position of a merged range). Stitching pages
joins the pieces of a cell a page break cut (:attr:`PCell.tail`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from catalog_graph.readers.pdf.lines import Line


@dataclass(eq=False)
class PCell:
    """A printed cell (or the part of a merged range on one page) with its lines."""

    x0: float
    top: float
    x1: float
    bottom: float
    page: int
    lines: list[Line] = field(default_factory=list)
    text: str = ""
    open_top: bool = False  # no ruling closes it at the top of the table
    open_bottom: bool = False  # no ruling closes it at the bottom of the table
    usable: float = 0.0  # width text may take inside the borders
    slack: float = 0.0
    last_bottom: float = 0.0  # bottom of its last line of text
    tail: PCell | None = None  # its last piece, on a later page, once a page break cut it

    @property
    def end(self) -> PCell:
        """The piece of the cell on the page where it ends."""
        return self.tail or self


@dataclass(eq=False)
class PTable:
    """A ruled table on one page: column borders, and rows of the cells covering each grid
    position (the same PCell at every position of a merged range)."""

    page: int
    top: float
    bottom: float
    xs: list[float]
    rows: list[list[PCell]]


@dataclass(eq=False)
class PageObjects:
    """What an engine read on a page, as pdfplumber gives it: characters, the number of
    drawing objects (lines, rectangles, curves) and images, and the edges of the drawings
    (pdfplumber's ``page.edges``), made when a table is looked for."""

    page_number: int
    chars: list[dict[str, Any]]
    drawings: int
    images: int
    make_edges: Callable[[], list[dict[str, Any]]]

    @property
    def edges(self) -> list[dict[str, Any]]:
        return self.make_edges()
