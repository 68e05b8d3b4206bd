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
PDFs as ``.download``, a text catalog goes out as ``.pdf``, a .doc is really RTF or .docx.
Only the first bytes, a zip's directory and an OLE file's directory are read:

- OLE (``D0 CF 11 E0``): a ``Workbook``/``Book`` stream is an .xls (password-protected when a
  FILEPASS record comes before the first EOF), a ``WordDocument`` stream a .doc (FIB flag
  fEncrypted), an ``EncryptedPackage`` a password-protected .xlsx/.docx; a directory olefile
  cannot read is a damaged file. Kingsoft's .et and .wps are these formats under other names.
- zip: ``mimetype`` → OpenDocument (.ods/.odt), ``xl/`` → xlsx, ``word/`` → docx, else an
  archive of files (:func:`archive_kind`, read by :mod:`catalog_graph.readers.archives`);
  ``7z`` and ``Rar!`` signatures are archives too.
- ``{\rtf`` → RTF; ``MIME-Version:`` or ``multipart/related`` → a saved web page (.mht);
  ``urn:schemas-microsoft-com:office:spreadsheet`` → Excel 2003 XML; a leading tag → HTML.
"""

from __future__ import annotations

import struct
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
    ".xls": "xls", ".et": "xls", ".ods": "ods", ".odt": "odt",
    ".doc": "doc", ".wps": "doc", ".rtf": "rtf", ".mht": "mht", ".mhtml": "mht",
    ".jpg": "image", ".jpeg": "image", ".png": "image", ".tif": "image", ".tiff": "image",
    ".bmp": "image", ".webp": "image",
}
"""Extension → the format a file's name claims."""

CATALOG_SUFFIXES = frozenset(EXTENSIONS)
"""The extensions a folder search reads whatever the content."""

ARCHIVE_SUFFIXES = frozenset({".zip", ".7z", ".rar"})
"""The extensions of archives a folder search opens (an archive is also known by its content)."""

DESCRIPTIONS = {"text": "text", "pdf": "a PDF", "xlsx": "an Excel workbook",
                "docx": "a Word document", "html": "a web page",
                "xls": "an Excel 97-2003 workbook", "doc": "a Word 97-2003 document",
                "ods": "an OpenDocument spreadsheet", "odt": "an OpenDocument text",
                "rtf": "an RTF document", "mht": "a saved web page (MHT)",
                "spreadsheetml": "an Excel 2003 XML spreadsheet",
                "image": "a picture"}
"""Format → how a message names what a file holds."""

_OFFICE_EXTENSIONS = (".xlsx", ".xlsm", ".docx", ".ods", ".odt")
_BINARY_FORMATS = ("pdf", "xlsx", "docx", "xls", "doc", "ods", "odt", "image")  # never read as text
_KINGSOFT = (".wps", ".et", ".dps")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SEVEN_ZIP = b"7z\xbc\xaf\x27\x1c"
_RAR = b"Rar!\x1a\x07"
_MAIL_HEADERS = (b"mime-version:", b"from:", b"subject:", b"date:", b"content-type:",
                 b"message-id:", b"x-")  # a saved web page (.mht) starts as an e-mail
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
        kind = _office_format(names, path)
        if kind is not None:
            return kind
        raise CatalogError(name, "is a zip archive of files, not one catalog: parse or build "
                           "reads the catalogs inside it", "unsupported")
    if head.startswith(_OLE):
        return _ole_format(path, name)
    if head.startswith((_SEVEN_ZIP, _RAR)):
        raise CatalogError(name, f"is a {'7z' if head.startswith(_SEVEN_ZIP) else 'RAR'} archive of "
                           "files, not one catalog: parse or build reads the catalogs inside it",
                           "unsupported")
    probe = head.lstrip(_LEADING).lower()
    if probe.startswith(b"{\\rtf"):
        return "rtf"
    if probe.startswith(_MAIL_HEADERS) and (b"multipart/related" in probe or b"mime-version:" in probe
                                            or b"text/html" in probe):
        return "mht"
    if b"urn:schemas-microsoft-com:office:spreadsheet" in probe or (
            b"<?mso-application" in probe and b"excel.sheet" in probe):
        return "spreadsheetml"
    if b"<?mso-application" in probe:  # Word 2003 XML, sometimes named .doc
        raise CatalogError(name, "is a Word 2003 XML document; save it as .docx", "unsupported")
    if probe.startswith((*_WEB_PAGE, b"<?xml")) or (
        ext in _HTML_EXTENSIONS and probe.startswith(b"<")
    ) or (probe.startswith(b"<") and any(t in probe for t in (b"<table", b"<body", b"<meta", b"<head"))):
        return "html"  # a web page, also one saved as .xls or .doc by a web system
    if ext in EXTENSIONS and EXTENSIONS[ext] not in _BINARY_FORMATS:
        return EXTENSIONS[ext]
    if ext in EXTENSIONS and _binary(head):  # a binary file whose first bytes are no known kind
        if ext in _KINGSOFT:
            raise CatalogError(name, f"is a Kingsoft (WPS Office) {ext} file in a format no reader "
                               "understands (not the Word or Excel binary format WPS usually "
                               "writes); save it as .docx or .xlsx in WPS", "unsupported")
        kind = EXTENSIONS[ext]
        raise CatalogError(name, f"is named {ext} but its content is not {DESCRIPTIONS[kind]}",
                           "corrupt")
    if ext in _KINGSOFT and _binary(head):
        raise CatalogError(name, f"is a Kingsoft (WPS Office) {ext} file in a format no reader "
                           "understands; save it as .docx or .xlsx in WPS", "unsupported")
    return "text"  # text under any name (a catalog exported as .xls or .pdf): the text reader


def _binary(head: bytes) -> bool:
    """Whether the first bytes are binary data rather than text (NULs outside UTF-16)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\0" in head


def archive_kind(path: Path) -> str | None:
    """``zip``, ``7z`` or ``rar`` when the file is an archive of files by its content (a zip
    that is no workbook, Word document or OpenDocument file), else None."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return None
    if head.startswith(_SEVEN_ZIP):
        return "7z"
    if head.startswith(_RAR):
        return "rar"
    if head.startswith((_ZIP, b"PK\x05\x06")):
        if oversized_directory(path) is not None:
            return "zip"  # the archive reader refuses it, saying why
        try:
            names = _zip_names(path)
        except ZIP_ERRORS:
            return "zip" if path.suffix.lower() == ".zip" else None
        return "zip" if _office_format(names, path) is None else None
    return None


def _ole_format(path: Path, name: str) -> str:
    """``xls`` or ``doc`` for an OLE compound file (Kingsoft .et/.wps included), or the
    CatalogError that says what else it is: password-protected, damaged, another OLE file."""
    import io

    import olefile

    try:
        data = path.read_bytes()
        ole = olefile.OleFileIO(io.BytesIO(data))
        streams = {"/".join(e) for e in ole.listdir(streams=True, storages=True)}
        if "EncryptedPackage" in streams:
            raise CatalogError(name, "is a password-protected Excel workbook or Word document; "
                               "save it without a password", "encrypted")
        for stream in ("Workbook", "Book"):
            if stream in streams:
                if _biff_encrypted(ole.openstream(stream).read()):
                    raise CatalogError(name, "is a password-protected Excel 97-2003 workbook; "
                                       "save it without a password", "encrypted")
                return "xls"
        if "WordDocument" in streams:
            fib = ole.openstream("WordDocument").read(12)
            if len(fib) < 12 or struct.unpack_from("<H", fib, 0)[0] != 0xA5EC:
                raise CatalogError(name, "is a damaged Word 97-2003 document (no valid file "
                                   "information block)", "corrupt")
            if struct.unpack_from("<H", fib, 10)[0] & 0x0100:  # fEncrypted
                raise CatalogError(name, "is a password-protected Word 97-2003 document; save "
                                   "it without a password", "encrypted")
            return "doc"
    except CatalogError:
        raise
    except Exception:  # noqa: BLE001 - olefile raises anything on a broken directory
        raise CatalogError(name, "is a truncated or damaged Office 97-2003 file (its OLE "
                           "structure is broken)", "corrupt") from None
    raise CatalogError(name, "is an Office 97-2003 file that is neither a workbook nor a Word "
                       "document (a PowerPoint file?)", "unsupported")


def _biff_encrypted(stream: bytes) -> bool:
    """Whether a BIFF workbook stream has a FILEPASS record (0x002F) among its globals, before
    their EOF record (0x000A)."""
    pos = 0
    while pos + 4 <= len(stream):
        record, size = struct.unpack_from("<HH", stream, pos)
        if record == 0x002F:
            return True
        if record == 0x000A:
            return False
        pos += 4 + size
    return False


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
            return _office_format(_zip_names(path), path) is not None
        except ZIP_ERRORS:
            return False
    if head.startswith(_OLE) or probe.startswith(b"{\\rtf"):
        return True
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


def _office_format(names: list[str], path: Path | None = None) -> str | None:
    """The Office format whose parts a zip archive holds: ``xl/`` → xlsx, ``word/`` → docx,
    ``mimetype`` (read from ``path``) → ods or odt."""
    if "mimetype" in names and path is not None:
        try:
            with zipfile.ZipFile(path) as zf:
                mimetype = zf.read("mimetype")[:100]
        except (*ZIP_ERRORS, KeyError):
            mimetype = b""
        if mimetype.endswith(b"opendocument.spreadsheet"):
            return "ods"
        if mimetype.endswith(b"opendocument.text"):
            return "odt"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        return "docx"
    return None
