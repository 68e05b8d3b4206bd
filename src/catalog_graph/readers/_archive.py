"""Office files are zip archives: check one before handing it to a parser.

A truncated download has no central directory; a zip bomb declares (or hides) gigabytes
behind a few kilobytes. Both are refused from the archive's directory, before anything is
decompressed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import CatalogError

MAX_FILE = 200 * 1024 * 1024  # the archive itself
MAX_MEMBER = 256 * 1024 * 1024  # one part, unpacked
MAX_TOTAL = 512 * 1024 * 1024  # all parts, unpacked
MAX_RATIO = 200  # unpacked / packed for a part over 1 MiB; XML packs 5-20×
MAX_MEMBERS = 20_000


def check_archive(path: Path, display: str, what: str, required: str) -> None:
    """Raise CatalogError unless ``path`` is a whole zip archive of sane size holding
    ``required`` (the part every ``what`` has, e.g. ``xl/workbook.xml``)."""
    size = path.stat().st_size
    if size > MAX_FILE:
        raise CatalogError(display, f"is {size // (1024 * 1024)} MiB, over the "
                           f"{MAX_FILE // (1024 * 1024)} MiB limit for {what}", "too_large")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
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
