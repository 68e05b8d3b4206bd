"""Readers: a file → a RawTable (cells with provenance). One module per format.

Every reader exposes ``read(path: Path, display: str) -> RawTable`` and raises
CatalogError for input it cannot read. The format is detected from the content
first (magic bytes), the extension second.
"""

from __future__ import annotations

import importlib
import zipfile
from pathlib import Path

from catalog_graph.errors import CatalogError
from catalog_graph.models import RawTable
from catalog_graph.readers._archive import ZIP_ERRORS, oversized_directory

FORMATS = ("text", "pdf", "xlsx", "docx", "html")

_EXTENSIONS = {
    ".txt": "text", ".tsv": "text", ".csv": "text", ".text": "text",
    ".pdf": "pdf",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".docx": "docx",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
}


def detect_format(path: Path, display: str | None = None) -> str:
    """The format of a file, from its first bytes, then its extension.

    PDF (%PDF), zip containers told apart by their parts (xl/ → xlsx, word/ → docx),
    HTML by a leading tag; anything else that is text by extension → text. Errors name the
    file as ``display`` (default: the path).
    """
    name = display if display is not None else str(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except IsADirectoryError:
        raise CatalogError(name, "is a folder, not a file", "unsupported") from None
    except OSError as exc:
        raise CatalogError(name, f"cannot be opened ({exc.strerror or exc})", "unreadable") from None
    if not head:
        raise CatalogError(name, "is empty", "empty")
    ext = path.suffix.lower()
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        problem = oversized_directory(path)  # before zipfile reads a directory of millions
        if problem is not None:
            if ext in (".xlsx", ".xlsm", ".docx"):
                return _EXTENSIONS[ext]  # the reader says so
            raise CatalogError(name, f"{problem} for a workbook or Word document", "too_large")
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except ZIP_ERRORS:
            if ext in (".xlsx", ".xlsm", ".docx"):
                return _EXTENSIONS[ext]  # the reader says how it is broken
            raise CatalogError(name, "is a damaged zip archive, not a catalog", "corrupt") from None
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
        raise CatalogError(name, "is a zip archive that is neither a workbook nor a Word document",
                           "unsupported")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise CatalogError(name, "is a legacy Office file (.xls/.doc); save it as .xlsx or .docx",
                           "unsupported")
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<?mso-application" in probe:  # Office 2003 XML, often named .xls or .doc
        kind = "Excel 2003 XML spreadsheet" if b"excel.sheet" in probe else "Word 2003 XML document"
        raise CatalogError(name, f"is an {kind}; save it as .xlsx or .docx", "unsupported")
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        ext in (".html", ".htm", ".xhtml", ".shtml") and probe.startswith(b"<")
    ) or (probe.startswith(b"<") and any(t in probe for t in (b"<table", b"<body", b"<meta", b"<head"))):
        return "html"  # a web page, also one saved as .xls or .doc by a web system
    if ext in _EXTENSIONS and _EXTENSIONS[ext] not in ("pdf", "xlsx", "docx"):
        return _EXTENSIONS[ext]
    if ext in (".pdf", ".xlsx", ".xlsm", ".docx"):
        kind = _EXTENSIONS[ext]
        raise CatalogError(name, f"is named {ext} but its content is not {kind.upper()}", "corrupt")
    return "text"


def read_table(path: Path, display: str | None = None) -> tuple[RawTable, str]:
    """Read any supported file into a RawTable; returns it with the detected format.

    A file whose content is of another format than its name says is read by its content;
    the mismatch is said in the error, or in a warning.
    """
    display = display if display is not None else str(path)
    fmt = detect_format(path, display)
    module = importlib.import_module(f"{__name__}.{fmt}")
    named = _EXTENSIONS.get(path.suffix.lower())
    mismatch = None
    if named is not None and named != fmt and not (named == "html" and fmt == "text"):
        mismatch = f"it is named {path.suffix.lower()} but holds {_DESCRIBED[fmt]}"
    try:
        table = module.read(path, display)
    except CatalogError as exc:
        if mismatch:
            raise CatalogError(exc.file, f"{exc.message} ({mismatch})", exc.kind) from None
        raise
    if mismatch:
        table.warnings.append(mismatch)
    return table, fmt


_DESCRIBED = {"text": "text", "pdf": "a PDF", "xlsx": "an Excel workbook",
              "docx": "a Word document", "html": "a web page"}
