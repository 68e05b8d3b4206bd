"""PDF catalogs: ruled tables as offices print them.

Each page's characters and drawings are read by an engine (``settings.engine``): PDFium
(``pdfium``, in C, the default) or pdfminer under pdfplumber (``clip``, in Python, the
reference), which give the later steps the same objects; a page PDFium cannot read as pdfminer
would is read by pdfminer. Each page is then read as a reader of the printout sees it, one step
per module:

- **visible text only** (``clip``): pdfminer's interpreter is extended to follow clipping
  paths, so the glyphs a printer clips away are dropped (LibreOffice and Excel draw the whole
  text of a merged cell cut by a page break on both pages and clip each part);
- doubled characters (fake bold, overprinting) removed as pdfplumber's ``dedupe_chars`` does,
  slanted ones (watermarks) set aside (``chars``);
- tables found from ruling lines (pdfplumber's ``lines`` strategy), text three times the
  table's size (a watermark) kept out of the cells (``tables``); the cell geometry gives the
  merges (``grid``): a grid is made of every cell edge, a cell covering several grid positions
  is a merged range (``left`` to the right of its first column, ``up`` below its first row),
  and positions no closed cell covers (a range left open at the bottom of a page) form cells
  too;
- in-cell lines joined as typed (``cell_text``, ``lines``): wraps removed, typed breaks kept;
- the table continued across pages (``stitch``): later tables on the catalog's column grid are
  appended, their repeated header rows dropped; where a page break cut a merged range or a row
  (a cell open at the page bottom, or a row whose only text continues wrapped text above it),
  the pieces are joined into the cell they came from instead of starting a new row;
- the title taken from the text above the table (``title``): its largest line, or the line
  naming the catalog; every row carries its page number.

Errors: encrypted, scanned (no text layer), no ruled table, truncated or damaged, too large.
Work is bounded per page (a page over the page limits is skipped with a warning) and per file
(a file over the file limits is refused): the limits, and every tolerance, are the
:class:`~catalog_graph.readers.pdf.settings.PdfSettings` given to :func:`read` (``limits``
counts against them).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from catalog_graph.errors import CatalogError
from catalog_graph.models import CellBox, RawTable
from catalog_graph.readers.pdf import pdfium
from catalog_graph.readers.pdf.chars import dedupe_chars, level_text
from catalog_graph.readers.pdf.clip import clip_aware_layout
from catalog_graph.readers.pdf.limits import FileBudget, FileTooBusy, PageTooBusy, content_forecast
from catalog_graph.readers.pdf.models import PageObjects, PCell, PTable
from catalog_graph.readers.pdf.settings import PdfSettings
from catalog_graph.readers.pdf.stitch import as_cells, catalog_table, stitch
from catalog_graph.readers.pdf.tables import tables_on_page
from catalog_graph.readers.pdf.title import catalog_title, forget_loose
from catalog_graph.readers.rows import split_preamble


def read(path: Path, display: str,
         settings: PdfSettings | Mapping[str, Any] | None = None) -> RawTable:
    """Read the catalog table of a PDF into rows of cells, with page numbers and title.

    ``settings`` changes the reader's limits and tolerances (see :class:`PdfSettings`: a dict
    of the keys to change, or an instance); ValueError names a key that is not a setting."""
    settings = PdfSettings.resolve(settings)
    size = path.stat().st_size
    if size > settings.max_bytes:
        raise CatalogError(display, f"is {size // (1024 * 1024)} MiB, over the "
                           f"{settings.max_bytes // (1024 * 1024)} MiB limit for a PDF", "too_large")
    warnings: list[str] = []
    pdf = _open(path, display)
    engine = None
    try:
        npages = len(pdf.pages)
        if npages == 0:
            raise CatalogError(display, "is a damaged PDF (it has no pages)", "corrupt")
        if npages > settings.max_pages:
            raise CatalogError(display, f"has {npages} pages, over the {settings.max_pages} page "
                               "limit", "too_large")
        if content_forecast(pdf.pages, settings) > settings.max_file_content:
            raise CatalogError(display, f"its {npages} pages unpack to over "
                               f"{settings.max_file_content // (1024 * 1024)} MiB of content, more than a "
                               "catalog holds: refused as broken or hostile", "too_large")
        tables: list[PTable] = []
        loose: dict[int, list[dict[str, Any]]] = {}
        text_pages = 0
        image_pages: list[int] = []
        busy: list[tuple[int, str]] = []  # pages skipped for exceeding the limits
        spent = FileBudget(settings)
        if settings.engine == "pdfium":
            engine = pdfium.Document(path)
        for page in pdf.pages:
            number = page.page_number
            try:
                objects = pdfium.page_objects(engine, page, spent) if engine else None
                if objects is None:
                    objects = _plumbed(page, spent)
            except PageTooBusy as exc:
                busy.append((number, str(exc)))
                page.close()
                continue
            except FileTooBusy as exc:
                raise CatalogError(display, f"by page {number} of {npages} it has {exc} in all, "
                                   "more than a catalog holds: refused as broken or hostile",
                                   "too_large") from None
            except Exception as exc:  # noqa: BLE001 - pdfminer raises anything on damage
                raise CatalogError(display, f"is a truncated or damaged PDF (page {number} cannot be "
                                   f"read: {type(exc).__name__})", "corrupt") from None
            chars, drawings = objects.chars, objects.drawings
            images = _picture_cover(page) if objects.images else 0.0  # share covered
            chars, slanted = level_text(dedupe_chars(chars, settings.dedupe_tolerance))
            if slanted:
                warnings.append(f"page {number}: {slanted} slanted characters (a watermark?) ignored")
            if drawings > settings.max_drawings:
                warnings.append(f"page {number} skipped: {drawings} drawing objects, too many to "
                                "look for a table among")
                found, outside = [], chars
            else:
                try:
                    found, outside = tables_on_page(objects, chars, settings)
                except PageTooBusy as exc:
                    warnings.append(f"page {number} skipped: {exc}, too many to look for a "
                                    "table among")
                    found, outside = [], chars
            page.close()  # the page's layout is no longer needed: keep memory flat
            if chars:
                text_pages += 1
            if images and (not chars or (not found and images >= 0.5)):
                image_pages.append(number)  # a scan (wholly, or a picture of the table)
            tables.extend(found)
            loose[number] = outside
            forget_loose(loose, number, tables)
    finally:
        if engine:
            engine.close()
        pdf.close()
    warnings.extend(f"page {n} skipped: it has {why}, more than a catalog page holds"
                    for n, why in busy)
    if not text_pages and busy:
        n, why = busy[0]
        raise CatalogError(display, f"page {n} has {why}, more than a catalog page holds: "
                           "refused as broken or hostile", "too_large")
    if not text_pages and not image_pages:
        raise CatalogError(display, "has no text layer (nothing to read on any page)", "scanned")
    scanned = _scanned_tables(path, display, image_pages, warnings, strict=not tables)
    if scanned:  # the scanned pages' tables join the printed ones, in page order
        tables = sorted(tables + scanned[0], key=lambda t: (t.page, t.top))
    if not tables:
        raise CatalogError(display, "holds no catalog table (no ruled table on any page)", "no_table")
    main_index = catalog_table(tables, warnings)
    main = tables[main_index]
    tolerance = max(settings.column_tolerance, 8.0) if scanned else settings.column_tolerance
    refs, pages = stitch(main, tables[main_index + 1:], warnings, tolerance)
    rows = as_cells(refs)
    preamble_rows, rows = split_preamble(rows)
    pages = pages[len(pages) - len(rows):]
    if not rows:
        raise CatalogError(display, "holds no catalog table (its table has no row of two or more "
                           "cells)", "no_table")
    title = catalog_title(loose, main, preamble_rows)
    ocr = None
    if scanned:
        from catalog_graph.readers.image.reader import scan_rows

        title = title or scanned[1]
        ocr = scan_rows(refs[len(refs) - len(rows):], warnings)
    return RawTable(file=display, rows=rows, pages=pages, title=title, warnings=warnings,
                    boxes=cell_boxes(refs, len(preamble_rows)), ocr=ocr)


def cell_boxes(refs: list[list[PCell]], skipped: int) -> list[CellBox]:
    """The box of every printed cell (and of each piece a page break cut), at the row and
    column where it starts; rows counted after the ``skipped`` preamble rows."""
    boxes: list[CellBox] = []
    seen: set[int] = set()
    for i, row in enumerate(refs):
        for j, cell in enumerate(row):
            if id(cell) in seen:
                continue
            seen.add(id(cell))
            piece: PCell | None = cell
            while piece is not None:
                boxes.append(CellBox(piece.page, round(piece.x0, 2), round(piece.top, 2),
                                     round(piece.x1, 2), round(piece.bottom, 2),
                                     max(i - skipped, -1), j))
                piece = piece.tail if piece.tail is not piece else None
    return boxes


def _plumbed(page: Any, spent: FileBudget) -> PageObjects:
    """The page's objects read by the pdfplumber engine (pdfminer, clip-aware)."""
    clip_aware_layout(page, spent)
    return PageObjects(page.page_number, page.chars,
                       len(page.lines) + len(page.rects) + len(page.curves), len(page.images),
                       lambda: page.edges)



def _picture_cover(page) -> float:
    """The share of the page its pictures cover (0 without pictures)."""
    area = float(page.width * page.height) or 1.0
    cover = sum(max(0.0, float(im["x1"] - im["x0"])) * max(0.0, float(im["bottom"] - im["top"]))
                for im in page.images)
    return min(1.0, cover / area) if page.images else 0.0


def _scanned_tables(path: Path, display: str, numbers: list[int], warnings: list[str],
                    strict: bool) -> tuple[list[PTable], str | None] | None:
    """The hand-off to the scan reader (:mod:`catalog_graph.readers.image`): the tables on the
    pages that are pictures, read with OCR, and the title above the first. ``strict`` (no
    printed table found): a scan the OCR cannot read is the file's error, else a warning."""
    if not numbers:
        return None
    from catalog_graph.readers.image.reader import pdf_page_tables

    try:
        return pdf_page_tables(path, display, numbers, warnings)
    except CatalogError as exc:
        if strict:
            raise
        warnings.append(f"scanned pages {', '.join(map(str, numbers))} not read: {exc.message}")
        return None


def _open(path: Path, display: str):
    """The PDF opened with pdfplumber, its page tree read; CatalogError saying why it cannot be."""
    import pdfplumber

    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(0, 2)
        end = fh.tell()
        fh.seek(max(0, end - 2048))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise CatalogError(display, "is not a PDF (no %PDF header)", "corrupt")
    try:
        pdf = pdfplumber.open(path)
        pdf.pages  # noqa: B018 - reads the page tree, where truncation shows
    except Exception as exc:  # noqa: BLE001
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        name = type(cause).__name__
        if name in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"):
            raise CatalogError(display, "is an encrypted PDF (it needs a password to open)",
                               "encrypted") from None
        if b"%%EOF" not in tail:
            raise CatalogError(display, "is a truncated PDF (it ends before its end-of-file "
                               "marker)", "corrupt") from None
        raise CatalogError(display, f"is a damaged PDF ({name}: {str(cause)[:80]})", "corrupt") from None
    return pdf
