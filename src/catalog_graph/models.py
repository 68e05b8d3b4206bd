"""The nouns the stages pass between them.

readers/  a file        -> RawTable (cells with provenance)
layout    a RawTable    -> Catalog (DisclosureItems)
citations a basis text  -> Citations
resolve   Citations     -> Regulations (one node per regulation)
rdf / nx  a Catalog     -> graphs

Plain dataclasses; ``to_dict`` gives the JSON shape of ../CONTRACT (key order fixed,
so serialized output is byte-stable).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# --------------------------------------------------------------------------- tables


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a source table.

    A cell covered by a merged range carries no text of its own: ``merged`` is
    ``"up"`` when the range starts in a row above (the value above continues down),
    ``"left"`` when it starts to the left in the same row (the value spans across).
    """

    text: str = ""
    merged: str | None = None  # None | "up" | "left"


@dataclass(frozen=True, slots=True)
class CellBox:
    """Where a printed cell stands on its page (PDF points, top-left origin) and the
    position of the table it starts at (``row`` as in RawTable.rows; -1 for a row above the
    table's first, a title row). A cell cut by a page break has a box on each page."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    row: int
    col: int


@dataclass(slots=True)
class RawTable:
    """A file read into rows of cells, before any meaning is given to them.

    ``rows`` holds every row the reader found, preamble lines (the title) included for
    formats without a separate title; rows need not be of equal length. ``pages[i]`` is
    the page row ``i`` sits on (None for formats without pages).
    """

    file: str
    rows: list[list[Cell]]
    pages: list[int | None]
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
    boxes: list[CellBox] = field(default_factory=list)  # printed cells (PDF), for explain
    ocr: list[OcrRead | None] | None = None  # for a table read by OCR: each row's reading


@dataclass(slots=True)
class OcrRead:
    """How a row of a scanned table was read: the OCR engine, the lowest confidence (0–1) of
    the row's cells, and a warning for each of its cells read with low confidence."""

    engine: str
    confidence: float
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"engine": self.engine, "confidence": self.confidence}


# --------------------------------------------------------------------------- citations


@dataclass(slots=True)
class Provision:
    """An article (第N条), paragraph (第N款) and item (第（N）项) of a regulation."""

    article: int | None = None
    paragraph: int | None = None
    item: int | None = None
    chapter: int | None = None
    # the cited article's text, from the user's own law texts (``--laws``); not part of key()
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "article": self.article,
            "paragraph": self.paragraph,
            "item": self.item,
            "chapter": self.chapter,
        }
        if self.text is not None:
            out["text"] = self.text
        return out

    def key(self) -> tuple[int | None, ...]:
        """A hashable key: (chapter, article, paragraph, item)."""
        return (self.chapter, self.article, self.paragraph, self.item)

    @classmethod
    def from_key(cls, key: tuple[int | None, ...]) -> Provision:
        chapter, article, paragraph, item = key
        return cls(article=article, paragraph=paragraph, item=item, chapter=chapter)

    def label(self) -> str:
        """第三章, 第二十条, 第二十条第一款第（五）项 …"""
        from catalog_graph.numerals import chinese_numeral

        label = ""
        if self.chapter is not None:
            label += f"第{chinese_numeral(self.chapter)}章"
        if self.article is not None:
            label += f"第{chinese_numeral(self.article)}条"
        if self.paragraph is not None:
            label += f"第{chinese_numeral(self.paragraph)}款"
        if self.item is not None:
            label += f"第（{chinese_numeral(self.item)}）项"
        return label


@dataclass(slots=True)
class Citation:
    """One regulation cited in a text; ``text == source[start:end]``."""

    text: str
    start: int
    end: int
    title: str | None = None
    doc_number: str | None = None
    provisions: list[Provision] = field(default_factory=list)
    issuer: list[str] = field(default_factory=list)
    doc_type: str | None = None
    regulation: str | None = None
    warnings: list[str] = field(default_factory=list)
    # the version whose article numbering the provisions follow, when it is not the latest
    # (``zfxxgk-2007``: ontology/structure); set by resolve's article checks
    numbering: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "title": self.title,
            "doc_number": self.doc_number,
            "provisions": [p.to_dict() for p in self.provisions],
            "issuer": list(self.issuer),
            "doc_type": self.doc_type,
            "regulation": self.regulation,
            "warnings": list(self.warnings),
        }
        if self.numbering is not None:
            out["numbering"] = self.numbering
        return out


@dataclass(slots=True)
class Regulation:
    """A resolved regulation or document: one node however many spellings cite it.

    ``id`` is a stable ASCII key ([a-z0-9-]), the same from every catalog and run.
    """

    id: str
    title: str
    doc_number: str | None = None
    issuer: list[str] = field(default_factory=list)
    doc_type: str | None = None
    date: str | None = None  # ISO date of issue, when known
    in_force: bool | None = None
    aliases: list[str] = field(default_factory=list)
    in_authority: bool = False  # known to the authority file, not only seen in a catalog
    replaced_by: str | None = None  # the doc number or title of what replaced it, when known

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "doc_number": self.doc_number,
            "issuer": list(self.issuer),
            "doc_type": self.doc_type,
            "date": self.date,
            "in_force": self.in_force,
            "aliases": list(self.aliases),
            "in_authority": self.in_authority,
            "replaced_by": self.replaced_by,
        }


# --------------------------------------------------------------------------- items


@dataclass(slots=True)
class TimeLimit:
    """公开时限 as written and as understood.

    kind: ``within_days`` (days, working_days), ``realtime``, ``annual_deadline``
    (deadline "MM-DD") or ``other``.
    """

    text: str
    kind: str
    days: int | None = None
    working_days: bool | None = None
    deadline: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "days": self.days,
            "working_days": self.working_days,
            "deadline": self.deadline,
        }


@dataclass(slots=True)
class Source:
    """Where an item was read: the file, its page (None without pages), its data row (from 1),
    and for a scan, how OCR read the row (``ocr``; absent from the JSON otherwise)."""

    file: str
    page: int | None
    row: int
    ocr: OcrRead | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "page": self.page, "row": self.row}
        if self.ocr is not None:
            out["ocr"] = self.ocr.to_dict()
        return out


def item_reference(number: str | None, name: str | None, row: int | str,
                   page: int | None = None) -> str:
    """An item as people find it in the catalog: ``item 7 计划规划 (row 14)``, ``(row 14, page
    2)`` for a PDF; without a 序号, ``计划规划 (row 14)``."""
    where = f"row {row}" + (f", page {page}" if page else "")
    name = name or "(no name)"
    return f"item {number} {name} ({where})" if number else f"{name} ({where})"


RECORD_FIELDS = [
    "catalog", "id", "number", "path", "content", "basis", "time_limit", "time_limit_kind",
    "time_limit_days", "time_limit_working_days", "time_limit_deadline", "subject", "channels",
    "audience", "method", "level", "source_file", "source_page", "source_row", "citations",
    "regulations", "warnings",
]


@dataclass(slots=True)
class DisclosureItem:
    """One row of a catalog: what is disclosed, on what basis, how, by whom, for whom."""

    catalog: str
    id: str
    number: str | None
    path: list[str]
    content: str | None
    basis: str | None
    time_limit: TimeLimit | None
    subject: str | None
    channels: list[str]
    audience: list[str]
    method: list[str]
    source: Source
    citations: list[Citation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    level: list[str] = field(default_factory=list)  # 公开层级 (县级, 乡级 …), when the catalog has it
    extra: dict[str, str] = field(default_factory=dict)  # columns of no known meaning, by header

    @property
    def name(self) -> str | None:
        """The row's most specific item name."""
        return self.path[-1] if self.path else None

    def reference(self) -> str:
        """The item as people find it: its 序号, its name, its data row (and page)."""
        return item_reference(self.number, self.name, self.source.row, self.source.page)

    def to_record(self) -> dict[str, Any]:
        """The item as one flat row (:data:`RECORD_FIELDS`): lists joined with ；, the path with
        ``>``, the time limit in its parts, citations as their texts and regulation ids; what
        ``parse --format csv`` writes and ``Catalog.to_records()`` returns."""
        tl = self.time_limit
        return dict(zip(RECORD_FIELDS, [
            self.catalog, self.id, self.number or "", " > ".join(self.path), self.content or "",
            self.basis or "", tl.text if tl else "", tl.kind if tl else "",
            "" if not tl or tl.days is None else tl.days,
            "" if not tl or tl.working_days is None else str(tl.working_days).lower(),
            tl.deadline if tl and tl.deadline else "", self.subject or "",
            "；".join(self.channels), "；".join(self.audience), "；".join(self.method),
            "；".join(self.level), self.source.file,
            "" if self.source.page is None else self.source.page, self.source.row,
            "；".join(c.text for c in self.citations),
            "；".join(c.regulation or "" for c in self.citations), "；".join(self.warnings),
        ], strict=True))

    def to_dict(self) -> dict[str, Any]:
        return {
            "catalog": self.catalog,
            "id": self.id,
            "number": self.number,
            "path": list(self.path),
            "content": self.content,
            "basis": self.basis,
            "time_limit": self.time_limit.to_dict() if self.time_limit else None,
            "subject": self.subject,
            "channels": list(self.channels),
            "audience": list(self.audience),
            "method": list(self.method),
            "level": list(self.level),
            "source": self.source.to_dict(),
            "citations": [c.to_dict() for c in self.citations],
            "warnings": list(self.warnings),
            "extra": dict(self.extra),
        }


@dataclass(slots=True)
class Catalog:
    """A catalog as read: its title, the body that publishes it, its items."""

    title: str
    body: str | None
    file: str
    items: list[DisclosureItem]
    warnings: list[str] = field(default_factory=list)
    format: str = "text"
    # the titles of the catalogs a file holds when it holds several (each item's ``catalog``
    # names its own); empty for a file of one catalog
    sections: list[str] = field(default_factory=list)

    def to_records(self) -> list[dict[str, Any]]:
        """Every item as a flat dict (:meth:`DisclosureItem.to_record`), for a table."""
        return [item.to_record() for item in self.items]

    def to_dataframe(self) -> Any:
        """The items as a pandas DataFrame, one row per item (needs pandas, which catalog-graph
        itself does not depend on)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_dataframe() needs pandas: pip install pandas "
                              "(to_records() gives the same rows as dicts)") from None
        return pd.DataFrame(self.to_records(), columns=RECORD_FIELDS)
