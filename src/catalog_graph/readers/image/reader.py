"""Scanned catalogs: pictures of printed tables, read with OCR into the RawTable every reader
makes.

Pages (:mod:`.pages`) → each page's ruled table and merged cells (:mod:`.grid`) → each cell
read by the OCR engine (:mod:`.cells`, :mod:`.engine`) → the catalog across pages, stitched
exactly as the PDF reader stitches printed pages (:mod:`catalog_graph.readers.pdf.stitch`:
repeated headers dropped, a cell or row a page break cut joined) → rows of cells, each row
with how OCR read it (:class:`~catalog_graph.models.OcrRead`: the engine, the lowest
confidence of its cells, and a warning naming each cell read with low confidence).

A picture with no readable table (too small, blank, too blurred, no ruled table) is one error
line saying which; in a file of several pages, such a page is skipped with a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from catalog_graph.errors import CatalogError
from catalog_graph.models import OcrRead, RawTable
from catalog_graph.readers.image import engine as engines

if TYPE_CHECKING:
    from catalog_graph.readers.image.pages import PagePicture
    from catalog_graph.readers.pdf.models import PCell, PTable

LOW_CONFIDENCE = 0.8
"""A cell read with a lower confidence than this gets a warning naming it."""
COLUMN_TOLERANCE = 8.0
"""Points two pages' column borders may differ by in a scan (straightening is exact to a pixel
or two; the PDF reader's own tolerance is for borders drawn by a program)."""


def read(path: Path, display: str) -> RawTable:
    """Read the catalog table in a picture file (JPEG, PNG, TIFF of one or more pages, BMP,
    WebP) with OCR."""
    require_engine(display)
    from catalog_graph.readers.image.pages import picture_pages

    warnings: list[str] = []
    tables, title = scan_tables(picture_pages(path, display), display, warnings)
    return assemble(tables, title, display, warnings)


def require_engine(display: str) -> None:
    """CatalogError saying what to install when the OCR engine is not installed."""
    if not engines.available():
        raise CatalogError(display, f"is a scanned image; reading it needs an OCR engine: "
                           f"{engines.INSTALL}", "scanned")


def pdf_page_tables(path: Path, display: str, numbers: list[int], warnings: list[str]
                    ) -> tuple[list[PTable], str | None]:
    """The tables of a PDF's scanned pages (``numbers``), read with OCR, in PDF points."""
    require_engine(display)
    from catalog_graph.readers.image.pages import pdf_pages

    return scan_tables(pdf_pages(path, display, numbers), display, warnings)


def scan_tables(pages: Iterable[PagePicture], display: str, warnings: list[str]
                ) -> tuple[list[PTable], str | None]:
    """Each page's table read with OCR (PDF points), and the title above the first table.

    A page with no readable table is skipped with a warning; when no page has one, the
    CatalogError says why (the first page's reason)."""
    from catalog_graph.readers.image.cells import read_table, read_title
    from catalog_graph.readers.image.grid import ScanError, find_grid

    tables: list[PTable] = []
    title: str | None = None
    problems: list[tuple[int, ScanError]] = []
    engine = None
    for page in pages:
        try:
            grid = find_grid(page.image)
        except ScanError as exc:
            problems.append((page.number, exc))
            continue
        finally:
            page.image.close()
        engine = engine or _engine(display)
        tables.append(read_table(grid, engine, page.number, page.points_per_pixel))
        if title is None and len(tables) == 1:
            title = read_title(grid, engine)
        warnings.extend(f"page {page.number}: {w}" for w in grid.warnings)
    if not tables:
        if not problems:
            raise CatalogError(display, "has no pages", "no_table")
        number, exc = problems[0]
        where = f"page {number}: " if len(problems) > 1 or number > 1 else ""
        # a picture too small to hold a table (a logo, an icon in an attachment archive) holds
        # no catalog, like a blank one; a blurred or oversized one is a catalog we cannot read
        kind = "no_table" if exc.code in ("no_table", "blank", "too_small") else "unreadable"
        raise CatalogError(display, f"{where}{exc} (a scan read by OCR)", kind)
    warnings.extend(f"page {n} skipped: {exc}" for n, exc in problems)
    mend_page_breaks(tables, engine, warnings)
    return tables, title


def _engine(display: str):
    try:
        return engines.engine()
    except engines.EngineMissing as exc:
        raise CatalogError(display, f"is a scanned image; {exc}", "scanned") from None


def assemble(tables: list[PTable], title: str | None, display: str,
             warnings: list[str]) -> RawTable:
    """The catalog's RawTable from a scan's page tables (stitched as printed pages are)."""
    from catalog_graph.readers.pdf.stitch import as_cells, catalog_table, stitch
    from catalog_graph.readers.rows import split_preamble

    main_index = catalog_table(tables, warnings)
    refs, pages = stitch(tables[main_index], tables[main_index + 1:], warnings, COLUMN_TOLERANCE)
    rows = as_cells(refs)
    preamble, rows = split_preamble(rows)
    refs = refs[len(refs) - len(rows):]
    pages = pages[len(pages) - len(rows):]
    if not rows:
        raise CatalogError(display, "holds no catalog table (the table read in the scan has no "
                           "row of two or more cells)", "no_table")
    ocr = scan_rows(refs, warnings)
    return RawTable(file=display, rows=rows, pages=pages, title=title or pick(preamble),
                    warnings=warnings, ocr=ocr)


def pick(lines: list[str]) -> str | None:
    from catalog_graph.readers._select import pick_title

    return pick_title(lines)


def scan_rows(rows: list[list[PCell]], warnings: list[str]) -> list[OcrRead | None]:
    """After stitching: how each row was read (:func:`provenance`)."""
    return provenance(rows, engines.engine().name, warnings)


def mend_page_breaks(tables: list[PTable], engine, warnings: list[str]) -> None:
    """Read again whole the cells a page break cut through a line (:func:`.cells.mend_seam`):
    between the last row of a page's table and the first row of the next page's below the
    header it repeats. Then the cells' pictures are let go."""
    from catalog_graph.readers._select import squash
    from catalog_graph.readers.image.cells import OcrCell, mend_seam

    def key(row: list[PCell]) -> tuple[str, ...]:
        return tuple(squash(c.text) for c in row)

    header = {key(r) for r in tables[0].rows[:4]} if tables else set()
    mended = 0
    for a, b in zip(tables, tables[1:], strict=False):
        if b.page != a.page + 1 or len(a.xs) != len(b.xs):
            continue
        k = 0
        while k < min(len(b.rows) - 1, 4) and key(b.rows[k]) in header:
            k += 1
        done: set[int] = set()
        for upper, lower in zip(a.rows[-1], b.rows[k], strict=True):
            if id(upper) in done or not isinstance(upper, OcrCell) or not isinstance(lower, OcrCell):
                continue
            done.add(id(upper))
            mended += mend_seam(upper, lower, engine)
    for table in tables:
        for row in table.rows:
            for cell in row:
                if isinstance(cell, OcrCell):
                    cell.crop = None
    if mended:
        warnings.append(f"{mended} cells cut by a page break through a line of text were read "
                        "again with their two pieces put together")


def provenance(rows: list[list[PCell]], engine: str, warnings: list[str]
               ) -> list[OcrRead | None]:
    """How each row was read: the lowest confidence of the cells it holds (a merged cell counts
    in its first row), and a warning for each of them read under :data:`LOW_CONFIDENCE`. A row
    holding no cell read by OCR (one of a PDF's text pages) gets None."""
    from catalog_graph.readers.image.cells import OcrCell

    header = _column_names(rows)
    seen: set[int] = set()
    out: list[OcrRead | None] = []
    unsure = 0
    for row in rows:
        read: OcrRead | None = None
        for c, cell in enumerate(row):
            if id(cell) in seen or not isinstance(cell, OcrCell):
                continue
            seen.add(id(cell))
            if read is None:
                read = OcrRead(engine, 1.0)
            if cell.confidence is None:
                continue
            read.confidence = min(read.confidence, round(cell.confidence, 2))
            if cell.confidence < LOW_CONFIDENCE:
                unsure += 1
                name = f"column {c + 1}" + (f" ({header[c]})" if header.get(c) else "")
                text = " ".join(cell.text.split())
                shown = text if len(text) <= 30 else text[:29] + "…"
                read.warnings.append(f"OCR read the cell in {name} on page {cell.page} with low "
                                     f"confidence ({cell.confidence:.2f}): check 「{shown}」")
        out.append(read)
    if unsure:
        warnings.append(f"{unsure} cells read by OCR with low confidence (under "
                        f"{LOW_CONFIDENCE}); each item holding one says which")
    return out


def _column_names(rows: list[list[PCell]]) -> dict[int, str]:
    """Each column's header text, from the first row naming two or more columns."""
    for row in rows[:6]:
        texts = [" ".join(c.text.split()) for c in row]
        if sum(1 for t in texts if t) >= 2:
            return {c: t for c, t in enumerate(texts) if t and len(t) <= 12}
    return {}
