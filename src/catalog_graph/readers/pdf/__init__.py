"""PDF catalogs: ruled tables read as offices print them.

One step per module, in the order a page goes through them: an engine reads the page's
characters and drawings — ``pdfium`` (PDFium, the default) or pdfminer under pdfplumber with
``clip`` (visible text only) — within the ``limits``; then, shared by both, ``chars`` (doubled and slanted characters), ``tables`` (ruled tables
on a page), ``grid`` (their grid and merges), ``cell_text`` and ``lines`` (a cell's printed
lines → its typed text), ``stitch`` (the catalog across pages), ``title``; ``reader`` runs
them, ``models`` holds the printed cells and tables they pass on, and ``settings`` every limit
and tolerance (:class:`PdfSettings`).
"""

from catalog_graph.readers.pdf.reader import read
from catalog_graph.readers.pdf.settings import PdfSettings

__all__ = ["PdfSettings", "read"]
