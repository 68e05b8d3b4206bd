"""RTF documents, also those named .doc, through LibreOffice → .docx like Word 97-2003 files
(:mod:`catalog_graph.readers.doc`, which folds away the hairline grid columns RTF leaves)."""

from __future__ import annotations

from pathlib import Path

from catalog_graph.models import RawTable
from catalog_graph.readers import doc


def read(path: Path, display: str) -> RawTable:
    """Read the catalog table of an RTF document."""
    return doc.read(path, display, suffix=".rtf")
