"""The tables analysts open in Excel: ``items.csv``, ``citations.csv``, ``regulations.csv``.

UTF-8 with a BOM (so Excel opens them as UTF-8), one header row, lists joined with ；, cells that
Excel would run as a formula (``=…``, ``+…``, ``@…``) made inert. Each catalog's rows are made
with its other parts (:func:`catalog_rows`, in the workers) and written in input order as the
build goes, so memory stays flat; a citation's regulation label, which is only final once every
catalog is read (one regulation, one label), is filled in when the build ends (:class:`Tables`).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Mapping
from pathlib import Path

from catalog_graph.atomic import AtomicFile, temporary_beside
from catalog_graph.models import Regulation
from catalog_graph.output import BOM, CITATION_COLUMNS, ITEM_COLUMNS, csv_rows

REGULATION_COLUMNS = ["id", "title", "doc_number", "issuer", "doc_type", "date", "in_force",
                      "replaced_by", "in_authority", "items_citing", "catalogs_citing"]
_LABEL = CITATION_COLUMNS.index("regulation_label")
_REGULATION = CITATION_COLUMNS.index("regulation")


class Tables:
    """The three tables of a build being written (see the module docstring)."""

    def __init__(self, out_dir: Path, compress: str | None = None) -> None:
        """``compress``: None, "gzip" or "zstd" (see :class:`~catalog_graph.atomic.AtomicFile`)."""
        self.out_dir = out_dir
        self.compress = compress
        self.items = AtomicFile(out_dir / "items.csv", compress=compress)
        self.items.write(BOM + csv_rows([ITEM_COLUMNS]))
        # citation rows wait here for their labels (a temporary name the next build cleans up)
        self.spool, self.spool_name = temporary_beside(out_dir / "citations.csv")
        self.items_citing: dict[str, int] = {}
        self.catalogs_citing: dict[str, int] = {}

    def add(self, items_csv: bytes, citations_csv: bytes, citing: Mapping[str, int]) -> None:
        """One catalog's rows (catalogs in input order)."""
        self.items.write(items_csv)
        self.spool.write(citations_csv)
        for regulation, count in citing.items():
            self.items_citing[regulation] = self.items_citing.get(regulation, 0) + count
            self.catalogs_citing[regulation] = self.catalogs_citing.get(regulation, 0) + 1

    def finish(self, regulations: Mapping[str, Regulation]) -> None:
        """Write citations.csv with every label, and regulations.csv; commit all three."""
        self.spool.close()
        with AtomicFile(self.out_dir / "citations.csv", compress=self.compress) as out, \
                open(self.spool_name, encoding="utf-8", newline="") as spool:
            out.write(BOM + csv_rows([CITATION_COLUMNS]))
            batch: list[list[str]] = []
            for row in csv.reader(spool):
                regulation = regulations.get(row[_REGULATION])
                row[_LABEL] = regulation.title if regulation else ""
                batch.append(row)
                if len(batch) >= 2048:
                    out.write(csv_rows(batch))
                    batch = []
            out.write(csv_rows(batch))
        self._drop_spool()
        rows = []
        for rid in sorted(self.items_citing):
            r = regulations.get(rid)
            if r is None:
                continue
            rows.append([r.id, r.title, r.doc_number or "", "；".join(r.issuer), r.doc_type or "",
                         r.date or "", "" if r.in_force is None else str(r.in_force).lower(),
                         r.replaced_by or "", str(r.in_authority).lower(),
                         self.items_citing[rid], self.catalogs_citing[rid]])
        with AtomicFile(self.out_dir / "regulations.csv", compress=self.compress) as out:
            out.write(BOM + csv_rows([REGULATION_COLUMNS, *rows]))
        self.items.commit()

    def _drop_spool(self) -> None:
        if not self.spool.closed:
            self.spool.close()
        try:
            os.unlink(self.spool_name)
        except FileNotFoundError:
            pass

    def discard(self) -> None:
        self.items.discard()
        self.spool.close()
        self._drop_spool()
