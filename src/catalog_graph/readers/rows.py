"""Rows of cells, the shape every reader returns: merged markers, size caps, the preamble.

A merged range keeps its text in its first cell; the positions it covers hold merged markers:
``up`` below the first row of a range, ``left`` to the right of its first column in that row.
The html reader reports each real cell where it starts and how many rows and columns it spans
(a :class:`Span`) and :func:`place` lays them out; the others mark merges as they read. All
stop at :data:`MAX_ROWS` and :data:`MAX_COLS`; the readers of sheets, documents and pages trim
the empty edges (:func:`trim`) and split the lines above the table, its title among them, from
its rows (:func:`split_preamble`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from catalog_graph.models import Cell

EMPTY = Cell("")
UP = Cell("", merged="up")
LEFT = Cell("", merged="left")

MAX_ROWS = 100_000  # a catalog is hundreds of rows; more is not a catalog table
MAX_COLS = 200  # catalogs have 8-20 columns


@dataclass(frozen=True, slots=True)
class Span:
    """A real cell: its text and the range it covers (0-based, spans of at least 1)."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


def place(spans: Iterable[Span], nrows: int, ncols: int) -> list[list[Cell]]:
    """Rows of cells for spans on an ``nrows`` × ``ncols`` grid; positions no span covers
    are empty cells. Spans are clipped to the grid."""
    rows = [[EMPTY] * ncols for _ in range(nrows)]
    for s in spans:
        if s.row >= nrows or s.col >= ncols:
            continue
        r1 = min(s.row + max(s.rowspan, 1), nrows)
        c1 = min(s.col + max(s.colspan, 1), ncols)
        rows[s.row][s.col] = Cell(s.text) if s.text else EMPTY
        for c in range(s.col + 1, c1):
            rows[s.row][c] = LEFT
        for r in range(s.row + 1, r1):
            row = rows[r]
            for c in range(s.col, c1):
                row[c] = UP
    return rows


def trim(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Rows without the empty rows and columns at the bottom and right of the sheet (cells
    formatted but never filled). Merged markers count as filled."""
    while rows and all(c == EMPTY for c in rows[-1]):
        rows.pop()
    width = 0
    for row in rows:
        for i in range(len(row) - 1, width - 1, -1):
            if row[i] != EMPTY:
                width = i + 1
                break
    return [row[:width] for row in rows]


def split_preamble(rows: list[list[Cell]]) -> tuple[list[str], list[list[Cell]]]:
    """The lines above a sheet's table (rows holding one text: a title, a paragraph, a date)
    and the rows from the first that holds two or more texts."""
    lines: list[str] = []
    for i, row in enumerate(rows):
        texts = [c.text for c in row if c.text]
        if len(texts) >= 2:
            return lines, rows[i:]
        if texts:
            lines.append(texts[0])
    return lines, []
