"""Which format a file holds, from its first bytes, then its name: the one format detector.

Two questions are asked of it, with the same signatures of each format:

- reading a file, :func:`detect_format` says which reader reads it (or why none can: empty,
  a damaged zip, a legacy .xls), and :func:`name_mismatch` what to say when its name claims
  another format than its content holds;
- searching a folder, :func:`looks_like_catalog` says whether a file found there is worth
  reading: any file with a catalog's extension (:data:`CATALOG_SUFFIXES`), else one whose
  first bytes are a PDF's, a workbook's or Word document's (a zip with ``xl/`` or ``word/``,
  judged from its directory only when its end record declares a sane one) or a web page's.

A file's content decides over its name: web systems export HTML as ``.xls``, crawls save
PDFs as ``.download``. Only the first bytes (and a zip's directory) are read.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from catalog_graph.errors import CatalogError
from catalog_graph.readers.archive import ZIP_ERRORS, oversized_directory

EXTENSIONS = {
    ".txt": "text", ".tsv": "text", ".csv": "text", ".text": "text",
    ".pdf": "pdf",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".docx": "docx",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".jpg": "image", ".jpeg": "image", ".png": "image", ".tif": "image", ".tiff": "image",
    ".bmp": "image", ".webp": "image",
}
"""Extension → the format a file's name claims."""

CATALOG_SUFFIXES = frozenset(EXTENSIONS) | {".xls", ".doc"}
"""The extensions a folder search reads whatever the content: the formats' own, and
``.xls``/``.doc``, which web systems use for HTML exports and which otherwise get a clear
"save it as .xlsx" error."""

DESCRIPTIONS = {"text": "text", "pdf": "a PDF", "xlsx": "an Excel workbook",
                "docx": "a Word document", "html": "a web page", "image": "a picture"}
"""Format → how a message names what a file holds."""

_OFFICE_EXTENSIONS = (".xlsx", ".xlsm", ".docx")
_HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml")
_LEADING = b"\xef\xbb\xbf \t\r\n"  # a BOM and blank space before the first signature
_ZIP = b"PK\x03\x04"
_WEB_PAGE = (b"<!doctype html", b"<html")


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
    if head.lstrip(_LEADING).startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if image_kind(head) is not None:
        return "image"  # a scan or photo of a printed table, read with OCR
    if head.startswith(_ZIP):
        problem = oversized_directory(path)  # before zipfile reads a directory of millions
        if problem is not None:
            if ext in _OFFICE_EXTENSIONS:
                return EXTENSIONS[ext]  # the reader says so
            raise CatalogError(name, f"{problem} for a workbook or Word document", "too_large")
        try:
            names = _zip_names(path)
        except ZIP_ERRORS:
            if ext in _OFFICE_EXTENSIONS:
                return EXTENSIONS[ext]  # the reader says how it is broken
            raise CatalogError(name, "is a damaged zip archive, not a catalog", "corrupt") from None
        kind = _office_format(names)
        if kind is not None:
            return kind
        raise CatalogError(name, "is a zip archive that is neither a workbook nor a Word document",
                           "unsupported")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise CatalogError(name, "is a legacy Office file (.xls/.doc); save it as .xlsx or .docx",
                           "unsupported")
    probe = head.lstrip(_LEADING).lower()
    if b"<?mso-application" in probe:  # Office 2003 XML, often named .xls or .doc
        kind = "Excel 2003 XML spreadsheet" if b"excel.sheet" in probe else "Word 2003 XML document"
        raise CatalogError(name, f"is an {kind}; save it as .xlsx or .docx", "unsupported")
    if probe.startswith((*_WEB_PAGE, b"<?xml")) or (
        ext in _HTML_EXTENSIONS and probe.startswith(b"<")
    ) or (probe.startswith(b"<") and any(t in probe for t in (b"<table", b"<body", b"<meta", b"<head"))):
        return "html"  # a web page, also one saved as .xls or .doc by a web system
    if ext in EXTENSIONS and EXTENSIONS[ext] not in ("pdf", "xlsx", "docx", "image"):
        return EXTENSIONS[ext]
    if EXTENSIONS.get(ext) == "image":
        raise CatalogError(name, f"is named {ext} but its content is not a picture", "corrupt")
    if ext in (".pdf", *_OFFICE_EXTENSIONS):
        kind = EXTENSIONS[ext]
        raise CatalogError(name, f"is named {ext} but its content is not {kind.upper()}", "corrupt")
    return "text"


def name_mismatch(path: Path, fmt: str) -> str | None:
    """What to say of a file whose name claims another format than ``fmt``, the one its content
    holds (``it is named .xlsx but holds a web page``); None when they agree, or when a file
    named as a web page holds plain text."""
    ext = path.suffix.lower()
    named = EXTENSIONS.get(ext)
    if named is None or named == fmt or (named == "html" and fmt == "text"):
        return None
    return f"it is named {ext} but holds {DESCRIPTIONS[fmt]}"


def looks_like_catalog(path: Path) -> bool:
    """Whether a file found in a folder is read: by its extension, else by its first bytes."""
    if path.suffix.lower() in CATALOG_SUFFIXES:
        return True
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError:
        return False
    probe = head.lstrip(_LEADING)
    if probe.startswith(b"%PDF") or image_kind(head) is not None:
        return True
    if head.startswith(_ZIP):
        if oversized_directory(path) is not None:  # millions of parts: no catalog, not read
            return False
        try:
            return _office_format(_zip_names(path)) is not None
        except ZIP_ERRORS:
            return False
    return probe[:256].lower().startswith(_WEB_PAGE)


def image_kind(head: bytes) -> str | None:
    """The kind of picture the first bytes begin (jpeg, png, tiff, bmp, webp), else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if (head.startswith(b"BM") and len(head) >= 18 and head[6:10] == b"\0\0\0\0"
            and int.from_bytes(head[14:18], "little") in (12, 40, 52, 56, 64, 108, 124)):
        return "bmp"  # the reserved bytes and a known header size: not text beginning "BM"
    return None


def _zip_names(path: Path) -> list[str]:
    """The names of the parts a zip archive's directory lists (zipfile's errors pass through)."""
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def _office_format(names: list[str]) -> str | None:
    """The Office format whose parts a zip archive holds: ``xl/`` → xlsx, ``word/`` → docx."""
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        return "docx"
    return None
