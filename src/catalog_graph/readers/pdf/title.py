"""The catalog's title, from the text printed above its table.

Its lines are run together where they share a type size (a title set on two lines); the run
naming the catalog (…目录, not a sentence) in the largest type is the title, else the largest
run if it stands out, else the line ``pick_title`` chooses. Only the text a title can come
from is kept while the pages are read (:func:`forget_loose`), so memory stays flat.
"""

from __future__ import annotations

import statistics
from typing import Any

from catalog_graph.readers._select import names_catalog, pick_title
from catalog_graph.readers.pdf.cell_text import line_groups
from catalog_graph.readers.pdf.lines import joiner
from catalog_graph.readers.pdf.models import PTable


def catalog_title(loose: dict[int, list[dict[str, Any]]], main: PTable, preamble: list[str]) -> str | None:
    """The title from the text above the table: its lines run together where they share a
    type size (a title set on two lines), then the run naming the catalog (…目录, not a
    sentence) in the largest type, else the largest run if it stands out, else the line
    ``pick_title`` chooses (rows of one text atop the table included)."""
    chars = [ch for ch in loose.get(main.page, []) if ch["bottom"] <= main.top + 1]
    if not chars and main.page > 1:
        chars = loose.get(main.page - 1, [])
    groups = line_groups(chars) if chars else []
    texts = [line.text for line, _ in groups]
    if len(groups) >= 2:
        sizes = [max(ch["size"] for ch in group) for _, group in groups]
        runs: list[tuple[str, float]] = []
        for text, size in zip(texts, sizes, strict=True):
            if runs and abs(runs[-1][1] - size) <= 0.5:
                runs[-1] = (runs[-1][0] + joiner(runs[-1][0], text) + text, size)
            else:
                runs.append((text, size))
        body = statistics.median(sizes)
        naming = [(size, text) for text, size in runs
                  if size >= body and pick_title([text]) == text and names_catalog(text)]
        if naming:
            return max(naming)[1]
        biggest = max(runs, key=lambda r: r[1])
        if biggest[1] >= 1.2 * body:
            return biggest[0]
    return pick_title(texts + preamble)


def forget_loose(loose: dict[int, list[dict[str, Any]]], number: int,
                 tables: list[PTable]) -> None:
    """Drop the text outside tables on the page before ``number`` that no title can come from
    (see :func:`catalog_title`: the text above the catalog table, else all of the page before it), so
    memory stays flat over pages of text: all of it when neither page holds a table, all but
    the text above its tables when only it holds one."""
    before = loose.get(number - 1)
    if before is None or (tables and tables[-1].page == number):
        return
    tops = [t.top for t in tables if t.page == number - 1]
    if tops:
        loose[number - 1] = [ch for ch in before if ch["bottom"] <= max(tops) + 1]
    else:
        del loose[number - 1]
