"""Items out: JSON Lines, JSON or CSV, to stdout or atomically to a file."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from catalog_graph.atomic import write_atomic
from catalog_graph.models import RECORD_FIELDS, DisclosureItem

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
