"""PDF catalogs: ruled tables read with pdfplumber."""

from catalog_graph.readers.pdf.reader import read

__all__ = ["read"]
