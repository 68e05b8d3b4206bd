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

FIXTURES = Path(__file__).parent / "fixtures"
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
    ("scanned.pdf", "scanned", "scanned"),
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
