"""A catalog against a standard (the field's 基层政务公开标准指引, or a model catalog): what it lacks.

Since 2019–2020 every county and township catalog is meant to follow its field's national
standard. The standard's items are aligned with the catalog's (:mod:`catalog_graph.compare.align`,
one to one), then every catalog item left over that scores at least the threshold against an
already matched standard item joins that match (a catalog often details one standard item in
several rows). The report lists:

- **lacking**: standard items with no catalog item;
- **extra**: catalog items beyond the standard;
- **matched**: each standard item with its catalog items and their scores, and the regulations
  the standard cites there that none of those catalog items cites (**bases lacking**, compared by
  resolved regulation, so a short title or another spelling is no lack).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalog_graph.compare.align import THRESHOLD, align, regulations, score_matrix
from catalog_graph.compare.diff import citation_ref, ref
from catalog_graph.models import Catalog


@dataclass
class Coverage:
    """The ``coverage --format json`` report."""

    catalog: str
    standard: str
    matched: list[dict] = field(default_factory=list)
    lacking: list[dict] = field(default_factory=list)
    extra: list[dict] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.lacking and not any(m["bases_lacking"] for m in self.matched)

    def to_dict(self) -> dict[str, Any]:
        return {"catalog": self.catalog, "standard": self.standard,
                "summary": {"standard_items": len(self.matched) + len(self.lacking),
                            "matched": len(self.matched), "lacking": len(self.lacking),
                            "extra": len(self.extra),
                            "bases_lacking": sum(len(m["bases_lacking"]) for m in self.matched)},
                "matched": self.matched, "lacking": self.lacking, "extra": self.extra}


def coverage(catalog: Catalog, standard: Catalog, threshold: float = THRESHOLD) -> Coverage:
    """How ``catalog`` covers ``standard`` (see the module docstring)."""
    alignment = align(standard.items, catalog.items, threshold)
    members: dict[int, list[tuple[int, float]]] = {}
    for i, j, score in alignment.pairs:
        members.setdefault(i, []).append((j, score))
    for i, js in alignment.splits:  # one standard item detailed in several catalog rows
        members.setdefault(i, []).extend((j, 1.0) for j in js)
    for is_, j in alignment.merges:  # several standard items in one catalog row
        for i in is_:
            members.setdefault(i, []).append((j, 1.0))
    extra = list(alignment.added)
    if extra and members:
        scores = score_matrix(standard.items, [catalog.items[j] for j in extra])
        matched_rows = sorted(members)
        left = []
        for col, j in enumerate(extra):
            best = max(matched_rows, key=lambda i: (scores[i, col], -i))
            if scores[best, col] >= threshold:
                members[best].append((j, round(float(scores[best, col]), 3)))
            else:
                left.append(j)
        extra = left
    report = Coverage(catalog=catalog.file, standard=standard.file)
    for i in sorted(members):
        item = standard.items[i]
        found = sorted(members[i])
        cited = set().union(*(regulations(catalog.items[j]) for j, _ in found))
        lacking = []
        seen = set()
        for c in item.citations:
            if c.regulation and c.regulation not in cited and c.regulation not in seen:
                seen.add(c.regulation)
                lacking.append(citation_ref(c))
        report.matched.append({"standard": ref(item),
                               "catalog": [dict(ref(catalog.items[j]), score=s) for j, s in found],
                               "bases_lacking": lacking})
    matched = set(members)
    report.lacking = [ref(item) for i, item in enumerate(standard.items) if i not in matched]
    report.extra = [ref(catalog.items[j]) for j in sorted(extra)]
    return report
