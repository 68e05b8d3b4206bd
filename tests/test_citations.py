"""Citation extraction and resolution against the table in tests/data/citation_cases.json.

Every 公开依据 cell of the sample catalog is in the table, with cells written the way catalogs
write them around real titles and numbers; the expected values were written by reading the
texts. See the table's "about" for how warnings and regulation labels are compared.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from catalog_graph.citations import find_citations
from catalog_graph.citations.docnumbers import (
    find_doc_numbers,
    normalize_doc_number,
    parse_doc_number,
)
from catalog_graph.citations.titles import doc_kind, title_issuers
from catalog_graph.models import Citation
from catalog_graph.resolve import Resolver, cite
from tests.support import SAMPLE

CASES_FILE = Path(__file__).parent / "data" / "citation_cases.json"
CASES = json.loads(CASES_FILE.read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(use_env=False)


def _provisions(citation: Citation) -> list[dict]:
    return [{k: v for k, v in p.to_dict().items() if v is not None} for p in citation.provisions]


def _check_warnings(got: list[str], expected: list[str]) -> None:
    assert len(got) == len(expected), got
    for warning, part in zip(got, expected, strict=True):
        assert part in warning, (part, warning)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict, resolver: Resolver) -> None:
    text = case["text"]
    got = cite(text, resolver)
    assert [c.text for c in got] == [e["text"] for e in case["citations"]]
    position = 0
    for citation, expected in zip(got, case["citations"], strict=True):
        start = text.index(expected["text"], position)
        assert (citation.start, citation.end) == (start, start + len(expected["text"]))
        assert text[citation.start:citation.end] == citation.text
        position = citation.end
        assert citation.title == expected["title"]
        assert citation.doc_number == expected["doc_number"]
        assert _provisions(citation) == expected["provisions"]
        assert citation.issuer == expected["issuer"]
        assert citation.doc_type == expected["doc_type"]
        _check_warnings(citation.warnings, expected["warnings"])
        if expected["regulation"] is None or not expected["regulation"].startswith("@"):
            assert citation.regulation == expected["regulation"]
        else:
            assert citation.regulation is not None


def test_labelled_regulations_group_as_the_table_says(resolver: Resolver) -> None:
    exact = {e["regulation"] for c in CASES for e in c["citations"]
             if e["regulation"] and not e["regulation"].startswith("@")}
    by_label: dict[str, set[str]] = {}
    for case in CASES:
        for citation, expected in zip(cite(case["text"], resolver), case["citations"],
                                      strict=True):
            label = expected["regulation"]
            if label and label.startswith("@"):
                by_label.setdefault(label, set()).add(citation.regulation)
    assert len(by_label) >= 5
    assert all(len(ids) == 1 for ids in by_label.values()), by_label
    ids = [next(iter(v)) for v in by_label.values()]
    assert len(set(ids)) == len(ids)
    assert not set(ids) & exact


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_find_alone_gives_spans_and_leaves_regulation_unset(case: dict) -> None:
    found = find_citations(case["text"])
    assert [(c.text, c.title, c.doc_number) for c in found] == \
        [(e["text"], e["title"], e["doc_number"]) for e in case["citations"]]
    assert all(c.regulation is None for c in found)


def test_table_holds_every_basis_cell_of_the_sample() -> None:
    texts = {c["text"] for c in CASES}
    rows = [line.split("\t") for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    data = rows[6:]  # after the title and the two header rows
    basis = {row[5] for row in data if len(row) > 5 and row[5]}
    # item 6 has one item level too many: its basis moved one column right
    shifted = {row[6] for row in data if len(row) > 6 and "《" in row[6]}
    assert len(basis) == 16
    assert (basis | shifted) - texts == set()
    assert len(CASES) >= 80


# --------------------------------------------------------------------------- doc numbers


@pytest.mark.parametrize("written, normalized", [
    ("国办发〔2022〕8号", "国办发〔2022〕8号"),
    ("国办发[2022]8号", "国办发〔2022〕8号"),
    ("国办发［2022］8号", "国办发〔2022〕8号"),
    ("国办发【2022】8号", "国办发〔2022〕8号"),
    ("国办发(2022)8号", "国办发〔2022〕8号"),
    ("国办发（2022）8号", "国办发〔2022〕8号"),
    ("国办发﹝2022﹞8号", "国办发〔2022〕8号"),
    ("国办发〔2017〕42 号", "国办发〔2017〕42号"),
    ("国办发〔2017〕\n42号", "国办发〔2017〕42号"),
    ("国办发 〔 2017 〕 42 号", "国办发〔2017〕42号"),
    ("晋政办发〔２０１８〕７９号", "晋政办发〔2018〕79号"),
    ("国办发〔2022〕08号", "国办发〔2022〕8号"),
    ("国办发〔二〇一八〕十号", "国办发〔2018〕10号"),
    ("国务院令第七十三号", "国务院令第73号"),
    ("中华人民共和国国务院令第711号", "国务院令第711号"),
    ("国令第711号", "国务院令第711号"),
    ("中华人民共和国教育部令第50号", "教育部令第50号"),
    ("主席令第二十八号", "主席令第28号"),
    ("山西省人民政府令第283号", "山西省人民政府令第283号"),
])
def test_doc_numbers_normalize(written: str, normalized: str) -> None:
    assert normalize_doc_number(written) == normalized
    assert normalize_doc_number(normalized) == normalized


@pytest.mark.parametrize("text", ["责令第三方", "规划（2021—2035年）", "第二十条", "2022年8号楼"])
def test_text_that_is_no_doc_number(text: str) -> None:
    assert find_doc_numbers(text) == []


def test_a_prefix_glued_to_the_title_before_it_is_cut_at_the_known_code() -> None:
    [match] = find_doc_numbers("关于做好公开工作的通知国办发〔2014〕46号")
    assert match.number.code == "国办发"


def test_doc_number_issuers_come_from_the_code_table() -> None:
    assert parse_doc_number("国办发〔2022〕8号").issuer == "国务院办公厅"
    assert parse_doc_number("中纪发〔2011〕42号").issuer == "中央纪委"
    assert parse_doc_number("财库〔2019〕1号").issuer == "财政部"
    assert parse_doc_number("教职成厅函〔2020〕1号").issuer == "教育部"  # a wildcard row
    assert parse_doc_number("京政办发〔2019〕1号").issuer == "北京市人民政府办公厅"
    assert parse_doc_number("某某发〔2019〕1号").issuer is None


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize("title, kind", [
    ("国务院办公厅关于印发〈关于全面推进政务公开工作的意见〉的通知", "通知"),
    ("中共中央办公厅 国务院办公厅关于印发〈关于全面推进政务公开工作的意见〉", "通知"),
    ("重大行政决策程序暂行条例", "条例"),
    ("中华人民共和国教育法", "法"),
    ("提升行政执法质量三年行动计划（2023—2025年）", "计划"),
    ("公共企事业单位信息公开规定制定办法", "办法"),
    ("社会救助暂行办法（试行）", "办法"),
    ("政府网站发展指引", "指引"),
    ("2022年政务公开工作要点", "要点"),
    ("工作方法", None),
    ("长治市教育局政务公开工作制度", None),
])
def test_kind_from_title_ending(title: str, kind: str | None) -> None:
    assert doc_kind(title) == kind


@pytest.mark.parametrize("title, issuers", [
    ("国务院办公厅关于印发2022年政务公开工作要点的通知", ["国务院办公厅"]),
    ("中共中央办公厅 国务院办公厅关于印发〈关于全面推进政务公开工作的意见〉", ["中共中央办公厅", "国务院办公厅"]),
    ("中共中央办公厅国务院办公厅关于印发〈X〉的通知", ["中共中央办公厅", "国务院办公厅"]),
    ("教育部等九部门关于印发中小学生减负措施的通知", ["教育部"]),
    ("国务院办公厅转发国家发展改革委关于恢复和扩大消费措施的通知", ["国务院办公厅"]),
    ("长治市人民政府办公室关于进一步做好政务公开工作的通知", ["长治市人民政府办公室"]),
    ("中共长治市委办公室 长治市人民政府办公室关于印发方案的通知", ["中共长治市委办公室", "长治市人民政府办公室"]),
    ("关于加强廉政风险防控的指导意见", []),
    ("中华人民共和国政府信息公开条例", []),
    ("2022年关于政务公开的若干问题", []),
])
def test_issuers_from_title(title: str, issuers: list[str]) -> None:
    assert title_issuers(title) == issuers


# --------------------------------------------------------------------------- jieba stays asleep


def test_titles_in_marks_need_no_jieba() -> None:
    import subprocess

    code = ("import sys\nfrom catalog_graph.resolve import cite\n"
            "cite('1.《重大行政决策程序暂行条例》（国务院令第七十三号）；2.《条例》第十条')\n"
            "print('jieba' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert out.stderr == ""


def test_a_title_without_marks_loads_jieba_quietly(tmp_path: Path) -> None:
    import os
    import subprocess

    code = ("import sys\nfrom catalog_graph.citations import find_citations\n"
            "[c] = find_citations('依据国务院办公厅关于做好政府网站年度报表发布工作的通知（国办函〔2018〕12号）')\n"
            "print(c.title)\nprint('jieba' in sys.modules)\n")
    env = {**os.environ, "CATALOG_GRAPH_CACHE": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=env)
    assert out.stdout.split() == ["国务院办公厅关于做好政府网站年度报表发布工作的通知", "True"]
    assert out.stderr == ""  # jieba's start-up messages are silenced
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["jieba-0.42.1.cache"]
