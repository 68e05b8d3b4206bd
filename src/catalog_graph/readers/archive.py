"""Office files are zip archives: check one before handing it to a parser.

A truncated download has no central directory; a zip bomb declares (or hides) gigabytes
behind a few kilobytes. Both are refused from the archive's directory, before anything is
decompressed; a directory listing too many parts, or too big, is refused from the end record
that declares it, before the directory is read.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import BinaryIO

from catalog_graph.errors import CatalogError

MAX_FILE = 200 * 1024 * 1024  # the archive itself
MAX_MEMBER = 256 * 1024 * 1024  # one part, unpacked
MAX_TOTAL = 512 * 1024 * 1024  # all parts, unpacked
MAX_RATIO = 200  # unpacked / packed for a part over 1 MiB; XML packs 5-20×
MAX_MEMBERS = 20_000
# what zipfile raises on a damaged or unusual archive (NotImplementedError: "zip file version 11.5")
ZIP_ERRORS = (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError)
MAX_DIRECTORY = 8 * 1024 * 1024  # the central directory: 420 bytes a part at MAX_MEMBERS

_END = struct.Struct("<4s4H2LH")  # end of central directory record (then a comment)
_END64_LOCATOR = struct.Struct("<4sLQL")  # just before it in a ZIP64 archive
_END64 = struct.Struct("<4sQ2H2L4Q")  # ZIP64 end of central directory record


def check_archive(path: Path, display: str, what: str, required: str) -> None:
    """Raise CatalogError unless ``path`` is a whole zip archive of sane size holding
    ``required`` (the part every ``what`` has, e.g. ``xl/workbook.xml``)."""
    size = path.stat().st_size
    if size > MAX_FILE:
        raise CatalogError(display, f"is {size // (1024 * 1024)} MiB, over the "
                           f"{MAX_FILE // (1024 * 1024)} MiB limit for {what}", "too_large")
    problem = oversized_directory(path)
    if problem is not None:
        raise CatalogError(display, f"{problem} for {what}", "too_large")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except ZIP_ERRORS:
        raise CatalogError(display, f"is a truncated or damaged {what} (its zip directory is "
                           "missing or broken)", "corrupt") from None
    if len(infos) > MAX_MEMBERS:
        raise CatalogError(display, f"holds {len(infos)} parts, too many for {what}", "too_large")
    total = 0
    names = set()
    for info in infos:
        names.add(info.filename)
        total += info.file_size
        if info.file_size > MAX_MEMBER or (
            info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        ):
            raise CatalogError(display, f"unpacks {info.filename} to {info.file_size // (1024 * 1024)} MiB "
                               f"from {info.compress_size // 1024} KiB: refused as a zip bomb",
                               "too_large")
    if total > MAX_TOTAL:
        raise CatalogError(display, f"unpacks to {total // (1024 * 1024)} MiB, over the "
                           f"{MAX_TOTAL // (1024 * 1024)} MiB limit", "too_large")
    if required not in names:
        raise CatalogError(display, f"is a zip archive without {required}: not {what}", "corrupt")


def oversized_directory(path: Path) -> str | None:
    """What is too big about the central directory an archive's end records declare (``has a
    zip directory listing 5000000 parts, over the 20000 part limit``), or None when it is within
    :data:`MAX_MEMBERS` and :data:`MAX_DIRECTORY` or there is no end record (reading the
    archive says how it is broken). Only the end of the file is read."""
    try:
        with open(path, "rb") as fh:
            declared = _declared_directory(fh, fh.seek(0, 2))
    except OSError:
        return None
    if declared is None:
        return None
    parts, size = declared
    if parts > MAX_MEMBERS:
        return f"has a zip directory listing {parts} parts, over the {MAX_MEMBERS} part limit"
    if size > MAX_DIRECTORY:
        return (f"has a zip directory of {size / (1024 * 1024):.1f} MiB, over the "
                f"{MAX_DIRECTORY // (1024 * 1024)} MiB limit")
    return None


def _declared_directory(fh: BinaryIO, size: int) -> tuple[int, int] | None:
    """How many parts the central directory lists, and its size in bytes, as the archive's end
    records declare (the ZIP64 record's when there is one); None when there is no end record.

    The end record is found as ``zipfile`` finds it (the last 22 bytes, else the last signature
    in the 64 KiB a comment may take), and the ZIP64 record both where ``zipfile`` reads it
    (just before its locator) and where the locator points, the larger taken: whichever the
    reader believes, it is no bigger than checked.
    """
    start = max(0, size - _END.size - (1 << 16))
    fh.seek(start)
    tail = fh.read()
    at = len(tail) - _END.size
    if not (at >= 0 and tail[at:at + 4] == b"PK\x05\x06" and tail[-2:] == b"\0\0"):
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < _END.size:
            return None
    _, _, _, on_disk, total, directory, _, _ = _END.unpack_from(tail, at)
    end = start + at
    if end < _END64_LOCATOR.size:
        return max(on_disk, total), directory
    fh.seek(end - _END64_LOCATOR.size)
    signature, _, offset, _ = _END64_LOCATOR.unpack(fh.read(_END64_LOCATOR.size))
    if signature != b"PK\x06\x07":
        return max(on_disk, total), directory
    found = []
    for where in sorted({end - _END64_LOCATOR.size - _END64.size, offset}):
        if 0 <= where <= size - _END64.size:
            fh.seek(where)
            record = fh.read(_END64.size)
            if record[:4] == b"PK\x06\x06":
                _, _, _, _, _, _, on_disk64, total64, directory64, _ = _END64.unpack(record)
                found.append((max(on_disk64, total64), directory64))
    if not found:
        return max(on_disk, total), directory
    return max(parts for parts, _ in found), max(length for _, length in found)
