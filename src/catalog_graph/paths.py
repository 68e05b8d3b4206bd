"""Where the project's data files live at run time.

The ontology (vocabularies, queries, the regulation authority, the citation patterns) is
kept in the repository's ``ontology/`` directory, next to ``src/``; an editable install
reads it from there.
"""

from __future__ import annotations

import os
from pathlib import Path


def ontology_dir() -> Path:
    """The ``ontology/`` directory (``$CATALOG_GRAPH_ONTOLOGY`` overrides it)."""
    override = os.environ.get("CATALOG_GRAPH_ONTOLOGY")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "ontology"


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
