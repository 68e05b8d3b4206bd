"""Scanned catalogs: pictures of printed tables (image-only PDF pages, JPEG, PNG, TIFF, BMP,
WebP) read with OCR, offline, into the same RawTable the other readers make.

One step per module, in the order a page goes through them: ``pages`` (a file's page
pictures, bounded in size), ``grid`` (the ruled table found in the picture: red seals taken
out, the page turned straight or a photo rectified, rulings, merged cells), ``cells`` (each
cell read by the ``engine`` and joined into its typed text as the PDF reader joins printed
lines; ``normalize`` repairs what OCR misreads in 发文字号 and brackets), ``reader`` (the
pages stitched into the catalog as the PDF reader stitches printed pages, each row with how
OCR read it). The engine is RapidOCR; without it a scan is one line saying what to install.
"""

from catalog_graph.readers.image.reader import read

__all__ = ["read"]
