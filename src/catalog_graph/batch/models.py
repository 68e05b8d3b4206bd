"""The nouns a build passes between its parts: what converting depends on (:class:`Setup`),
what one input gave (:class:`FileResult`, its entry of report.json) and what the whole build did
(:class:`BuildSummary`, which the progress display prints)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog_graph.graph.iris import DEFAULT_BASE


@dataclass(frozen=True)
class Setup:
    """What converting an input depends on besides the input: the IRI base, the authority
    files read after the built-in ones (``--authority``) and the engine reading PDF pages
    (``--pdf-engine``: both give the same items, so it is no part of the cache key)."""

    base: str = DEFAULT_BASE
    authority: tuple[str, ...] = ()
    pdf_engine: str = "pdfium"


@dataclass
class FileResult:
    """What one input contributes to the build (or why it contributes nothing)."""

    path: str
    status: str = "ok"
    error: str | None = None
    items: int = 0
    citations: int = 0
    triples: int = 0
    warnings: list[str] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        """The entry of report.json."""
        return {"path": self.path, "status": self.status, "items": self.items,
                "citations": self.citations, "triples": self.triples,
                "warnings": list(self.warnings), "error": self.error}


@dataclass
class BuildSummary:
    """What a build did."""

    out_dir: Path
    inputs: int = 0
    items: int = 0
    citations: int = 0
    triples: int = 0
    regulations: int = 0
    warnings: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)  # report entries of failed inputs
    read: list[str] = field(default_factory=list)  # inputs converted by this build
    cached: int = 0  # inputs taken from the cache
    seconds: float = 0.0

    @property
    def parsed(self) -> int:
        """How many inputs this build converted (the others came from the cache)."""
        return len(self.read)
