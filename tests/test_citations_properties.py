"""Properties that hold for any text: extraction never raises, spans point into the text,
normalization is idempotent, resolution does not depend on order."""

from __future__ import annotations

import json
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_graph.citations import find_citations
from catalog_graph.citations.docnumbers import normalize_doc_number
from catalog_graph.resolve.resolver import Resolver, merge_regulations

CASES = json.loads((Path(__file__).parent / "data" / "citation_cases.json")
                   .read_text(encoding="utf-8"))["cases"]
CELLS = [c["text"] for c in CASES if c["text"]]

# Pieces of real 公开依据 text, so that random texts reach every branch of the parser.
FRAGMENTS = [
    "《", "》", "〈", "〉", "<", ">", "＜", "＞", "（", "）", "(", ")", "〔", "〕", "[", "]", "【", "】",
    "﹝", "﹞", "“", "”", "\"", "「", "」", "；", "、", "，", "。", "：", "\n", " ", "\u3000",
    "1.", "2.", "3、", "（一）", "①", "第", "条", "款", "项", "章", "至", "之一", "号", "令",
    "第二十条", "第（五）项", "第一款", "第三章", "第十九、二十条", "（五）", "七十三", "二〇一八",
    "2019", "２０１８", "14", "８", "国办发", "国发", "国务院令", "中办发", "晋政办发", "长政办发", "教基",
    "财预", "某政发", "主席令", "国务院", "国务院办公厅", "中共中央办公厅 国务院办公厅", "关于", "印发",
    "转发", "的通知", "的意见", "条例", "办法", "依据", "根据", "中华人民共和国", "政府信息公开条例",
    "重大行政决策程序暂行条例", "政务公开工作要点", "国办发〔2022〕8号", "国务院令第七十三号",
    "《中华人民共和国政府信息公开条例》", "《条例》", "国办发〔2017〕\n42 号",
]
texts = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=25).map("".join),
)
SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts)
def test_extraction_never_raises_and_spans_point_into_the_text(text: str) -> None:
    citations = find_citations(text)
    previous_end = 0
    for c in citations:
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start:c.end] == c.text
        assert c.start >= previous_end  # in order, not overlapping
        previous_end = c.end
        assert c.title or c.doc_number
        assert c.regulation is None


@SETTINGS
@given(texts)
def test_normalizing_twice_changes_nothing(text: str) -> None:
    once = normalize_doc_number(text)
    if once is not None:
        assert normalize_doc_number(once) == once
    for c in find_citations(text):
        if c.doc_number is not None:
            assert normalize_doc_number(c.doc_number) == c.doc_number


CODES = ["国办发", "国发", "国办函", "中办发", "晋政办发", "教基厅函", "财预", "长子政发", "京政发"]
BRACKETS = ["〔〕", "[]", "［］", "【】", "()", "（）", "﹝﹞"]
SPACE = st.sampled_from(["", " ", "\n", "\u3000"])
FULL = str.maketrans("0123456789", "０１２３４５６７８９")
CN = dict(zip("0123456789", "〇一二三四五六七八九", strict=True))


@st.composite
def doc_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A 发文字号 written some way, and its normal form."""
    year = draw(st.integers(1980, 2030))
    serial = draw(st.integers(1, 999))
    if draw(st.booleans()):
        body = draw(st.sampled_from(["国务院", "中华人民共和国国务院", "教育部", "财政部"]))
        digits = draw(st.sampled_from(["ascii", "full"]))
        written_serial = str(serial) if digits == "ascii" else str(serial).translate(FULL)
        normal_body = body.removeprefix("中华人民共和国")
        return (f"{body}令{draw(SPACE)}第{written_serial}{draw(SPACE)}号",
                f"{normal_body}令第{serial}号")
    code = draw(st.sampled_from(CODES))
    o, c = draw(st.sampled_from(BRACKETS))
    style = draw(st.sampled_from(["ascii", "full", "cn"]))
    written_year = {"ascii": str(year), "full": str(year).translate(FULL),
                    "cn": "".join(CN[d] for d in str(year))}[style]
    written_serial = str(serial).translate(FULL) if style == "full" else str(serial)
    text = f"{code}{draw(SPACE)}{o}{written_year}{c}{draw(SPACE)}{written_serial}{draw(SPACE)}号"
    return text, f"{code}〔{year}〕{serial}号"


@SETTINGS
@given(doc_numbers())
def test_every_spelling_of_a_number_normalizes_to_its_normal_form(pair: tuple[str, str]) -> None:
    written, normal = pair
    assert normalize_doc_number(written) == normal
    assert normalize_doc_number(normal) == normal
    [c] = find_citations(f"依据《某某文件》（{written}）")
    assert c.doc_number == normal


def _ids_per_cell(cells: list[str], resolver: Resolver) -> dict[str, list[str | None]]:
    from catalog_graph.resolve import cite

    return {cell: [c.regulation for c in cite(cell, resolver)] for cell in cells}


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_resolution_does_not_depend_on_order(rnd: random.Random) -> None:
    cells = list(CELLS)
    forward = _ids_per_cell(cells, first := Resolver(use_env=False))
    rnd.shuffle(cells)
    shuffled = _ids_per_cell(cells, second := Resolver(use_env=False))
    assert forward == shuffled
    assert [r.to_dict() for r in first.regulations()] == [r.to_dict() for r in second.regulations()]

    # two workers, each with part of the cells, merged in either order, agree with one
    cut = rnd.randrange(len(cells) + 1)
    a, b = Resolver(use_env=False), Resolver(use_env=False)
    _ids_per_cell(cells[:cut], a)
    _ids_per_cell(cells[cut:], b)
    whole = [r.to_dict() for r in first.regulations()]
    assert [r.to_dict() for r in merge_regulations(a.regulations(), b.regulations())] == whole
    assert [r.to_dict() for r in merge_regulations(b.regulations(), a.regulations())] == whole
    a.merge(b)
    assert [r.to_dict() for r in a.regulations()] == whole
