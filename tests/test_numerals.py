"""Chinese and full-width numerals (numerals.py)."""

from __future__ import annotations

import pytest

from catalog_graph.numerals import (
    LIST_NUMERALS,
    MAX_LENGTH,
    PROVISION_NUMERALS,
    SERIAL_NUMERALS,
    YEAR_DIGITS,
    chinese_numeral,
    numeral_chars,
    parse_int,
    to_halfwidth_digits,
)


@pytest.mark.parametrize(("text", "value"), [
    ("20", 20), ("２０", 20), ("二十", 20), ("十二", 12), ("七十三", 73), ("一百零八", 108),
    ("二〇一八", 2018), ("二○一八", 2018), ("两千", 2000), ("壹佰", 100), ("一万二千", 12000),
    (" 十 ", 10),
])
def test_numerals_in_every_spelling(text: str, value: int) -> None:
    assert parse_int(text) == value


@pytest.mark.parametrize("text", ["", "第十", "十a", "1.5", "一" * (MAX_LENGTH + 1)])
def test_what_is_no_numeral(text: str) -> None:
    assert parse_int(text) is None


def test_full_width_digits_become_ascii() -> None:
    assert to_halfwidth_digits("晋政办发〔２０１８〕７９号") == "晋政办发〔2018〕79号"


@pytest.mark.parametrize(("number", "text"), [(1, "一"), (10, "十"), (20, "二十"), (105, "一百零五"),
                                              (1010, "一千零一十"), (0, "0"), (10000, "10000")])
def test_chinese_numeral_writes_a_number(number: int, text: str) -> None:
    assert chinese_numeral(number) == text


def test_chinese_numeral_reads_back() -> None:
    assert all(parse_int(chinese_numeral(n)) == n for n in range(1, 10000))


def test_the_sets_patterns_look_for() -> None:
    assert set(LIST_NUMERALS) == set("一二三四五六七八九十")
    assert set(PROVISION_NUMERALS) == set("〇零一二三四五六七八九十百千两")
    assert set(YEAR_DIGITS) == set("〇○零一二三四五六七八九")
    assert set(SERIAL_NUMERALS) == set("〇○零一二三四五六七八九十百千两")
    assert numeral_chars(9, lowest=1) == "一二三四五六七八九"
