"""Word 97-2003 documents (.doc), Kingsoft .wps (the same format under another name) and RTF,
through LibreOffice → .docx → the docx reader.

LibreOffice is how offices themselves convert these files; it runs long-lived, one per process
(:mod:`catalog_graph.readers.converter`). The .docx it writes is read as any .docx
(:mod:`catalog_graph.readers.docx`), after one repair: RTF gives each row its own cell
boundaries, and where they differ by rounding LibreOffice adds a grid column a twip or two wide,
shifting the cells after it by one column. Grid columns narrower than :data:`NARROW` twips
(a Word .docx has none: a column is at least a character wide) are folded away first: a cell
starting in one starts at the next column, a cell ending in one ends at the previous column,
a cell lying only in such columns (empty) is dropped.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from catalog_graph.models import RawTable
from catalog_graph.readers import converter, docx

NARROW = 30  # twips (1/1440 inch): 0.5 mm
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WHAT = {".doc": "a Word 97-2003 document", ".rtf": "an RTF document"}


def read(path: Path, display: str, suffix: str = ".doc") -> RawTable:
    """Read the catalog table of a Word 97-2003 (or Kingsoft .wps) document."""
    what = _WHAT[suffix]
    output, folder = converter.convert(path, display, what, suffix, ".docx", "MS Word 2007 XML")
    try:
        snap_narrow_columns(output)
        table = docx.read(output, display)
    finally:
        folder.cleanup()
    return table


def snap_narrow_columns(path: Path) -> int:
    """Fold grid columns narrower than :data:`NARROW` twips out of every table of a .docx, in
    place; how many were folded."""
    from lxml import etree

    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml")
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, huge_tree=True))
    folded = 0
    for tbl in root.iter(W + "tbl"):
        folded += _snap(tbl)
    if not folded:
        return 0
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".docx", delete=False) as tmp:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "word/document.xml":
                    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                          standalone=True)
                dst.writestr(info, data)
    shutil.move(tmp.name, path)
    return folded


def _snap(tbl) -> int:
    grid = tbl.find(W + "tblGrid")
    if grid is None:
        return 0
    cols = grid.findall(W + "gridCol")
    widths = []
    for col in cols:
        try:
            widths.append(int(float(col.get(W + "w", "1000"))))
        except ValueError:
            widths.append(1000)
    keep = [i for i, w in enumerate(widths) if w >= NARROW]
    if len(keep) == len(widths) or not keep:
        return 0
    new_index = {c: k for k, c in enumerate(keep)}

    def first_from(c: int) -> int | None:
        return next((new_index[k] for k in keep if k >= c), None)

    def last_to(c: int) -> int | None:
        return max((new_index[k] for k in keep if k <= c), default=None)

    for i, col in enumerate(cols):
        if i not in new_index:
            grid.remove(col)
    for tr in tbl.iterfind(W + "tr"):
        trpr = tr.find(W + "trPr")
        before = trpr.find(W + "gridBefore") if trpr is not None else None
        col = _val(before, 0)
        if before is not None:
            before.set(W + "val", str(sum(1 for k in keep if k < col)))
        for tc in list(tr.iterfind(W + "tc")):
            tcpr = tc.find(W + "tcPr")
            span_el = tcpr.find(W + "gridSpan") if tcpr is not None else None
            span = max(_val(span_el, 1), 1)
            start, end = first_from(col), last_to(col + span - 1)
            col += span
            if start is None or end is None or end < start:
                if not "".join(tc.itertext()).strip():
                    tr.remove(tc)
                continue
            width = end - start + 1
            if width != span:
                if width == 1 and span_el is not None:
                    tcpr.remove(span_el)
                elif span_el is not None:
                    span_el.set(W + "val", str(width))
    return len(widths) - len(keep)


def _val(el, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(W + "val", default))
    except ValueError:
        return default

