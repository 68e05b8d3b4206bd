"""Files and folders named on the command line → the catalog files a build reads.

A file named on the command line is always an input (so that a wrong one is reported, not
silently dropped). Folders are searched recursively, following links to folders once, and a
file found in one is an input when

- its extension is a catalog's (``.txt .tsv .csv .pdf .xlsx .xlsm .xls .et .ods .docx .doc
  .wps .odt .rtf .html .htm .mht …``), or
- its first bytes say PDF, a workbook or Word document (a zip with ``xl/`` or ``word/``, an
  OpenDocument file, an Office 97-2003 file), RTF or a web page, whatever its name

(both as the format detector judges them: ``readers.sniff.looks_like_catalog``), and it is not
hidden or temporary: names starting with ``.`` (``.DS_Store``, anything in a
``.git`` or ``.cache`` folder), Office lock files (``~$x.xlsx``), editor backups (``x.xlsx~``,
``#x#``) and partial downloads (``.tmp .part .crdownload .swp .bak``). The output folder is
never searched. Inputs are sorted by the path shown for them (the folder as given, then the
path below it), so the order never depends on the file system or on the order of arguments.

An archive (.zip, .7z, .rar, or one by its content; :mod:`catalog_graph.readers.archives`) is
not one input but one per file in it that may hold a catalog, archives inside it opened one
level deep: ``附件.zip!/附件2-主动公开事项目录.xls``, whose path is the archive's (the member is
unpacked where it is converted). The files that are read in-process in milliseconds (text,
web pages, workbooks, .odt, .docx) are read once here: an archive none of whose files holds a
catalog is one failed input ("holds no catalog", with what each file was), not a row of
skipped ones; otherwise its files that hold none (a cover letter) are converted and reported as
skipped, with a note. An archive that cannot be opened is a failed input too.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from catalog_graph.errors import CatalogError
from catalog_graph.paths import display_name
from catalog_graph.readers import archives, read_table
from catalog_graph.readers.sniff import (
    ARCHIVE_SUFFIXES,
    CATALOG_SUFFIXES,
    archive_kind,
    detect_format,
    looks_like_catalog,
)

__all__ = ["CATALOG_SUFFIXES", "Scan", "collect_inputs", "is_skipped_name", "scan_inputs"]

TEMPORARY_SUFFIXES = frozenset({".tmp", ".temp", ".part", ".partial", ".crdownload", ".download",
                                ".swp", ".swo", ".bak", ".lock"})


@dataclass
class Scan:
    """What a search of the inputs found: catalog files, and folders that could not be listed."""

    files: list[tuple[str, Path]] = field(default_factory=list)  # (display path, path)
    # (display path, why): folders that cannot be listed, archives that cannot be opened or
    # hold no catalog
    unlisted: list[tuple[str, str]] = field(default_factory=list)


def is_skipped_name(name: str) -> bool:
    """Hidden and temporary files: ``.DS_Store``, ``~$x.xlsx``, ``x.docx~``, ``#x#``, ``x.tmp``."""
    return (name.startswith((".", "~$")) or name.endswith("~")
            or (name.startswith("#") and name.endswith("#"))
            or Path(name).suffix.lower() in TEMPORARY_SUFFIXES)


def scan_inputs(paths: Iterable[Path], exclude: Path | None = None) -> Scan:
    """Every catalog file under ``paths`` (see the module docstring), sorted by display path.

    A path that does not exist is kept, so that it is reported. The same file reached twice
    (named and inside a named folder, or through a link) counts once, under the smallest
    display path. ``exclude`` (the output folder) is not searched.
    """
    found: dict[Path, str] = {}
    scan = Scan()
    excluded = _resolved(exclude) if exclude is not None else None

    def keep(path: Path, display: str) -> None:
        key = _resolved(path)
        display = display_name(display)  # a GBK file name must not reach UTF-8 outputs escaped
        if key not in found or display < found[key]:
            found[key] = display

    for arg in paths:
        arg = Path(arg)
        if not arg.is_dir():
            keep(arg, arg.as_posix())
            continue
        if excluded is not None and _resolved(arg) == excluded:
            continue
        for path, display, error in _walk(arg, excluded):
            if error is not None:
                scan.unlisted.append((display_name(display), error))
            elif looks_like_catalog(path) or (path.suffix.lower() in ARCHIVE_SUFFIXES
                                              or archive_kind(path) is not None):
                keep(path, display)
    for path, display in found.items():
        if not path.is_file() or archive_kind(path) is None:
            scan.files.append((display, path))
            continue
        inside, why = archive_inputs(path, display)
        if why is not None:
            scan.unlisted.append((display, why))
        scan.files.extend((member, path) for member in inside)
    scan.files.sort(key=lambda t: t[0])
    scan.unlisted.sort()
    return scan


_READ_HERE = frozenset({"text", "html", "mht", "xlsx", "xls", "ods", "odt", "spreadsheetml",
                        "docx"})
"""Formats read in milliseconds in this process: read while the inputs are found, to know
whether an archive holds a catalog at all."""


def archive_inputs(path: Path, display: str) -> tuple[list[str], str | None]:
    """The display paths of the files of an archive that are inputs, or why the archive
    gives none (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="catalog-graph-scan-") as folder:
        try:
            found = archives.unpack(path, display, Path(folder))
        except CatalogError as exc:
            return [], exc.message
        inputs = [f.display for f in found if f.path is not None]
        reasons = [f"{f.display.removeprefix(display + archives.SEPARATOR)}: {f.note}"
                   for f in found if f.path is None]
        for f in found:
            if f.path is None:
                continue
            try:
                fmt = detect_format(f.path, f.display)
                if fmt == "image" and _too_small_for_a_table(f.path):  # a logo, an icon
                    reasons.append(f"{f.display.removeprefix(display + archives.SEPARATOR)}: "
                                   "a picture too small to hold a table")
                    continue
                if fmt not in _READ_HERE:
                    return inputs, None  # a .doc, .rtf, PDF or scan: its conversion will tell
                read_table(f.path, f.display)
                return inputs, None
            except CatalogError as exc:
                if exc.kind not in archives.NO_CATALOG_KINDS:
                    return inputs, None  # a broken file: its conversion says so
                reasons.append(f"{f.display.removeprefix(display + archives.SEPARATOR)}: "
                               f"{exc.message}")
    if not found:
        return [], "is an empty archive"
    return [], "is an archive holding no catalog (" + "; ".join(sorted(reasons)) + ")"


def _too_small_for_a_table(path: Path) -> bool:
    """Whether a picture is smaller than any readable table (its size from its header only)."""
    from PIL import Image

    from catalog_graph.readers.image.grid import MIN_SIDE

    try:
        with Image.open(path) as picture:
            return min(picture.size) < MIN_SIDE
    except (OSError, ValueError, Image.DecompressionBombError):
        return False  # its conversion says what is wrong with it


def collect_inputs(paths: Iterable[Path], exclude: Path | None = None) -> list[tuple[str, Path]]:
    """(display path, path) of every catalog file under ``paths``, sorted by display path."""
    return scan_inputs(paths, exclude).files


def _resolved(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # a link loop
        return Path(os.path.abspath(path))


def _walk(root: Path, excluded: Path | None):
    """(path, display, None) for each candidate file below ``root``, (folder, display, why) for
    each folder that cannot be listed. Links to folders are followed, each folder once."""
    seen: set[tuple[int, int]] = set()
    stack = [(root, root.as_posix())]
    while stack:
        folder, shown = stack.pop()
        try:
            info = folder.stat()
        except OSError as exc:
            yield folder, shown, f"cannot be listed ({exc.strerror or exc})"
            continue
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        try:
            with os.scandir(folder) as entries:
                names = sorted((e.name, e) for e in entries)
        except OSError as exc:
            yield folder, shown, f"cannot be listed ({exc.strerror or exc})"
            continue
        subfolders = []
        for name, entry in names:
            if is_skipped_name(name):
                continue
            path = folder / name
            display = (Path(shown) / name).as_posix()
            try:
                mode = entry.stat().st_mode  # follows links
            except OSError:
                continue  # a dangling link
            if stat.S_ISDIR(mode):
                if excluded is None or _resolved(path) != excluded:
                    subfolders.append((path, display))
            elif stat.S_ISREG(mode):
                yield path, display, None
        stack.extend(reversed(subfolders))
