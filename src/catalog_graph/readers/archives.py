"""Archives of files (.zip, .7z, .rar): the catalogs inside them, one level of nesting deep.

Offices attach catalogs zipped, often together with a cover letter (附件1-关于印发目录的通知)
and sometimes zipped twice. An archive is known by its content
(:func:`catalog_graph.readers.sniff.archive_kind`); its members are named
``附件.zip!/附件2-主动公开事项目录.xls`` (and ``a.zip!/b.zip!/c.xls`` one level down), the name
``source.file``, the report and the graph use.

- zip with the standard library. Chinese Windows ("send to compressed folder", WinRAR, 360压缩)
  stores names in GBK without the UTF-8 flag (bit 0x800), which zipfile decodes as CP437: such
  a name is taken back to its bytes and decoded as UTF-8 when it is valid UTF-8, else as
  GB18030 (GBK's superset).
- 7z and RAR with libarchive (``libarchive-c``, over the system's libarchive, which reads 7z,
  RAR 4 and RAR 5); names without a Unicode form are decoded as for zip.

The limits that guard .xlsx and .docx guard archives too (:mod:`catalog_graph.readers.archive`):
the archive's size, the number of members, each member's unpacked size and, for zip, its
packing ratio; members are unpacked with a hard cap, so a member whose declared size lies is
stopped at the limit. Folders, links and hidden or temporary files are not members.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from catalog_graph.errors import CatalogError
from catalog_graph.readers.archive import (
    MAX_FILE,
    MAX_MEMBER,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_TOTAL,
    ZIP_ERRORS,
    oversized_directory,
)
from catalog_graph.readers.sniff import (
    ARCHIVE_SUFFIXES,
    CATALOG_SUFFIXES,
    archive_kind,
    looks_like_catalog,
)

SEPARATOR = "!/"
_TEMPORARY = (".tmp", ".temp", ".part", ".crdownload", ".download", ".swp", ".bak", ".lock")


@dataclass(frozen=True)
class Member:
    """A file in an archive: its name (decoded, ``/``-separated) and sizes (packed: None
    when the format does not say)."""

    name: str
    size: int | None
    packed: int | None = None


def members(path: Path, display: str) -> list[Member]:
    """The files of an archive, in name order; CatalogError when it is damaged or over a limit."""
    size = path.stat().st_size
    if size > MAX_FILE:
        raise CatalogError(display, f"is {size // (1024 * 1024)} MiB, over the "
                           f"{MAX_FILE // (1024 * 1024)} MiB limit for an archive", "too_large")
    kind = archive_kind(path)
    found = _zip_members(path, display) if kind == "zip" else _libarchive_members(path, display)
    found = [m for m in found if not _hidden(m.name)]
    if len(found) > MAX_MEMBERS:
        raise CatalogError(display, f"holds {len(found)} files, too many for an archive",
                           "too_large")
    total = 0
    for m in found:
        if m.size is not None:
            total += m.size
            _check_member(display, m.name, m.size, m.packed)
    if total > MAX_TOTAL:
        raise CatalogError(display, f"unpacks to {total // (1024 * 1024)} MiB, over the "
                           f"{MAX_TOTAL // (1024 * 1024)} MiB limit", "too_large")
    return sorted(found, key=lambda m: m.name)


def extract(path: Path, display: str, name: str, folder: Path) -> Path:
    """Unpack the member ``name`` of the archive at ``path`` into ``folder`` (as ``member`` with
    the member's extension), with the size cap; its path."""
    suffix = PurePosixPath(name).suffix.lower()
    target = folder / ("member" + (suffix if suffix.isascii() and len(suffix) <= 8 else ""))
    n = 1
    while target.exists():
        n += 1
        target = folder / f"member{n}{target.suffix}"
    kind = archive_kind(path)
    written = 0
    with open(target, "wb") as out:
        for chunk in (_zip_chunks(path, display, name) if kind == "zip"
                      else _libarchive_chunks(path, display, name)):
            written += len(chunk)
            if written > MAX_MEMBER:
                raise CatalogError(f"{display}{SEPARATOR}{name}", f"unpacks to more than "
                                   f"{MAX_MEMBER // (1024 * 1024)} MiB: refused as a zip bomb",
                                   "too_large")
            out.write(chunk)
    return target


def is_candidate(name: str, path: Path) -> bool:
    """Whether an unpacked member is worth reading: a catalog's extension or first bytes
    (:func:`~catalog_graph.readers.sniff.looks_like_catalog`), or an archive (one level)."""
    suffix = PurePosixPath(name).suffix.lower()
    return (suffix in CATALOG_SUFFIXES or suffix in ARCHIVE_SUFFIXES
            or archive_kind(path) is not None or looks_like_catalog(path))


def split(display: str, path: Path) -> tuple[str, list[str]] | None:
    """``(archive's display, [member, member inside it])`` when ``display`` names a member of
    the archive at ``path`` (``a.zip!/b.xls``, ``a.zip!/b.zip!/c.xls``); None otherwise."""
    if SEPARATOR not in display or archive_kind(path) is None:
        return None
    try:
        names = {m.name for m in members(path, display.split(SEPARATOR)[0])}
    except CatalogError:
        names = set()
    start = display.find(SEPARATOR)
    while start >= 0:
        chain = display[start + len(SEPARATOR):].split(SEPARATOR)
        if chain[0] in names or not names:
            return display[:start], chain[:2]
        start = display.find(SEPARATOR, start + 1)
    return None


def _check_member(display: str, name: str, size: int, packed: int | None) -> None:
    if size > MAX_MEMBER or (packed is not None and size > 1024 * 1024
                             and size > MAX_RATIO * max(packed, 1)):
        raise CatalogError(display, f"unpacks {name} to {size // (1024 * 1024)} MiB"
                           + (f" from {packed // 1024} KiB" if packed is not None else "")
                           + ": refused as a zip bomb", "too_large")


def _hidden(name: str) -> bool:
    base = PurePosixPath(name).name
    return (not base or base.startswith((".", "~$")) or base.endswith("~")
            or name.startswith("__MACOSX/") or base.lower().endswith(_TEMPORARY))


def decode_name(raw: bytes) -> str:
    """An archive member's name from its bytes: UTF-8 when valid, else GB18030 (GBK), else
    CP437; ``\\`` separators (WinRAR) made ``/``."""
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec).replace("\\", "/")
        except UnicodeDecodeError:
            continue
    return raw.decode("cp437").replace("\\", "/")


def _zip_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return decode_name(info.filename.encode("cp437"))
    except UnicodeEncodeError:
        return info.filename


def _zip_members(path: Path, display: str) -> list[Member]:
    problem = oversized_directory(path)
    if problem is not None:
        raise CatalogError(display, f"{problem} for an archive", "too_large")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except ZIP_ERRORS:
        raise CatalogError(display, "is a truncated or damaged zip archive (its directory is "
                           "missing or broken)", "corrupt") from None
    return [Member(_zip_name(i), i.file_size, i.compress_size) for i in infos if not i.is_dir()]


def _zip_chunks(path: Path, display: str, name: str) -> Iterator[bytes]:
    try:
        with zipfile.ZipFile(path) as zf:
            info = next((i for i in zf.infolist() if not i.is_dir() and _zip_name(i) == name), None)
            if info is None:
                raise CatalogError(display, f"holds no file {name}", "corrupt")
            if info.flag_bits & 0x1:
                raise CatalogError(f"{display}{SEPARATOR}{name}", "is password-protected inside "
                                   "the archive", "encrypted")
            with zf.open(info) as fh:
                while chunk := fh.read(1 << 16):
                    yield chunk
    except ZIP_ERRORS as exc:
        raise CatalogError(f"{display}{SEPARATOR}{name}", f"cannot be unpacked (a damaged "
                           f"archive: {str(exc)[:80]})", "corrupt") from None


def _entry_name(entry) -> str:
    name = entry.pathname
    if isinstance(name, bytes):
        name = decode_name(name)
    return (name or "").replace("\\", "/").lstrip("/")


def _libarchive_members(path: Path, display: str) -> list[Member]:
    import libarchive

    found = []
    try:
        with libarchive.file_reader(str(path)) as archive:
            for entry in archive:
                if entry.isreg:
                    found.append(Member(_entry_name(entry), entry.size))
                if len(found) > MAX_MEMBERS:
                    break
    except libarchive.ArchiveError as exc:
        raise CatalogError(display, f"is a damaged or unsupported archive ({str(exc)[:100]})",
                           "corrupt") from None
    return found


def _libarchive_chunks(path: Path, display: str, name: str) -> Iterator[bytes]:
    import libarchive

    try:
        with libarchive.file_reader(str(path)) as archive:
            for entry in archive:
                if entry.isreg and _entry_name(entry) == name:
                    for block in entry.get_blocks():
                        yield bytes(block)
                    return
    except libarchive.ArchiveError as exc:
        raise CatalogError(f"{display}{SEPARATOR}{name}", f"cannot be unpacked ({str(exc)[:100]})",
                           "corrupt") from None
    raise CatalogError(display, f"holds no file {name}", "corrupt")


@dataclass(frozen=True)
class Unpacked:
    """A file found in an archive: its display name (``a.zip!/b.xls``) and, when it may hold a
    catalog, its unpacked path; else why it is skipped."""

    display: str
    path: Path | None
    note: str | None = None


def unpack(path: Path, display: str, folder: Path, depth: int = 0) -> list[Unpacked]:
    """Every file of the archive unpacked into ``folder``, archives inside it opened (one level
    of nesting), in name order. CatalogError when the archive (the outer one) is damaged or
    over a limit; a damaged inner archive is a skipped file with its note."""
    found: list[Unpacked] = []
    for member in members(path, display):
        shown = f"{display}{SEPARATOR}{member.name}"
        unpacked = extract(path, display, member.name, folder)
        if archive_kind(unpacked) is not None:
            if depth >= 1:
                found.append(Unpacked(shown, None, "skipped: an archive two levels deep (one "
                                      "level of nesting is read)"))
                continue
            inner = folder / f"nested{len(found)}"
            inner.mkdir()
            try:
                found.extend(unpack(unpacked, shown, inner, depth + 1))
            except CatalogError as exc:
                found.append(Unpacked(shown, None, f"skipped: {exc.message}"))
        elif is_candidate(member.name, unpacked):
            found.append(Unpacked(shown, unpacked))
        else:
            found.append(Unpacked(shown, None, "skipped: not a catalog file"))
    return found


def member_file(path: Path, display: str, chain: list[str], folder: Path) -> Path:
    """The file that ``chain`` (a member, and a member of that one when it is an archive)
    names in the archive at ``path``, unpacked into ``folder``."""
    current, shown = path, display
    for name in chain:
        current = extract(current, shown, name, folder)
        shown = f"{shown}{SEPARATOR}{name}"
    return current


NO_CATALOG_KINDS = frozenset({"no_table", "empty", "binary"})
"""The kinds of reading error that say a file holds no catalog (rather than a broken one): a
file in an archive that gives one is skipped with a note, not failed."""
