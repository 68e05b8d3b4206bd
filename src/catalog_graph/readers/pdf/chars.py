"""The characters of a page as a reader of the printout sees them.

Text a printer draws twice to make it bold (or an office overprints) is one character on
paper; a watermark drawn across the page at 30° or 45° is no part of any cell. Text clipped
away is already gone (:mod:`catalog_graph.readers.pdf.clip`).
"""

from __future__ import annotations

import math
from typing import Any


def level_text(chars: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The characters set level or at right angles, and how many were slanted (a watermark
    drawn across the page at 30° or 45° is no part of any cell)."""
    out = []
    for ch in chars:
        a, b, c, d = ch["matrix"][:4]
        if (abs(a) > 1e-3 and abs(b) > 1e-3) or (abs(c) > 1e-3 and abs(d) > 1e-3):
            continue
        out.append(ch)
    return out, len(chars) - len(out)


def dedupe_chars(chars: list[dict[str, Any]], tolerance: float = 1.0) -> list[dict[str, Any]]:
    """Characters without their doubles: a glyph drawn again (fake bold, overprinting) at the
    same place, within ``tolerance``, in the same font and size. pdfplumber's
    ``Page.dedupe_chars`` with its defaults, in one pass over the page.

    The places kept are filed by square of side ``tolerance``: a double of a glyph lies in its
    square or a neighbouring one, and a square holds at most one kept glyph, so a page of
    100,000 copies of one letter takes a moment, not hours of comparing each with all before.
    """
    if tolerance <= 0:
        raise ValueError("tolerance must be positive")
    kept: dict[tuple[str, str, float], dict[int, dict[int, tuple[float, float]]]] = {}
    out = []
    floor = math.floor
    for ch in chars:
        key = (ch["text"], ch["fontname"], round(ch["size"], 3))
        x0, top = ch["x0"], ch["top"]
        if not (math.isfinite(x0) and math.isfinite(top)):  # a damaged page: no double of any
            out.append(ch)
            continue
        col, row = floor(x0 / tolerance), floor(top / tolerance)
        columns = kept.get(key)  # column → row → the place kept there
        if columns is None:  # the first of its kind on the page
            kept[key] = {col: {row: (x0, top)}}
            out.append(ch)
            continue
        double = False
        for dx in (-1, 0, 1):
            rows = columns.get(col + dx)
            if rows is None:
                continue
            for dy in (-1, 0, 1):
                place = rows.get(row + dy)
                if (place is not None and abs(x0 - place[0]) <= tolerance
                        and abs(top - place[1]) <= tolerance):
                    double = True
                    break
            if double:
                break
        if double:
            continue
        columns.setdefault(col, {}).setdefault(row, (x0, top))
        out.append(ch)
    return out
