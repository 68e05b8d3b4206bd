"""The PDF reader: catalogs as offices print them (LibreOffice Calc from .xlsx, Writer from
.docx), read back into the cells that were typed. The fixtures come from tools/make_fixtures.py;
each PDF is compared with the office file it was printed from."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from catalog_graph.errors import CatalogError
from catalog_graph.models import Cell, RawTable
from catalog_graph.readers import read_table
from tests.support import FIXTURES

BROKEN = FIXTURES / "broken"
UP = Cell("", "up")
LEFT = Cell("", "left")


@cache
def table(name: str) -> RawTable:
    t, fmt = read_table(FIXTURES / name, name)
    assert fmt == name.rsplit(".", 1)[1]
    return t


def row_with(t: RawTable, text: str) -> int:
    return next(i for i, row in enumerate(t.rows) if any(c.text == text for c in row))


# --------------------------------------------------------------------------- the sample


def test_calc_printout_reads_back_the_cells_of_its_workbook():
    pdf, xlsx = table("sample.pdf"), table("sample.xlsx")
    assert pdf.rows == xlsx.rows
    assert pdf.title == xlsx.title == "长治市教育局主动公开事项目录"


def test_writer_printout_reads_back_the_cells_of_its_document():
    pdf, docx = table("sample_writer.pdf"), table("sample.docx")
    assert pdf.rows == docx.rows
    assert pdf.title == "长治市教育局主动公开事项目录"


def test_every_row_carries_its_page():
    t = table("sample.pdf")
    assert len(t.pages) == len(t.rows)
    assert t.pages[0] == 1 and t.pages[-1] == 3
    assert t.pages == sorted(t.pages)
    assert t.pages[row_with(t, "政府信息公开指南")] == 1
    assert t.pages[row_with(t, "建议提案办理")] == 3


def test_header_repeated_on_every_page_is_read_once():
    t = table("sample.pdf")
    assert sum(1 for row in t.rows if row[0].text == "序号") == 1
    assert sum(1 for row in t.rows if any(c.text == "一级事项" for c in row)) == 1
    t = table("sample_writer.pdf")  # ten pages, ten printed headers
    assert max(t.pages) == 10
    assert sum(1 for row in t.rows if row[0].text == "序号") == 1


def test_two_row_header_keeps_its_merges():
    top, sub = table("sample.pdf").rows[:2]
    assert [c.text for c in top[:5]] == ["序号", "公开事项", "", "", "公开内容（要素）"]
    assert top[2] == top[3] == LEFT  # 公开事项 spans the three levels
    assert top[10] == LEFT  # 公开对象 spans 全社会 and 特定群众
    assert sub[0] == UP and sub[4] == UP and sub[11] == UP  # 序号, 公开内容, 公开方式 span both rows
    assert [c.text for c in sub[1:4]] == ["一级事项", "二级事项", "三级事项"]


def test_vertical_merges_recovered_from_cell_geometry():
    t = table("sample.pdf")
    i = row_with(t, "国家制度")
    first, second, third = t.rows[i:i + 3]
    assert first[0].text == "2" and first[1].text == "政府信息公开制度"
    assert [second[0], second[1], third[0], third[1]] == [UP] * 4
    assert second[2].text == "省级制度" and third[2].text == "市级制度"
    assert first[6].text == "自该信息形成或者变更之日起20个工作日内"
    assert second[6] == third[6] == UP  # the shared time limit


def test_wrapped_lines_are_joined_without_stray_breaks():
    t = table("sample.pdf")
    row = t.rows[row_with(t, "政府信息公开指南")]
    assert row[4].text == ("政府信息公开指南包括政府信息的分类、编排体系、获取方式和政府信息公开工作机构的"
                           "名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式等内容")
    assert row[6].text == "自该信息形成或者变更之日起20个工作日内"
    assert row[8].text == "■政府网站 ■政务新媒体"
    header = t.rows[0]
    assert header[11].text == "公开方式"  # printed 公开方 / 式 in a narrow column


def test_numbered_list_wrapped_mid_line_stays_one_line():
    t = table("sample.pdf")
    basis = t.rows[row_with(t, "年度工作计划和工作总结")][5].text
    assert "\n" not in basis
    assert "相关政策。”2.《国务院办公厅" in basis
    assert basis.endswith("（国发〔2005〕33号）")


def test_typed_line_breaks_are_kept():
    t = table("levels.pdf")
    row = t.rows[row_with(t, "政府预算")]
    assert row[4].text == ("1.《中华人民共和国预算法》第十四条；\n2.《中华人民共和国预算法实施条例》第六条；\n"
                           "3.《财政部关于印发〈地方预决算公开操作规程〉的通知》（财预〔2016〕143号）")
    assert row[7].text == "■政府网站\n■政务新媒体\n□公开查阅点"
    assert t.rows == table("levels.xlsx").rows


# --------------------------------------------------------------------------- page breaks


def test_merged_group_cut_by_page_breaks_continues_its_item():
    t = table("pagebreak.pdf")
    assert t.rows == table("pagebreak.xlsx").rows
    assert t.pages == [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]
    cut, after = t.rows[2], t.rows[3]
    # 序号 8 is printed on page 2, in the middle of the range that starts on page 1
    assert cut[0].text == "8" and cut[3].text == "权责清单"
    assert after[0] == UP and after[3].text == "运行流程图"
    # the basis runs from the bottom of page 1 to the top of page 2: one text
    assert cut[5].text.startswith("1.《中华人民共和国政府信息公开条例》第二十条“（五）办理行政许可")
    assert cut[5].text.endswith("4.《关于加强廉政风险防控的指导意见》（中纪发〔2011〕42号）")
    assert after[5] == UP
    numbers = [row[0].text for row in t.rows[2:]]
    assert [n for n in numbers if n] == ["8", "9", "10"]


def test_glyphs_clipped_away_by_the_printer_are_not_read():
    import pdfplumber

    # LibreOffice draws a cut merged cell's whole text on both pages and clips each part:
    # pdfplumber alone sees item 8's row text below the table on page 1 ...
    with pdfplumber.open(FIXTURES / "pagebreak.pdf") as pdf:
        page = pdf.pages[0]
        table_bottom = max(t.bbox[3] for t in page.find_tables())
        hidden = "".join(c["text"] for c in page.chars if c["top"] > table_bottom)
    assert "法定主动公开内容" in hidden
    # ... which is not there for a reader of the page, so not in the cells of page 1
    t = table("pagebreak.pdf")
    page_one = [c.text for row, p in zip(t.rows, t.pages, strict=True) if p == 1 for c in row]
    assert "行政权力" in page_one  # moved up from page 2 with the rest of the cut range
    assert not any("法定主动公开内容" in text and text != "法定主动公开内容" for text in page_one)


def test_row_split_by_writer_is_folded_into_the_row_it_came_from():
    t = table("sample_writer.pdf")
    # Writer splits a tall row at the page end and prints the rest atop the next page
    assert len(t.rows) == len(table("sample.docx").rows)
    row = t.rows[row_with(t, "权责清单")]
    assert row[5].text.endswith("4.《关于加强廉政风险防控的指导意见》（中纪发〔2011〕42号）")
    assert all(any(c.text or c.merged for c in r) for r in t.rows)


# --------------------------------------------------------------------------- title


def test_title_is_the_large_line_not_the_paragraph_below_it():
    t = table("preamble.pdf")
    assert t.title == "长治市教育局政府信息主动公开基本目录（2023年版）"
    assert t.rows[0][0].text == "序号"
    assert t.rows == table("preamble.docx").rows


# --------------------------------------------------------------------------- broken files


@pytest.mark.parametrize("name,kind,words", [
    ("encrypted.pdf", "encrypted", "encrypted"),
    ("notable.pdf", "no_table", "no catalog table"),
    ("truncated.pdf", "corrupt", "truncated"),
    ("garbled.pdf", "corrupt", "damaged"),
])
def test_unreadable_pdf_is_one_clear_error(name, kind, words):
    with pytest.raises(CatalogError) as err:
        read_table(BROKEN / name, name)
    assert err.value.kind == kind
    assert words in err.value.message
    assert "\n" not in str(err.value) and str(err.value).startswith(f"{name}: ")


def test_a_web_page_saved_as_pdf_is_read_as_the_web_page_it_is():
    with pytest.raises(CatalogError) as err:
        read_table(BROKEN / "webpage.pdf")
    assert err.value.kind == "no_table"
    assert "web page" in err.value.message


def test_a_pdf_without_pdf_header_is_corrupt(tmp_path):
    path = tmp_path / "catalog.pdf"
    path.write_bytes(b"\x00\x01 not a pdf at all" * 10)
    with pytest.raises(CatalogError) as err:
        read_table(path)
    assert err.value.kind in ("corrupt", "binary")


# --------------------------------------------------------------------------- made-to-measure PDFs
#
# Small PDFs written here operator by operator, for what the office fixtures cannot show on
# purpose: doubled glyphs, borders drawn as rectangles, clipping, form XObjects, open cells.
# Text is set in the PDF standard CJK font STSong-Light (UniGB-UCS2-H), 1 em per character.

HEAD = ["序号", "公开事项", "公开依据", "公开主体"]
WIDTHS = [40, 120, 200, 80]


def _pdf(pages: list[str], form: str | None = None) -> bytes:
    """A PDF whose pages draw the given content streams (``/Fm1 Do`` draws ``form``)."""
    objs: list[bytes] = []

    def add(body: str | bytes) -> int:
        objs.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(objs)

    def stream(data: str, extra: str = "") -> bytes:
        raw = data.encode("latin-1")
        return f"<< /Length {len(raw)} {extra}>>\nstream\n".encode() + raw + b"\nendstream"

    catalog, tree = add(""), add("")
    descriptor = add("<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
                     "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
    cid = add("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
              f"<< /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor {descriptor} 0 R >>")
    font = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
               f"/DescendantFonts [{cid} 0 R] >>")
    fonts = f"/Font << /F1 {font} 0 R >>"
    xobjects = ""
    if form is not None:
        fm = add(stream(form, f"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << {fonts} >> "))
        xobjects = f"/XObject << /Fm1 {fm} 0 R >>"
    kids = []
    for content in pages:
        c = add(stream(content))
        kids.append(add(f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 595 842] "
                        f"/Resources << {fonts} {xobjects} >> /Contents {c} 0 R >>"))
    objs[catalog - 1] = f"<< /Type /Catalog /Pages {tree} 0 R >>".encode()
    objs[tree - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                      f"/Count {len(kids)} >>").encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _text(x: float, y: float, s: str, size: float = 10) -> str:
    return f"BT /F1 {size} Tf {x:.2f} {y:.2f} Td <{s.encode('utf-16-be').hex()}> Tj ET\n"


def _grid(rows: list[list[str]], top: float = 760, height: float = 24, left: float = 60,
          open_bottom: tuple[int, ...] = (), open_top: tuple[int, ...] = (),
          rects: bool = False, doubled: bool = False,
          joined: set[tuple[int, int]] = frozenset()) -> str:
    """A ruled table: one row per list, cells bordered, text 3 pt in from the top left.
    ``open_bottom``/``open_top`` leave those columns unruled at the table's bottom/top;
    ``joined`` (row, column) cells have no border above (merged with the cell above)."""
    xs = [left]
    for w in WIDTHS:
        xs.append(xs[-1] + w)
    ys = [top - i * height for i in range(len(rows) + 1)]
    out = []

    def hline(y: float, x0: float, x1: float) -> None:
        out.append(f"{x0} {y - 0.25} {x1 - x0} 0.5 re f\n" if rects else f"{x0} {y} m {x1} {y} l S\n")

    def vline(x: float, y0: float, y1: float) -> None:
        out.append(f"{x - 0.25} {y1} 0.5 {y0 - y1} re f\n" if rects else f"{x} {y0} m {x} {y1} l S\n")

    for i, y in enumerate(ys):
        for c in range(len(WIDTHS)):
            if (i == 0 and c in open_top) or (i == len(rows) and c in open_bottom) or (i, c) in joined:
                continue
            hline(y, xs[c], xs[c + 1])
    for x in xs:
        vline(x, ys[0], ys[-1])
    for r, row in enumerate(rows):
        for c, s in enumerate(row):
            if s:
                out.append(_text(xs[c] + 3, ys[r] - 13, s))
                if doubled:
                    out.append(_text(xs[c] + 3.3, ys[r] - 13, s))
    return "".join(out)


def _read(tmp_path: Path, pages: list[str], form: str | None = None) -> RawTable:
    path = tmp_path / "made.pdf"
    path.write_bytes(_pdf(pages, form))
    return read_table(path, "made.pdf")[0]


ROWS = [HEAD, ["1", "政府信息公开指南", "《条例》第十二条", "县教育局"],
        ["2", "机构职能", "《条例》第二十条", "县教育局"]]


def test_doubled_glyphs_are_read_once(tmp_path):
    t = _read(tmp_path, [_text(60, 790, "某县教育局主动公开事项目录", 16) + _grid(ROWS, doubled=True)])
    assert [[c.text for c in row] for row in t.rows] == ROWS
    assert t.title == "某县教育局主动公开事项目录"


def test_borders_drawn_as_thin_rectangles_make_a_table_too(tmp_path):
    t = _read(tmp_path, [_grid(ROWS, rects=True)])
    assert [[c.text for c in row] for row in t.rows] == ROWS


def test_title_is_the_largest_text_above_and_page_furniture_is_not_read(tmp_path):
    page = (_text(60, 815, "附件2", 10) + _text(60, 790, "某县教育局主动公开事项目录", 16)
            + _text(60, 772, "（2023年版）", 10) + _grid(ROWS, top=760) + _text(280, 40, "第1页", 9))
    t = _read(tmp_path, [page])
    assert t.title == "某县教育局主动公开事项目录"
    assert len(t.rows) == 3 and t.pages == [1, 1, 1]


def test_text_clipped_away_is_not_read(tmp_path):
    # the 主体 cell's text is drawn in a clip of its cell; more of it falls in the cell below
    clip = "q 420 712 80 24 re W n " + _text(423, 723, "县教育局") + _text(460, 699, "看不见") + "Q\n"
    rows = [HEAD, ["1", "指南", "《条例》", ""], ["2", "机构职能", "《条例》", "县局"]]
    t = _read(tmp_path, [_grid(rows) + clip])
    assert t.rows[1][3].text == "县教育局"
    assert t.rows[2][3].text == "县局"


def test_a_table_drawn_in_a_form_xobject_keeps_the_page_clip(tmp_path):
    form = _grid(ROWS) + _text(470, 723, "裁掉")  # in the 主体 cell, right of the page's clip
    t = _read(tmp_path, [_text(60, 790, "某县教育局主动公开事项目录", 16)
                         + "q 0 0 465 842 re W n /Fm1 Do Q\n"], form=form)
    assert [[c.text for c in row] for row in t.rows] == ROWS
    assert t.title == "某县教育局主动公开事项目录"


def test_a_cell_open_at_the_page_bottom_continues_on_the_next_page(tmp_path):
    page1 = _grid([HEAD, ["1", "指南", "1.《条例》第十二条；", "县局"],
                   ["2", "机构职能", "1.《条例》第二十条；", "县局"]], open_bottom=(0, 2, 3))
    page2 = _grid([HEAD, ["", "", "2.《档案法》", ""], ["", "领导信息", "", ""],
                   ["3", "规划", "《条例》", "县局"]], open_top=())
    t = _read(tmp_path, [page1, page2])
    texts = [[c.text for c in row] for row in t.rows]
    assert texts[2] == ["2", "机构职能", "1.《条例》第二十条；\n2.《档案法》", "县局"]
    assert t.rows[3][0] == UP and t.rows[3][2] == UP and t.rows[3][1].text == ""
    assert texts[4] == ["", "领导信息", "", ""] and texts[5][0] == "3"
    assert t.pages == [1, 1, 1, 2, 2, 2]


def test_a_table_off_the_catalog_columns_is_skipped_with_a_warning(tmp_path):
    sign = ("60 300 m 300 300 l S 60 276 m 300 276 l S 60 300 m 60 276 l S 180 300 m 180 276 l S "
            "300 300 m 300 276 l S\n" + _text(63, 287, "填表人") + _text(183, 287, "张三"))
    t = _read(tmp_path, [_grid(ROWS), sign])
    assert len(t.rows) == 3
    assert any("skipped on pages 2" in w for w in t.warnings)


def test_words_apart_are_spaced_and_close_characters_are_not(tmp_path):
    rows = [HEAD, ["1", "", "", ""]]
    extra = _text(103, 723, "政府") + _text(123.5, 723, "网站") + _text(223, 723, "A") + _text(237, 723, "B")
    t = _read(tmp_path, [_grid(rows) + extra])
    assert t.rows[1][1].text == "政府网站"
    assert t.rows[1][2].text == "A B"


def test_a_page_too_dense_with_drawings_is_skipped_with_a_warning(tmp_path):
    # 20 000 little strokes (a vector map, a chart) are not searched for table borders
    strokes = "".join(f"{10 + i % 500} {10 + (i // 500) * 3} m {10.5 + i % 500} {10 + (i // 500) * 3} l S\n"
                      for i in range(20_001))
    t = _read(tmp_path, [_grid(ROWS), _grid(ROWS) + strokes])
    assert [[c.text for c in row] for row in t.rows] == ROWS
    assert any("page 2 skipped" in w and "drawing objects" in w for w in t.warnings)


def test_a_watermark_across_the_table_is_not_read_into_cells(tmp_path):
    slanted = "BT /F1 40 Tf 0.7071 0.7071 -0.7071 0.7071 150 650 Tm <" + "内部资料".encode("utf-16-be").hex() + "> Tj ET\n"
    upright_big = _text(120, 700, "样稿", 60)
    t = _read(tmp_path, [_grid(ROWS) + slanted + upright_big])
    assert [[c.text for c in row] for row in t.rows] == ROWS
    assert any("slanted characters" in w for w in t.warnings)


def test_a_range_closed_at_the_page_edge_continues_when_its_group_does(tmp_path):
    # the printer closed the cut ranges with borders at the page's edge: 序号 2, its basis and
    # subject span two rows on page 1, and empty ranges span the group's two rows on page 2
    page1 = _grid([HEAD, ["1", "指南", "《条例》", "县局"], ["2", "机构职能", "《条例》第二十条", "县局"],
                   ["", "领导信息", "", ""]], joined={(3, 0), (3, 2), (3, 3)})
    page2 = _grid([HEAD, ["", "工作部门", "", ""], ["", "直属单位", "", ""], ["3", "规划", "《条例》", "县局"]],
                  joined={(2, 0), (2, 2), (2, 3)})
    t = _read(tmp_path, [page1, page2])
    assert [c.text for c in t.rows[2]] == ["2", "机构职能", "《条例》第二十条", "县局"]
    assert [t.rows[3][c] for c in (0, 2, 3)] == [UP] * 3 and t.rows[3][1].text == "领导信息"
    assert [t.rows[4][c] for c in (0, 2, 3)] == [UP] * 3 and t.rows[4][1].text == "工作部门"
    assert [t.rows[5][c] for c in (0, 2, 3)] == [UP] * 3 and t.rows[5][1].text == "直属单位"
    assert t.rows[6][0].text == "3" and t.pages == [1, 1, 1, 1, 2, 2, 2]


def test_a_new_group_atop_a_page_does_not_continue_the_ranges_above(tmp_path):
    page1 = _grid([HEAD, ["1", "指南", "《条例》", "县局"], ["", "目录", "", ""]], joined={(2, 0), (2, 2), (2, 3)})
    page2 = _grid([HEAD, ["2", "年报", "《条例》", ""], ["", "报表", "", ""]], joined={(2, 0), (2, 2), (2, 3)})
    t = _read(tmp_path, [page1, page2])
    assert t.rows[3][0].text == "2" and t.rows[3][3] == Cell("")  # no 主体, not 县局 from above


def test_title_set_on_two_lines_under_a_larger_letterhead(tmp_path):
    page = (_text(60, 815, "某县人民政府办公室", 22) + _text(60, 795, "某县教育局", 14)
            + _text(60, 779, "主动公开事项目录", 14) + _text(60, 766, "（2023年3月）", 9) + _grid(ROWS, top=755))
    t = _read(tmp_path, [page])
    assert t.title == "某县教育局主动公开事项目录"


def test_a_page_of_fifty_thousand_copies_of_one_character_is_read(tmp_path):
    # each copy is compared with the copies kept near it, not with every one before it (that
    # took 77 s here, 1.6 s now, and would take hours for several such pages)
    sheet = "".join(_text(20, 820 - 2 * line, "某" * 280, 2) for line in range(175))
    t = _read(tmp_path, [_grid(ROWS), sheet])
    assert [[c.text for c in row] for row in t.rows] == ROWS
    assert not any("page 2 skipped" in w for w in t.warnings)  # its 49,000 were all read


def test_a_catalog_of_300_dense_pages_is_within_the_file_limits(tmp_path):
    # the sample's three pages printed 100 times: 360,000 characters, 25,000 path segments and
    # 6 MB of content, well inside the limits that stop a file of thousands of heavy pages
    import pypdfium2

    source = pypdfium2.PdfDocument(FIXTURES / "sample.pdf")
    long = pypdfium2.PdfDocument.new()
    for _ in range(100):
        long.import_pages(source)
    long.save(tmp_path / "long.pdf")
    t = read_table(tmp_path / "long.pdf", "long.pdf")[0]
    assert t.pages[-1] == 300
    assert t.title == "长治市教育局主动公开事项目录"


def test_a_pdf_without_a_text_layer_is_handed_to_ocr():
    from catalog_graph.readers.pdf import read

    table = read(FIXTURES / "broken" / "scanned.pdf", "scanned.pdf")  # once refused as scanned
    assert table.rows and table.ocr is not None
    assert all(r is None or r.engine.startswith("rapidocr") for r in table.ocr)
