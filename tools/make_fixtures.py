"""Make the reader fixtures in tests/fixtures the way government offices make their files.

An office types its catalog into Excel, merges the 序号 and group cells and the basis, time
limit and subject cells its continuation rows share, and prints the sheet to PDF; or it builds
the table in Word; or its web team pastes it into a page of the government site. This script
does the same from catalog specifications:

- ``sample``: the catalog in ``raw/changzhi_education_catalog.txt`` (read from the repository),
  with the merges an office makes: .xlsx (openpyxl), .pdf (LibreOffice Calc from the .xlsx),
  .docx (python-docx), ``sample_writer.pdf`` (LibreOffice Writer from the .docx) and .html
  (rowspan/colspan inside a full government page with layout and navigation tables);
- hard cases: ``pagebreak`` (.xlsx and its Calc .pdf: merged groups cut by manual page
  breaks), ``preamble`` (.docx, Writer .pdf, .html: a table below the title and an
  introductory paragraph, a note below it), ``levels`` (.xlsx whose first sheet is a notes
  sheet, Calc .pdf, a GB2312 .html: 公开层级 and 主动/依申请 columns under a two-row header,
  numbered bases and channels typed one per line);
- broken files in ``broken/``: encrypted, scanned (no text layer), without a table (PDF,
  xlsx, docx), truncated (PDF, xlsx, docx), garbled, a zip bomb, a web page named .pdf.

Usage::

    python tools/make_fixtures.py                  # all fixtures into tests/fixtures
    python tools/make_fixtures.py --bench DIR      # also a long (~40 page) PDF for bench/

PDFs need LibreOffice (``soffice``) and a CJK font (Debian: libreoffice-calc-nogui
libreoffice-writer-nogui fonts-noto-cjk). Timestamps, PDF dates and IDs are fixed, so a rerun
gives the same bytes (``broken/encrypted.pdf``, whose key LibreOffice salts anew on every run,
is made only when missing).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import io
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "raw" / "changzhi_education_catalog.txt"
FIXTURES = REPO / "tests" / "fixtures"

BODY_FONT = "Noto Sans CJK SC"
HEAD_FONT = "Noto Sans CJK SC"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- specifications


@dataclass
class Spec:
    """One catalog as an office lays it out: title, paragraphs, a header, data rows."""

    name: str
    title: str
    header: list[list[str]]
    rows: list[list[str]]
    widths: list[float]  # column widths in Excel character units
    centered: set[int] = field(default_factory=set)  # columns centred (序号, marks)
    preamble: list[str] = field(default_factory=list)  # paragraphs between title and table
    notes: list[str] = field(default_factory=list)  # lines below the table
    row_breaks: list[int] = field(default_factory=list)  # data rows a printed page starts with
    font_size: float = 9.0

    @property
    def table(self) -> list[list[str]]:
        return self.header + self.rows

    @property
    def ncols(self) -> int:
        return len(self.widths)


def sample_spec() -> Spec:
    """The sample catalog, read from raw/ exactly as the clerk typed it."""
    text = SAMPLE.read_text(encoding="utf-8-sig")
    records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter="\t")]
    lines = [r for r in records if any(c.strip() for c in r)]
    title = lines[0][0].strip()
    header, rows = lines[1:3], lines[3:]
    ncols = max(len(r) for r in header + rows)
    pad = [r + [""] * (ncols - len(r)) for r in header + rows]
    return Spec(
        name="sample",
        title=title,
        header=pad[:2],
        rows=pad[2:],
        widths=[5, 12, 12, 14, 30, 36, 13, 8, 12, 5, 5, 5],
        centered={0, 7, 9, 10, 11},
    )


def pagebreak_spec() -> Spec:
    """Items 8-10 of the sample, each a three-row merged group, with a printed page starting
    inside items 8 and 9: the merged 序号, basis and time-limit cells are cut by the break."""
    base = sample_spec()
    start = next(i for i, r in enumerate(base.rows) if r[0] == "8")
    end = next(i for i, r in enumerate(base.rows) if r[0] == "11")
    rows = base.rows[start:end]
    return Spec(
        name="pagebreak",
        title=base.title,
        header=base.header,
        rows=rows,
        widths=base.widths,
        centered=base.centered,
        row_breaks=[1, 4],  # page 2 starts at 运行流程图 (item 8), page 3 at 行政执法 (item 9)
    )


def preamble_spec() -> Spec:
    """A short catalog below its title and an introductory paragraph, with a note below."""
    base = sample_spec()
    end = next(i for i, r in enumerate(base.rows) if r[0] == "4")
    return Spec(
        name="preamble",
        title="长治市教育局政府信息主动公开基本目录（2023年版）",
        preamble=[
            "根据《中华人民共和国政府信息公开条例》和《国务院办公厅关于印发2022年政务公开工作要点的通知》"
            "（国办发〔2022〕8号）要求，结合工作实际，编制本目录。本目录所列事项通过长治市教育局门户网站"
            "“政府信息公开”专栏主动公开。",
            "联系电话：0355-2022100",
        ],
        header=base.header,
        rows=base.rows[:end],
        widths=base.widths,
        centered=base.centered,
        notes=["备注：“✓”表示适用。"],
    )


LEVELS_HEADER = [
    ["序号", "公开事项", "", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
     "公开对象", "", "公开方式", "", "公开层级", ""],
    ["", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群体", "主动", "依申请", "县级",
     "乡级"],
]

# typed one numbered basis per line (Alt+Enter in Excel, a line break in Word)
_BUDGET_BASIS = ("1.《中华人民共和国预算法》第十四条；\n2.《中华人民共和国预算法实施条例》第六条；\n"
                 "3.《财政部关于印发〈地方预决算公开操作规程〉的通知》（财预〔2016〕143号）")
LEVELS_ROWS = [
    ["1", "财政预算", "政府预算",
     "经本级人民代表大会或其常务委员会批准的一般公共预算、政府性基金预算、国有资本经营预算、"
     "社会保险基金预算及报表，预算编制说明", _BUDGET_BASIS, "批准后20日内", "县财政局",
     "■政府网站\n■政务新媒体\n□公开查阅点", "√", "", "√", "", "√", ""],
    ["", "", "部门预算", "经本级政府财政部门批复的部门预算及报表，部门预算编制说明，“三公”经费预算",
     "", "批复后20日内", "县直各部门", "■政府网站", "√", "", "√", "", "√", "√"],
    ["2", "财政决算", "政府决算",
     "经本级人民代表大会常务委员会批准的政府决算及报表，决算说明", _BUDGET_BASIS,
     "批准后20日内", "县财政局", "■政府网站 ■政务新媒体", "√", "", "√", "", "√", ""],
    ["", "", "部门决算", "经本级政府财政部门批复的部门决算及报表，“三公”经费决算", "",
     "批复后20日内", "县直各部门", "■政府网站", "√", "", "√", "", "√", "√"],
    ["3", "政府债务", "债务限额和余额",
     "本地区政府债务限额、余额，债券发行、还本付息情况",
     "《财政部关于印发〈地方政府债务信息公开办法（试行）〉的通知》（财预〔2018〕209号）",
     "每年6月底前", "县财政局", "■政府网站", "√", "", "√", "", "√", ""],
    ["4", "专项资金", "资金分配",
     "专项资金管理办法、申报指南、分配结果", "《中华人民共和国预算法》第十四条",
     "自该信息形成或者变更之日起20个工作日内", "县财政局", "■政府网站 □政务服务中心", "√",
     "", "√", "", "√", "√"],
    ["5", "财政收支明细", "具体收支事项",
     "申请人申请公开的特定财政收支事项信息",
     "《中华人民共和国政府信息公开条例》第二十七条", "收到申请之日起20个工作日内答复",
     "县财政局", "□信函 □当面", "", "√", "", "√", "√", ""],
]


def levels_spec() -> Spec:
    """A county 财政预决算 standard catalog: 公开对象, 公开方式 (主动/依申请) and 公开层级
    (县级/乡级) each a merged header over two mark columns."""
    return Spec(
        name="levels",
        title="某县财政预决算领域基层政务公开标准目录",
        header=[list(r) for r in LEVELS_HEADER],
        rows=[list(r) for r in LEVELS_ROWS],
        widths=[5, 9, 10, 28, 32, 12, 9, 12, 5, 5, 5, 5, 5, 5],
        centered={0, 8, 9, 10, 11, 12, 13},
    )


def bench_spec(copies: int) -> Spec:
    """The sample's rows repeated and renumbered: a long catalog for the PDF benchmark."""
    base = sample_spec()
    rows: list[list[str]] = []
    number = 0
    for _ in range(copies):
        for row in base.rows:
            row = list(row)
            if row[0]:
                number += 1
                row[0] = str(number)
            rows.append(row)
    return Spec(name="bench", title=base.title, header=base.header, rows=rows,
                widths=base.widths, centered=base.centered)


# --------------------------------------------------------------------------- merges


def merges(spec: Spec) -> list[tuple[int, int, int, int]]:
    """Merged ranges (r0, c0, r1, c1), inclusive, in table coordinates (header rows first).

    Header: a cell with sub-headers below spans the empty cells to its right; one without
    spans down the header. Data: inside each numbered group (a row with a 序号 and the rows
    after it without one), a cell spans down over the empty cells below it.
    """
    out: list[tuple[int, int, int, int]] = []
    top, below = spec.header[0], spec.header[-1]
    nhead = len(spec.header)
    for c in range(spec.ncols):
        if not top[c]:
            continue
        if nhead > 1 and below[c]:
            end = c
            while end + 1 < spec.ncols and not top[end + 1] and below[end + 1]:
                end += 1
            if end > c:
                out.append((0, c, 0, end))
        elif nhead > 1:
            out.append((0, c, nhead - 1, c))
    groups: list[tuple[int, int]] = []
    for i, row in enumerate(spec.rows):
        if row[0] or not groups:
            groups.append((i, i))
        else:
            groups[-1] = (groups[-1][0], i)
    for g0, g1 in groups:
        for c in range(spec.ncols):
            r = g0
            while r <= g1:
                end = r
                while end + 1 <= g1 and not spec.rows[end + 1][c]:
                    end += 1
                if end > r:
                    out.append((nhead + r, c, nhead + end, c))
                r = end + 1
    return out


def covered(spans: list[tuple[int, int, int, int]]) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Every grid position inside a merged range → the range."""
    out = {}
    for r0, c0, r1, c1 in spans:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                out[(r, c)] = (r0, c0, r1, c1)
    return out


# --------------------------------------------------------------------------- row heights


def text_width(text: str, size: float) -> float:
    """Width in points of a line of text (CJK full width, the rest about half)."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" or ch in "■□√✓“”" else size * 0.55
               for ch in text)


def line_count(text: str, width_pt: float, size: float) -> int:
    usable = max(width_pt - 6, size)
    return sum(max(1, math.ceil(text_width(part, size) / usable)) for part in text.split("\n"))


def row_heights(spec: Spec, spans: list[tuple[int, int, int, int]], size: float) -> list[float]:
    """Row heights in points that show every cell in full, merged ranges included."""
    widths_pt = [w * 5.6 for w in spec.widths]
    line = size * 1.45
    table = spec.table
    heights = [line + 4.0] * len(table)
    cover = covered(spans)
    for r, row in enumerate(table):
        for c, text in enumerate(row):
            span = cover.get((r, c))
            if span and (span[0], span[1]) != (r, c):
                continue
            r1 = span[2] if span else r
            width = sum(widths_pt[span[1]:span[3] + 1]) if span else widths_pt[c]
            need = line_count(text, width, size) * line + 6
            have = sum(heights[r:r1 + 1])
            if need > have:
                extra = (need - have) / (r1 - r + 1)
                for k in range(r, r1 + 1):
                    heights[k] += extra
    return [round(h * 1.1, 1) for h in heights]


# --------------------------------------------------------------------------- xlsx


def write_xlsx(spec: Spec, path: Path, notes_sheet: bool = False) -> None:
    """The catalog as an office's workbook: title and paragraphs merged across the table,
    a bordered table with merged cells, page set up to print landscape, header repeated."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    wb = Workbook()
    ws = wb.active
    if notes_sheet:
        notes = ws
        notes.title = "填报说明"
        notes["A1"] = "填报说明"
        notes["A2"] = "1. 本表由各部门按照标准目录逐项填写，“√”表示适用。"
        notes["A3"] = "2. 公开层级分县级、乡级。"
        notes.column_dimensions["A"].width = 60
        ws = wb.create_sheet("标准目录")
    else:
        ws.title = "Sheet1"
    n = spec.ncols
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    size = spec.font_size
    r = 1
    ws.cell(r, 1, spec.title).font = Font(name=HEAD_FONT, size=16, bold=True)
    ws.cell(r, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
    ws.row_dimensions[r].height = 32
    r += 1
    total_pt = sum(w * 5.6 for w in spec.widths)
    for para in spec.preamble:
        cell = ws.cell(r, 1, para)
        cell.font = Font(name=BODY_FONT, size=10)
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
        ws.row_dimensions[r].height = line_count(para, total_pt, 10) * 16 + 6
        r += 1
    first = r
    spans = merges(spec)
    heights = row_heights(spec, spans, size)
    for i, row in enumerate(spec.table):
        header = i < len(spec.header)
        for c, text in enumerate(row):
            cell = ws.cell(first + i, c + 1, _excel_value(text, c, header))
            cell.font = Font(name=HEAD_FONT if header else BODY_FONT, size=size, bold=header)
            cell.alignment = Alignment(
                horizontal="center" if header or c in spec.centered else "left",
                vertical="center", wrap_text=True)
            cell.border = border
        ws.row_dimensions[first + i].height = heights[i]
    for r0, c0, r1, c1 in spans:
        ws.merge_cells(start_row=first + r0, start_column=c0 + 1, end_row=first + r1, end_column=c1 + 1)
    end = first + len(spec.table)
    for note in spec.notes:
        ws.cell(end, 1, note).font = Font(name=BODY_FONT, size=size)
        end += 1
    for c, width in enumerate(spec.widths):
        ws.column_dimensions[get_column_letter(c + 1)].width = width
    for b in spec.row_breaks:
        ws.row_breaks.append(Break(id=first + len(spec.header) + b - 1))
    ws.print_title_rows = f"{first}:{first + len(spec.header) - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    _fixed_properties(wb.properties)
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_normalized_zip(buf.getvalue()))


def _excel_value(text: str, col: int, header: bool) -> str | int:
    """序号 typed as a number, as clerks do; everything else as text."""
    if not header and col == 0 and text.isdigit():
        return int(text)
    return text


def _fixed_properties(props) -> None:
    when = dt.datetime(*FIXED_TIME)
    props.created = when
    props.modified = when


def _normalized_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so reruns give the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            part = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                part = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", part)
            dst.writestr(fixed, part)
    return out.getvalue()


# --------------------------------------------------------------------------- docx


def write_docx(spec: Spec, path: Path) -> None:
    """The catalog as a Word document: title and paragraphs, then a Table Grid table with
    horizontal (gridSpan) and vertical (vMerge) merges, its header rows repeated on each page."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))

    def set_font(run, name: str, size: float, bold: bool = False) -> None:
        run.font.name = name
        run.font.size = Pt(size)
        run.font.bold = bold
        rpr = run._element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.set(qn("w:eastAsia"), name)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(title.add_run(spec.title), HEAD_FONT, 16, bold=True)
    for para in spec.preamble:
        p = document.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(21)
        set_font(p.add_run(para), BODY_FONT, 10.5)

    table = document.add_table(rows=len(spec.table), cols=spec.ncols)
    table.style = "Table Grid"
    table.autofit = False
    usable_cm = 29.7 - 3.0
    scale = usable_cm / sum(spec.widths)
    size = spec.font_size
    for i, row in enumerate(spec.table):
        header = i < len(spec.header)
        tr = table.rows[i]
        if header:
            trpr = tr._tr.get_or_add_trPr()
            trpr.append(OxmlElement("w:tblHeader"))
        for c, text in enumerate(row):
            cell = tr.cells[c]
            cell.width = Cm(spec.widths[c] * scale)
            if header:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p.alignment = (WD_ALIGN_PARAGRAPH.CENTER if header or c in spec.centered
                           else WD_ALIGN_PARAGRAPH.LEFT)
            if text:
                set_font(p.add_run(text), HEAD_FONT if header else BODY_FONT, size, bold=header)
    for r0, c0, r1, c1 in merges(spec):
        table.cell(r0, c0).merge(table.cell(r1, c1))
    for note in spec.notes:
        set_font(document.add_paragraph().add_run(note), BODY_FONT, 9)
    _fixed_properties(document.core_properties)
    buf = io.BytesIO()
    document.save(buf)
    path.write_bytes(_normalized_zip(buf.getvalue()))


# --------------------------------------------------------------------------- html


def write_html(spec: Spec, path: Path, encoding: str = "utf-8") -> None:
    """The catalog inside a government web page: a banner and navigation built from layout
    tables, the article (h1, publication line, paragraphs, the catalog table with rowspan and
    colspan, cells holding Word-export <p><span> markup), and a footer table."""
    spans = merges(spec)
    starts = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in spans}
    cover = covered(spans)
    meta = "gb2312" if encoding.lower() in ("gb2312", "gbk", "gb18030") else encoding
    out = [
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
        "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">",
        "<html>", "<head>",
        f"<meta http-equiv=\"Content-Type\" content=\"text/html; charset={meta}\" />",
        f"<title>{html.escape(spec.title)}_政府信息公开_长治市人民政府门户网站</title>",
        "<style>.MsoNormal{margin:0} td{font-size:12px}</style>",
        "</head>", "<body>",
        "<table width=\"1000\" align=\"center\" class=\"top\"><tr>",
        "<td><img src=\"/images/logo.png\" alt=\"长治市人民政府\" /></td>",
        "<td align=\"right\">无障碍浏览 | 长者模式 | <a href=\"/\">English</a></td></tr></table>",
        "<table width=\"1000\" align=\"center\" class=\"nav\"><tr>",
        *[f"<td><a href=\"/{slug}/\">{label}</a></td>" for slug, label in (
            ("", "首页"), ("zwgk", "政务公开"), ("zwfw", "政务服务"), ("hdjl", "互动交流"),
            ("zjcz", "走进长治"))],
        "</tr></table>",
        "<div class=\"crumb\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a>"
        " &gt; 主动公开目录</div>",
        "<table width=\"1000\" align=\"center\"><tr><td class=\"article\">",
        f"<h1 class=\"title\">{html.escape(spec.title)}</h1>",
        "<div class=\"info\">发布时间：2023-03-01 &nbsp;&nbsp; 来源：市教育局 &nbsp;&nbsp; "
        "【字体：<a href=\"#\">大</a> <a href=\"#\">中</a> <a href=\"#\">小</a>】</div>",
        "<div class=\"TRS_Editor\">",
    ]
    for para in spec.preamble:
        out.append(f"<p class=\"MsoNormal\" style=\"text-indent:2em\">{html.escape(para)}</p>")
    out.append("<table class=\"MsoNormalTable\" border=\"1\" cellspacing=\"0\" cellpadding=\"0\" "
               "style=\"border-collapse:collapse\">")
    nhead = len(spec.header)
    for r, row in enumerate(spec.table):
        if r == 0:
            out.append("<thead>")
        if r == nhead:
            out.append("</thead>\n<tbody>")
        out.append("<tr>")
        for c, text in enumerate(row):
            if (r, c) in cover and (r, c) not in starts:
                continue
            tag = "th" if r < nhead else "td"
            attrs = ""
            if (r, c) in starts:
                rs, cs = starts[(r, c)]
                attrs += f" rowspan=\"{rs}\"" if rs > 1 else ""
                attrs += f" colspan=\"{cs}\"" if cs > 1 else ""
            align = "center" if r < nhead or c in spec.centered else "left"
            body = html.escape(text).replace("\n", "<br />\n") if text else "&nbsp;"
            out.append(f"  <{tag}{attrs} valign=\"middle\">\n    <p class=\"MsoNormal\" "
                       f"align=\"{align}\"><span style=\"font-family:宋体\">{body}</span></p>\n  </{tag}>")
        out.append("</tr>")
    out.append("</tbody></table>")
    for note in spec.notes:
        out.append(f"<p class=\"MsoNormal\">{html.escape(note)}</p>")
    out += [
        "</div>", "<div class=\"share\">分享到：<a href=\"#\">微信</a> <a href=\"#\">微博</a></div>",
        "</td></tr></table>",
        "<table width=\"1000\" align=\"center\" class=\"footer\"><tr><td>",
        "主办：长治市人民政府办公室 &nbsp; 承办：长治市行政审批服务管理局<br />",
        "网站标识码：1404000001 &nbsp; 晋ICP备05001221号 &nbsp; 晋公网安备 14040202000101号",
        "</td><td><img src=\"/images/jiucuo.png\" alt=\"政府网站找错\" /></td></tr></table>",
        "</body>", "</html>", "",
    ]
    path.write_bytes("\n".join(out).encode(encoding))


# --------------------------------------------------------------------------- LibreOffice


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("make_fixtures: LibreOffice (soffice) is needed for PDFs: apt-get install -y "
             "libreoffice-calc-nogui libreoffice-writer-nogui fonts-noto-cjk")


def to_pdf(source: Path, target: Path, filter_options: str = "") -> None:
    """Print an office file to PDF with LibreOffice, in a private profile."""
    kind = "calc_pdf_Export" if source.suffix == ".xlsx" else "writer_pdf_Export"
    convert = f"pdf:{kind}:{filter_options}" if filter_options else "pdf"
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        outdir = Path(tmp) / "out"
        cmd = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", convert, "--outdir", str(outdir), str(source)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
        made = outdir / (source.stem + ".pdf")
        if not made.exists():
            sys.exit(f"make_fixtures: LibreOffice made no PDF from {source}")
        data = made.read_bytes()
        if not filter_options:  # an encrypted file's key depends on its /ID: leave it be
            data = _fixed_pdf_stamps(data, source.read_bytes())
        target.write_bytes(data)


def _fixed_pdf_stamps(data: bytes, seed: bytes) -> bytes:
    """The PDF with its creation date, file /ID and checksum fixed (same lengths, so the
    cross-reference offsets stay right): a rerun of the script gives the same bytes."""
    import hashlib

    digest = hashlib.md5(seed).hexdigest().upper().encode()
    data = re.sub(rb"(/CreationDate\s*\(D:)\d{14}", rb"\g<1>20240101000000", data)
    data = re.sub(rb"/ID\s*\[\s*<[0-9A-Fa-f]{32}>\s*<[0-9A-Fa-f]{32}>\s*\]",
                  lambda m: re.sub(rb"<[0-9A-Fa-f]{32}>", b"<" + digest + b">", m.group(0)), data)
    return re.sub(rb"(/DocChecksum\s*/)[0-9A-Fa-f]{32}", rb"\g<1>" + digest, data)


# --------------------------------------------------------------------------- broken files


def write_scanned_pdf(source_pdf: Path, target: Path) -> None:
    """A scan: page 1 of a catalog as a grey image in a PDF, no text layer."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(source_pdf))
    image = pdf[0].render(scale=50 / 72).to_pil().convert("L")
    pdf.close()
    when = dt.datetime(*FIXED_TIME).timetuple()
    image.save(target, "PDF", resolution=50.0, quality=40, creationDate=when, modDate=when)


def write_notable_docx(path: Path) -> None:
    """A notice in Word: paragraphs, no table."""
    import docx

    document = docx.Document()
    document.add_paragraph("长治市教育局关于公布政府信息主动公开目录的通知")
    document.add_paragraph("各县（区）教育局，局属各单位：")
    document.add_paragraph("为进一步推进政务公开工作，现将本局政府信息主动公开目录予以公布，"
                           "请登录长治市教育局门户网站查阅。")
    document.add_paragraph("长治市教育局")
    document.add_paragraph("2023年3月1日")
    _fixed_properties(document.core_properties)
    buf = io.BytesIO()
    document.save(buf)
    path.write_bytes(_normalized_zip(buf.getvalue()))


def write_notable_xlsx(path: Path) -> None:
    """A workbook holding a single column of notes: no table at all."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "说明"
    for i, line in enumerate(["政府信息主动公开目录", "本目录正在编制中，", "请于2023年3月底后查阅。"], 1):
        ws.cell(i, 1, line)
    _fixed_properties(wb.properties)
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_normalized_zip(buf.getvalue()))


def write_bomb_xlsx(source: Path, target: Path) -> None:
    """A workbook whose sheet claims to unpack to 3 GiB: the size a zip bomb declares."""
    data = bytearray(source.read_bytes())
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo("xl/worksheets/sheet1.xml")
    # patch the central directory entry's uncompressed size (offset 24 in the entry)
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = int.from_bytes(data[pos + 28:pos + 30], "little")
        name = bytes(data[pos + 46:pos + 46 + name_len]).decode()
        if name == info.filename:
            data[pos + 24:pos + 28] = (3 * 1024 ** 3).to_bytes(4, "little")
            break
        pos = data.find(b"PK\x01\x02", pos + 4)
    target.write_bytes(bytes(data))


def truncate(source: Path, target: Path, fraction: float) -> None:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])


# --------------------------------------------------------------------------- main


def make_all(out: Path) -> list[Path]:
    """Write every fixture into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []

    def mark(p: Path) -> Path:
        made.append(p)
        return p

    sample = sample_spec()
    write_xlsx(sample, mark(out / "sample.xlsx"))
    to_pdf(out / "sample.xlsx", mark(out / "sample.pdf"))
    write_docx(sample, mark(out / "sample.docx"))
    to_pdf(out / "sample.docx", mark(out / "sample_writer.pdf"))
    write_html(sample, mark(out / "sample.html"))

    pagebreak = pagebreak_spec()
    write_xlsx(pagebreak, mark(out / "pagebreak.xlsx"))
    to_pdf(out / "pagebreak.xlsx", mark(out / "pagebreak.pdf"))

    preamble = preamble_spec()
    write_docx(preamble, mark(out / "preamble.docx"))
    to_pdf(out / "preamble.docx", mark(out / "preamble.pdf"))
    write_html(preamble, mark(out / "preamble.html"))

    levels = levels_spec()
    write_xlsx(levels, mark(out / "levels.xlsx"), notes_sheet=True)
    to_pdf(out / "levels.xlsx", mark(out / "levels.pdf"))
    write_html(levels, mark(out / "levels.html"), encoding="gb18030")

    broken = out / "broken"
    broken.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.docx"
        write_docx(Spec(name="small", title=sample.title, header=sample.header,
                        rows=sample.rows[:1], widths=sample.widths), small)
        secret = ('{"EncryptFile":{"type":"boolean","value":"true"},'
                  '"DocumentOpenPassword":{"type":"string","value":"catalog"}}')
        encrypted = mark(broken / "encrypted.pdf")
        if not encrypted.exists():  # salted anew on every run: keep the one there is
            to_pdf(small, encrypted, secret)
        notice = Path(tmp) / "notice.docx"
        write_notable_docx(notice)
        to_pdf(notice, mark(broken / "notable.pdf"))
    write_scanned_pdf(out / "preamble.pdf", mark(broken / "scanned.pdf"))
    write_notable_docx(mark(broken / "notable.docx"))
    write_notable_xlsx(mark(broken / "notable.xlsx"))
    truncate(broken / "notable.pdf", mark(broken / "truncated.pdf"), 0.6)
    truncate(out / "sample.xlsx", mark(broken / "truncated.xlsx"), 0.7)
    truncate(out / "sample.docx", mark(broken / "truncated.docx"), 0.7)
    write_bomb_xlsx(out / "sample.xlsx", mark(broken / "bomb.xlsx"))
    # a crawler saved the server's error page under the catalog's name
    mark(broken / "webpage.pdf").write_bytes(
        "<html><head><title>404</title></head><body><h1>404 页面不存在</h1></body></html>\n"
        .encode())
    # a PDF header, then bytes that are no PDF at all
    mark(broken / "garbled.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    return made


def make_bench_pdf(out_dir: Path, copies: int = 12) -> Path:
    """A long catalog PDF (the sample repeated; about 3 pages per copy) for bench/bench_pdf.py."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"bench_{copies}.pdf"
    if not target.exists():
        with tempfile.TemporaryDirectory() as tmp:
            xlsx = Path(tmp) / f"bench_{copies}.xlsx"
            write_xlsx(bench_spec(copies), xlsx)
            to_pdf(xlsx, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=FIXTURES, help="fixture folder")
    parser.add_argument("--bench", type=Path, help="also make the long benchmark PDF in this folder")
    parser.add_argument("--copies", type=int, default=12, help="sample copies in the bench PDF")
    args = parser.parse_args(argv)
    for p in make_all(args.out):
        print(f"{os.path.relpath(p, REPO)}\t{p.stat().st_size} bytes")
    if args.bench:
        p = make_bench_pdf(args.bench, args.copies)
        print(f"{p}\t{p.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
