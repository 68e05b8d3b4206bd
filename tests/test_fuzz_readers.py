"""Property-based tests of each reader's cell handling: any table of cell texts, written as an
office or a web system writes it (tab-separated text as Excel copies it, a workbook saved by
openpyxl, a Word table built by python-docx, an HTML table), reads back to the same texts in
the same places, the same way twice; and any damage to such a file gives items or one clear
error, never an exception of another kind.

``CATALOG_GRAPH_FUZZ_EXAMPLES`` sets the examples per test (default 25; ``tools/fuzz.py`` runs
them with thousands).
"""

from __future__ import annotations

import csv
import html
import io
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_graph.errors import CatalogError
from catalog_graph.models import RawTable
from catalog_graph.pipeline import parse_file
from catalog_graph.readers import read_table

EXAMPLES = int(os.environ.get("CATALOG_GRAPH_FUZZ_EXAMPLES", "25"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HEADER = ["序号", "公开事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道", "备注"]

# What cells of catalogs are made of: CJK, ASCII, the punctuation of bases and channels, marks,
# characters that need escaping in XML, HTML and quoted text.
ALPHABET = st.sampled_from(list(
    "公开事项内容依据时限主体国务院办公厅条例通知第一二三十条款项号年县局政府网站"
    "abcXYZ0189" "《》〈〉（）()〔〕[]【】“”\"'‘’<>&;:：；、，。.,-—~～/\\#%?=+*■□✓√●"
    "①②🙂𠀀é"))
LINE = st.text(ALPHABET, min_size=1, max_size=12).map(str.strip).filter(bool)
# one to three lines, words separated by single spaces: text that every format can carry
CELL = st.one_of(
    st.just(""),
    st.lists(st.lists(LINE, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=3)
    .map("\n".join),
)
TABLE = st.integers(1, 8).flatmap(
    lambda width: st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=8))


# --------------------------------------------------------------------------- writers


def write_tsv(rows: list[list[str]], path: Path) -> None:
    """As Excel copies cells: tab-separated, CRLF, a cell quoted when it holds a quote, a tab or
    a line break, its quotes doubled."""
    buf = io.StringIO()
    csv.writer(buf, delimiter="\t", lineterminator="\r\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def write_xlsx(rows: list[list[str]], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(rows, 1):
        for c, text in enumerate(row, 1):
            if text:
                cell = ws.cell(r, c, text)
                cell.data_type = "s"  # text, even when it starts with =
    wb.save(path)


def write_docx(rows: list[list[str]], path: Path) -> None:
    import docx

    document = docx.Document()
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(path)


def write_html(rows: list[list[str]], path: Path) -> None:
    body = "".join("<tr>" + "".join(f"<td>{html.escape(t).replace(chr(10), '<br>')}</td>" for t in row)
                   + "</tr>\n" for row in rows)
    path.write_text(f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>"
                    f"<table>{body}</table></body></html>\n", encoding="utf-8")


WRITERS = {".tsv": write_tsv, ".xlsx": write_xlsx, ".docx": write_docx, ".html": write_html}


def cells_of(rows: list[list[str]]) -> dict[tuple[int, int], str]:
    return {(r, c): t for r, row in enumerate(rows) for c, t in enumerate(row) if t}


def read_back(rows: list[list[str]], suffix: str) -> tuple[RawTable, RawTable]:
    table = [HEADER[:max(2, len(rows[0]))]] + rows
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"catalog{suffix}"
        WRITERS[suffix](table, path)
        first, _ = read_table(path, path.name)
        second, _ = read_table(path, path.name)
    return first, second


def check_round_trip(rows: list[list[str]], suffix: str) -> None:
    first, second = read_back(rows, suffix)
    assert first.rows == second.rows and first.warnings == second.warnings
    got = [[c.text for c in row] for row in first.rows]
    assert got[0][:2] == HEADER[:2]
    assert cells_of(got[1:]) == cells_of(rows)
    assert all(c.merged is None for row in first.rows for c in row)


# --------------------------------------------------------------------------- round trips


@SETTINGS
@given(TABLE)
def test_cell_texts_survive_tab_separated_text(rows: list[list[str]]) -> None:
    check_round_trip(rows, ".tsv")


@SETTINGS
@given(TABLE)
def test_cell_texts_survive_a_workbook(rows: list[list[str]]) -> None:
    check_round_trip(rows, ".xlsx")


@SETTINGS
@given(TABLE)
def test_cell_texts_survive_a_word_table(rows: list[list[str]]) -> None:
    check_round_trip(rows, ".docx")


@SETTINGS
@given(TABLE)
def test_cell_texts_survive_a_web_page(rows: list[list[str]]) -> None:
    check_round_trip(rows, ".html")


# Text pasted as typed, never quoted: quotes anywhere but at the end of a cell (a cell ending in
# a quote is what closes a quoted field: ``"放管服"`` alone reads as 放管服, as Excel writes it).
TYPED = st.text(st.sampled_from(list("公开依据条例《》“”\"'a1 ")), max_size=10).map(str.strip).filter(
    lambda t: not t.endswith('"'))


@SETTINGS
@given(st.lists(st.lists(TYPED, min_size=3, max_size=3), min_size=1, max_size=12))
def test_typed_quotes_stay_text_and_never_swallow_rows(rows: list[list[str]]) -> None:
    """A clerk's raw quotes (``"放管服"改革``, one never closed) stay in their cell and every
    row read is a row written."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "typed.txt"
        path.write_text("\n".join("\t".join(r) for r in [HEADER[:3], *rows]) + "\n", "utf-8")
        table, _ = read_table(path, path.name)
    got = [[c.text for c in row] for row in table.rows]
    assert len(got) == len(rows) + 1
    assert cells_of(got[1:]) == cells_of(rows)


# --------------------------------------------------------------------------- damage


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    """A catalog file of some format, then cut, overwritten or spliced."""
    rows = draw(st.lists(st.lists(CELL, min_size=4, max_size=4), min_size=1, max_size=4))
    suffix = draw(st.sampled_from(sorted(WRITERS)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"c{suffix}"
        WRITERS[suffix]([HEADER[:4], *rows], path)
        data = bytearray(path.read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["cut", "flip", "junk", "repeat"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if how == "cut":
            del data[at:]
        elif how == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif how == "junk":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            data[at:at] = data[at:at + draw(st.integers(1, 512))] * draw(st.integers(2, 50))
    return suffix, bytes(data)


@SETTINGS
@given(damaged())
def test_a_damaged_file_gives_items_or_one_clear_error(case: tuple[str, bytes]) -> None:
    suffix, data = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"damaged{suffix}"
        path.write_bytes(data)
        try:
            catalog = parse_file(path, display="damaged" + suffix)
        except CatalogError as exc:
            assert str(exc).startswith(f"damaged{suffix}: ")
            assert "\n" not in str(exc) and "\r" not in str(exc)
            assert exc.kind
            return
    for item in catalog.items:
        for c in item.citations:
            assert item.basis is not None and item.basis[c.start:c.end] == c.text
    assert all("\n" not in w for w in catalog.warnings)
