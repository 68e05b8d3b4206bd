"""What a header cell names (layout/header.py): the column mapping, and cells judged by what
they hold."""

from __future__ import annotations

import pytest

from catalog_graph.layout.header import (
    AUDIENCE,
    BASIS,
    CHANNELS,
    CONTENT,
    LEVEL,
    METHOD,
    NUMBER,
    SUBJECT,
    TIER,
    TIME,
    header_field,
    is_descriptive,
    is_mark,
    looks_like,
    normalize_header,
    subheader_kind,
)


@pytest.mark.parametrize(("text", "field"), [
    ("序号", NUMBER), ("公开事项", LEVEL), ("公开内容（要素）", CONTENT), ("公开依据", BASIS),
    ("公开时限", TIME), ("公开主体", SUBJECT), ("公开渠道和载体", CHANNELS), ("公开对象", AUDIENCE),
    ("公开方式", METHOD), ("公开层级", TIER),
])
def test_the_sample_headers_map_to_their_fields(text: str, field: str) -> None:
    assert header_field(text) == field


def test_white_space_and_a_trailing_gloss_are_ignored() -> None:
    assert normalize_header(" 公开内容\n（要素） ") == "公开内容"
    assert header_field("公 开 依 据") == BASIS
    assert header_field("公开时限(工作日)") == TIME


def test_a_header_that_is_only_a_gloss_keeps_its_text() -> None:
    assert normalize_header("（备注）") == "（备注）"


def test_a_level_header_of_any_rank_is_a_level() -> None:
    assert header_field("四级目录") == LEVEL
    assert header_field("2级分类") == LEVEL


def test_a_short_header_is_known_by_a_word_in_it() -> None:
    assert header_field("执行依据") == BASIS
    assert header_field("办理时限") == TIME
    assert header_field("信息公开部门") == SUBJECT


def test_the_first_word_found_wins() -> None:
    assert header_field("事项序号") == NUMBER  # 序号 is looked for before 事项


def test_a_long_text_is_data_not_a_header() -> None:
    assert header_field("依据本单位职责公开相关内容以及其他事项") is None


def test_an_unknown_or_empty_header_names_no_field() -> None:
    assert header_field("备注") is None
    assert header_field("  ") is None


@pytest.mark.parametrize(("text", "kind"), [
    ("全社会", AUDIENCE), ("特定群众", AUDIENCE), ("主动", METHOD), ("依申请公开", METHOD),
    ("县级", TIER), ("乡（镇）级", TIER), ("一级事项", LEVEL), ("其他", None),
])
def test_a_second_header_row_labels_marks_and_levels(text: str, kind: str | None) -> None:
    assert subheader_kind(text) == kind


@pytest.mark.parametrize("text", ["✓", "√√", " ● ", "是", "〇"])
def test_marks_are_ticks_or_yes_words(text: str) -> None:
    assert is_mark(text)


@pytest.mark.parametrize("text", ["", "否", "×", "□", "主动"])
def test_no_words_and_empty_boxes_are_no_marks(text: str) -> None:
    assert not is_mark(text)


@pytest.mark.parametrize(("text", "kind"), [
    ("《中华人民共和国政府信息公开条例》第二十条", BASIS),
    ("国办发〔2019〕8号", BASIS),
    ("第十条", BASIS),
    ("自信息形成之日起20个工作日内", TIME),
    ("■政府网站 □政务新媒体", CHANNELS),
    ("县交通运输局", SUBJECT),
    ("12", NUMBER),
    ("（三）", NUMBER),
])
def test_a_cell_looks_like_the_field_it_holds(text: str, kind: str) -> None:
    assert kind in looks_like(text)


def test_a_mark_cell_looks_like_a_mark_only() -> None:
    assert looks_like("✓") == frozenset({"mark"})


def test_a_basis_is_no_time_limit_even_when_it_says_one() -> None:
    assert TIME not in looks_like("《办法》规定20个工作日内")


def test_long_enumerating_text_is_descriptive() -> None:
    assert is_descriptive("国家、省、市出台政务公开相关制度规定")
    assert not is_descriptive("政府信息公开制度")
