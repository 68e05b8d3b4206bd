"""One catalog, every format: the sample gives the same items from text, PDF (printed by Calc
and by Writer), Excel, Word and a web page; the hard cases give what a reader of the page would
say; a broken file is one error line and exit status 2 from ``catalog-graph parse``."""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from catalog_graph.models import Catalog
from catalog_graph.pipeline import parse_file
from tests.support import FIXTURES, SAMPLE


@cache
def catalog(path: Path) -> Catalog:
    return parse_file(path, citations=False)


def items(path: Path) -> list[dict]:
    return [{**i.to_dict(), "source": None, "id": None} for i in catalog(path).items]


@pytest.mark.parametrize("name", ["sample.pdf", "sample_writer.pdf", "sample.xlsx", "sample.docx",
                                  "sample.html"])
def test_the_sample_gives_the_same_items_in_every_format(name):
    expected = items(SAMPLE)
    assert len(expected) == 28
    assert items(FIXTURES / name) == expected
    assert catalog(FIXTURES / name).title == catalog(SAMPLE).title


def test_only_the_source_differs_and_pdf_sources_have_pages():
    text = catalog(SAMPLE).items
    pdf = catalog(FIXTURES / "sample.pdf").items
    assert [i.source.row for i in pdf] == [i.source.row for i in text]
    assert [i.source.page for i in pdf][:2] == [1, 1] and pdf[-1].source.page == 3
    assert {i.source.page for i in catalog(FIXTURES / "sample.xlsx").items} == {None}


def test_pagebreak_items_read_as_on_paper():
    got = catalog(FIXTURES / "pagebreak.pdf").items
    assert [(i.number, i.path[-1], i.source.page) for i in got] == [
        ("8", "权责清单", 1), ("8", "运行流程图", 2), ("8", "廉政风险防控图", 2),
        ("9", "制度建设", 2), ("9", "行政执法", 3), ("9", "法制信息", 3),
        ("10", "随机抽查事项清单", 3), ("10", "抽查计划", 3), ("10", "抽查结果", 3),
    ]
    basis = {i.basis for i in got if i.number == "8"}
    assert len(basis) == 1 and basis.pop().endswith("（中纪发〔2011〕42号）")
    assert all(i.time_limit and i.time_limit.days == 20 for i in got if i.number in ("8", "9"))


@pytest.mark.parametrize("name", ["preamble.pdf", "preamble.docx", "preamble.html"])
def test_a_table_below_a_paragraph_is_titled_by_the_title_not_the_paragraph(name):
    got = catalog(FIXTURES / name)
    assert got.title == "长治市教育局政府信息主动公开基本目录（2023年版）"
    assert [(i.number, i.path[-1]) for i in got.items] == [
        ("1", "政府信息公开指南"), ("2", "国家制度"), ("2", "省级制度"), ("2", "市级制度"),
        ("3", "领导信息"), ("3", "工作部门"), ("3", "直属事业单位"),
    ]


@pytest.mark.parametrize("name", ["levels.pdf", "levels.xlsx", "levels.html"])
def test_levels_and_application_columns(name):
    got = catalog(FIXTURES / name).items
    assert [(i.number, i.path[-1]) for i in got][:2] == [("1", "政府预算"), ("1", "部门预算")]
    assert got[0].level == ["县级"] and got[1].level == ["县级", "乡级"]
    assert got[0].method == ["主动"] and got[-1].method == ["依申请"]
    assert got[-1].audience == ["特定群体"]
    assert got[0].basis.startswith("1.《中华人民共和国预算法》第十四条；\n2.")
    assert items(FIXTURES / name) == items(FIXTURES / "levels.xlsx")


BROKEN = [
    ("encrypted.pdf", "encrypted"), ("scanned.pdf", "header names no known column"), ("notable.pdf", "no catalog table"),
    ("truncated.pdf", "truncated"), ("garbled.pdf", "damaged"), ("notable.xlsx", "no table"),
    ("truncated.xlsx", "truncated"), ("bomb.xlsx", "zip bomb"), ("notable.docx", "no table"),
    ("truncated.docx", "truncated"), ("webpage.pdf", "web page"),
]


@pytest.mark.parametrize("name,words", BROKEN)
def test_parse_a_broken_file_is_one_error_line_and_exit_2(tmp_path, name, words):
    out = tmp_path / "items.jsonl"
    run = subprocess.run([sys.executable, "-m", "catalog_graph.cli", "parse",
                          str(FIXTURES / "broken" / name), "-o", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and words in lines[0]
    assert run.stdout == "" and not out.exists()
