"""A ruled table's grid and merges, from the cells pdfplumber found.

Every cell edge is a line of the grid; a cell covering several grid positions is a merged
range. Positions no closed cell covers (a range left open at the bottom of a page, where the
printer drew no ruling) are joined, where no ruling separates them, into cells too, marked
open at the table's top or bottom so that stitching pages can continue them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from catalog_graph.readers.pdf.models import PCell, PTable
from catalog_graph.readers.pdf.settings import PdfSettings


def _cluster(values: list[float], tolerance: float) -> list[float]:
    """The distinct values, those within ``tolerance`` of the one before taken as it."""
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            continue
        out.append(v)
    return out


def _index(grid: list[float], v: float, tolerance: float) -> int:
    """The grid line at or before ``v`` (within ``tolerance`` after it)."""
    i = bisect_right(grid, v + tolerance) - 1
    return max(0, min(i, len(grid) - 1))


def table_grid(cells: Sequence[tuple[float, float, float, float]], hedges: list[dict[str, Any]],
               vedges: list[dict[str, Any]], page: int, settings: PdfSettings
               ) -> tuple[PTable, list[float]] | None:
    """A table's grid from its cells (x0, top, x1, bottom) and the page's horizontal and
    vertical rulings: the table with the cell covering each position, open regions included,
    and its row borders; None when the cells make no grid."""
    near = settings.grid_tolerance
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells], near)
    ys = _cluster([c[1] for c in cells] + [c[3] for c in cells], near)
    if len(xs) < 2 or len(ys) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    owner: list[list[PCell | None]] = [[None] * nc for _ in range(nr)]
    for x0, top, x1, bottom in cells:
        c0, c1 = _index(xs, x0, near), _index(xs, x1, near)
        r0, r1 = _index(ys, top, near), _index(ys, bottom, near)
        if c1 <= c0 or r1 <= r0:
            continue
        cell = PCell(xs[c0], ys[r0], xs[c1], ys[r1], page)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if owner[r][c] is None:
                    owner[r][c] = cell
    _open_regions(owner, xs, ys, hedges, vedges, page, settings.edge_tolerance)
    table = PTable(page, ys[0], ys[-1], xs, owner)  # type: ignore[arg-type]
    return table, ys


def _open_regions(owner: list[list[PCell | None]], xs: list[float], ys: list[float],
                  hedges: list[dict[str, Any]], vedges: list[dict[str, Any]], page: int,
                  tolerance: float) -> None:
    """Give grid positions no closed cell covers to cells made of the connected positions
    no ruling separates (a merged range cut open by the page's edge); a ruling within
    ``tolerance`` of a grid line is on it."""
    nr, nc = len(owner), len(owner[0])
    free = [(r, c) for r in range(nr) for c in range(nc) if owner[r][c] is None]
    if not free:
        return
    parent = {p: p for p in free}

    def find(p):
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    def ruled_h(y: float, x0: float, x1: float) -> bool:
        return any(abs(e["top"] - y) <= tolerance and e["x0"] <= x0 + tolerance
                   and e["x1"] >= x1 - tolerance for e in hedges)

    def ruled_v(x: float, y0: float, y1: float) -> bool:
        return any(abs(e["x0"] - x) <= tolerance and e["top"] <= y0 + tolerance
                   and e["bottom"] >= y1 - tolerance for e in vedges)

    for r, c in free:
        if (r, c + 1) in parent and not ruled_v(xs[c + 1], ys[r], ys[r + 1]):
            parent[find((r, c + 1))] = find((r, c))
        if (r + 1, c) in parent and not ruled_h(ys[r + 1], xs[c], xs[c + 1]):
            parent[find((r + 1, c))] = find((r, c))
    regions: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for p in free:
        regions.setdefault(find(p), []).append(p)
    for members in regions.values():
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members) + 1
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members) + 1
        cell = PCell(xs[c0], ys[r0], xs[c1], ys[r1], page,
                     open_top=r0 == 0 and not ruled_h(ys[0], xs[c0], xs[c1]),
                     open_bottom=r1 == nr and not ruled_h(ys[-1], xs[c0], xs[c1]))
        for r, c in members:
            owner[r][c] = cell
