"""Property-based tests of the layout stage: any table of cells, no exception but CatalogError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_graph.errors import CatalogError
from catalog_graph.layout.table import build_catalog
from catalog_graph.models import Cell, RawTable

HEADER_ROWS = [
    ["序号", "公开事项", "", "", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象", "", "公开方式"],
    ["", "一级事项", "二级事项", "三级事项", "", "", "", "", "", "全社会", "特定群众", ""],
]
# Cell texts drawn from what catalogs hold, plus noise.
WORDS = ["", "", "", "1", "2", "12", "✓", "√", "■政府网站 ■政务新媒体", "□公告栏", "市教育局", "实时更新",
         "每年1月31日前", "20个工作日内", "《中华人民共和国政府信息公开条例》第二十条", "国办发〔2022〕8号",
         "法定主动公开内容", "重点民生领域—通知公告", "国家、省、市出台政务公开相关制度规定", "注：说明",
         "序号", "公开依据", "\u200b", "<script>alert(1)</script>", "第 1 页"]
cell = st.one_of(
    st.sampled_from(WORDS).map(Cell),
    st.text(max_size=30).map(Cell),
    st.sampled_from(["up", "left"]).map(lambda m: Cell("", merged=m)),
)
row = st.lists(cell, min_size=0, max_size=15)


def table_of(rows: list[list[Cell]], with_header: bool) -> RawTable:
    head = [[Cell(t) for t in r] for r in HEADER_ROWS] if with_header else []
    body = [[Cell("某局主动公开事项目录")]] + head + rows
    return RawTable(file="fuzz.txt", rows=body, pages=[None] * len(body))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, max_size=25), st.booleans())
def test_any_table_gives_items_or_one_clear_error(rows, with_header):
    table = table_of(rows, with_header)
    try:
        catalog = build_catalog(table)
    except CatalogError as err:
        assert "\n" not in str(err) and str(err).startswith("fuzz.txt: ")
        return
    assert catalog.items
    assert [i.source.row for i in catalog.items] == list(range(1, len(catalog.items) + 1))
    for item in catalog.items:
        assert all(name.strip() == name and name for name in item.path)
        assert item.time_limit is None or item.time_limit.kind in {"within_days", "realtime", "annual_deadline", "other"}
        assert len(item.id) == 16


@settings(max_examples=100, deadline=None)
@given(st.lists(row, min_size=1, max_size=15))
def test_layout_is_deterministic(rows):
    table = table_of(rows, True)
    try:
        first = [i.to_dict() for i in build_catalog(table).items]
    except CatalogError:
        return
    assert first == [i.to_dict() for i in build_catalog(table).items]
