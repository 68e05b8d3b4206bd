"""The shapes real catalogs come in that the sample does not show (issue #14): levels joined in
one cell, header names once unknown, wrap spaces, 同上, several catalogs in one file, no 序号,
titles inside the table, articles after a document number. The catalogs here are written for
these tests in the forms seen on government sites; tests/real/ holds the real ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog_graph.layout.repairs import REPAIRS, code_of, say
from catalog_graph.layout.values import fold_wraps, parse_time_limit, split_channels
from catalog_graph.pipeline import parse_file
from catalog_graph.resolve import cite

H = "序号\t公开事项\t公开内容\t公开依据\t公开时限\t公开主体\t公开渠道\n"
LAW = "《中华人民共和国政府信息公开条例》"


def _write(tmp_path: Path, text: str, name: str = "catalog.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _codes(item) -> list[str | None]:
    return [code_of(w) for w in item.warnings]


# ---------------------------------------------------------------- 1. levels in one cell


@pytest.mark.parametrize("sep", ["/", "／", "\\", "—", "-", ">"])
def test_levels_joined_in_one_cell_are_split_when_the_header_says_so(tmp_path, sep) -> None:
    text = ("某县教育局主动公开事项目录\n序号\t公开事项(一级/二级)\t公开内容\t公开依据\t公开主体\n"
            f"1\t机构信息{sep}领导信息\t姓名、职务\t{LAW}\t县教育局\n"
            f"2\t机构信息{sep}内设机构\t机构名称\t{LAW}\t县教育局\n")
    items = parse_file(_write(tmp_path, text), citations=False).items
    assert [i.path for i in items] == [["机构信息", "领导信息"], ["机构信息", "内设机构"]]
    assert "LEVELS_SPLIT" in _codes(items[0])


def test_a_slash_inside_a_title_or_brackets_splits_nothing(tmp_path) -> None:
    text = ("某县教育局主动公开事项目录\n" + H +
            "1\t《招生/入学办法》解读\t解读\t" + LAW + "\t20个工作日内\t县教育局\t政府网站\n"
            "2\t义务教育（小学/初中）招生\t计划\t" + LAW + "\t20个工作日内\t县教育局\t政府网站\n"
            "3\t学校名录\t名录\t" + LAW + "\t20个工作日内\t县教育局\t政府网站\n")
    items = parse_file(_write(tmp_path, text), citations=False).items
    assert [i.path for i in items] == [["《招生/入学办法》解读"], ["义务教育（小学/初中）招生"],
                                       ["学校名录"]]


def test_a_column_whose_cells_mostly_hold_joined_levels_is_split_without_a_header_hint(
        tmp_path) -> None:
    text = ("某县民政局主动公开事项目录\n" + H +
            f"1\t社会救助/低保政策\t政策\t{LAW}\t20个工作日内\t县民政局\t政府网站\n"
            f"2\t社会救助/特困供养\t名单\t{LAW}\t20个工作日内\t县民政局\t政府网站\n"
            f"3\t养老服务\t机构\t{LAW}\t20个工作日内\t县民政局\t政府网站\n")
    items = parse_file(_write(tmp_path, text), citations=False).items
    assert [i.path for i in items] == [["社会救助", "低保政策"], ["社会救助", "特困供养"], ["养老服务"]]


# ---------------------------------------------------------------- 2. header names


@pytest.mark.parametrize("subject_header", ["责任科室", "责任单位", "责任部门", "承办科室", "公开责任主体"])
@pytest.mark.parametrize("time_header", ["信息公开时限", "公开期限"])
@pytest.mark.parametrize("channel_header", ["公开途径", "公开形式"])
def test_header_names_seen_in_real_catalogs_map_to_their_fields(
        tmp_path, subject_header, time_header, channel_header) -> None:
    text = (f"某县交通运输局主动公开事项目录\n序号\t一级目录\t二级目录\t公开内容\t公开依据\t"
            f"{time_header}\t{subject_header}\t{channel_header}\n"
            f"1\t机构职能\t领导信息\t姓名\t{LAW}\t20个工作日内\t办公室\t政府网站\n")
    [item] = parse_file(_write(tmp_path, text), citations=False).items
    assert item.path == ["机构职能", "领导信息"]
    assert item.subject == "办公室"
    assert (item.time_limit.kind, item.time_limit.days) == ("within_days", 20)
    assert item.channels == ["政府网站"]


def test_a_category_column_left_of_the_levels_is_a_level(tmp_path) -> None:
    text = ("某区教育局政府公开标准化目录\n类别\t公开事项(一级/二级)\t公开内容\t公开依据\t公开主体\n"
            f"综合政务\t政府信息公开/依申请公开\t申请渠道\t{LAW}\t区教育局\n")
    [item] = parse_file(_write(tmp_path, text), citations=False).items
    assert item.path == ["综合政务", "政府信息公开", "依申请公开"]


def test_a_level_named_column_apart_from_the_levels_stays_extra(tmp_path) -> None:
    text = ("某县农牧局主动公开事项目录\n序号\t一级事项\t二级事项\t公开内容\t公开依据\t公开主体\t"
            "事项类别\n"
            f"1\t机构职能\t基本信息\t办公地址\t{LAW}\t县农牧局\t法定公开\n")
    [item] = parse_file(_write(tmp_path, text), citations=False).items
    assert item.path == ["机构职能", "基本信息"]
    assert item.extra == {"事项类别": "法定公开"}


def test_columns_whose_header_was_cut_are_read_by_their_cells(tmp_path) -> None:
    # the header cells kept only their first line (公开 / 公开), the 序号 header is empty
    text = ("某区市场监督管理局主动公开事项目录\n\t公开事项\t公开内容\t公开依据\t公开\t公开\n"
            f"1\t食品经营许可\t服务指南\t{LAW}\t信息形成之日起20个工作日内\t区市场监督管理局\n"
            f"2\t食品小作坊登记\t服务指南\t{LAW}\t信息形成之日起7个工作日内\t区市场监督管理局\n")
    items = parse_file(_write(tmp_path, text), citations=False).items
    assert [i.number for i in items] == ["1", "2"]
    assert [i.time_limit.days for i in items] == [20, 7]
    assert [i.subject for i in items] == ["区市场监督管理局"] * 2
    assert "COLUMN_FROM_CELLS" in _codes(items[0])


# ---------------------------------------------------------------- 3. wrap spaces


def test_a_space_between_two_chinese_characters_is_folded() -> None:
    assert fold_wraps("特 定 群 众") == "特定群众"
    assert fold_wraps("15个工 作日内") == "15个工作日内"
    assert fold_wraps("20 个工作日") == "20 个工作日"  # a digit beside it: kept
    assert parse_time_limit("信息形成15个工 作日内").days == 15
    assert split_channels("政府网站 政务 新媒体") == ["政府网站", "政务新媒体"]
    assert split_channels("政府网站 政务新媒体") == ["政府网站", "政务新媒体"]


def test_a_channel_cell_of_unticked_boxes_only_uses_them_as_bullets() -> None:
    assert split_channels("☐县政府门户网站") == ["县政府门户网站"]
    assert split_channels("□政府网站 ■公示栏") == ["公示栏"]


def test_wrapped_headers_and_names_are_read_whole(tmp_path) -> None:
    text = ("某县卫生健康局主动公开事项目录\n序号\t二级事 项\t公开内容\t公开依据\t公开时 限\t公开主 体\t"
            "公开渠道\n"
            f"1\t医疗 机构\t名录\t{LAW}\t20个工 作日内\t县卫生 健康局\t政务 新媒体\n")
    [item] = parse_file(_write(tmp_path, text), citations=False).items
    assert item.path == ["医疗机构"]
    assert item.subject == "县卫生健康局"
    assert (item.time_limit.kind, item.time_limit.days) == ("within_days", 20)
    assert item.channels == ["政务新媒体"]


# ---------------------------------------------------------------- 4. articles after a number


def test_articles_after_the_document_number_attach_to_that_citation() -> None:
    [c] = cite("《中华人民共和国政府信息公开条例》国务院令第711号，第十九条：行政机关应当……")
    assert c.doc_number == "国务院令第711号"
    assert [p.article for p in c.provisions] == [19]


def test_an_article_without_its_tiao_right_after_a_title_is_that_article() -> None:
    [c] = cite("《中华人民共和国城乡规划法》第四十八。")
    assert [p.article for p in c.provisions] == [48]
    assert any("without 条" in w for w in c.warnings)


# ---------------------------------------------------------------- 5. several catalogs

TWO = ("（一）义务教育领域基层政务公开标准目录\n" + H +
       f"1\t招生入学\t招生政策\t{LAW}\t20个工作日内\t县教育局\t政府网站\n"
       f"2\t学校概况\t学校名录\t{LAW}\t20个工作日内\t县教育局\t政府网站\n\n"
       "（二）涉农补贴领域基层政务公开标准目录\n" + H +
       f"1\t补贴政策\t政策文件\t{LAW}\t实时\t县农业农村局\t政府网站\n")


def test_every_catalog_of_a_file_is_read_under_its_own_title(tmp_path) -> None:
    catalog = parse_file(_write(tmp_path, TWO), citations=False)
    assert catalog.sections == ["（一）义务教育领域基层政务公开标准目录",
                                "（二）涉农补贴领域基层政务公开标准目录"]
    assert [(i.catalog[:3], i.number, i.path) for i in catalog.items] == [
        ("（一）", "1", ["招生入学"]), ("（一）", "2", ["学校概况"]), ("（二）", "1", ["补贴政策"])]
    assert len({i.id for i in catalog.items}) == 3
    assert [i.id for i in parse_file(_write(tmp_path, TWO), citations=False).items] == \
        [i.id for i in catalog.items]


def test_several_catalog_tables_of_a_web_page_are_all_read(tmp_path) -> None:
    def table(rows: list[list[str]]) -> str:
        head = "".join(f"<td>{h}</td>" for h in H.strip().split("\t"))
        return "<table><tr>" + head + "</tr>" + "".join(
            "<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table>"

    page = ("<html><body><p>（一）义务教育领域基层政务公开标准目录</p>"
            + table([["1", "招生入学", "招生政策", LAW, "20个工作日内", "县教育局", "政府网站"]])
            + "<p>（二）涉农补贴领域基层政务公开标准目录</p>"
            + table([["1", "补贴政策", "政策文件", LAW, "实时", "县农业农村局", "政府网站"],
                     ["2", "补贴对象", "名单", LAW, "实时", "县农业农村局", "政府网站"]])
            + "</body></html>")
    catalog = parse_file(_write(tmp_path, page, "page.html"), citations=False)
    assert [(i.catalog[:3], i.path) for i in catalog.items] == [
        ("（一）", ["招生入学"]), ("（二）", ["补贴政策"]), ("（二）", ["补贴对象"])]


HEAD = H.strip().split("\t")
FIRST = [["1", "招生入学", "招生政策", LAW, "20个工作日内", "县教育局", "政府网站"]]
SECOND = [["1", "补贴政策", "政策文件", LAW, "实时", "县农业农村局", "政府网站"],
          ["2", "补贴对象", "名单", "同上", "实时", "县农业农村局", "政府网站"]]


def test_catalog_sheets_of_a_workbook_are_all_read_each_under_its_title(tmp_path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "义务教育"
    first.append(["（一）义务教育领域基层政务公开标准目录"])
    for row in [HEAD, *FIRST]:
        first.append(row)
    second = wb.create_sheet("涉农补贴领域基层政务公开标准目录")  # titled by its name only
    for row in [HEAD, *SECOND]:
        second.append(row)
    wb.save(tmp_path / "book.xlsx")
    catalog = parse_file(tmp_path / "book.xlsx", citations=False)
    assert [(i.catalog, i.number, i.basis) for i in catalog.items] == [
        ("（一）义务教育领域基层政务公开标准目录", "1", LAW),
        ("涉农补贴领域基层政务公开标准目录", "1", LAW),
        ("涉农补贴领域基层政务公开标准目录", "2", LAW)]


def test_catalog_tables_of_a_word_document_are_all_read_each_under_its_title(tmp_path) -> None:
    import docx

    document = docx.Document()
    for title, rows in (("（一）义务教育领域基层政务公开标准目录", FIRST),
                        ("（二）涉农补贴领域基层政务公开标准目录", SECOND)):
        document.add_paragraph(title)
        table = document.add_table(rows=0, cols=len(HEAD))
        for values in [HEAD, *rows]:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
    document.save(tmp_path / "two.docx")
    catalog = parse_file(tmp_path / "two.docx", citations=False)
    assert [(i.catalog[:3], i.number, i.path) for i in catalog.items] == [
        ("（一）", "1", ["招生入学"]), ("（二）", "1", ["补贴政策"]), ("（二）", "2", ["补贴对象"])]


# ---------------------------------------------------------------- 6, 7, 8, 9


def test_without_a_number_column_items_group_by_their_merged_levels(tmp_path) -> None:
    text = ("某区民政局主动公开基本目录\n事项类别\t事项名称\t公开内容\t公开依据\t公开主体\n"
            f"社会救助\t低保\t政策\t{LAW}\t区民政局\n"
            f"\t特困\t名单\t{LAW}\t区民政局\n")
    items = parse_file(_write(tmp_path, text), citations=False).items
    assert [i.number for i in items] == [None, None]
    assert [i.path for i in items] == [["社会救助", "低保"], ["社会救助", "特困"]]
    assert len({i.id for i in items}) == 2


def test_same_as_above_takes_the_value_above_with_a_warning(tmp_path) -> None:
    text = ("某县教育局主动公开事项目录\n" + H +
            f"1\t招生入学\t招生政策\t{LAW}\t20个工作日内\t县教育局\t政府网站\n"
            "2\t学校概况\t学校名录\t同上\t同上\t同左\t政府网站\n")
    _, second = parse_file(_write(tmp_path, text), citations=False).items
    assert second.basis == LAW
    assert second.time_limit.days == 20
    assert second.subject == "县教育局"
    assert _codes(second).count("SAME_AS_ABOVE") == 3


def test_a_title_row_inside_the_table_names_the_catalog(tmp_path) -> None:
    page = ("<html><body><table><tr><td colspan=\"7\">某县教育局主动公开事项目录（2024年修订版）"
            "</td></tr><tr>" + "".join(f"<td>{h}</td>" for h in H.strip().split("\t"))
            + "</tr><tr>" + "".join(f"<td>{c}</td>" for c in
                                   ["1", "招生入学", "招生政策", LAW, "20个工作日内", "", "政府网站"])
            + "</tr></table></body></html>")
    catalog = parse_file(_write(tmp_path, page, "page.html"), citations=False)
    assert catalog.title == "某县教育局主动公开事项目录（2024年修订版）"
    [item] = catalog.items
    assert item.subject == "某县教育局"
    assert sorted(_codes(item)) == ["METHOD_FROM_TITLE", "SUBJECT_FILLED"]


def test_a_catalog_without_a_title_is_named_after_its_file(tmp_path) -> None:
    catalog = parse_file(_write(tmp_path, H + f"1\t招生入学\t招生政策\t{LAW}\t实时\t县教育局\t网站\n",
                                "县教育局目录.txt"), citations=False)
    assert catalog.title == "县教育局目录"
    assert any("named after its file" in w for w in catalog.warnings)


def test_every_repair_code_has_a_message_that_gives_its_code_back() -> None:
    samples = {"SUBJECT_FILLED": {"body": "某县"}, "SHIFTED": {"found": 4, "declared": 3},
               "CONTENT_FROM_LEVEL": {"column": "三级事项"},
               "LEVELS_SPLIT": {"text": "甲/乙", "count": 2, "sep": "/"},
               "SAME_AS_ABOVE": {"column": "公开依据", "word": "同上"},
               "METHOD_FROM_TITLE": {"method": "主动"},
               "COLUMN_FROM_CELLS": {"column": 5, "label": "公开", "field": "time_limit"}}
    for code in REPAIRS:
        assert code_of(say(code, **samples.get(code, {}))) == code
    assert code_of("skipped a note below the table: 注：…") is None
