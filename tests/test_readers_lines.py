"""Joining the printed lines of a cell back into the typed text: a wrap is no break, a typed
break stays. Lines here are laid out as a printer lays them out: 10 pt CJK characters in a
cell 100 pt wide with 2 pt of padding (96 pt, nine characters and a bit, per line)."""

from __future__ import annotations

import pytest

from catalog_graph.readers.pdf.lines import Line, join_lines, piece_end

SIZE = 10.0
LEFT, RIGHT, PAD = 0.0, 100.0, 2.0


def width(text: str) -> float:
    return sum(SIZE if ord(ch) > 0x2000 else SIZE / 2 for ch in text)


def line(text: str, trailing_space: bool = False) -> Line:
    x0 = LEFT + PAD
    return Line(text, x0, x0 + width(text), width(text[:piece_end(text)]), SIZE, trailing_space)


def join(*texts: str) -> str:
    return join_lines([line(t) for t in texts], LEFT, RIGHT, PAD, 0.15 * SIZE)


def test_a_wrap_between_chinese_characters_leaves_no_break():
    assert join("政府信息公开指南包括", "政府信息的分类") == "政府信息公开指南包括政府信息的分类"


def test_punctuation_that_cannot_start_a_line_joins_the_line_above():
    # the printer pushed 址 down with the 、 that may not start a line
    assert join("办公时间、办公地", "址、联系电话") == "办公时间、办公地址、联系电话"


def test_a_quoted_phrase_is_one_piece():
    # 例》“（三） cannot be broken, so 条 ends a line with room left
    assert join("公开条例》第二十条", "例》“（三）国民") == "公开条例》第二十条例》“（三）国民"


def test_a_break_before_a_list_marker_with_room_left_is_kept():
    assert join("1.《条例》十条；", "2.《档案法》") == "1.《条例》十条；\n2.《档案法》"
    assert join("1.《条例》；", "（二）《档案法》") == "1.《条例》；\n（二）《档案法》"
    assert join("■政府网站", "■政务新媒体") == "■政府网站\n■政务新媒体"


def test_a_list_marker_wrapped_from_a_full_line_joins():
    assert join("《条例》第二十条”；", "2.《档案法》") == "《条例》第二十条”；2.《档案法》"


def test_a_bullet_wrapped_from_a_full_line_gets_back_its_space():
    assert join("■政府网站 ■政务", "新媒体 ■纸质媒体") == "■政府网站 ■政务新媒体 ■纸质媒体"
    assert join("■政府网站 ■政府网", "■政务新媒体") == "■政府网站 ■政府网 ■政务新媒体"


def test_a_wrap_between_ascii_words_is_a_space():
    assert join("Government Open", "Information rules") == "Government Open Information rules"


def test_a_short_line_before_text_is_a_typed_break():
    assert join("市教育局", "市财政局") == "市教育局\n市财政局"


def test_a_line_ending_within_two_characters_of_the_edge_counts_as_wrapped():
    # printers keep pieces together that the rules split (〔2022〕14号): give them room
    assert join("意见》（国发", "〔2022〕14号）") == "意见》（国发〔2022〕14号）"


@pytest.mark.parametrize("text,piece", [
    ("2.《中华", "2."), ("（二）公开", "（二）"), ("《中华", "《中"), ("〔2021〕10号", "〔2021〕"),
    ("、办公", "、"), ("制“权力运", "制“权"), ("Open data", "Open"), ("20个工作日", "20"),
])
def test_first_unbreakable_piece(text, piece):
    assert text[:piece_end(text)] == piece
