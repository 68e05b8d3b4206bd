"""The tables analysts open in Excel: items.csv, citations.csv and regulations.csv in a build.

Expected values are read off the sample (raw/changzhi_education_catalog.txt): 28 items; the
2019 政府信息公开条例 is cited in 8 rows' 公开依据 and inherited by 8 continuation rows; the 重大行政
决策程序暂行条例 in the bases of items 12 and 13.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from catalog_graph.batch.build import build
from tests.support import ROOT, SAMPLE


def table(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode())  # Excel opens it as UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    build([SAMPLE], out, workers=1)
    return out


def test_items_csv_has_one_row_per_item_with_counts(out: Path) -> None:
    rows = table(out / "items.csv")
    assert len(rows) == 28
    first = rows[0]
    assert first["catalog"] == "长治市教育局主动公开事项目录"
    assert first["number"] == "1" and first["path"] == "政府信息公开指南"
    assert first["time_limit_kind"] == "within_days" and first["time_limit_days"] == "20"
    assert first["channels"] == "政府网站；政务新媒体"
    assert first["source_file"].endswith("changzhi_education_catalog.txt")
    assert first["citation_count"] == "1" and first["warning_count"] == "0"
    filled = next(r for r in rows if r["path"].endswith("计划规划"))  # item 7: 公开主体 filled in
    assert filled["number"] == "7" and filled["warning_count"] == "1"


def test_citations_csv_names_item_regulation_label_and_article(out: Path) -> None:
    rows = table(out / "citations.csv")
    first = rows[0]
    assert first["item_number"] == "1" and first["item_path"] == "政府信息公开指南"
    assert first["text"] == "《中华人民共和国政府信息公开条例》第十二条"
    assert first["regulation_label"] == "中华人民共和国政府信息公开条例"
    assert first["article"] == "12" and first["paragraph"] == "" and first["item"] == ""
    wrong = [r for r in rows if r["doc_number"] == "国务院令第73号"]
    assert len(wrong) == 2 and all(r["regulation_label"] == "重大行政决策程序暂行条例" for r in wrong)
    assert all("国务院令第713号" in r["warnings"] for r in wrong)
    items = {r["id"] for r in table(out / "items.csv")}
    assert {r["item_id"] for r in rows} <= items


def test_regulations_csv_counts_the_items_and_catalogs_citing_each(out: Path) -> None:
    rows = {r["title"]: r for r in table(out / "regulations.csv")}
    gior = rows["中华人民共和国政府信息公开条例"]
    assert gior["doc_number"] == "国务院令第711号" and gior["in_authority"] == "true"
    assert gior["items_citing"] == "16" and gior["catalogs_citing"] == "1"
    decisions = rows["重大行政决策程序暂行条例"]
    assert decisions["items_citing"] == "2" and decisions["doc_number"] == "国务院令第713号"
    assert decisions["issuer"] == "国务院" and decisions["doc_type"] == "条例"


def test_a_replaced_regulation_says_what_replaced_it(tmp_path: Path, write_catalog) -> None:
    catalog = write_catalog(
        "1\t政府信息公开指南\t\t\t指南\t《中华人民共和国政府信息公开条例》（国务院令第492号）\t"
        "实时更新\t县教育局\t■政府网站\t✓\t\t✓\n")
    build([catalog], tmp_path / "out", workers=1)
    (row,) = table(tmp_path / "out" / "regulations.csv")
    assert row["doc_number"] == "国务院令第492号"
    assert row["in_force"] == "false" and row["replaced_by"] == "国务院令第711号"


def test_a_cell_excel_would_run_is_made_inert(tmp_path: Path, write_catalog) -> None:
    catalog = write_catalog(
        '1\t=HYPERLINK("http://x","y")\t\t\t内容\t\t实时更新\t县教育局\t■政府网站\t✓\t\t✓\n')
    build([catalog], tmp_path / "out", workers=1)
    (row,) = table(tmp_path / "out" / "items.csv")
    assert row["path"].startswith("'=HYPERLINK")


def test_the_tables_are_the_same_bytes_on_every_build(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    build([SAMPLE, ROOT / "tests" / "fixtures" / "sample.html"], a, workers=1)
    build([SAMPLE, ROOT / "tests" / "fixtures" / "sample.html"], b, workers=2)
    for name in ("items.csv", "citations.csv", "regulations.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    rows = {r["title"]: r for r in table(a / "regulations.csv")}
    assert rows["中华人民共和国政府信息公开条例"]["catalogs_citing"] == "2"
    assert rows["中华人民共和国政府信息公开条例"]["items_citing"] == "32"


def test_the_report_names_each_warning_by_item_number_name_and_row(out: Path) -> None:
    import json

    (entry,) = json.loads((out / "report.json").read_text(encoding="utf-8"))
    warnings = entry["warnings"]
    # row 14 of the sample is item 7, 计划规划, whose 公开主体 is empty
    assert any(w.startswith("item 7 计划规划 (row 14): 公开主体 is empty") for w in warnings)
    # rows 25 and 26 are items 12 and 13, citing 国务院令第七十三号
    assert any(w.startswith("item 12 重大决策预公开 (row 25): 《重大行政决策程序暂行条例》")
               for w in warnings)
