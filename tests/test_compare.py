"""Comparing catalogs: ``diff`` finds exactly the edits a clerk made, in every format, and
``coverage`` what a catalog lacks against a standard.

The revision in tests/fixtures/revisions (tools/make_revisions.py) makes seven edits to the sample;
tests/data/revision_expected.json is the report written from that list by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalog_graph.cli import main
from catalog_graph.compare import compare_to_standard, diff
from catalog_graph.compare.align import align
from catalog_graph.pipeline import parse_file
from tests.support import FIXTURES, ROOT, SAMPLE

REVISED = FIXTURES / "revisions"
EXPECTED = json.loads((ROOT / "tests" / "data" / "revision_expected.json").read_text("utf-8"))


def named(ref: dict) -> dict:
    return {"number": ref["number"], "path": ref["path"]}


def citation(c: dict) -> dict:
    return {"doc_number": c["doc_number"], "provisions": c["provisions"]}


def as_written(report: dict) -> dict:
    """A report with items named as a person names them (序号 and path), for comparison."""
    return {
        "added": [named(r) for r in report["added"]],
        "removed": [named(r) for r in report["removed"]],
        "renamed": [{"old": named(p["old"]), "new": named(p["new"])} for p in report["renamed"]],
        "changed": [{"old": named(c["old"]), "new": named(c["new"]), "fields": c["fields"],
                     "citations_added": [citation(x) for x in c["citations_added"]],
                     "citations_removed": [citation(x) for x in c["citations_removed"]]}
                    for c in report["changed"]],
        "split": [{"old": named(s["old"]), "new": [named(n) for n in s["new"]]}
                  for s in report["split"]],
        "merged": [{"old": [named(o) for o in m["old"]], "new": named(m["new"])}
                   for m in report["merged"]],
        "unchanged": report["unchanged"],
    }


@pytest.mark.parametrize("old", [SAMPLE, FIXTURES / "sample.xlsx", FIXTURES / "sample.html"],
                         ids=["old-txt", "old-xlsx", "old-html"])
@pytest.mark.parametrize("new", ["txt", "xlsx", "docx", "html"])
def test_diff_finds_exactly_the_clerks_edits_in_every_format(old: Path, new: str) -> None:
    report = diff(old, REVISED / f"sample_2024.{new}").to_dict()
    expected = {k: v for k, v in EXPECTED.items() if not k.startswith("_")}
    assert as_written(report) == expected


def test_the_same_catalog_in_two_formats_has_no_difference() -> None:
    report = diff(SAMPLE, FIXTURES / "sample.docx")
    assert report.same and report.unchanged == 28
    assert report.to_dict()["added"] == [] and report.to_dict()["changed"] == []


def test_the_json_report_keeps_the_contracts_shape_and_item_ids() -> None:
    old, new = parse_file(SAMPLE), parse_file(REVISED / "sample_2024.txt")
    result = CliRunner().invoke(main, ["diff", str(SAMPLE), str(REVISED / "sample_2024.txt"),
                                       "--format", "json"])
    assert result.exit_code == 1  # different
    report = json.loads(result.stdout)
    assert set(report) >= {"old", "new", "added", "removed", "renamed", "changed", "unchanged"}
    ids_old = {i.id for i in old.items}
    ids_new = {i.id for i in new.items}
    assert {r["id"] for r in report["removed"]} <= ids_old
    assert {r["id"] for r in report["added"]} <= ids_new
    change = next(c for c in report["changed"] if c["citations_added"])
    assert change["citations_added"][0] == {
        "regulation": "guobanfa-2022-8", "title": "国务院办公厅关于印发2022年政务公开工作要点的通知",
        "doc_number": "国办发〔2022〕8号", "provisions": []}


def test_exit_status_is_0_when_nothing_changed_and_2_on_bad_input(tmp_path: Path) -> None:
    same = CliRunner().invoke(main, ["diff", str(SAMPLE), str(FIXTURES / "sample.xlsx")])
    assert same.exit_code == 0 and "28 unchanged" in same.stdout
    bad = tmp_path / "notes.txt"
    bad.write_text("这里没有表格。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(SAMPLE), str(bad)])
    assert result.exit_code == 2 and "notes.txt" in result.stderr
    missing = CliRunner().invoke(main, ["diff", str(SAMPLE), str(tmp_path / "nope.xls")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr


SHORT = "《政府信息公开条例》第二十条"
LONG = "《中华人民共和国政府信息公开条例》第二十条"


def test_a_short_title_for_the_same_law_is_no_change_but_another_article_is(write_catalog) -> None:
    row = "1\t行政权力\t权责清单\t\t权责清单及其依据\t{basis}\t实时更新\t县教育局\t■政府网站\t✓\t\t✓\n"
    old = write_catalog(row.format(basis=SHORT), name="old.txt")
    new = write_catalog(row.format(basis=LONG), name="new.txt")
    assert diff(old, new).same
    moved = write_catalog(row.format(basis=LONG.replace("第二十条", "第二十一条")), name="moved.txt")
    report = diff(old, moved).to_dict()
    (change,) = report["changed"]
    assert change["fields"] == []
    assert [p["article"] for p in change["citations_added"][0]["provisions"]] == [21]
    assert [p["article"] for p in change["citations_removed"][0]["provisions"]] == [20]


ROWS = [
    ("机构信息", "领导信息", "领导姓名、职务、分工、简历"),
    ("机构信息", "内设机构", "内设机构名称、职责、负责人、联系电话"),
    ("政策文件", "规范性文件", "本部门制定的规范性文件及其解读材料"),
    ("财政资金", "部门预算", "部门预算报告及报表、三公经费预算"),
    ("财政资金", "部门决算", "部门决算报告及报表、三公经费决算"),
    ("行政执法", "行政处罚", "行政处罚的依据、程序、结果和救济途径"),
]


def rows(items, numbered: bool = True) -> str:
    out = []
    for k, (a, b, content) in enumerate(items, 1):
        out.append(f"{k if numbered else ''}\t{a}\t{b}\t\t{content}\t《中华人民共和国政府信息公开条例》第二十条"
                   f"\t实时更新\t县财政局\t■政府网站\t✓\t\t✓\n")
    return "".join(out)


def test_reordered_and_renumbered_items_are_unchanged(write_catalog) -> None:
    old = write_catalog(rows(ROWS), name="old.txt")
    new = write_catalog(rows(list(reversed(ROWS))), name="new.txt")
    report = diff(old, new)
    assert report.same and report.unchanged == len(ROWS)


def test_an_item_moved_under_another_level_is_renamed_not_removed_and_added(write_catalog) -> None:
    moved = list(ROWS)
    moved[5] = ("执法信息", "行政处罚", ROWS[5][2])
    report = diff(write_catalog(rows(ROWS), name="old.txt"),
                  write_catalog(rows(moved), name="new.txt")).to_dict()
    assert report["added"] == [] and report["removed"] == []
    (pair,) = report["renamed"]
    assert pair["old"]["path"] == ["行政执法", "行政处罚"]
    assert pair["new"]["path"] == ["执法信息", "行政处罚"]
    assert report["unchanged"] == len(ROWS) - 1


def test_an_item_split_in_two_is_a_split(write_catalog) -> None:
    split = ROWS[:3] + [("财政资金", "部门预算", "部门预算报告及报表"),
                        ("财政资金", "三公经费预算", "三公经费预算"), *ROWS[4:]]
    report = diff(write_catalog(rows(ROWS), name="old.txt"),
                  write_catalog(rows(split), name="new.txt")).to_dict()
    assert report["added"] == [] and report["removed"] == []
    (s,) = report["split"]
    assert s["old"]["path"] == ["财政资金", "部门预算"]
    assert [n["path"] for n in s["new"]] == [["财政资金", "部门预算"], ["财政资金", "三公经费预算"]]


def test_alignment_of_500_items_each_pairs_every_kept_item(write_catalog) -> None:
    """A large revision: the same 500 items shuffled and renumbered, 10 dropped, 10 added."""
    import random

    rng = random.Random(3)
    base = [(f"类别{k // 20}", f"事项{k}号", f"第{k}项公开内容：{'、'.join(rng.sample(list('政府信息公开预算决算执法许可处罚'), 5))}")
            for k in range(500)]
    kept = base[10:]
    added = [("统计信息", f"统计公报第{k}期", f"本年度统计公报（第{k}期）及数据解读") for k in range(10)]
    new_items = kept + added
    rng.shuffle(new_items)
    old_cat = parse_file(write_catalog(rows(base), name="old.txt"))
    new_cat = parse_file(write_catalog(rows(new_items), name="new.txt"))
    result = align(old_cat.items, new_cat.items)
    pairs = {(old_cat.items[i].path[-1], new_cat.items[j].path[-1]) for i, j, _ in result.pairs}
    assert pairs == {(name, name) for _, name, _ in kept}
    assert sorted(new_cat.items[j].path[-1] for j in result.added) == sorted(a[1] for a in added)
    assert sorted(old_cat.items[i].path[-1] for i in result.removed) == [b[1] for b in base[:10]]


def test_coverage_lists_what_the_catalog_lacks_against_the_standard() -> None:
    report = compare_to_standard(REVISED / "sample_2024.html", SAMPLE).to_dict()
    assert [named(r) for r in report["lacking"]] == [
        {"number": "11", "path": ["法定主动公开内容", "建议提案办理"]}]
    assert [named(r) for r in report["extra"]] == [
        {"number": "14", "path": ["依申请公开", "政府信息公开申请办理"]}]
    lacks = [(m["standard"]["path"][-1], [c["doc_number"] for c in m["bases_lacking"]])
             for m in report["matched"] if m["bases_lacking"]]
    assert lacks == [("网站年度报表", ["国办发〔2017〕47号"])]
    merged = next(m for m in report["matched"] if m["standard"]["path"][-1] == "重大行政决策项目目录")
    assert [c["path"][-1] for c in merged["catalog"]] == ["重大决策预公开"]
    assert report["summary"] == {"standard_items": 28, "matched": 27, "lacking": 1, "extra": 1,
                                 "bases_lacking": 1}


def test_coverage_exit_status_and_html_report(tmp_path: Path) -> None:
    out = tmp_path / "coverage.html"
    result = CliRunner().invoke(main, ["coverage", str(REVISED / "sample_2024.docx"), "--standard",
                                       str(SAMPLE), "--format", "html", "-o", str(out)])
    assert result.exit_code == 1  # something lacking
    page = out.read_text(encoding="utf-8")
    assert "建议提案办理" in page and "(lacking)" in page and "<script" not in page
    complete = CliRunner().invoke(main, ["coverage", str(FIXTURES / "sample.xlsx"), "--standard",
                                         str(SAMPLE)])
    assert complete.exit_code == 0


def test_html_diff_escapes_catalog_text_and_links_citations(write_catalog, tmp_path: Path) -> None:
    row = "1\t<script>alert(1)</script>\t权责清单\t\t内容\t{basis}\t实时更新\t县教育局\t■政府网站\t✓\t\t✓\n"
    old = write_catalog(row.format(basis=SHORT), name="old.txt")
    new = write_catalog(row.format(basis=LONG.replace("第二十条", "第二十一条")), name="new.txt")
    out = tmp_path / "d.html"
    CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "html", "-o", str(out)])
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="https://w3id.org/catalog-graph/id/regulation/' in page
    assert 'class="cite plus"' in page and 'class="cite minus"' in page
