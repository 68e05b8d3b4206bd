"""Where the project's data files live at run time.

The ontology (vocabularies, queries, the regulation authority, the citation patterns) is
kept in the repository's ``ontology/`` directory, next to ``src/``. A wheel (``pip install .``)
carries a copy of it as ``catalog_graph/ontology/`` (see ``setup.py``); an editable install
reads the checkout's folder.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path


def ontology_dir() -> Path:
    """The ``ontology/`` directory: ``$CATALOG_GRAPH_ONTOLOGY`` when set, else the copy
    installed with the package, else the checkout's (an editable install)."""
    override = os.environ.get("CATALOG_GRAPH_ONTOLOGY")
    if override:
        return Path(override)
    return _installed_ontology_dir()


@lru_cache(maxsize=1)
def _installed_ontology_dir() -> Path:
    package = Path(__file__).resolve().parent
    packaged = package / "ontology"
    if packaged.is_dir():
        return packaged
    return package.parents[1] / "ontology"


def cache_dir() -> Path | None:
    """A per-user directory for caches (created on demand), or None when none is writable.

    ``$CATALOG_GRAPH_CACHE`` wins, then ``$XDG_CACHE_HOME/catalog-graph``, then
    ``~/.cache/catalog-graph``.
    """
    candidates: list[Path] = []
    if os.environ.get("CATALOG_GRAPH_CACHE"):
        candidates.append(Path(os.environ["CATALOG_GRAPH_CACHE"]))
    if os.environ.get("XDG_CACHE_HOME"):
        candidates.append(Path(os.environ["XDG_CACHE_HOME"]) / "catalog-graph")
    candidates.append(Path.home() / ".cache" / "catalog-graph")
    for path in candidates:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(path, os.W_OK):
            return path
    return None


def display_name(path: Path | str) -> str:
    """A path as text that can be written anywhere (JSON, UTF-8 files, a terminal).

    A file name that is not UTF-8 (a zip made on a Chinese Windows holds GBK names) reaches
    Python with its bytes escaped as lone surrogates, which no UTF-8 output can hold; it is
    read as GB18030 when it is that, else its bad bytes become U+FFFD."""
    text = path.as_posix() if isinstance(path, Path) else str(path)
    if not _SURROGATE.search(text):
        return text
    try:
        raw = os.fsencode(text)
    except UnicodeEncodeError:  # surrogates that are no escaped bytes
        return _SURROGATE.sub("\ufffd", text)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


_SURROGATE = re.compile("[\ud800-\udfff]")


def as_typed_anywhere(path: Path | str) -> Path:
    """An input path in one spelling however it was typed: ``raw/``, ``./raw``, ``raw/../raw``
    and ``$PWD/raw`` all become ``raw``, so the same files get the same names in ``source.file``
    and the same catalog IRIs. A path outside the working folder stays absolute. ``..`` is
    folded only where that names the same file (not through a link to another folder)."""
    given = os.fspath(path)
    text = os.path.normpath(given)
    if os.path.realpath(text) != os.path.realpath(given):
        text = given  # a link in the way: keep the path as typed
    if os.path.isabs(text):
        here = os.getcwd()
        if text == here:
            return Path(".")
        if text.startswith(here.rstrip(os.sep) + os.sep):
            return Path(os.path.relpath(text, here))
    return Path(text)
