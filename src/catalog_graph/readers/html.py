"""Web pages (.html, .htm, .shtml) with lxml.

A government site wraps its catalog in banner, navigation and footer tables, often nests it
inside a layout table, and may serve it as GB2312. The page is decoded by its BOM, then its
``<meta charset>`` (GB2312 and GBK read as their superset GB18030), then UTF-8 or GB18030. The
catalog is the table whose own first rows (nested tables aside) carry the most catalog header
words; a page where no table has at least two is refused as having no catalog table. A page
holding several catalogs (``（一）义务教育领域……目录`` over one table, ``（二）…`` over the
next) is read whole: every other table as sure of its header as the best one (within one
header word, and at least four) follows, after a row holding its own title, so that layout
reads each as a section; a table shown twice is read once.

``rowspan`` and ``colspan`` are laid out the way browsers do (a cell goes to the next free
position; ``rowspan="0"`` runs to the end of its row group). A cell's text follows HTML
whitespace rules: runs of spaces and newlines in the source are one space, ``<br>`` and block
elements (``<p>``, ``<div>``, ``<li>``) break lines. The title is the table's ``<caption>``,
else the text just above the table that names it, else the page's ``<h1>``, else ``<title>``.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from catalog_graph.errors import CatalogError
from catalog_graph.models import Cell, RawTable
from catalog_graph.readers._select import MIN_SEVERAL, header_score, names_catalog, pick_title
from catalog_graph.readers.clean import clean_cell
from catalog_graph.readers.rows import MAX_COLS, MAX_ROWS, Span, place, split_preamble, trim

MAX_BYTES = 50 * 1024 * 1024
MIN_SCORE = 2  # header words a table needs to be taken for the catalog
MAX_SPAN = 1000

_BLOCK = frozenset("p div li ul ol h1 h2 h3 h4 h5 h6 tr table section article header footer "
                   "blockquote pre dd dt dl address center form fieldset".split())
_SKIP = frozenset(["script", "style", "noscript", "template", "head", "title"])
_WS = re.compile(r"[ \t\r\n\f\v]+")
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def read(path: Path, display: str) -> RawTable:
    """Read the catalog table of a web page into rows of cells, rowspan/colspan marked."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise CatalogError(display, f"is {size // (1024 * 1024)} MiB, over the "
                           f"{MAX_BYTES // (1024 * 1024)} MiB limit for a web page", "too_large")
    text = decode(path.read_bytes(), display)
    root = _parse(text, display)
    found = []
    for table in root.iter("table"):
        rows = _own_rows(table)
        head = [[_text(c, skip_tables=True) for c in _own_cells(tr)] for tr in rows[:8]]
        found.append((table, (header_score(head), len(rows))))
    likely = [(t, key) for t, key in found if key[0] >= MIN_SCORE]
    if not likely:
        raise CatalogError(display, "holds no catalog table (no table has catalog header words "
                           "such as 序号 公开事项 公开依据)", "no_table")
    best, best_key = max(likely, key=lambda tk: tk[1])  # the first of the best
    warnings: list[str] = []
    # several catalogs: further tables as sure of their header, each under a title of its own
    sure = [t for t, key in likely if t is best or key[0] >= max(MIN_SEVERAL, best_key[0] - 1)]
    titles = [None] + [_title_between(t) for t in sure[1:]]
    if not any(titles):
        sure, titles = [best], [None]
        if len(likely) > 1:
            warnings.append(f"the page holds {len(likely)} catalog-like tables; read the one "
                            "with the most header words (then rows)")
    tables: list[tuple[str | None, list]] = []
    seen: set[tuple[str, ...]] = set()
    for n, table in enumerate(sure):
        preamble, rows = split_preamble(trim(_layout(table, warnings)))
        fingerprint = tuple(c.text for row in rows for c in row)
        if not rows or fingerprint in seen:  # a page showing one table twice (print, mobile)
            continue
        seen.add(fingerprint)
        title = _title(root, table, preamble) if n == 0 else (titles[n] or pick_title(preamble))
        tables.append((title, rows))
    if not tables:
        raise CatalogError(display, "holds an empty catalog table", "no_table")
    title, rows = tables[0]
    if len(tables) > 1:
        warnings.append(f"the page holds {len(tables)} catalog tables; read them all, each "
                        "under its own title")
        rows = list(rows)
        for sub_title, sub_rows in tables[1:]:
            if sub_title:
                rows.append([Cell(sub_title)])
            rows.extend(sub_rows)
    return RawTable(file=display, rows=rows, pages=[None] * len(rows), title=title,
                    warnings=warnings)


def _title_between(table) -> str | None:
    """A later table's own title: its caption, or the text between the table before it and
    this one, when it names a catalog."""
    caption = table.find("caption")
    if caption is not None and _text(caption):
        return _text(caption).replace("\n", " ")
    above: list[str] = []
    node = table
    while node is not None and len(above) < 6:
        stop = False
        for sib in node.itersiblings(preceding=True):
            tag = sib.tag.lower() if isinstance(sib.tag, str) else ""
            if tag == "table" or (isinstance(sib.tag, str) and sib.find(".//table") is not None):
                stop = True
                break
            if tag in ("script", "style"):
                continue
            text = _text(sib)
            if text:
                above[:0] = text.split("\n")[-3:]
        if stop or node.tag in ("body", "html"):
            break
        node = node.getparent()
    title = pick_title(above)
    return title if title and names_catalog(title) else None


def decode(data: bytes, display: str) -> str:
    """A page's bytes as text: BOM, then <meta charset>, then UTF-8, then GB18030."""
    if not data.strip():
        raise CatalogError(display, "is empty", "empty")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace").lstrip("\ufeff")
    declared = None
    match = _META.search(data[:8192])
    if match:
        declared = match.group(1).decode("ascii", "replace").lower()
        if declared in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "euc-cn"):
            declared = "gb18030"
        elif declared.startswith(("utf-16", "utf16")):
            declared = "utf-8"  # as browsers do: a page that could say so is not UTF-16
        try:
            "".encode(declared)  # a text encoding, not a codec such as base64 or rot13
        except LookupError:
            declared = None
    for encoding in ([declared] if declared else []) + ["utf-8", "gb18030"]:
        try:
            return data.decode(encoding)
        except UnicodeError:  # also idna's, which is not a UnicodeDecodeError
            continue
    return data.decode("utf-8", errors="replace")


def _parse(text: str, display: str):
    import lxml.html
    from lxml import etree

    text = _XML_DECL.sub("", text, count=1)
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise CatalogError(display, f"is not a readable web page ({exc})", "corrupt") from None
    # libxml2 stops at its limits and drops the rest of the page without raising
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            what = ("nests elements more than 256 deep" if "depth" in error.message else
                    "holds a text over 10 MB without markup")
            raise CatalogError(display, f"{what} at line {error.line}: the rest of the page "
                               "cannot be read", "too_large")
    return root


def _section_rows(section):
    return [tr for tr in section if isinstance(tr.tag, str) and tr.tag == "tr"]


def _own_rows(table) -> list:
    """The table's rows, not those of tables nested in its cells."""
    rows = []
    for child in table:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(_section_rows(child))
    return rows


def _own_cells(tr) -> list:
    return [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]


def _groups(table) -> list[list]:
    """Row groups (thead, each tbody, tfoot; loose rows form their own), for rowspan=0."""
    groups: list[list] = []
    loose: list = []
    for child in table:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "tr":
            loose.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            if loose:
                groups.append(loose)
                loose = []
            groups.append(_section_rows(child))
    if loose:
        groups.append(loose)
    return groups


def _span(value: str | None, default: int = 1) -> int:
    try:
        n = int(str(value).strip().rstrip(";"))
    except (TypeError, ValueError):
        return default
    return max(0, min(n, MAX_SPAN))


def _layout(table, warnings: list[str]) -> list[list]:
    """Place the table's cells the way a browser does; rows of Cells."""
    spans: list[Span] = []
    taken: dict[int, set[int]] = {}
    base = 0
    ncols = 0
    cut_rows = cut_cols = False
    for group in _groups(table):
        nrows = len(group)
        for i, tr in enumerate(group):
            r = base + i
            if r >= MAX_ROWS:
                cut_rows = True
                break
            col = 0
            used = taken.setdefault(r, set())
            for td in _own_cells(tr):
                while col in used:
                    col += 1
                rowspan = _span(td.get("rowspan"))
                colspan = max(1, _span(td.get("colspan")))
                if rowspan == 0:
                    rowspan = nrows - i
                rowspan = max(1, min(rowspan, nrows - i))
                if col + colspan > MAX_COLS:
                    cut_cols = True
                    break
                spans.append(Span(r, col, _text(td), rowspan, colspan))
                for rr in range(r, r + rowspan):
                    taken.setdefault(rr, set()).update(range(col, col + colspan))
                col += colspan
                ncols = max(ncols, col)
        base += nrows
        if base >= MAX_ROWS:
            cut_rows = True
            break
    if cut_rows:
        warnings.append(f"the table has more than {MAX_ROWS} rows; read the first {MAX_ROWS}")
    if cut_cols:
        warnings.append(f"cells beyond column {MAX_COLS} ignored")
    nrows = min(base, MAX_ROWS)
    return place(spans, nrows, ncols)


def _text(el, skip_tables: bool = False) -> str:
    """An element's text as a browser lays it out: whitespace collapsed, lines broken at
    <br> and block elements, lines trimmed."""
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else None
        if tag is None:  # comment or processing instruction
            if node.tail:
                parts.append(node.tail)
            return
        tag = tag.lower()
        if tag in _SKIP or (skip_tables and tag == "table"):
            pass
        elif tag == "br":
            parts.append("\n")
        else:
            block = tag in _BLOCK
            if block:
                parts.append("\n")
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
            if block:
                parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    if el.text:
        parts.append(el.text)
    for child in el:
        walk(child)
    raw = "".join(p if p == "\n" else _WS.sub(" ", p) for p in parts)
    lines = [clean_cell(ln) for ln in raw.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _title(root, table, preamble: list[str]) -> str | None:
    """The caption, the text just above the table naming it (or a title row atop the table),
    the <h1>, or the <title>."""
    caption = table.find("caption")
    if caption is not None:
        text = _text(caption)
        if text:
            return text.replace("\n", " ")
    above: list[str] = []
    node = table
    while node is not None and len(above) < 12:
        for sib in node.itersiblings(preceding=True):
            tag = sib.tag.lower() if isinstance(sib.tag, str) else ""
            if tag in ("script", "style", "table", "nav", "ul", "ol", "form"):
                continue
            text = _text(sib)
            if text:
                above[:0] = text.split("\n")[-3:]
            if len(above) >= 12:
                break
        if node.tag in ("body", "html"):
            break
        node = node.getparent()
    title = pick_title(above + preamble)
    if title:
        return title
    for h in root.iter("h1", "h2"):
        text = _text(h)
        if text:
            return text.replace("\n", " ")
    head_title = root.find(".//title")
    if head_title is not None and head_title.text:
        text = clean_cell(head_title.text)
        return re.split(r"\s*[_|｜—-]\s*", text)[0] or None
    return None
