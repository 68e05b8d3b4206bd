"""Readers: a file → a RawTable (cells with provenance). One module per format.

Every reader exposes ``read(path: Path, display: str) -> RawTable`` and raises
CatalogError for input it cannot read. The format is detected from the content
first (magic bytes), the extension second: see :mod:`catalog_graph.readers.sniff`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from catalog_graph.errors import CatalogError
from catalog_graph.models import RawTable
from catalog_graph.readers.sniff import detect_format, name_mismatch

__all__ = ["FORMATS", "detect_format", "read_table"]

FORMATS = ("text", "pdf", "xlsx", "docx", "html", "xls", "ods", "odt", "doc", "rtf", "mht",
           "spreadsheetml", "image")


def read_table(path: Path, display: str | None = None,
               pdf_settings: Mapping[str, Any] | None = None) -> tuple[RawTable, str]:
    """Read any supported file into a RawTable; returns it with the detected format.
    ``pdf_settings``: what to change of the PDF reader's settings (its engine, limits…).

    A file whose content is of another format than its name says is read by its content;
    the mismatch is said in the error, or in a warning.
    """
    display = display if display is not None else str(path)
    fmt = detect_format(path, display)
    module = importlib.import_module(f"{__name__}.{fmt}")
    mismatch = name_mismatch(path, fmt)
    try:
        table = (module.read(path, display, settings=pdf_settings) if fmt == "pdf" and pdf_settings
                 else module.read(path, display))
    except CatalogError as exc:
        if mismatch:
            raise CatalogError(exc.file, f"{exc.message} ({mismatch})", exc.kind) from None
        raise
    if mismatch:
        table.warnings.append(mismatch)
    return table, fmt
