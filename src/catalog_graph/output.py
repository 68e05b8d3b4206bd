"""Items out: JSON Lines, JSON or CSV, to stdout or atomically to a file."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from catalog_graph.atomic import write_atomic
from catalog_graph.models import RECORD_FIELDS, Catalog, DisclosureItem

CSV_COLUMNS = RECORD_FIELDS


def item_json(item: DisclosureItem) -> str:
    """One item as one line of JSON (keys in contract order, non-ASCII kept)."""
    return json.dumps(item.to_dict(), ensure_ascii=False)


def render_items(items: Iterable[DisclosureItem], fmt: str) -> str:
    """Items as jsonl, json or csv text."""
    if fmt == "jsonl":
        return "".join(item_json(i) + "\n" for i in items)
    if fmt == "json":
        return json.dumps([i.to_dict() for i in items], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for i in items:
            writer.writerow([_inert(v) for v in i.to_record().values()])
        return buf.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    """A CSV field Excel will not run, and that stays one field: text starting like a formula
    (``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM(…)``) gets a leading apostrophe, which Excel shows as
    nothing (a catalog is text from a web site; its cells must not become code in the reader's
    spreadsheet); a carriage return is a line break, as the readers make it, since the writer
    would leave a field holding a bare CR unquoted and split the row."""
    if not isinstance(value, str):
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if len(value) > 1 and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_items(items: list[DisclosureItem], fmt: str, output: Path | None) -> None:
    """Items to a file (atomically; CSV with a BOM so that Excel reads it as UTF-8) or stdout."""
    text = render_items(items, fmt)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(output, ("\ufeff" + text) if fmt == "csv" else text)


# --------------------------------------------------------------------------- build tables

ITEM_COLUMNS = [*RECORD_FIELDS, "citation_count", "warning_count"]
CITATION_COLUMNS = ["item_id", "catalog", "item_number", "item_path", "source_file", "text",
                    "title", "doc_number", "regulation", "regulation_label", "article",
                    "paragraph", "item", "chapter", "warnings"]
BOM = "\ufeff".encode()


def csv_rows(rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([_inert(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def _joined(values: Iterable[int | None]) -> str:
    return "；".join("" if v is None else str(v) for v in values)


def table_rows(catalog: Catalog) -> tuple[bytes, bytes, dict[str, int]]:
    """One catalog's rows of the build's items.csv and citations.csv (the regulation label left
    empty: it is filled when every catalog is read), and how many of its items cite each
    regulation."""
    items, citations = [], []
    citing: dict[str, int] = {}
    for item in catalog.items:
        record = item.to_record()
        items.append([*record.values(), len(item.citations), len(item.warnings)])
        for regulation in sorted({c.regulation for c in item.citations if c.regulation}):
            citing[regulation] = citing.get(regulation, 0) + 1
        for c in item.citations:
            provisions = c.provisions
            citations.append([
                item.id, item.catalog, item.number or "", " > ".join(item.path), item.source.file,
                c.text, c.title or "", c.doc_number or "", c.regulation or "", "",
                _joined(p.article for p in provisions), _joined(p.paragraph for p in provisions),
                _joined(p.item for p in provisions), _joined(p.chapter for p in provisions),
                "；".join(c.warnings),
            ])
    return csv_rows(items), csv_rows(citations), citing
