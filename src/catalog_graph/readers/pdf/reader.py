"""PDF catalogs with pdfplumber: ruled tables as offices print them.

Each page is read as a reader of the printout sees it:

- **visible text only**: pdfminer's interpreter is extended to follow clipping paths, so the
  glyphs a printer clips away are dropped (LibreOffice and Excel draw the whole text of a
  merged cell cut by a page break on both pages and clip each part);
- doubled characters (fake bold, overprinting) removed as pdfplumber's ``dedupe_chars`` does;
- watermarks (slanted text, or text three times the table's size) kept out of the cells;
- tables found from ruling lines (pdfplumber's ``lines`` strategy); the cell geometry gives
  the merges: a grid is made of every cell edge, a cell covering several grid positions is a
  merged range (``left`` to the right of its first column, ``up`` below its first row), and
  positions no closed cell covers (a range left open at the bottom of a page) form cells too;
- in-cell lines joined as typed (see ``_lines``): wraps removed, typed breaks kept;
- the table continued across pages: later tables on the catalog's column grid are appended,
  their repeated header rows dropped; where a page break cut a merged range or a row (a cell
  open at the page bottom, or a row whose only text continues wrapped text above it), the
  pieces are joined into the cell they came from instead of starting a new row;
- the title taken from the text above the table (its largest line, or the line naming the
  catalog); every row carries its page number.

Errors: encrypted, scanned (no text layer), no ruled table, truncated or damaged, too large.
Work is bounded per page (a page over the page limits is skipped with a warning) and per file
(a file over the file limits is refused): see the ``MAX_*`` limits below.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog_graph.errors import CatalogError
from catalog_graph.models import Cell, RawTable
from catalog_graph.readers._select import header_score, names_catalog, pick_title, squash
from catalog_graph.readers.pdf.lines import Line, is_cjk, is_wrap, join_lines, joiner, piece_end
from catalog_graph.readers.rows import EMPTY, LEFT, UP, split_preamble

MAX_BYTES = 300 * 1024 * 1024
MAX_PAGES = 3000
MAX_DRAWINGS = 20_000  # lines, rectangles and curves on a page; a catalog page has hundreds
# Stopped while the page is interpreted, before the objects fill memory: path segments (a
# rectangle is one), characters drawn, and content (with its forms) unpacked, per page. A dense
# catalog page has a few thousand segments and characters and a few hundred KB of content.
MAX_SEGMENTS = 3 * MAX_DRAWINGS
MAX_CHARS = 100_000
MAX_CONTENT = 32 * 1024 * 1024
# The same, for the whole file: 300 pages of 3,300 characters, 5,000 segments or 220 KB of
# content (the fixtures' busiest page has 1,500 characters, 100 segments and 30 KB). At the
# limits a file takes a minute or two to refuse, where 3,000 pages each just under the page
# limits would take hours. Content is counted before any page runs, from the pages' own
# streams, so most such files are refused at once; forms drawn are counted as they are drawn.
MAX_FILE_SEGMENTS = 1_500_000
MAX_FILE_CHARS = 1_000_000
MAX_FILE_CONTENT = 64 * 1024 * 1024
MAX_OPERANDS = 64  # operands kept waiting for an operator; no operator takes more than 6
MAX_CROSSINGS = 1_000_000  # horizontal × vertical rulings searched for a table (a catalog: ~2,000)
MAX_INTERSECTIONS = 5_000  # ruling crossings made into cells (a catalog page: a few hundred)
MAX_DAMAGED = 64 * 1024  # a damaged compressed stream pdfminer would recover byte by byte
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
COL_TOLERANCE = 4.0  # points two pages' column borders may differ by
EDGE_TOLERANCE = 2.0  # points a ruling may miss a grid line by

# --------------------------------------------------------------------------- model


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


# --------------------------------------------------------------------------- reading


def read(path: Path, display: str) -> RawTable:
    """Read the catalog table of a PDF into rows of cells, with page numbers and title."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise CatalogError(display, f"is {size // (1024 * 1024)} MiB, over the "
                           f"{MAX_BYTES // (1024 * 1024)} MiB limit for a PDF", "too_large")
    warnings: list[str] = []
    pdf = _open(path, display)
    try:
        npages = len(pdf.pages)
        if npages == 0:
            raise CatalogError(display, "is a damaged PDF (it has no pages)", "corrupt")
        if npages > MAX_PAGES:
            raise CatalogError(display, f"has {npages} pages, over the {MAX_PAGES} page limit",
                               "too_large")
        if _content_forecast(pdf.pages) > MAX_FILE_CONTENT:
            raise CatalogError(display, f"its {npages} pages unpack to over "
                               f"{MAX_FILE_CONTENT // (1024 * 1024)} MiB of content, more than a "
                               "catalog holds: refused as broken or hostile", "too_large")
        tables: list[PTable] = []
        loose: dict[int, list[dict[str, Any]]] = {}
        text_pages = 0
        image_pages: list[int] = []
        busy: list[tuple[int, str]] = []  # pages skipped for exceeding the limits
        spent = _FileBudget()
        for page in pdf.pages:
            number = page.page_number
            try:
                _clip_aware_layout(page, spent)
                chars = page.chars
                drawings = len(page.lines) + len(page.rects) + len(page.curves)
                images = len(page.images)
            except _PageTooBusy as exc:
                busy.append((number, str(exc)))
                page.close()
                continue
            except _FileTooBusy as exc:
                raise CatalogError(display, f"by page {number} of {npages} it has {exc} in all, "
                                   "more than a catalog holds: refused as broken or hostile",
                                   "too_large") from None
            except Exception as exc:  # noqa: BLE001 - pdfminer raises anything on damage
                raise CatalogError(display, f"is a truncated or damaged PDF (page {number} cannot be "
                                   f"read: {type(exc).__name__})", "corrupt") from None
            chars, slanted = _level_text(dedupe_chars(chars))
            if slanted:
                warnings.append(f"page {number}: {slanted} slanted characters (a watermark?) ignored")
            if drawings > MAX_DRAWINGS:
                warnings.append(f"page {number} skipped: {drawings} drawing objects, too many to "
                                "look for a table among")
                found, outside = [], chars
            else:
                try:
                    found, outside = _tables_on_page(page, chars)
                except _PageTooBusy as exc:
                    warnings.append(f"page {number} skipped: {exc}, too many to look for a "
                                    "table among")
                    found, outside = [], chars
            page.close()  # the page's layout is no longer needed: keep memory flat
            if chars:
                text_pages += 1
            elif images:
                image_pages.append(number)
            tables.extend(found)
            loose[number] = outside
            _forget_loose(loose, number, tables)
    finally:
        pdf.close()
    warnings.extend(f"page {n} skipped: it has {why}, more than a catalog page holds"
                    for n, why in busy)
    if not text_pages and busy:
        n, why = busy[0]
        raise CatalogError(display, f"page {n} has {why}, more than a catalog page holds: "
                           "refused as broken or hostile", "too_large")
    if not text_pages:
        raise CatalogError(display, "has no text layer: it is a scanned image (run OCR on it first)"
                           if image_pages else "has no text layer (nothing to read on any page)",
                           "scanned")
    if image_pages:
        warnings.append("pages without text (scanned?): " + ", ".join(map(str, image_pages)))
    if not tables:
        raise CatalogError(display, "holds no catalog table (no ruled table on any page)", "no_table")
    main_index = _catalog_table(tables, warnings)
    main = tables[main_index]
    refs, pages = _stitch(main, tables[main_index + 1:], warnings)
    rows = _cells(refs)
    preamble_rows, rows = split_preamble(rows)
    pages = pages[len(pages) - len(rows):]
    if not rows:
        raise CatalogError(display, "holds no catalog table (its table has no row of two or more "
                           "cells)", "no_table")
    title = _title(loose, main, preamble_rows)
    return RawTable(file=display, rows=rows, pages=pages, title=title, warnings=warnings)


def _forget_loose(loose: dict[int, list[dict[str, Any]]], number: int,
                  tables: list[PTable]) -> None:
    """Drop the text outside tables on the page before ``number`` that no title can come from
    (see ``_title``: the text above the catalog table, else all of the page before it), so
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


def _open(path: Path, display: str):
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


# --------------------------------------------------------------------------- visible text


class _PageTooBusy(Exception):
    """A page drawing far more than a catalog page does (a broken or hostile file)."""


class _FileTooBusy(Exception):
    """Pages drawing, all told, far more than a catalog does (a broken or hostile file)."""


def _clip_aware_layout(page, spent: _FileBudget) -> None:
    """Lay out the page with an interpreter that drops glyphs outside the clipping path
    (``_PageTooBusy`` when the page exceeds the page limits above, ``_FileTooBusy`` when
    ``spent``, what the pages before used, goes over the file limits)."""
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    device = PDFPageAggregatorWithMarkedContent(page.pdf.rsrcmgr, pageno=page.page_number,
                                                laparams=page.pdf.laparams)
    interpreter = _clip_interpreter_class()(page.pdf.rsrcmgr, device)
    interpreter.budget = _Budget(spent)
    interpreter.process_page(page.page_obj)
    page._layout = device.get_result()


class _FileBudget:
    """What the pages of a file read so far have used of the file limits."""

    def __init__(self) -> None:
        self.segments = 0
        self.chars = 0
        self.content = 0


class _Budget:
    """What one page (with the forms it draws) has used of the page limits; it adds the same to
    the file's."""

    def __init__(self, file: _FileBudget) -> None:
        self.segments = 0
        self.chars = 0
        self.content = 0
        self.file = file

    def segment(self) -> None:
        self.segments += 1
        self.file.segments += 1
        if self.segments > MAX_SEGMENTS:
            raise _PageTooBusy(f"over {MAX_SEGMENTS} path segments in its drawing objects")
        if self.file.segments > MAX_FILE_SEGMENTS:
            raise _FileTooBusy(f"over {MAX_FILE_SEGMENTS} path segments")

    def add_chars(self, count: int) -> None:
        self.chars += count
        self.file.chars += count
        if self.chars > MAX_CHARS:
            raise _PageTooBusy(f"over {MAX_CHARS} characters")
        if self.file.chars > MAX_FILE_CHARS:
            raise _FileTooBusy(f"over {MAX_FILE_CHARS} characters")

    def add_streams(self, streams: Sequence[object]) -> None:
        """Count the unpacked size of content streams about to be run, unpacking no more
        than the limit allows (a few KB can hold gigabytes)."""
        for obj in streams:
            size = _unpacked_size(obj, MAX_CONTENT - self.content)
            self.content += size
            self.file.content += size
            if self.content > MAX_CONTENT:
                raise _PageTooBusy(f"over {MAX_CONTENT // (1024 * 1024)} MiB of content")
            if self.file.content > MAX_FILE_CONTENT:
                raise _FileTooBusy(f"over {MAX_FILE_CONTENT // (1024 * 1024)} MiB of content")


def _unpacked_size(obj: object, room: int) -> int:
    """How many bytes a content stream unpacks to, counting no further than ``room`` + 1
    (0 for anything else). A damaged zlib stream small enough is unpacked once as pdfminer would
    recover it, without its byte-by-byte loop; a larger one is ``_PageTooBusy``."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream

    stream = obj.resolve() if hasattr(obj, "resolve") else obj
    if not isinstance(stream, PDFStream):
        return 0
    if stream.data is not None:
        return len(stream.data)
    data = stream.rawdata or b""
    if stream.decipher and stream.objid is not None and stream.genno is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    filters = stream.get_filters()
    if not (filters and filters[0][0] in LITERALS_FLATE_DECODE):
        return len(data)
    size, damaged = _inflated_size(data, room + 1)
    if damaged and size <= room and len(filters) == 1 and not filters[0][1]:
        stream.data, stream.rawdata = _inflate_damaged(data), None
    elif damaged and len(data) > MAX_DAMAGED:
        raise _PageTooBusy(f"a damaged compressed stream of {len(data) // 1024} KB")
    return size


def _content_forecast(pages: Sequence[Any]) -> int:
    """How much content the pages' own streams unpack to, as the page budgets will count it
    (forms drawn not included), counting no further than :data:`MAX_FILE_CONTENT` + 1. A
    stream shared by many pages is unpacked once and counted for each."""
    total = 0
    sizes: dict[int, int] = {}  # object number → size
    for page in pages:
        on_page = 0
        try:
            for obj in page.page_obj.contents:
                stream = obj.resolve() if hasattr(obj, "resolve") else obj
                number = getattr(stream, "objid", None)
                if number is None:
                    on_page += _unpacked_size(stream, MAX_FILE_CONTENT - total)
                else:
                    if number not in sizes:
                        sizes[number] = _unpacked_size(stream, MAX_FILE_CONTENT - total)
                    on_page += sizes[number]
                if on_page > MAX_CONTENT:
                    break
        except Exception:  # noqa: BLE001 - a damaged page is reported when it is read
            continue
        total += min(on_page, MAX_CONTENT + 1)
        if total > MAX_FILE_CONTENT:
            break
    return total


def _inflated_size(data: bytes, limit: int) -> tuple[int, bool]:
    """How many bytes zlib ``data`` unpacks to, counting no further than ``limit``, and
    whether it is damaged (unpacking stops with an error)."""
    import zlib

    inflater = zlib.decompressobj()
    size = 0
    try:
        while data and size <= limit:
            size += len(inflater.decompress(data, 1024 * 1024))
            data = inflater.unconsumed_tail
    except zlib.error:
        return size, True
    return size, False


def _inflate_damaged(data: bytes) -> bytes:
    """What pdfminer makes of a damaged zlib stream, which it feeds to zlib one byte at a time
    (12 s for a 186 KB stream whose only fault was its checksum): everything before the first
    bad byte when that byte is in the closing checksum, else nothing. The bad byte is found by
    bisection on copies of the inflater."""
    import zlib

    inflater = zlib.decompressobj()
    out: list[bytes] = []
    pos = 0
    while pos < len(data):
        chunk = data[pos:pos + 65536]
        trial = inflater.copy()
        try:
            out.append(trial.decompress(chunk))
        except zlib.error:
            good, bad = 0, len(chunk)  # a prefix of ``good`` bytes unpacks, of ``bad`` does not
            while bad - good > 1:
                middle = (good + bad) // 2
                try:
                    inflater.copy().decompress(chunk[:middle])
                    good = middle
                except zlib.error:
                    bad = middle
            if pos + good < len(data) - 3:  # not in the checksum: pdfminer gives up
                return b""
            out.append(inflater.decompress(chunk[:good]))
            break
        inflater = trial
        pos += len(chunk)
    return b"".join(out)


_CLASS: list[type] = []


def _clip_interpreter_class() -> type:
    """pdfminer's interpreter, following the clipping path (its bounding box) through q/Q,
    W/W*, form XObjects; text drawn outside it is removed as it is drawn."""
    if _CLASS:
        return _CLASS[0]
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.utils import apply_matrix_pt

    class ClipInterpreter(PDFPageInterpreter):
        _parent_clip: tuple[float, float, float, float] | None = None
        budget: _Budget

        def dup(self):  # form XObjects start with the clip of the page drawing them
            child = super().dup()
            child._parent_clip = self.clip
            child.budget = self.budget
            return child

        # ---- limits: a hostile page stops before it fills memory or takes minutes

        def execute(self, streams) -> None:
            self.budget.add_streams(streams)
            super().execute(streams)

        def push(self, obj) -> None:  # stray operands would pile up (and slow every pop)
            if len(self.argstack) >= MAX_OPERANDS:
                del self.argstack[0]
            self.argstack.append(obj)

        def do_m(self, x, y) -> None:
            self.budget.segment()
            super().do_m(x, y)

        def do_l(self, x, y) -> None:
            self.budget.segment()
            super().do_l(x, y)

        def do_c(self, x1, y1, x2, y2, x3, y3) -> None:
            self.budget.segment()
            super().do_c(x1, y1, x2, y2, x3, y3)

        def do_v(self, x2, y2, x3, y3) -> None:
            self.budget.segment()
            super().do_v(x2, y2, x3, y3)

        def do_y(self, x1, y1, x3, y3) -> None:
            self.budget.segment()
            super().do_y(x1, y1, x3, y3)

        def do_re(self, x, y, w, h) -> None:
            self.budget.segment()
            super().do_re(x, y, w, h)

        # ---- clipping

        def init_state(self, ctm) -> None:
            super().init_state(ctm)
            self.clip = self._parent_clip
            self.clip_stack: list = []
            self.pending_clip = False

        def do_q(self) -> None:
            self.clip_stack.append(self.clip)
            super().do_q()

        def do_Q(self) -> None:
            if self.clip_stack:
                self.clip = self.clip_stack.pop()
            super().do_Q()

        def do_W(self) -> None:
            self.pending_clip = True

        def do_W_a(self) -> None:
            self.pending_clip = True

        def _apply_clip(self) -> None:
            if not self.pending_clip:
                return
            self.pending_clip = False
            xs: list[float] = []
            ys: list[float] = []
            for seg in self.curpath:
                coords = seg[1:]
                for i in range(0, len(coords) - 1, 2):
                    x, y = apply_matrix_pt(self.ctm, (coords[i], coords[i + 1]))
                    xs.append(x)
                    ys.append(y)
            if not xs:
                return
            box = (min(xs), min(ys), max(xs), max(ys))
            if self.clip is not None:
                c = self.clip
                box = (max(box[0], c[0]), max(box[1], c[1]), min(box[2], c[2]), min(box[3], c[3]))
            self.clip = box

        def do_n(self) -> None:
            self._apply_clip()
            super().do_n()

        def do_f(self) -> None:
            self._apply_clip()
            super().do_f()

        def do_f_a(self) -> None:
            self._apply_clip()
            super().do_f_a()

        def do_S(self) -> None:
            self._apply_clip()
            super().do_S()

        def do_B(self) -> None:
            self._apply_clip()
            super().do_B()

        def do_B_a(self) -> None:
            self._apply_clip()
            super().do_B_a()

        def do_TJ(self, seq) -> None:
            if isinstance(seq, list):  # at most a byte per glyph: counted before it is drawn
                self.budget.add_chars(sum(len(x) for x in seq if isinstance(x, bytes)))
            container = self.device.cur_item
            before = len(container._objs)
            super().do_TJ(seq)
            clip = self.clip
            if clip is None:
                return
            x0, y0, x1, y1 = clip
            objs = container._objs
            drawn = objs[before:]
            kept = [o for o in drawn if not isinstance(o, LTChar)
                    or (x0 <= (o.x0 + o.x1) / 2 <= x1 and y0 <= (o.y0 + o.y1) / 2 <= y1)]
            if len(kept) != len(drawn):
                del objs[before:]
                objs.extend(kept)

    _CLASS.append(ClipInterpreter)
    return ClipInterpreter


def _level_text(chars: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
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
    kept: dict[tuple[str, str, float, int, int], tuple[float, float]] = {}
    out = []
    for ch in chars:
        key = (ch["text"], ch["fontname"], round(ch["size"], 3))
        x0, top = ch["x0"], ch["top"]
        if not (math.isfinite(x0) and math.isfinite(top)):  # a damaged page: no double of any
            out.append(ch)
            continue
        col, row = math.floor(x0 / tolerance), math.floor(top / tolerance)
        if any((place := kept.get((*key, col + dx, row + dy))) is not None
               and abs(x0 - place[0]) <= tolerance and abs(top - place[1]) <= tolerance
               for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            continue
        kept.setdefault((*key, col, row), (x0, top))
        out.append(ch)
    return out


# --------------------------------------------------------------------------- tables on a page


def _tables_on_page(page, chars: list[dict[str, Any]]) -> tuple[list[PTable], list[dict[str, Any]]]:
    """The page's ruled tables with their cells' text, and the characters outside them
    (``_PageTooBusy`` when its rulings are too many to cross)."""
    from pdfplumber.table import TableSettings

    finder = _finder_class()(page, TableSettings.resolve(TABLE_SETTINGS))
    found = [t for t in finder.tables if t.cells]
    if not found:
        return [], chars
    hedges = [e for e in finder.edges if e["orientation"] == "h"]
    vedges = [e for e in finder.edges if e["orientation"] == "v"]
    grids = [_grid(t.cells, hedges, vedges, page.page_number) for t in found]
    grids = [g for g in grids if g is not None]
    grids.sort(key=lambda g: (g[0].top, g[0].xs[0]))
    outside: list[dict[str, Any]] = []
    buckets: list[dict[int, list[dict[str, Any]]]] = [{} for _ in grids]
    inside = [ch["size"] for ch in chars if any(
        g[0].xs[0] <= (ch["x0"] + ch["x1"]) / 2 <= g[0].xs[-1] and g[1][0] <= ch["top"] <= g[1][-1]
        for g in grids)]
    outsized = 3 * statistics.median(inside) if inside else float("inf")
    for ch in chars:
        if ch["size"] > outsized:  # a watermark across the table, not a cell's text
            continue
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        for k, (table, ys) in enumerate(grids):
            xs = table.xs
            if xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]:
                c = min(max(bisect_right(xs, cx) - 1, 0), len(xs) - 2)
                r = min(max(bisect_right(ys, cy) - 1, 0), len(ys) - 2)
                cell = table.rows[r][c]
                buckets[k].setdefault(id(cell), []).append(ch)
                break
        else:
            outside.append(ch)
    tables = []
    for (table, _), bucket in zip(grids, buckets, strict=True):
        _fill_text(table, bucket)
        if len(table.xs) >= 3:  # two columns at least
            tables.append(table)
    return tables, outside


_FINDER: list[type] = []


def _finder_class() -> type:
    """pdfplumber's TableFinder, refusing a page whose merged rulings would take too long to
    cross (it tests every horizontal against every vertical one, so 19,000 rectangles with
    coordinates gone wild kept it busy for hours) or whose crossings too long to make into
    cells (13,500 crossings took 19 s)."""
    if _FINDER:
        return _FINDER[0]
    from pdfplumber.table import TableFinder

    class BoundedFinder(TableFinder):
        def __init__(self, page, settings=None) -> None:  # TableFinder's, with a bound
            from pdfplumber.table import (
                Table,
                TableSettings,
                cells_to_tables,
                edges_to_intersections,
                intersections_to_cells,
            )

            self.page = page
            self.settings = TableSettings.resolve(settings)
            self.edges = self.get_edges()
            self.intersections = edges_to_intersections(
                self.edges, self.settings.intersection_x_tolerance,
                self.settings.intersection_y_tolerance)
            if len(self.intersections) > MAX_INTERSECTIONS:  # cells cost their square
                raise _PageTooBusy(f"{len(self.intersections)} crossings of rulings")
            self.cells = intersections_to_cells(self.intersections)
            self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]

        def get_edges(self):
            edges = super().get_edges()
            horizontal = sum(1 for e in edges if e["orientation"] == "h")
            if horizontal * (len(edges) - horizontal) > MAX_CROSSINGS:
                raise _PageTooBusy(f"{horizontal} horizontal and {len(edges) - horizontal} "
                                   "vertical rulings")
            return edges

    _FINDER.append(BoundedFinder)
    return BoundedFinder


def _cluster(values: list[float], tolerance: float = 1.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            continue
        out.append(v)
    return out


def _index(grid: list[float], v: float) -> int:
    i = bisect_right(grid, v + 1.0) - 1
    return max(0, min(i, len(grid) - 1))


def _grid(cells: Sequence[tuple[float, float, float, float]], hedges: list[dict[str, Any]],
          vedges: list[dict[str, Any]], page: int) -> tuple[PTable, list[float]] | None:
    """A table's grid from its cells: positions, the cell covering each, open regions."""
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells])
    ys = _cluster([c[1] for c in cells] + [c[3] for c in cells])
    if len(xs) < 2 or len(ys) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    owner: list[list[PCell | None]] = [[None] * nc for _ in range(nr)]
    for x0, top, x1, bottom in cells:
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            continue
        cell = PCell(xs[c0], ys[r0], xs[c1], ys[r1], page)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if owner[r][c] is None:
                    owner[r][c] = cell
    _open_regions(owner, xs, ys, hedges, vedges, page)
    table = PTable(page, ys[0], ys[-1], xs, owner)  # type: ignore[arg-type]
    return table, ys


def _open_regions(owner: list[list[PCell | None]], xs: list[float], ys: list[float],
                  hedges: list[dict[str, Any]], vedges: list[dict[str, Any]], page: int) -> None:
    """Give grid positions no closed cell covers to cells made of the connected positions
    no ruling separates (a merged range cut open by the page's edge)."""
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
        return any(abs(e["top"] - y) <= EDGE_TOLERANCE and e["x0"] <= x0 + EDGE_TOLERANCE
                   and e["x1"] >= x1 - EDGE_TOLERANCE for e in hedges)

    def ruled_v(x: float, y0: float, y1: float) -> bool:
        return any(abs(e["x0"] - x) <= EDGE_TOLERANCE and e["top"] <= y0 + EDGE_TOLERANCE
                   and e["bottom"] >= y1 - EDGE_TOLERANCE for e in vedges)

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


# --------------------------------------------------------------------------- cell text


def _fill_text(table: PTable, bucket: dict[int, list[dict[str, Any]]]) -> None:
    """Every cell's printed lines and text."""
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
    return [line for line, _ in _line_groups(chars)]


def _line_groups(chars: list[dict[str, Any]]) -> list[tuple[Line, list[dict[str, Any]]]]:
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


# --------------------------------------------------------------------------- the catalog


def _texts(row: list[PCell]) -> list[str]:
    out = []
    seen: set[int] = set()
    for cell in row:
        if id(cell) in seen:
            out.append("")
        else:
            seen.add(id(cell))
            out.append(cell.text)
    return out


def _catalog_table(tables: list[PTable], warnings: list[str]) -> int:
    """The first table whose first rows carry catalog header words, else the largest."""
    for i, t in enumerate(tables):
        if len(t.rows) >= 2 and header_score([_texts(r) for r in t.rows[:8]]) >= 2:
            return i
    warnings.append("no table has catalog header words; read the largest")
    sizes = [len(t.rows) * (len(t.xs) - 1) for t in tables]
    return sizes.index(max(sizes))


def _column_map(main: PTable, table: PTable) -> list[int] | None:
    """For each column border of ``table``, the index of the same border in ``main``."""
    out = []
    for x in table.xs:
        j = min(range(len(main.xs)), key=lambda k: abs(main.xs[k] - x))
        if abs(main.xs[j] - x) > COL_TOLERANCE:
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


def _stitch(main: PTable, rest: list[PTable], warnings: list[str]
            ) -> tuple[list[list[PCell]], list[int | None]]:
    """The catalog's rows across pages: main, then the tables on its grid, headers dropped,
    cut cells and rows joined."""
    ncols = len(main.xs) - 1
    rows = [list(r) for r in main.rows]
    pages: list[int | None] = [main.page] * len(rows)
    keys = [_key(r) for r in rows[:8]]
    first_wide = next((i for i, k in enumerate(keys) if sum(1 for t in k if t) >= 2), 0)
    skipped: list[int] = []
    for table in rest:
        mapping = _column_map(main, table)
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


def _cells(rows: list[list[PCell]]) -> list[list[Cell]]:
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


# --------------------------------------------------------------------------- title


def _title(loose: dict[int, list[dict[str, Any]]], main: PTable, preamble: list[str]) -> str | None:
    """The title from the text above the table: its lines run together where they share a
    type size (a title set on two lines), then the run naming the catalog (…目录, not a
    sentence) in the largest type, else the largest run if it stands out, else the line
    ``pick_title`` chooses (rows of one text atop the table included)."""
    chars = [ch for ch in loose.get(main.page, []) if ch["bottom"] <= main.top + 1]
    if not chars and main.page > 1:
        chars = loose.get(main.page - 1, [])
    groups = _line_groups(chars) if chars else []
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
