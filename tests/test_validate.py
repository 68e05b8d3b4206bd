"""``catalog-graph validate``: SHACL conformance per named graph, and data-quality findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalog_graph.batch.build import build
from catalog_graph.cli import main
from catalog_graph.graph.iris import Iris
from catalog_graph.store.db import load_store
from catalog_graph.store.validate import validate
from tests.support import COUNTY, SAMPLE

CG = "https://w3id.org/catalog-graph/ontology#"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("catalogs")
    shutil.copy(SAMPLE, root / "changzhi.txt")
    (root / "county.txt").write_text(COUNTY, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    build([root], out, workers=1)
    return out


def test_the_built_sample_conforms_and_findings_are_listed(out: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(out)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("SHACL: conforms (3 graphs, ")  # two catalogs and the vocabulary
    assert "items with no legal basis: 3\n" in text
    assert "长治市教育局主动公开事项目录 item 2 国家制度 (row 2): (公开依据 empty)" in text
    assert "cited document numbers that differ from the regulation's: 2\n" in text
    assert "cited documents no longer in force: 1\n" in text
    assert "某县教育局主动公开事项目录 item 1 政府信息公开指南 (row 1): 中华人民共和国政府信息公开条例" in text
    assert "items whose 公开主体 was filled in: 1\n" in text
    assert "长治市教育局主动公开事项目录 item 7 计划规划 (row 14): 长治市教育局" in text
    # the county catalog's 国务院令第492号 第九条 is warned about as the 2007 numbering too
    assert "citation warnings: 10\n" in text
    assert "citations in an old version's article numbering: 1\n" in text
    assert "cited articles, paragraphs or items that do not exist: 0\n" in text


def test_json_report_has_every_finding_with_its_rows(out: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(out), "--format", "json"])
    data = json.loads(result.stdout)
    assert data["conforms"] is True and data["violations"] == []
    findings = {f["name"]: f for f in data["findings"]}
    assert findings["wrong-doc-numbers"]["rows"][0] == {
        "catalog": "长治市教育局主动公开事项目录", "row": "25", "number": "12",
        "item": "重大决策预公开", "cited": "国务院令第73号",
        "docNumber": "国务院令第713号", "title": "重大行政决策程序暂行条例"}
    assert findings["items-without-basis"]["count"] == 3


def test_strict_fails_on_findings(out: Path) -> None:
    assert CliRunner().invoke(main, ["validate", str(out), "--strict"]).exit_code == 1


def broken_copy(out: Path, tmp_path: Path, edit) -> Path:
    """A copy of a built folder whose store holds ``edit(lines)`` of its N-Quads."""
    lines = (out / "graph.nq").read_text(encoding="utf-8").splitlines(keepends=True)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "graph.nq").write_text("".join(edit(lines)), encoding="utf-8")
    load_store(broken / "graph.nq", broken / "store")
    return broken


def test_a_regulation_with_two_titles_is_a_violation(out: Path, tmp_path: Path) -> None:
    reg = f"<{Iris().regulation('guowuyuanling-713')}>"
    graph = f"<{Iris().regulations_graph}>"
    broken = broken_copy(out, tmp_path, lambda lines: [*lines, f'{reg} {RDFS_LABEL} "另一个标题"@zh {graph} .\n'])
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1
    assert "SHACL: 1 violation(s)" in result.stdout
    assert f"Violation: {reg[1:-1]} rdfs:label: a regulation has exactly one canonical title" in result.stdout


def test_an_item_citing_a_provision_without_its_regulation_is_a_violation(out: Path, tmp_path: Path) -> None:
    basis = f"<{CG}legalBasis> <{Iris().regulation('guowuyuanling-711')}>"
    broken = broken_copy(out, tmp_path, lambda lines: [line for line in lines if basis not in line])
    report = validate(broken)
    assert not report.conforms
    messages = {v.message for v in report.violations}
    assert "an item citing a provision also has the provision's regulation as legal basis" in messages
    assert all(v.graph.startswith(Iris().base + "catalog/") for v in report.violations)


def test_an_item_without_its_catalog_or_with_a_bad_span_is_a_violation(out: Path, tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        kept = [line for line in lines
                if not (f"<{CG}inCatalog>" in line and "/item/9cb5bd774292b234>" in line)
                and not (f"<{CG}category>" in line and line.startswith(f"<{item_2}>"))]
        return [line.replace(f'<{CG}start> "0"', f'<{CG}start> "999"') for line in kept]

    items = [json.loads(line) for line in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    changzhi = next(i for i in items if i["number"] == "2")  # 政府信息公开制度 › 国家制度
    item_2 = Iris().item(Iris().catalog(changzhi["source"]["file"]), changzhi["id"])
    report = validate(broken_copy(out, tmp_path, edit))
    messages = {(v.path, v.message) for v in report.violations}
    assert ("cg:inCatalog", "an item belongs to exactly one catalog") in messages
    assert any(path == "cg:start" for path, _ in messages)
    assert (None, "an item below the top level has a category, and a top-level item has none") in messages
    assert item_2 in {v.focus for v in report.violations}


def test_a_missing_folder_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such folder" in result.stderr
