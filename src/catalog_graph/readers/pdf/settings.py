"""The PDF reader's settings: every limit and tolerance, named, with its default.

As pdfplumber's ``TableSettings``: a dataclass whose defaults are the values the reader was
built and tested with, and :meth:`PdfSettings.resolve` to take ``None``, a dict of the keys to
change, or a ready instance, refusing a key it does not know. ::

    from catalog_graph.readers import pdf

    pdf.read(path, "catalog.pdf", settings={"max_pages": 500})
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

MiB = 1024 * 1024
ENGINES = ("pdfium", "pdfplumber")  # the first is the default


@dataclass(frozen=True)
class PdfSettings:
    """What the PDF reader does, within which bounds. The defaults (in brackets) are its own.

    **The engine** that reads each page's characters and drawings:

    - ``engine`` ("pdfium"): ``"pdfium"`` (PDFium through pypdfium2, in C: about 6× faster)
      or ``"pdfplumber"`` (pdfminer, in Python: the reference the PDFium engine is tested
      against). Both give the same characters and rulings to the same later steps, so the
      same items; a page the PDFium engine cannot read as pdfminer would (form XObjects,
      inline images, a rotated page, Type 3 fonts…) is read by pdfplumber's.

    **The file** (over a limit: refused as too large):

    - ``max_bytes`` (300 MiB): the size of the file.
    - ``max_pages`` (3,000): its pages.
    - ``max_file_segments`` (1,500,000), ``max_file_chars`` (1,000,000), ``max_file_content``
      (64 MiB): path segments drawn, characters drawn and content unpacked by all its pages
      together: 300 pages of 5,000 segments, 3,300 characters or 220 KB of content (the
      fixtures' busiest page has 1,500 characters, 100 segments and 30 KB). At these limits a
      file takes a minute or two to refuse, where 3,000 pages each just under the page limits
      would take hours. Content is counted before any page runs, from the pages' own streams,
      so most such files are refused at once; forms drawn are counted as they are drawn.

    **A page** (over a limit: skipped with a warning; a file of such pages only is refused):

    - ``max_segments`` (60,000), ``max_chars`` (100,000), ``max_content`` (32 MiB): path
      segments (a rectangle is one), characters drawn, and content (with its forms) unpacked.
      Counted while the page is interpreted, before its objects fill memory; a dense catalog
      page has a few thousand segments and characters and a few hundred KB of content.
    - ``max_drawings`` (20,000): lines, rectangles and curves a table is looked for among; a
      page with more is read for its text only (a catalog page has hundreds).
    - ``max_crossings`` (1,000,000): horizontal × vertical rulings searched for a table, as
      pdfplumber tests every pair (a catalog page: about 2,000).
    - ``max_intersections`` (5,000): ruling crossings made into cells, which cost their square
      (a catalog page: a few hundred).
    - ``max_operands`` (64): operands kept waiting for an operator (none takes more than 6);
      older ones are dropped.
    - ``max_damaged`` (64 KiB): a damaged compressed stream unpacked as pdfminer would recover
      it; pdfminer's recovery goes byte by byte, so a larger one skips the page.

    **Tolerances** (in points):

    - ``snap_tolerance``, ``join_tolerance``, ``edge_min_length``, ``intersection_tolerance``
      (3 each): pdfplumber's, for finding tables from ruling lines (its ``lines`` strategy):
      parallel rulings this close are snapped to one line, collinear ones this close joined,
      shorter ones dropped, and crossings this close taken as one.
    - ``grid_tolerance`` (1.0): cell borders this close are one line of the table's grid.
    - ``edge_tolerance`` (2.0): how far a ruling may miss a grid line and still close a cell
      (a merged range left open at the page's edge has none).
    - ``column_tolerance`` (4.0): how far two pages' column borders may differ for a table to
      continue the catalog.
    - ``dedupe_tolerance`` (1.0): a glyph drawn again this close, in the same font and size, is
      a double (fake bold, overprinting) and dropped.
    - ``watermark_ratio`` (3.0): text this many times the median size of the text in the
      tables is a watermark, no part of a cell.
    """

    engine: str = "pdfium"
    max_bytes: int = 300 * MiB
    max_pages: int = 3000
    max_file_segments: int = 1_500_000
    max_file_chars: int = 1_000_000
    max_file_content: int = 64 * MiB
    max_segments: int = 60_000
    max_chars: int = 100_000
    max_content: int = 32 * MiB
    max_drawings: int = 20_000
    max_crossings: int = 1_000_000
    max_intersections: int = 5_000
    max_operands: int = 64
    max_damaged: int = 64 * 1024
    snap_tolerance: float = 3
    join_tolerance: float = 3
    edge_min_length: float = 3
    intersection_tolerance: float = 3
    grid_tolerance: float = 1.0
    edge_tolerance: float = 2.0
    column_tolerance: float = 4.0
    dedupe_tolerance: float = 1.0
    watermark_ratio: float = 3.0

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"PDF setting 'engine' must be one of {', '.join(ENGINES)}, "
                             f"not {self.engine!r}")
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "engine":
                continue
            if f.name.startswith("max_"):
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise ValueError(f"PDF setting '{f.name}' must be a whole number of at "
                                     f"least 1, not {value!r}")
            elif (isinstance(value, bool) or not isinstance(value, (int, float))
                  or not math.isfinite(value) or value < 0):
                raise ValueError(f"PDF setting '{f.name}' must be a number of at least 0, "
                                 f"not {value!r}")
        if self.dedupe_tolerance <= 0:
            raise ValueError("PDF setting 'dedupe_tolerance' must be more than 0")

    @classmethod
    def resolve(cls, settings: PdfSettings | Mapping[str, Any] | None) -> PdfSettings:
        """Settings from ``None`` (the defaults), a mapping of the keys to change, or an
        instance (returned as it is). ValueError names any key that is not a setting."""
        if settings is None:
            return cls()
        if isinstance(settings, cls):
            return settings
        if isinstance(settings, Mapping):
            known = [f.name for f in fields(cls)]
            unknown = [str(key) for key in settings if key not in known]
            if unknown:
                raise ValueError(f"unknown PDF setting{'s' if len(unknown) > 1 else ''} "
                                 f"{', '.join(repr(k) for k in unknown)}; the settings are "
                                 f"{', '.join(known)}")
            return cls(**settings)
        raise TypeError(f"PDF settings are a dict or PdfSettings, not {type(settings).__name__}")

    def table_finder(self) -> dict[str, Any]:
        """pdfplumber's table settings: tables from ruling lines, with these tolerances."""
        return {"vertical_strategy": "lines", "horizontal_strategy": "lines",
                "snap_tolerance": self.snap_tolerance, "join_tolerance": self.join_tolerance,
                "edge_min_length": self.edge_min_length,
                "intersection_tolerance": self.intersection_tolerance}
