"""Two versions of a catalog → what changed: items added, removed, renamed, changed, split, merged.

Items are aligned by :mod:`catalog_graph.compare.align` (never by 序号, which revisions
renumber). For each aligned pair:

- **renamed**: its level names (``path``) differ;
- **changed**: any of :data:`FIELDS` differ (text compared with wrap spaces folded; channels,
  audience, method and level as sets), or its citations differ — compared by the regulation they
  resolve to and the provisions they name, not by string: 《政府信息公开条例》 becoming
  《中华人民共和国政府信息公开条例》 is no change, 第二十条 becoming 第二十一条 is;
- **unchanged**: the same apart from its 序号 (counted).

An item both renamed and changed is listed under both. An old item whose content now stands in
two new items is a split; two old items now one new item a merge: both listed as such, not as
removed and added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalog_graph.compare.align import align, fold
from catalog_graph.models import Catalog, Citation, DisclosureItem

FIELDS = ("content", "time_limit", "subject", "channels", "audience", "method", "level")


def ref(item: DisclosureItem) -> dict[str, Any]:
    """An item as the report names it: ``{"id", "number", "path"}``."""
    return {"id": item.id, "number": item.number, "path": list(item.path)}


def citation_key(c: Citation) -> tuple[str, tuple[tuple, ...]]:
    """What makes two citations the same: the regulation and the provisions."""
    regulation = c.regulation or f"title:{fold(c.title)}|no:{c.doc_number or ''}"
    provisions = tuple(sorted((p.chapter or 0, p.article or 0, p.paragraph or 0, p.item or 0)
                              for p in c.provisions))
    return regulation, provisions


def citation_ref(c: Citation) -> dict[str, Any]:
    """A citation as the report names it: ``{"regulation", "title", "doc_number", "provisions"}``."""
    return {"regulation": c.regulation, "title": c.title, "doc_number": c.doc_number,
            "provisions": [p.to_dict() for p in c.provisions]}


def _value(item: DisclosureItem, name: str) -> Any:
    if name == "time_limit":
        tl = item.time_limit
        return None if tl is None else (fold(tl.text), tl.kind, tl.days, tl.working_days,
                                         tl.deadline)
    if name in ("channels", "audience", "method", "level"):
        return tuple(sorted({fold(v) for v in getattr(item, name)}))
    return fold(getattr(item, name)) or None


def _citation_changes(old: DisclosureItem, new: DisclosureItem) -> tuple[list, list]:
    def keyed(item: DisclosureItem) -> dict[tuple, Citation]:
        found: dict[tuple, Citation] = {}
        for c in item.citations:
            found.setdefault(citation_key(c), c)
        return found

    a, b = keyed(old), keyed(new)
    added = [citation_ref(b[k]) for k in sorted(set(b) - set(a))]
    removed = [citation_ref(a[k]) for k in sorted(set(a) - set(b))]
    return added, removed


@dataclass
class CatalogDiff:
    """What changed between two versions of a catalog (the ``diff --format json`` report)."""

    old: str
    new: str
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    renamed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    split: list[dict] = field(default_factory=list)
    merged: list[dict] = field(default_factory=list)
    unchanged: int = 0
    pairs: list[tuple[DisclosureItem, DisclosureItem, float]] = field(default_factory=list,
                                                                       repr=False)
    old_items: list[DisclosureItem] = field(default_factory=list, repr=False)
    new_items: list[DisclosureItem] = field(default_factory=list, repr=False)

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.changed or self.split
                    or self.merged)

    def to_dict(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "added": self.added, "removed": self.removed,
                "renamed": self.renamed, "changed": self.changed, "split": self.split,
                "merged": self.merged, "unchanged": self.unchanged}


def diff_catalogs(old: Catalog, new: Catalog) -> CatalogDiff:
    """What changed from ``old`` to ``new`` (see the module docstring)."""
    alignment = align(old.items, new.items)
    report = CatalogDiff(old=old.file, new=new.file, old_items=old.items, new_items=new.items)
    for i, j, score in alignment.pairs:
        a, b = old.items[i], new.items[j]
        report.pairs.append((a, b, score))
        fields = [name for name in FIELDS if _value(a, name) != _value(b, name)]
        added, removed = _citation_changes(a, b)
        renamed = [fold(p) for p in a.path] != [fold(p) for p in b.path]
        if renamed:
            report.renamed.append({"old": ref(a), "new": ref(b)})
        if fields or added or removed:
            report.changed.append({"old": ref(a), "new": ref(b), "fields": fields,
                                   "citations_added": added, "citations_removed": removed})
        if not (renamed or fields or added or removed):
            report.unchanged += 1
    report.removed = [ref(old.items[i]) for i in alignment.removed]
    report.added = [ref(new.items[j]) for j in alignment.added]
    report.split = [{"old": ref(old.items[i]), "new": [ref(new.items[j]) for j in js]}
                    for i, js in alignment.splits]
    report.merged = [{"old": [ref(old.items[i]) for i in is_], "new": ref(new.items[j])}
                     for is_, j in alignment.merges]
    return report
