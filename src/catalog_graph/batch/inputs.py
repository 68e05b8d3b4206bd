"""Files and folders named on the command line → the catalog files a build reads.

A file named on the command line is always an input (so that a wrong one is reported, not
silently dropped). Folders are searched recursively, following links to folders once, and a
file found in one is an input when

- its extension is a catalog's (``.txt .tsv .csv .pdf .xlsx .xlsm .docx .html .htm …``, and
  ``.xls``/``.doc``, which web systems use for HTML exports and which otherwise get a clear
  "save it as .xlsx" error), or
- its first bytes say PDF, a workbook or Word document (a zip with ``xl/`` or ``word/``), or
  a web page, whatever its name

(both as the format detector judges them: ``readers.sniff.looks_like_catalog``), and it is not
hidden or temporary: names starting with ``.`` (``.DS_Store``, anything in a
``.git`` or ``.cache`` folder), Office lock files (``~$x.xlsx``), editor backups (``x.xlsx~``,
``#x#``) and partial downloads (``.tmp .part .crdownload .swp .bak``). The output folder is
never searched. Inputs are sorted by the path shown for them (the folder as given, then the
path below it), so the order never depends on the file system or on the order of arguments.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from catalog_graph.paths import display_name
from catalog_graph.readers.sniff import CATALOG_SUFFIXES, looks_like_catalog

__all__ = ["CATALOG_SUFFIXES", "Scan", "collect_inputs", "is_skipped_name", "scan_inputs"]

TEMPORARY_SUFFIXES = frozenset({".tmp", ".temp", ".part", ".partial", ".crdownload", ".download",
                                ".swp", ".swo", ".bak", ".lock"})


@dataclass
class Scan:
    """What a search of the inputs found: catalog files, and folders that could not be listed."""

    files: list[tuple[str, Path]] = field(default_factory=list)  # (display path, path)
    unlisted: list[tuple[str, str]] = field(default_factory=list)  # (display path, why)


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
            elif looks_like_catalog(path):
                keep(path, display)
    scan.files = sorted(((display, path) for path, display in found.items()), key=lambda t: t[0])
    scan.unlisted.sort()
    return scan


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
