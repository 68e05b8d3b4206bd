"""Diff and coverage reports as text for people: a terminal table, CSV, JSON, one HTML page.

The HTML page is self-contained (its style inline, no scripts), every catalog text escaped. The
diff page shows the two catalogs side by side, aligned item by item, with what changed marked;
each citation links to its regulation's node in the graph.
"""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Any

from catalog_graph.compare.coverage import Coverage
from catalog_graph.compare.diff import FIELDS, CatalogDiff, citation_ref
from catalog_graph.graph.iris import DEFAULT_BASE, Iris
from catalog_graph.models import Citation, DisclosureItem

FORMATS = ("table", "json", "csv", "html")

_LABELS = {"content": "公开内容", "time_limit": "公开时限", "subject": "公开主体",
           "channels": "公开渠道", "audience": "公开对象", "method": "公开方式", "level": "公开层级",
           "path": "公开事项"}


def _path(ref: dict[str, Any]) -> str:
    return " › ".join(ref.get("path") or []) or "(no name)"


def _name(ref: dict[str, Any]) -> str:
    number = ref.get("number")
    return (f"{number}. " if number else "") + _path(ref)


def _cite(c: dict[str, Any]) -> str:
    title = f"《{c['title']}》" if c.get("title") else ""
    number = f"（{c['doc_number']}）" if c.get("doc_number") else ""
    provisions = "".join(_provision(p) for p in c.get("provisions") or [])
    return f"{title}{number}{provisions}" or (c.get("regulation") or "?")


def _provision(p: dict[str, Any]) -> str:
    from catalog_graph.models import Provision

    return Provision(article=p.get("article"), paragraph=p.get("paragraph"), item=p.get("item"),
                     chapter=p.get("chapter")).label()


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- diff


def render_diff(report: CatalogDiff, fmt: str) -> str:
    """The diff report in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        return _json(report.to_dict())
    if fmt == "csv":
        return _diff_csv(report)
    if fmt == "html":
        return _diff_html(report)
    return _diff_table(report)


def _diff_table(r: CatalogDiff) -> str:
    lines = [f"--- {r.old}", f"+++ {r.new}"]
    for ref in r.removed:
        lines.append(f"- removed  {_name(ref)}")
    for ref in r.added:
        lines.append(f"+ added    {_name(ref)}")
    for pair in r.renamed:
        lines.append(f"~ renamed  {_name(pair['old'])}  →  {_path(pair['new'])}")
    for change in r.changed:
        fields = "、".join(_LABELS.get(f, f) for f in change["fields"])
        lines.append(f"~ changed  {_name(change['new'])}" + (f": {fields}" if fields else ""))
        for c in change["citations_added"]:
            lines.append(f"    + cites {_cite(c)}")
        for c in change["citations_removed"]:
            lines.append(f"    - cites {_cite(c)}")
    for s in r.split:
        lines.append(f"< split    {_name(s['old'])}  →  " + "；".join(_path(n) for n in s["new"]))
    for m in r.merged:
        lines.append("> merged   " + "；".join(_path(o) for o in m["old"])
                     + f"  →  {_name(m['new'])}")
    lines.append(f"{len(r.added)} added, {len(r.removed)} removed, {len(r.renamed)} renamed, "
                 f"{len(r.changed)} changed, {len(r.split)} split, {len(r.merged)} merged, "
                 f"{r.unchanged} unchanged")
    return "\n".join(lines) + "\n"


_CSV_COLUMNS = ["change", "old_id", "old_number", "old_path", "new_id", "new_number", "new_path",
                "fields", "citations_added", "citations_removed"]


def _diff_csv(r: CatalogDiff) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)

    def cells(ref: dict | None) -> list[str]:
        if ref is None:
            return ["", "", ""]
        return [ref["id"], ref.get("number") or "", "／".join(ref["path"])]

    for ref in r.removed:
        writer.writerow(["removed", *cells(ref), *cells(None), "", "", ""])
    for ref in r.added:
        writer.writerow(["added", *cells(None), *cells(ref), "", "", ""])
    for pair in r.renamed:
        writer.writerow(["renamed", *cells(pair["old"]), *cells(pair["new"]), "path", "", ""])
    for change in r.changed:
        writer.writerow(["changed", *cells(change["old"]), *cells(change["new"]),
                         "；".join(change["fields"]),
                         "；".join(_cite(c) for c in change["citations_added"]),
                         "；".join(_cite(c) for c in change["citations_removed"])])
    for s in r.split:
        for new in s["new"]:
            writer.writerow(["split", *cells(s["old"]), *cells(new), "", "", ""])
    for m in r.merged:
        for old in m["old"]:
            writer.writerow(["merged", *cells(old), *cells(m["new"]), "", "", ""])
    return "\ufeff" + buffer.getvalue()


_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em}table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #ccc;padding:.35em .5em;vertical-align:top;text-align:left;
min-width:4.5em}td.num,th.num{min-width:1.5em}
th{background:#f3f3f3}.added{background:#e6ffec}.removed{background:#ffebe9}
.changed{background:#fff8c5}mark{background:#ffd33d66}.num{color:#666;white-space:nowrap}
.summary span{margin-right:1.2em}.cite{display:block}.cite.plus{color:#1a7f37}
.cite.minus{color:#cf222e;text-decoration:line-through}td.empty{background:#fafafa}
a{color:#0550ae}
"""


def _cell_text(item: DisclosureItem | None, field: str, marked: bool) -> str:
    if item is None:
        return ""
    if field == "path":
        value = " › ".join(item.path)
    elif field == "time_limit":
        value = item.time_limit.text if item.time_limit else ""
    elif field in ("channels", "audience", "method", "level"):
        value = "、".join(getattr(item, field))
    else:
        value = getattr(item, field) or ""
    text = html.escape(value)
    return f"<mark>{text}</mark>" if marked and text else text


def _citations_html(item: DisclosureItem | None, iris: Iris, added: set, removed: set,
                    side: str) -> str:
    if item is None:
        return ""
    out = []
    for c in item.citations:
        label = html.escape(_cite(citation_ref(c)))
        key = _key(c)
        css = "plus" if side == "new" and key in added else (
            "minus" if side == "old" and key in removed else "")
        inner = (f'<a href="{html.escape(iris.regulation(c.regulation))}">{label}</a>'
                 if c.regulation else label)
        out.append(f'<span class="cite {css}">{inner}</span>')
    return "".join(out)


def _key(c: Citation) -> tuple:
    from catalog_graph.compare.diff import citation_key

    return citation_key(c)


def _diff_html(r: CatalogDiff) -> str:
    iris = Iris(DEFAULT_BASE)
    columns = ["path", "content", "time_limit", "subject", "channels"]
    head = "".join(f"<th>{_LABELS[c]}</th>" for c in columns)
    rows = []
    changed = {(c["old"]["id"], c["new"]["id"]): c for c in r.changed}
    renamed = {(p["old"]["id"], p["new"]["id"]) for p in r.renamed}
    for a, b, score in sorted(r.pairs, key=lambda p: (p[1].source.row or 0, p[1].id)):
        change = changed.get((a.id, b.id))
        fields = set(change["fields"]) if change else set()
        if (a.id, b.id) in renamed:
            fields.add("path")
        added = {_key_of(c) for c in change["citations_added"]} if change else set()
        removed = {_key_of(c) for c in change["citations_removed"]} if change else set()
        css = "changed" if fields or added or removed else ""
        rows.append(_pair_row(a, b, columns, fields, css, iris, added, removed, score))
    for ref in r.removed:
        item = _find(r, ref, "old")
        rows.append(_pair_row(item, None, columns, set(), "removed", iris, set(), set(), None))
    for ref in r.added:
        item = _find(r, ref, "new")
        rows.append(_pair_row(None, item, columns, set(), "added", iris, set(), set(), None))
    summary = (f"<span>{len(r.added)} added</span><span>{len(r.removed)} removed</span>"
               f"<span>{len(r.renamed)} renamed</span><span>{len(r.changed)} changed</span>"
               f"<span>{len(r.split)} split</span><span>{len(r.merged)} merged</span>"
               f"<span>{r.unchanged} unchanged</span>")
    groups = ""
    for s in r.split:
        groups += (f"<li>split: {html.escape(_name(s['old']))} → "
                   + "；".join(html.escape(_name(n)) for n in s["new"]) + "</li>")
    for m in r.merged:
        groups += ("<li>merged: " + "；".join(html.escape(_name(o)) for o in m["old"])
                   + f" → {html.escape(_name(m['new']))}</li>")
    return (
        "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(r.old)} → {html.escape(r.new)}</title><style>{_STYLE}</style>"
        "</head><body>"
        f"<h1>What changed: {html.escape(r.old)} → {html.escape(r.new)}</h1>"
        f"<p class=\"summary\">{summary}</p>" + (f"<ul>{groups}</ul>" if groups else "") +
        f"<table><thead><tr><th class=\"num\">序号</th>{head}<th>公开依据</th>"
        f"<th class=\"num\">序号</th>{head}<th>公开依据</th></tr>"
        f"<tr><th colspan=\"{len(columns) + 2}\">old: {html.escape(r.old)}</th>"
        f"<th colspan=\"{len(columns) + 2}\">new: {html.escape(r.new)}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></body></html>\n")


def _key_of(c: dict[str, Any]) -> tuple:
    provisions = tuple(sorted((p.get("chapter") or 0, p.get("article") or 0,
                               p.get("paragraph") or 0, p.get("item") or 0)
                              for p in c["provisions"]))
    regulation = c["regulation"] or f"title:{c.get('title') or ''}|no:{c.get('doc_number') or ''}"
    return regulation, provisions


def _find(r: CatalogDiff, ref: dict[str, Any], side: str) -> DisclosureItem | None:
    for item in (r.old_items if side == "old" else r.new_items):
        if item.id == ref["id"]:
            return item
    return None


def _pair_row(a: DisclosureItem | None, b: DisclosureItem | None, columns: list[str],
              fields: set[str], css: str, iris: Iris, added: set, removed: set,
              score: float | None) -> str:
    def side(item: DisclosureItem | None, name: str) -> str:
        if item is None:
            return f'<td class="empty" colspan="{len(columns) + 2}"></td>'
        cells = [f'<td class="num">{html.escape(item.number or "")}</td>']
        cells += [f"<td>{_cell_text(item, c, c in fields)}</td>" for c in columns]
        cells.append(f"<td>{_citations_html(item, iris, added, removed, name)}</td>")
        return "".join(cells)

    title = f' title="match score {score}"' if score is not None else ""
    return f'<tr class="{css}"{title}>{side(a, "old")}{side(b, "new")}</tr>'


# --------------------------------------------------------------------------- coverage


def render_coverage(report: Coverage, fmt: str) -> str:
    """The coverage report in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        return _json(report.to_dict())
    if fmt == "csv":
        return _coverage_csv(report)
    if fmt == "html":
        return _coverage_html(report)
    return _coverage_table(report)


def _coverage_table(r: Coverage) -> str:
    s = r.to_dict()["summary"]
    lines = [f"catalog:  {r.catalog}", f"standard: {r.standard}"]
    for ref in r.lacking:
        lines.append(f"- lacking  {_name(ref)}")
    for ref in r.extra:
        lines.append(f"+ extra    {_name(ref)}")
    for m in r.matched:
        if m["bases_lacking"]:
            lines.append(f"! basis    {_name(m['standard'])}: lacks "
                         + "；".join(_cite(c) for c in m["bases_lacking"]))
    lines.append(f"{s['matched']} of {s['standard_items']} standard items matched, "
                 f"{s['lacking']} lacking, {s['extra']} extra, "
                 f"{s['bases_lacking']} bases lacking")
    return "\n".join(lines) + "\n"


def _coverage_csv(r: Coverage) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["finding", "standard_id", "standard_number", "standard_path", "catalog_id",
                     "catalog_number", "catalog_path", "score", "bases_lacking"])
    for m in r.matched:
        st = m["standard"]
        for c in m["catalog"]:
            writer.writerow(["matched", st["id"], st.get("number") or "", "／".join(st["path"]),
                             c["id"], c.get("number") or "", "／".join(c["path"]), c["score"],
                             "；".join(_cite(x) for x in m["bases_lacking"])])
    for ref in r.lacking:
        writer.writerow(["lacking", ref["id"], ref.get("number") or "", "／".join(ref["path"]),
                         "", "", "", "", ""])
    for ref in r.extra:
        writer.writerow(["extra", "", "", "", ref["id"], ref.get("number") or "",
                         "／".join(ref["path"]), "", ""])
    return "\ufeff" + buffer.getvalue()


def _coverage_html(r: Coverage) -> str:
    s = r.to_dict()["summary"]
    rows = []
    for m in r.matched:
        st = html.escape(_name(m["standard"]))
        found = "<br>".join(f"{html.escape(_name(c))} <span class=\"num\">({c['score']})</span>"
                            for c in m["catalog"])
        lack = "".join(f'<span class="cite minus">{html.escape(_cite(c))}</span>'
                       for c in m["bases_lacking"])
        rows.append(f'<tr class="{"changed" if lack else ""}"><td>{st}</td><td>{found}</td>'
                    f"<td>{lack}</td></tr>")
    for ref in r.lacking:
        rows.append(f'<tr class="removed"><td>{html.escape(_name(ref))}</td>'
                    "<td>(lacking)</td><td></td></tr>")
    for ref in r.extra:
        rows.append(f'<tr class="added"><td>(beyond the standard)</td>'
                    f"<td>{html.escape(_name(ref))}</td><td></td></tr>")
    return (
        "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(r.catalog)} against {html.escape(r.standard)}</title>"
        f"<style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(r.catalog)} against the standard {html.escape(r.standard)}</h1>"
        f"<p class=\"summary\"><span>{s['matched']} of {s['standard_items']} matched</span>"
        f"<span>{s['lacking']} lacking</span><span>{s['extra']} extra</span>"
        f"<span>{s['bases_lacking']} bases lacking</span></p>"
        "<table><thead><tr><th>standard item</th><th>catalog items (score)</th>"
        "<th>bases the standard cites that the catalog lacks</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></body></html>\n")


__all__ = ["FORMATS", "FIELDS", "render_coverage", "render_diff"]
