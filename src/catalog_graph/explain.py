"""How a table was read: ``catalog-graph explain FILE [-o explain.html]``.

What a user needs to see when an item comes out wrong, as pdfplumber's visual debugger shows
what its table finder saw: the header rows found and the field each column maps to (and which
stayed in ``extra``), the sub-catalogs, every data row with the item it became, the cells it
inherited from a merged range (↑ from above, ← from the left), and every repair the layout
made to it, by code (:mod:`catalog_graph.layout.repairs`). :func:`explain_file` reads the file
once (reader, then layout with a trace) into an :class:`Explanation`; :func:`render_text` is the
terminal's view and :func:`render_html` one self-contained page: the table as read, each cell
coloured by the field of its column, each repair explained, and for a PDF each page drawn with
the cell boxes the reader found, coloured the same way (Pillow on pdfplumber's page image).
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

from catalog_graph.layout import header as C
from catalog_graph.layout.repairs import REPAIRS, code_of
from catalog_graph.layout.table import SectionRead, build_catalog
from catalog_graph.models import Catalog, RawTable
from catalog_graph.paths import display_name
from catalog_graph.readers import read_table

# One colour per field, for cells and boxes alike (colour-blind-safe tints).
COLOURS = {
    C.NUMBER: "#d9d9d9", C.LEVEL: "#aec7e8", C.CONTENT: "#c5e0b4", C.BASIS: "#ffd8a8",
    C.TIME: "#f4b6c2", C.SUBJECT: "#d5c4e8", C.CHANNELS: "#b9e6e6", C.AUDIENCE: "#fff2a8",
    C.METHOD: "#ffe0cc", C.TIER: "#e6d2b5", "extra": "#ffffff",
}
MAX_PAGES_DRAWN = 20  # pages of a PDF drawn in the page (the rest are listed)


@dataclass(slots=True)
class RowRead:
    """One row of the table and what became of it."""

    index: int  # row of the RawTable
    role: str  # header | item | title | skipped
    section: int | None = None
    item: int | None = None  # index into catalog.items
    repairs: list[tuple[str | None, str]] = field(default_factory=list)  # (code, message)


@dataclass(slots=True)
class Explanation:
    """A file as read: its table, the catalog, each section's header and each row's fate."""

    file: str
    format: str
    table: RawTable
    catalog: Catalog
    sections: list[SectionRead]
    rows: list[RowRead]
    path: Path

    def column_fields(self, row: int) -> dict[int, str]:
        """The field of each column for a row of the table (by the section it is in)."""
        section = self._section_of(row)
        if section is None:
            return {}
        return {c.index: c.field for c in section.header.columns}

    def _section_of(self, row: int) -> SectionRead | None:
        found = None
        for s in self.sections:
            if row >= s.offset:
                found = s
        return found


def explain_file(path: Path, display: str | None = None) -> Explanation:
    """Read ``path`` as ``parse`` does and keep what each step decided."""
    path = Path(path)
    name = display_name(display if display is not None else path)
    table, fmt = read_table(path, name)
    trace: list[SectionRead] = []
    catalog = build_catalog(table, fmt, trace)
    roles: dict[int, RowRead] = {}
    for n, s in enumerate(trace):
        for i in range(s.offset + s.header.start, s.offset + s.header.end):
            roles[i] = RowRead(i, "header", n)
        if n:
            for i in range(s.offset, s.offset + s.header.start):
                if any(c.text.strip() for c in table.rows[i]):
                    roles.setdefault(i, RowRead(i, "title", n))
        for k, i in enumerate(s.data):
            item = catalog.items[s.first_item + k]
            roles[i] = RowRead(i, "item", n, s.first_item + k,
                               [(code_of(w), w) for w in item.warnings])
    rows = [roles.get(i, RowRead(i, "skipped")) for i in range(len(table.rows))]
    return Explanation(name, fmt, table, catalog, trace, rows, path)


# ---------------------------------------------------------------- terminal


def _label(text: str) -> str:
    return " ".join(text.split()) or "(no header)"


def render_text(exp: Explanation) -> str:
    """The explanation for a terminal: header and columns, sections, rows, repairs."""
    cat = exp.catalog
    out = [f"{exp.file}: read as {exp.format}; {len(exp.table.rows)} rows, "
           f"{len(cat.items)} items",
           f"title: {cat.title}" + (f"  (body: {cat.body})" if cat.body else "")]
    if cat.sections:
        out.append(f"sub-catalogs found: {len(cat.sections)}")
        out += [f"  {n + 1}. {t}" for n, t in enumerate(cat.sections)]
    for n, s in enumerate(exp.sections):
        first, last = s.offset + s.header.start + 1, s.offset + s.header.end
        out.append("")
        out.append(f"[{n + 1}] {s.title}" if len(exp.sections) > 1 else "header")
        out.append(f"  header rows {first}-{last} of the table" if last > first
                   else f"  header row {first} of the table")
        out.append(f"  {'col':>4}  {'field':<11} header")
        for c in s.header.columns:
            kind = c.field + (" ✓" if c.mark else "")
            out.append(f"  {c.index + 1:>4}  {kind:<11} {_label(c.label)}")
        extra = [_label(c.label) for c in s.header.columns if c.field == "extra"]
        if extra:
            out.append(f"  kept in extra: {'、'.join(extra)}")
    out.append("")
    out.append("rows (row = the table's row; ↑ inherited from above, ← from the left)")
    for r in exp.rows:
        row = exp.table.rows[r.index]
        if r.role == "item" and r.item is not None:
            item = cat.items[r.item]
            inherited = _inherited(exp, r.index)
            line = (f"  row {r.index + 1:>3}  item {r.item + 1:>3}  "
                    f"{'序号 ' + item.number + '  ' if item.number else ''}"
                    f"{' > '.join(item.path) or '(no item name)'}")
            if inherited:
                line += f"   [{', '.join(inherited)}]"
            out.append(line)
            for code, message in r.repairs:
                out.append(f"           {code or 'note'}: {message}")
        else:
            texts = [c.text for c in row if c.text.strip()]
            shown = " | ".join(" ".join(t.split())[:20] for t in texts)[:90]
            out.append(f"  row {r.index + 1:>3}  {r.role:<8}  {shown}")
    if cat.warnings:
        out.append("")
        out.append("catalog warnings")
        out += [f"  {w}" for w in cat.warnings]
    return "\n".join(out) + "\n"


def _inherited(exp: Explanation, index: int) -> list[str]:
    fields = exp.column_fields(index)
    marks = []
    for j, cell in enumerate(exp.table.rows[index]):
        if cell.merged:
            arrow = "↑" if cell.merged == "up" else "←"
            marks.append(f"{arrow}{fields.get(j, 'col ' + str(j + 1))}")
    return marks


# ---------------------------------------------------------------- HTML

_STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em} h2{font-size:1.1em;margin-top:1.6em}
table{border-collapse:collapse;font-size:13px}
td,th{border:1px solid #999;padding:3px 5px;vertical-align:top;max-width:22em}
td.inh{color:#666;font-style:italic} td.same{outline:2px dashed #c00}
tr.header td{font-weight:bold} tr.skipped td,tr.title td{background:#f6f6f6 !important;color:#777}
td.role{white-space:nowrap;font-size:12px;color:#444;background:#fff}
.legend span{display:inline-block;padding:2px 8px;margin:2px;border:1px solid #999}
ul.repairs{margin:0;padding-left:1.2em;font-size:12px} code{background:#f0f0f0}
.page{margin:1em 0} .page img{border:1px solid #999;max-width:100%}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_html(exp: Explanation) -> str:
    """The explanation as one self-contained page (styles inline, page images as data URIs)."""
    cat = exp.catalog
    parts = ["<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\">",
             f"<title>explain: {_e(exp.file)}</title><style>{_STYLE}</style></head><body>",
             f"<h1>How {_e(exp.file)} was read</h1>",
             f"<p>Read as <b>{_e(exp.format)}</b>: {len(exp.table.rows)} rows, "
             f"<b id=\"item-count\">{len(cat.items)}</b> items. Title: "
             f"<b id=\"title\">{_e(cat.title)}</b>"
             + (f" (body: {_e(cat.body)})" if cat.body else "") + ".</p>"]
    parts.append("<div class=\"legend\">Fields: " + "".join(
        f"<span style=\"background:{colour}\">{_e(name)}</span>"
        for name, colour in COLOURS.items()) + "</div>")
    if cat.sections:
        parts.append(f"<h2>Sub-catalogs ({len(cat.sections)})</h2><ol id=\"sections\">"
                     + "".join(f"<li>{_e(t)}</li>" for t in cat.sections) + "</ol>")
    for s in exp.sections:
        parts.append(f"<h2>Columns{' of ' + _e(s.title) if len(exp.sections) > 1 else ''}</h2>")
        parts.append("<table class=\"columns\"><tr><th>column</th><th>header</th><th>field</th>"
                     "</tr>")
        for c in s.header.columns:
            parts.append(f"<tr><td>{c.index + 1}</td><td>{_e(_label(c.label))}</td>"
                         f"<td style=\"background:{COLOURS.get(c.field, '#fff')}\" "
                         f"data-field=\"{_e(c.field)}\">{_e(c.field)}"
                         f"{' (mark ✓)' if c.mark else ''}</td></tr>")
        parts.append("</table>")
    parts.append("<h2>The table as read</h2>")
    parts.append(_table_html(exp))
    used = sorted({code for r in exp.rows for code, _ in r.repairs if code})
    if used:
        parts.append("<h2>Repairs</h2><dl id=\"repair-codes\">")
        for code in used:
            parts.append(f"<dt><code>{_e(code)}</code></dt><dd>{_e(REPAIRS[code].explains)}</dd>")
        parts.append("</dl>")
    if cat.warnings:
        parts.append("<h2>Catalog warnings</h2><ul>"
                     + "".join(f"<li>{_e(w)}</li>" for w in cat.warnings) + "</ul>")
    if exp.table.boxes:
        parts.append("<h2>Pages with the cell boxes found</h2>")
        parts += _pages_html(exp)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _table_html(exp: Explanation) -> str:
    width = max((len(r) for r in exp.table.rows), default=0)
    out = ["<table id=\"read\"><tr><th>row</th>" + "".join(
        f"<th>{j + 1}</th>" for j in range(width)) + "<th>repairs</th></tr>"]
    for r in exp.rows:
        row = exp.table.rows[r.index]
        fields = exp.column_fields(r.index)
        what = {"item": f"item {r.item + 1 if r.item is not None else ''}"}.get(r.role, r.role)
        cells = []
        for j in range(width):
            cell = row[j] if j < len(row) else None
            f = fields.get(j, "extra")
            colour = COLOURS.get(f, "#fff") if r.role in ("item", "header") else "#f6f6f6"
            if cell is None:
                cells.append("<td></td>")
            elif cell.merged:
                arrow = "↑" if cell.merged == "up" else "←"
                cells.append(f"<td class=\"inh\" data-field=\"{_e(f)}\" style=\"background:"
                             f"{colour}\" title=\"inherited ({'from above' if arrow == '↑' else 'from the left'}, merged cell)\">{arrow}</td>")
            else:
                same = " same" if cell.text.strip() in ("同上", "同左", "同前") else ""
                text = _e(cell.text).replace("\n", "<br>")
                cells.append(f"<td class=\"cell{same}\" data-field=\"{_e(f)}\" "
                             f"style=\"background:{colour}\">{text}</td>")
        repairs = "".join(
            f"<li><code>{_e(code or 'note')}</code> {_e(msg)}</li>" for code, msg in r.repairs)
        out.append(f"<tr class=\"{r.role}\" data-row=\"{r.index + 1}\"><td class=\"role\">"
                   f"{r.index + 1} · {_e(what)}</td>{''.join(cells)}<td class=\"role\">"
                   + (f"<ul class=\"repairs\">{repairs}</ul>" if repairs else "") + "</td></tr>")
    out.append("</table>")
    return "\n".join(out)


def _pages_html(exp: Explanation) -> list[str]:
    pages = sorted({b.page for b in exp.table.boxes})
    out = []
    for page in pages[:MAX_PAGES_DRAWN]:
        png = draw_page(exp, page)
        if png is None:
            continue
        data = base64.b64encode(png).decode("ascii")
        out.append(f"<div class=\"page\"><h3>page {page}</h3><img alt=\"page {page} with "
                   f"its cell boxes\" src=\"data:image/png;base64,{data}\"></div>")
    if len(pages) > MAX_PAGES_DRAWN:
        out.append(f"<p>{len(pages) - MAX_PAGES_DRAWN} more pages not drawn.</p>")
    return out


def draw_page(exp: Explanation, page: int, resolution: int = 100) -> bytes | None:
    """PDF page ``page`` as a PNG, each cell box the reader found outlined and tinted with
    the colour of its column's field (None when the page cannot be drawn)."""
    import pdfplumber
    from PIL import Image, ImageDraw

    scale = resolution / 72
    try:
        with pdfplumber.open(str(exp.path)) as pdf:
            image = pdf.pages[page - 1].to_image(resolution=resolution).original.convert("RGB")
    except Exception:  # noqa: BLE001 - a page the renderer cannot draw is only not shown
        return None
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for box in exp.table.boxes:
        if box.page != page:
            continue
        field = exp.column_fields(box.row).get(box.col, "extra") if box.row >= 0 else "extra"
        colour = COLOURS.get(field, "#ffffff").lstrip("#")
        rgb = tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))
        xy = (box.x0 * scale, box.top * scale, box.x1 * scale, box.bottom * scale)
        draw.rectangle(xy, fill=(*rgb, 90), outline=(200, 0, 0, 255), width=2)
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
