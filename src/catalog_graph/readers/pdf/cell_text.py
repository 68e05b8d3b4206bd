"""A cell's text from the characters printed in it: printed lines, then the typed text.

The characters are grouped into the lines they were printed on (top to bottom, spaces where
the printer left a gap), and the lines joined as the text was typed
(:mod:`catalog_graph.readers.pdf.lines`: wraps removed, typed breaks kept), knowing the
room the cell gave them: its width less the padding its text keeps from the borders.
"""

from __future__ import annotations

import statistics
from typing import Any

from catalog_graph.readers.pdf.lines import Line, is_cjk, join_lines, piece_end
from catalog_graph.readers.pdf.models import PCell, PTable


def fill_text(table: PTable, bucket: dict[int, list[dict[str, Any]]]) -> None:
    """Every cell's printed lines and text, from ``bucket``: the characters of each cell,
    filed by the id of its PCell."""
    cells: dict[int, PCell] = {}
    for row in table.rows:
        for cell in row:
            cells[id(cell)] = cell
    gaps: list[float] = []
    sizes: list[float] = []
    for key, chars in bucket.items():
        cell = cells[key]
        cell.lines = _lines(chars)
        if cell.lines:
            gaps.append(max(0.0, min(ln.x0 for ln in cell.lines) - cell.x0))
            cell.last_bottom = max(ch["bottom"] for ch in chars)
            sizes.extend(ch["size"] for ch in chars[:20])
    pad = min(max(_low(gaps), 0.5), 8.0) if gaps else 2.0
    size = statistics.median(sizes) if sizes else 10.0
    for cell in cells.values():
        cell.usable = (cell.x1 - cell.x0) - 2 * pad
        cell.slack = 0.15 * size
        if cell.lines:
            cell.text = join_lines(cell.lines, cell.x0, cell.x1, pad, cell.slack)


def _low(values: list[float]) -> float:
    """A low value robust to a stray outlier: the 10th percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, len(ordered) // 10)]


def _lines(chars: list[dict[str, Any]]) -> list[Line]:
    """Characters of one cell → its printed lines, top to bottom."""
    return [line for line, _ in line_groups(chars)]


def line_groups(chars: list[dict[str, Any]]) -> list[tuple[Line, list[dict[str, Any]]]]:
    """Characters → printed lines (with the characters of each), top to bottom, with spaces
    where the printer left them."""
    ordered = sorted(chars, key=lambda ch: ((ch["top"] + ch["bottom"]) / 2, ch["x0"]))
    groups: list[list[dict[str, Any]]] = []
    bottom = -1e9
    for ch in ordered:
        mid = (ch["top"] + ch["bottom"]) / 2
        if groups and mid <= bottom:
            groups[-1].append(ch)
        else:
            groups.append([ch])
            bottom = ch["bottom"]
    out = []
    for group in groups:
        group.sort(key=lambda ch: ch["x0"])
        line = _line(group)
        if line is not None:
            out.append((line, group))
    return out


def _line(chars: list[dict[str, Any]]) -> Line | None:
    """One printed line from its characters, left to right (None when all are spaces)."""
    glyphs: list[dict[str, Any] | None] = []  # one per character of text; None: a space
    text: list[str] = []
    prev = None
    trailing = False
    for ch in chars:
        t = ch["text"]
        if not t or t.isspace():
            if text and text[-1] != " ":
                text.append(" ")
                glyphs.append(None)
            trailing = True
            continue
        trailing = False
        if prev is not None and text and text[-1] != " ":
            gap = ch["x0"] - prev["x1"]
            size = max(ch["size"], prev["size"], 1.0)
            wide = is_cjk(t[0]) or is_cjk(prev["text"][-1])
            if gap > (0.8 if wide else 0.25) * size:
                text.append(" ")
                glyphs.append(None)
        for k in t:
            text.append(k)
            glyphs.append(ch)
        prev = ch
    while text and text[-1] == " ":
        text.pop()
        glyphs.pop()
    if not text:
        return None
    s = "".join(text)
    end = piece_end(s)
    last = next((g for g in reversed(glyphs[:end]) if g is not None), None)
    first = glyphs[0]
    assert first is not None and prev is not None
    piece = (last["x1"] if last else first["x1"]) - first["x0"]
    size = statistics.median(ch["size"] for ch in chars if ch["text"].strip()) if chars else 0.0
    return Line(s, first["x0"], prev["x1"], piece, size, trailing)
