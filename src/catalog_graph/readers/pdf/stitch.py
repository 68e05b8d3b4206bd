"""The catalog across pages: which table it is, the tables continuing it, the cuts joined.

The catalog is the first table whose first rows carry catalog header words (else the
largest). Later tables on its column grid continue it, their repeated header rows dropped;
where a page break cut a merged range or a row (a cell open at the page bottom, or a row whose
only text continues wrapped text above it), the pieces are joined into the cell they came
from instead of starting a new row. The rows of printed cells then become rows of Cells.
"""

from __future__ import annotations

from catalog_graph.models import Cell
from catalog_graph.readers._select import header_score, squash
from catalog_graph.readers.pdf.lines import is_wrap, joiner
from catalog_graph.readers.pdf.models import PCell, PTable
from catalog_graph.readers.rows import EMPTY, LEFT, UP


def _texts(row: list[PCell]) -> list[str]:
    """The texts of a row, a merged cell's at its first position only."""
    out = []
    seen: set[int] = set()
    for cell in row:
        if id(cell) in seen:
            out.append("")
        else:
            seen.add(id(cell))
            out.append(cell.text)
    return out


def catalog_table(tables: list[PTable], warnings: list[str]) -> int:
    """The first table whose first rows carry catalog header words, else the largest."""
    for i, t in enumerate(tables):
        if len(t.rows) >= 2 and header_score([_texts(r) for r in t.rows[:8]]) >= 2:
            return i
    warnings.append("no table has catalog header words; read the largest")
    sizes = [len(t.rows) * (len(t.xs) - 1) for t in tables]
    return sizes.index(max(sizes))


def _column_map(main: PTable, table: PTable, tolerance: float) -> list[int] | None:
    """For each column border of ``table``, the index of the same border in ``main`` (within
    ``tolerance``); None when ``table`` is not on ``main``'s columns."""
    out = []
    for x in table.xs:
        j = min(range(len(main.xs)), key=lambda k: abs(main.xs[k] - x))
        if abs(main.xs[j] - x) > tolerance:
            return None
        out.append(j)
    if out[0] != 0 or out[-1] != len(main.xs) - 1 or out != sorted(set(out)):
        return None
    return out


def _on_main_grid(table: PTable, mapping: list[int], ncols: int) -> list[list[PCell]]:
    rows = []
    for row in table.rows:
        wide: list[PCell] = []
        for c, cell in enumerate(row):
            wide.extend([cell] * (mapping[c + 1] - mapping[c]))
        rows.append(wide[:ncols])
    return rows


def _key(row: list[PCell]) -> tuple[str, ...]:
    return tuple(squash(t) for t in _texts(row))


def stitch(main: PTable, rest: list[PTable], warnings: list[str], column_tolerance: float
           ) -> tuple[list[list[PCell]], list[int | None]]:
    """The catalog's rows across pages, with the page of each: main, then the tables of
    ``rest`` on its grid (column borders within ``column_tolerance``), headers dropped, cut
    cells and rows joined."""
    ncols = len(main.xs) - 1
    rows = [list(r) for r in main.rows]
    pages: list[int | None] = [main.page] * len(rows)
    keys = [_key(r) for r in rows[:8]]
    first_wide = next((i for i, k in enumerate(keys) if sum(1 for t in k if t) >= 2), 0)
    skipped: list[int] = []
    for table in rest:
        mapping = _column_map(main, table, column_tolerance)
        if mapping is None:
            skipped.append(table.page)
            continue
        more = _on_main_grid(table, mapping, ncols)
        drop = max(_repeated(more, keys, 0), _repeated(more, keys, first_wide))
        more = more[drop:]
        if not more:
            continue
        if table.page != pages[-1]:
            more = _join_cut(rows, more)
        rows.extend(more)
        pages.extend([table.page] * len(more))
    if skipped:
        warnings.append("tables not on the catalog's columns skipped on pages "
                        + ", ".join(map(str, sorted(set(skipped)))))
    return rows, pages


def _repeated(more: list[list[PCell]], keys: list[tuple[str, ...]], offset: int) -> int:
    """How many leading rows of ``more`` repeat the main table's rows from ``offset``."""
    k = 0
    while (k < len(more) and offset + k < len(keys) and any(keys[offset + k])
           and _key(more[k]) == keys[offset + k]):
        k += 1
    return k


def _join_cut(before: list[list[PCell]], more: list[list[PCell]]) -> list[list[PCell]]:
    """Join what a page break cut, between the rows ``before`` it and the rows ``more`` after:

    - a cell left open at the bottom of the page continues in the first row of the next;
    - a first row whose only text carries on wrapped text from the row above is that row's
      end, not a row of its own;
    - a first row that continues a numbered group (nothing in its first column) and whose
      empty cells sit under merged ranges cut by the break (a range spanning rows on either
      side of it, closed by the printer at the page's edge) continues those ranges.
    """
    last = before[-1]
    first = more[0]
    aliases: dict[int, PCell] = {}
    for above, below in zip(last, first, strict=True):
        if id(below) in aliases or below is above:
            continue
        if above.end.open_bottom or below.open_top:
            _append(above, below)
            aliases[id(below)] = above
    if not aliases and _is_split_row(last, first):
        for above, below in zip(last, first, strict=True):
            if id(below) not in aliases and below.text:
                _append(above, below)
            aliases[id(below)] = above
        more = more[1:]
    elif not first[0].text and id(first[0]) not in aliases:
        earlier = before[-2] if len(before) > 1 else []
        later = more[1] if len(more) > 1 else []
        for c, (above, below) in enumerate(zip(last, first, strict=True)):
            if id(below) in aliases or below.text or not above.text:
                continue
            if (c < len(earlier) and earlier[c] is above) or (c < len(later) and later[c] is below):
                _append(above, below)
                aliases[id(below)] = above
    if not aliases:
        return more
    return [[aliases.get(id(cell), cell) for cell in row] for row in more]


def _is_split_row(last: list[PCell], first: list[PCell]) -> bool:
    """Is ``first`` the rest of ``last``, pushed to the next page? Each of its texts must
    continue a cell above whose text runs to the cell's bottom and wraps into it."""
    texts = [cell for cell in dict.fromkeys(first) if cell.text]
    if not texts:
        return False
    for c, below in enumerate(first):
        if not below.text:
            continue
        above = last[c].end
        if not above.lines or not below.lines:
            return False
        line_height = max(1.0, above.last_bottom - above.top) / max(1, len(above.lines))
        if above.bottom - above.last_bottom > 1.2 * line_height:
            return False
        if not is_wrap(above.lines[-1], below.lines[0], above.usable, above.slack):
            return False
    return True


def _append(above: PCell, below: PCell) -> None:
    """Continue ``above``'s text with ``below``'s (as a wrap if the printer wrapped there);
    ``below`` becomes the piece where ``above`` now ends."""
    end = above.end
    above.tail = below.end
    if not below.text:
        return
    if not above.text:
        above.text = below.text
        return
    sep = "\n"
    if end.lines and below.lines and is_wrap(end.lines[-1], below.lines[0], end.usable, end.slack):
        sep = joiner(above.text, below.text, end.lines[-1].trailing_space)
    above.text = above.text + sep + below.text


def as_cells(rows: list[list[PCell]]) -> list[list[Cell]]:
    """Rows of printed cells → rows of Cells: text where a cell starts, merged markers where
    it continues."""
    start: dict[int, int] = {}
    out: list[list[Cell]] = []
    for i, row in enumerate(rows):
        cells: list[Cell] = []
        for cell in row:
            key = id(cell)
            if key not in start:
                start[key] = i
                cells.append(Cell(cell.text) if cell.text else EMPTY)
            elif start[key] == i:
                cells.append(LEFT)
            else:
                cells.append(UP)
        out.append(cells)
    return out
