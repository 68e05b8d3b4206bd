"""Each hazard of DOMAIN.md on a small table of our own."""

from __future__ import annotations

from catalog_graph.layout.table import body_of
from catalog_graph.pipeline import parse_file
from tests.support import HEADER

GONGKAI = "■政府网站 ■政务新媒体"


def items_of(path):
    return parse_file(path, citations=False).items


def test_continuation_rows_inherit_empty_cells_and_keep_their_own(write_catalog):
    path = write_catalog(
        "1\t行政许可\t许可事项\t事项目录\t许可事项名称、依据\t《中华人民共和国行政许可法》第三十条\t自信息形成之日起20个工作日内\t县交通运输局\t■政府网站\t✓\t\t✓\n"
        "\t\t\t办理结果\t许可决定\t\t实时更新\t\t\t\t\t\n"
    )
    first, second = items_of(path)
    assert second.number == "1"
    assert second.path == ["行政许可", "许可事项", "办理结果"]
    assert second.content == "许可决定"
    assert second.basis == "《中华人民共和国行政许可法》第三十条"
    assert second.time_limit.kind == "realtime"  # its own cell wins
    assert first.time_limit.days == 20 and first.time_limit.working_days is True
    assert second.subject == "县交通运输局"
    assert second.channels == ["政府网站"]
    assert second.audience == ["全社会"] and second.method == ["主动"]


def test_a_numbered_row_does_not_inherit_from_the_group_above(write_catalog):
    path = write_catalog(
        "1\t机构职能\t\t\t机构设置\t《中华人民共和国政府信息公开条例》第二十条\t20个工作日内\t县交通运输局\t■政府网站\t✓\t\t✓\n"
        "2\t人事信息\t\t\t干部任免\t\t20个工作日内\t\t■政府网站\t✓\t\t✓\n"
    )
    _, second = items_of(path)
    assert second.basis is None
    assert second.subject == "某县交通运输局"  # the catalog's own body, from its title
    assert any("公开主体" in w for w in second.warnings)


def test_a_row_with_an_extra_item_level_is_shifted_back(write_catalog):
    path = write_catalog(
        "1\t法定主动公开内容\t财政信息\t预算\t部门预算\t部门预算说明\t《中华人民共和国预算法》第十四条\t批复后20日内\t县交通运输局\t■政府网站\t✓\t✓\n"
        "2\t法定主动公开内容\t财政信息\t决算\t部门决算\t《中华人民共和国预算法》第十四条\t批复后20日内\t县交通运输局\t■政府网站\t✓\t\t✓\n"
    )
    shifted, regular = items_of(path)
    assert shifted.path == ["法定主动公开内容", "财政信息", "预算", "部门预算"]
    assert shifted.content == "部门预算说明"
    assert shifted.basis == "《中华人民共和国预算法》第十四条"
    assert shifted.time_limit.days == 20 and shifted.time_limit.working_days is False
    assert shifted.subject == "县交通运输局"
    assert shifted.channels == ["政府网站"]
    # the lost empty mark cell is put back where the regular rows have it
    assert shifted.audience == ["全社会"]
    assert shifted.method == ["主动"]
    assert any("item levels" in w for w in shifted.warnings)
    assert regular.path == ["法定主动公开内容", "财政信息", "决算"]
    assert regular.warnings == []


def test_descriptive_text_in_a_level_column_is_read_as_content(write_catalog):
    path = write_catalog(
        "1\t政策文件\t规范性文件\t本部门制定的规范性文件、政策解读及清理结果\t\t\t20个工作日内\t县交通运输局\t■政府网站\t✓\t\t✓\n"
        "\t\t政策解读\t\t\t\t\t\t\t\t\t\n"
    )
    first, second = items_of(path)
    assert first.path == ["政策文件", "规范性文件"]
    assert first.content == "本部门制定的规范性文件、政策解读及清理结果"
    assert any("公开内容" in w for w in first.warnings)
    assert second.path == ["政策文件", "政策解读"]
    assert second.content == first.content


def test_a_short_level_name_with_a_pause_mark_stays_a_level(write_catalog):
    path = write_catalog("1\t双随机、一公开\t抽查结果\t\t随机抽查结果\t\t7个工作日内\t县交通运输局\t■政府网站\t✓\t\t✓\n")
    (item,) = items_of(path)
    assert item.path == ["双随机、一公开", "抽查结果"]
    assert item.content == "随机抽查结果"


def test_a_level_written_with_a_dash_is_two_levels(write_catalog):
    path = write_catalog("1\t工作动态\t重点民生领域—通知公告\t\t通知公告\t\t实时更新\t县交通运输局\t■政府网站\t✓\t\t✓\n")
    (item,) = items_of(path)
    assert item.path == ["工作动态", "重点民生领域", "通知公告"]


def test_numbered_rows_under_a_merged_first_level_inherit_it(write_catalog):
    path = write_catalog(
        "1\t法定主动公开内容\t机构职能\t\t内设机构\t\t20个工作日内\t县交通运输局\t■政府网站\t✓\t\t✓\n"
        "2\t\t人事信息\t\t干部任免\t\t20个工作日内\t县交通运输局\t■政府网站\t✓\t\t✓\n"
    )
    _, second = items_of(path)
    assert second.path == ["法定主动公开内容", "人事信息"]


def test_columns_are_mapped_by_header_text_in_any_order(write_catalog):
    header = "序号\t事项名称\t依据\t公开要素\t责任主体\t时限\t公开载体\t公开对象\t公开方式\t备注\n"
    path = write_catalog(
        "1\t财政预决算\t《中华人民共和国预算法》第十四条\t部门预算、决算\t县财政局\t批复后20日内\t政府网站、公示栏\t全社会、特定群体\t主动公开、依申请公开\t每年更新\n",
        header=header,
    )
    (item,) = items_of(path)
    assert item.path == ["财政预决算"]
    assert item.basis == "《中华人民共和国预算法》第十四条"
    assert item.content == "部门预算、决算"
    assert item.subject == "县财政局"
    assert item.time_limit.days == 20
    assert item.channels == ["政府网站", "公示栏"]
    assert item.audience == ["全社会", "特定群体"]
    assert item.method == ["主动", "依申请"]
    assert item.extra == {"备注": "每年更新"}


def test_tier_and_method_mark_columns(write_catalog):
    header = ("序号\t一级事项\t二级事项\t公开内容\t公开依据\t公开时限\t公开主体\t公开渠道\t公开对象\t\t公开方式\t\t公开层级\t\n"
              "\t\t\t\t\t\t\t\t全社会\t特定群众\t主动\t依申请\t县级\t乡级\n")
    path = write_catalog(
        "1\t城乡规划\t规划编制\t国土空间总体规划\t《中华人民共和国城乡规划法》第八条\t20个工作日内\t县自然资源局\t■政府网站\t√\t\t√\t√\t√\t\n",
        header=header,
    )
    (item,) = items_of(path)
    assert item.audience == ["全社会"]
    assert item.method == ["主动", "依申请"]
    assert item.level == ["县级"]


def test_repeated_headers_and_notes_are_dropped(write_catalog):
    path = write_catalog(
        "1\t机构职能\t\t\t内设机构\t\t20个工作日内\t县交通运输局\t■政府网站\t✓\t\t✓\n" + HEADER +
        "2\t人事信息\t\t\t干部任免\t\t20个工作日内\t县交通运输局\t■政府网站\t✓\t\t✓\n"
        "注：本目录根据工作需要动态调整。\n"
    )
    catalog = parse_file(path, citations=False)
    assert [i.number for i in catalog.items] == ["1", "2"]
    assert [i.source.row for i in catalog.items] == [1, 2]
    assert any("注：" in w for w in catalog.warnings)


def test_unticked_boxes_are_not_channels(write_catalog):
    path = write_catalog("1\t机构职能\t\t\t内设机构\t\t20个工作日内\t县交通运输局\t■政府网站 □政务新媒体 ■公告栏\t✓\t\t✓\n")
    (item,) = items_of(path)
    assert item.channels == ["政府网站", "公告栏"]


def test_the_body_is_read_from_the_title():
    assert body_of("长治市教育局主动公开事项目录") == "长治市教育局"
    assert body_of("附件1：2023年某县人民政府政务公开事项标准目录") == "某县人民政府"
    assert body_of("某区基层政务公开标准目录（义务教育领域）") == "某区"
    assert body_of("长治市教育局政府信息主动公开基本目录（2023年版）") == "长治市教育局"
    assert body_of("某县人民政府信息公开目录") == "某县人民政府"
    assert body_of("某县政府信息公开目录") == "某县政府"
    assert body_of("某县财政预决算领域基层政务公开标准目录") == "某县"
    assert body_of("某市教育局义务教育领域基层政务公开标准目录") == "某市教育局"
    assert body_of("目录") is None
