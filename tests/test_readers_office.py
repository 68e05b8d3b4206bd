"""Excel, Word and web-page readers: merged cells, the table among other content, the title
above it, and files that are broken or hostile."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
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
TITLE = "某县交通运输局主动公开事项目录"
HEAD = ["序号", "公开事项", "公开内容", "公开依据", "公开时限", "公开主体"]


@cache
def table(name: str) -> RawTable:
    return read_table(FIXTURES / name, name)[0]


def texts(t: RawTable) -> list[list[str]]:
    return [[c.text for c in row] for row in t.rows]


# --------------------------------------------------------------------------- the sample


def test_the_sample_reads_to_the_same_cells_from_xlsx_docx_and_html():
    xlsx = table("sample.xlsx")
    assert table("sample.docx").rows == xlsx.rows
    assert table("sample.html").rows == xlsx.rows
    assert xlsx.title == table("sample.docx").title == table("sample.html").title == "长治市教育局主动公开事项目录"
    assert xlsx.pages == [None] * len(xlsx.rows)


def test_sample_cells_are_the_typed_ones_with_merges_where_the_office_merged():
    t = table("sample.xlsx")
    raw = (Path(__file__).parents[1] / "raw" / "changzhi_education_catalog.txt").read_text("utf-8-sig")
    typed = [line.split("\t") for line in raw.splitlines() if "\t" in line]
    assert len(t.rows) == len(typed)
    for row, line in zip(t.rows, typed, strict=True):
        for cell, text in zip(row, line, strict=False):
            assert cell.text == text or (cell.merged and text == "")
    item_2 = next(i for i, r in enumerate(t.rows) if r[0].text == "2")
    assert t.rows[item_2 + 1][0] == UP and t.rows[item_2 + 1][2].text == "省级制度"
    assert t.rows[0][1].text == "公开事项" and t.rows[0][2] == t.rows[0][3] == LEFT


# --------------------------------------------------------------------------- xlsx


def _workbook(tmp_path: Path, build, name: str = "catalog.xlsx") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    build(wb)
    path = tmp_path / name
    wb.save(path)
    return path


def test_the_catalog_sheet_is_chosen_over_a_notes_sheet():
    t = table("levels.xlsx")
    assert t.title == "某县财政预决算领域基层政务公开标准目录"
    assert t.rows[0][0].text == "序号" and t.rows[1][12].text == "县级"
    assert any("标准目录" in w for w in t.warnings)


def test_numbers_and_dates_read_as_the_sheet_shows_them(tmp_path):
    def build(wb):
        ws = wb.active
        ws.append([TITLE])
        ws.append(HEAD)
        ws.append([1.0, "政府信息公开指南", "指南", "《条例》", dt.datetime(2023, 3, 1), 12])
        ws.append([2, "机构职能", "职能", "《条例》", 0.5, True])

    t, fmt = read_table(_workbook(tmp_path, build))
    assert fmt == "xlsx"
    assert t.title == TITLE
    assert texts(t)[1] == ["1", "政府信息公开指南", "指南", "《条例》", "2023-03-01", "12"]
    assert texts(t)[2][0] == "2" and texts(t)[2][4] == "0.5"


def test_merged_ranges_seen_in_a_long_sheet(tmp_path):
    def build(wb):
        ws = wb.active
        ws.append(HEAD)
        for n in range(1, 401):
            ws.append([n, f"事项{n}", "内容甲", "《条例》", "20个工作日内", "县局"])
            ws.append([None, None, "内容乙", None, None, None])
        for r in range(2, 802, 2):
            for col in "ADEF":
                ws.merge_cells(f"{col}{r}:{col}{r + 1}")
        ws.merge_cells("B800:C800")

    t, _ = read_table(_workbook(tmp_path, build))
    assert len(t.rows) == 801
    assert t.rows[799][0].text == "400" and t.rows[800][0] == UP
    assert t.rows[800][3] == UP and t.rows[800][2].text == "内容乙"
    assert t.rows[799][1].text == "事项400" and t.rows[799][2] == LEFT  # B800:C800


def test_formatted_empty_cells_beyond_the_table_are_trimmed(tmp_path):
    from openpyxl.styles import PatternFill

    def build(wb):
        ws = wb.active
        ws.append(HEAD)
        ws.append(["1", "指南", "内容", "《条例》", "实时", "县局"])
        ws.cell(400, 30).fill = PatternFill("solid", fgColor="FFFF00")

    t, _ = read_table(_workbook(tmp_path, build))
    assert len(t.rows) == 2 and all(len(r) == 6 for r in t.rows)


def test_cells_beyond_the_column_cap_are_dropped_with_a_warning(tmp_path):
    def build(wb):
        ws = wb.active
        ws.append(HEAD)
        ws.append(["1", "指南", "内容", "《条例》", "实时", "县局"])
        ws.cell(2, 260, "stray")

    t, _ = read_table(_workbook(tmp_path, build))
    assert all(len(r) <= 200 for r in t.rows)
    assert any("beyond column 200" in w for w in t.warnings)


@pytest.mark.parametrize("name,kind,words", [
    ("notable.xlsx", "no_table", "no table"),
    ("truncated.xlsx", "corrupt", "truncated"),
    ("bomb.xlsx", "too_large", "zip bomb"),
])
def test_unreadable_workbook_is_one_clear_error(name, kind, words):
    with pytest.raises(CatalogError) as err:
        read_table(BROKEN / name, name)
    assert err.value.kind == kind and words in err.value.message
    assert "\n" not in str(err.value)


def test_a_zip_that_is_not_a_workbook_inside_is_corrupt(tmp_path):
    path = tmp_path / "catalog.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/styles.xml", "<styleSheet/>")
    with pytest.raises(CatalogError) as err:
        read_table(path)
    assert err.value.kind == "corrupt" and "xl/workbook.xml" in err.value.message


def test_a_highly_compressed_part_is_refused_before_unpacking(tmp_path):
    path = tmp_path / "catalog.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b" " * (8 * 1024 * 1024))  # 8 MiB → ~8 KiB
    with pytest.raises(CatalogError) as err:
        read_table(path)
    assert err.value.kind == "too_large"


# --------------------------------------------------------------------------- docx


def _document(tmp_path: Path, build, name: str = "catalog.docx") -> Path:
    import docx

    document = docx.Document()
    build(document)
    path = tmp_path / name
    document.save(path)
    return path


def _fill(tbl, rows) -> None:
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            tbl.cell(r, c).text = text


def test_docx_title_names_the_catalog_even_with_a_paragraph_nearer_the_table():
    t = table("preamble.docx")
    assert t.title == "长治市教育局政府信息主动公开基本目录（2023年版）"
    assert t.rows[0][0].text == "序号"


def test_docx_grid_span_and_vertical_merge(tmp_path):
    def build(document):
        document.add_paragraph(TITLE)
        tbl = document.add_table(rows=4, cols=6)
        _fill(tbl, [HEAD, ["1", "指南", "内容甲", "《条例》第十二条", "", "县局"],
                    ["", "", "内容乙", "", "", ""], ["2", "年报", "年度报告", "", "", ""]])
        tbl.cell(1, 0).merge(tbl.cell(2, 0))
        tbl.cell(1, 3).merge(tbl.cell(2, 4))  # basis and time limit share two rows
        tbl.cell(3, 3).merge(tbl.cell(3, 5))

    t, fmt = read_table(_document(tmp_path, build))
    assert fmt == "docx" and t.title == TITLE
    assert t.rows[2][0] == UP and t.rows[2][2].text == "内容乙"
    assert t.rows[1][3].text == "《条例》第十二条" and t.rows[1][4] == LEFT
    assert t.rows[2][3] == UP and t.rows[2][4] == UP  # lower row of a 2-D merge: up
    assert t.rows[3][4] == t.rows[3][5] == LEFT


def test_docx_cell_paragraphs_and_breaks_are_lines(tmp_path):
    def build(document):
        tbl = document.add_table(rows=2, cols=6)
        _fill(tbl, [HEAD, ["1", "指南", "内容", "", "实时", "县局"]])
        cell = tbl.cell(1, 3)
        cell.paragraphs[0].add_run("1.《条例》第十二条；")
        cell.add_paragraph("2.《档案法》")
        tbl.cell(1, 4).paragraphs[0].runs[0].add_break()
        tbl.cell(1, 4).paragraphs[0].add_run("更新")

    t, _ = read_table(_document(tmp_path, build))
    assert t.rows[1][3].text == "1.《条例》第十二条；\n2.《档案法》"
    assert t.rows[1][4].text == "实时\n更新"


def test_docx_catalog_chosen_among_tables_and_split_tables_joined(tmp_path):
    def build(document):
        document.add_paragraph("联系方式")
        info = document.add_table(rows=2, cols=2)
        _fill(info, [["联系人", "电话"], ["张三", "0355-1234567"]])
        document.add_paragraph(TITLE)
        first = document.add_table(rows=2, cols=6)
        _fill(first, [HEAD, ["1", "指南", "内容", "《条例》", "实时", "县局"]])
        document.add_paragraph("")
        second = document.add_table(rows=1, cols=6)
        _fill(second, [["2", "年报", "年度报告", "《条例》", "每年1月31日前", "县局"]])

    t, _ = read_table(_document(tmp_path, build))
    assert t.title == TITLE
    assert texts(t) == [HEAD, ["1", "指南", "内容", "《条例》", "实时", "县局"],
                        ["2", "年报", "年度报告", "《条例》", "每年1月31日前", "县局"]]
    assert any("joined 2 tables" in w for w in t.warnings)


@pytest.mark.parametrize("name,kind", [("notable.docx", "no_table"), ("truncated.docx", "corrupt")])
def test_unreadable_document_is_one_clear_error(name, kind):
    with pytest.raises(CatalogError) as err:
        read_table(BROKEN / name, name)
    assert err.value.kind == kind and "\n" not in str(err.value)


def test_a_workbook_named_docx_is_read_as_a_workbook(tmp_path):
    wrong = tmp_path / "catalog.docx"
    wrong.write_bytes((FIXTURES / "sample.xlsx").read_bytes())
    t, fmt = read_table(wrong)
    assert fmt == "xlsx" and t.rows == table("sample.xlsx").rows
    assert any("named .docx" in w for w in t.warnings)


# --------------------------------------------------------------------------- html


def _page(tmp_path: Path, body: str, head: str = "", encoding: str = "utf-8") -> Path:
    path = tmp_path / "catalog.html"
    path.write_bytes(f"<html><head>{head}</head><body>{body}</body></html>".encode(encoding))
    return path


HEAD_ROW = "<tr>" + "".join(f"<th>{h}</th>" for h in HEAD) + "</tr>"


def test_gb2312_page_reads_like_its_workbook():
    t = table("levels.html")
    assert t.rows == table("levels.xlsx").rows
    assert t.title == "某县财政预决算领域基层政务公开标准目录"


def test_html_rowspan_colspan_laid_out_as_a_browser_does(tmp_path):
    body = (f"<table>{HEAD_ROW}"
            "<tr><td rowspan=2>1</td><td>指南</td><td>内容甲</td><td rowspan=2 colspan=2>《条例》</td>"
            "<td>县局</td></tr>"
            "<tr><td>目录</td><td>内容乙</td><td>市局</td></tr>"
            "<tr><td>2</td><td colspan=5>年报</td></tr></table>")
    t, fmt = read_table(_page(tmp_path, body))
    assert fmt == "html"
    assert t.rows[2] == [UP, Cell("目录"), Cell("内容乙"), UP, UP, Cell("市局")]
    assert t.rows[1][4] == LEFT
    assert t.rows[3] == [Cell("2"), Cell("年报")] + [LEFT] * 4


def test_html_rowspan_zero_runs_to_the_end_of_its_group(tmp_path):
    body = (f"<table><thead>{HEAD_ROW}</thead><tbody>"
            "<tr><td>1</td><td>指南</td><td>内容</td><td rowspan=0>《条例》</td><td>实时</td><td>县局</td></tr>"
            "<tr><td>2</td><td>年报</td><td>报告</td><td>每年</td><td>县局</td></tr>"
            "<tr><td>3</td><td>规划</td><td>计划</td><td>实时</td><td>县局</td></tr></tbody></table>")
    t, _ = read_table(_page(tmp_path, body))
    assert t.rows[2][3] == UP and t.rows[3][3] == UP
    assert t.rows[3][5].text == "县局"


def test_html_cell_text_follows_whitespace_rules(tmp_path):
    body = (f"<table>{HEAD_ROW}<tr><td> 1 </td><td>\n  政府信息\n  公开指南 </td>"
            "<td><p>第一段</p><p>第二段</p></td><td>1.《条例》<br>2.《档案法》</td>"
            "<td>&nbsp;</td><td><span>县</span><span>局</span><!-- 备注 --></td></tr></table>")
    t, _ = read_table(_page(tmp_path, body))
    assert texts(t)[1] == ["1", "政府信息 公开指南", "第一段\n第二段", "1.《条例》\n2.《档案法》", "", "县局"]


def test_html_catalog_found_among_navigation_tables_and_titled_by_caption(tmp_path):
    nav = "<table><tr><td>首页</td><td>政务公开</td><td>序号查询</td></tr></table>"
    body = (f"<h1>网站首页</h1>{nav}<table><caption>{TITLE}</caption>{HEAD_ROW}"
            "<tr><td>1</td><td>指南</td><td>内容</td><td>《条例》</td><td>实时</td><td>县局</td></tr>"
            f"</table>{nav}")
    t, _ = read_table(_page(tmp_path, body))
    assert t.title == TITLE and t.rows[0][0].text == "序号" and len(t.rows) == 2


def test_html_title_falls_back_to_the_page_title(tmp_path):
    body = f"<table>{HEAD_ROW}<tr><td>1</td><td>指南</td><td>内容</td><td>《条例》</td><td>实时</td><td>县局</td></tr></table>"
    t, _ = read_table(_page(tmp_path, body, head=f"<title>{TITLE}_某县人民政府</title>"))
    assert t.title == TITLE


def test_html_without_a_catalog_table_is_no_table(tmp_path):
    body = "<table><tr><td>首页</td><td>新闻</td></tr></table><p>序号：1</p>"
    with pytest.raises(CatalogError) as err:
        read_table(_page(tmp_path, body))
    assert err.value.kind == "no_table"


def test_html_declared_gbk_but_sent_as_utf8_still_reads(tmp_path):
    body = f"<table>{HEAD_ROW}<tr><td>1</td><td>指南</td><td>内容</td><td>《条例》</td><td>实时</td><td>县局</td></tr></table>"
    path = _page(tmp_path, body, head='<meta charset="gbk">')
    t, _ = read_table(path)
    assert texts(t)[1][1] == "指南"


def test_a_document_whose_parts_are_broken_is_corrupt(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<document/>")
    path = tmp_path / "catalog.docx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(CatalogError) as err:
        read_table(path)
    assert err.value.kind == "corrupt"


def test_a_web_table_saved_as_xls_by_a_web_system_is_read_as_html(tmp_path):
    path = tmp_path / "catalog.xls"
    path.write_text(f'<meta charset="utf-8"><table>{HEAD_ROW}<tr><td>1</td><td>指南</td><td>内容</td>'
                    "<td>《条例》</td><td>实时</td><td>县局</td></tr></table>", "utf-8")
    t, fmt = read_table(path)
    assert fmt == "html" and texts(t)[1][1] == "指南"


def test_an_empty_office_2003_xml_spreadsheet_is_read_as_one_and_holds_no_table(tmp_path):
    path = tmp_path / "catalog.xls"
    path.write_text('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook/>', "utf-8")
    with pytest.raises(CatalogError) as err:
        read_table(path)
    assert err.value.kind == "no_table" and "Excel 2003 XML" in err.value.message


def test_a_sentence_mentioning_the_catalog_is_not_its_title(tmp_path):
    body = (f"<h1>{TITLE}</h1><p>为方便公众查阅，现将本局政府信息公开目录公布如下：</p>"
            f"<table>{HEAD_ROW}<tr><td>1</td><td>指南</td><td>内容</td><td>《条例》</td><td>实时</td>"
            "<td>县局</td></tr></table>")
    t, _ = read_table(_page(tmp_path, body))
    assert t.title == TITLE


def test_a_title_row_merged_across_the_table_is_the_title_not_a_row(tmp_path):
    body = (f"<table><tr><td colspan=6>{TITLE}</td></tr>{HEAD_ROW}<tr><td>1</td><td>指南</td>"
            "<td>内容</td><td>《条例》</td><td>实时</td><td>县局</td></tr></table>")
    t, _ = read_table(_page(tmp_path, body))
    assert t.title == TITLE and texts(t)[0] == HEAD

    def build(document):
        tbl = document.add_table(rows=3, cols=6)
        _fill(tbl, [[TITLE] + [""] * 5, HEAD, ["1", "指南", "内容", "《条例》", "实时", "县局"]])
        tbl.cell(0, 0).merge(tbl.cell(0, 5))

    t, _ = read_table(_document(tmp_path, build))
    assert t.title == TITLE and texts(t)[0] == HEAD


def test_a_page_with_two_catalog_tables_reads_the_fuller_and_says_so(tmp_path):
    row = "<tr><td>1</td><td>指南</td><td>内容</td><td>《条例》</td><td>实时</td><td>县局</td></tr>"
    body = f"<table>{HEAD_ROW}{row}</table><table>{HEAD_ROW}{row}{row.replace('>1<', '>2<')}</table>"
    t, _ = read_table(_page(tmp_path, body))
    assert len(t.rows) == 3
    assert any("2 catalog-like tables" in w for w in t.warnings)
