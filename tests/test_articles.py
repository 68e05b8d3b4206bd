"""Cited articles checked against the regulation's structure and version (issue #20).

Expected values are read from the public texts the data in ontology/structure cites: the 2019
政府信息公开条例 (国务院令第711号) has 56 articles, its 第二十条 one paragraph listing 15 items
(（五） 行政许可, （八） 行政事业性收费), 第三条 four paragraphs, 第十条 and 第十九条 no items, 第二十九条
its 3 items in its second paragraph; the 2007 text (国务院令第492号) has 38 articles, its 第九条
4 items and 第十条 11 (（五） 行政事业性收费), 第九条 became 第十九条 and 第十条 第二十条. The 2021
行政处罚法 has 86 articles, the 2019 土地管理法 87; in the 重大行政决策程序暂行条例 第十条 opens 第二章.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalog_graph.batch.build import build
from catalog_graph.cli import main
from catalog_graph.errors import CatalogError
from catalog_graph.resolve import LawTexts, cite
from catalog_graph.resolve.lawtexts import parse_law_text
from catalog_graph.resolve.structure import structures
from catalog_graph.store.db import open_store, run_query
from catalog_graph.store.query import examples
from catalog_graph.store.validate import validate
from tests.conftest import HEADER


def one(text: str):
    [citation] = cite(text)
    return citation


def test_the_data_records_both_versions_of_the_disclosure_regulation() -> None:
    data = structures()
    new = data.version_for("guowuyuanling-711")
    old = data.version_for("guowuyuanling-492")
    assert (new.version, new.article_count, new.decree) == ("2019", 56, "国务院令第711号")
    assert (old.version, old.article_count, old.decree) == ("2007", 38, "国务院令第492号")
    assert new.articles[20].items == 15 and new.articles[20].paragraphs == 1
    assert [c.title for c in new.chapters] == ["总则", "公开的主体和范围", "主动公开", "依申请公开",
                                               "监督和保障", "附则"]
    assert data.renumbered(old, 9) and data.renumbered(old, 9)[0].article == 19
    assert data.renumbered(old, 10, 5)[0].item == 8


# --------------------------------------------------------------------------- articles


def test_an_article_one_past_the_end_is_warned_about() -> None:
    c = one("《中华人民共和国政府信息公开条例》第五十七条")
    assert c.warnings == ["第五十七条 does not exist: 《中华人民共和国政府信息公开条例》 "
                          "(2019, 国务院令第711号) has 56 articles"]


def test_the_last_article_stays_silent() -> None:
    assert one("《中华人民共和国政府信息公开条例》第五十六条").warnings == []


def test_laws_are_checked_against_their_latest_version() -> None:
    assert one("《中华人民共和国行政处罚法》第八十七条").warnings == [
        "第八十七条 does not exist: 《中华人民共和国行政处罚法》 (2021) has 86 articles"]
    assert one("《中华人民共和国行政处罚法》第八十六条").warnings == []
    assert one("《土地管理法》第八十八条").warnings == [
        "第八十八条 does not exist: 《中华人民共和国土地管理法》 (2019) has 87 articles"]
    assert one("《中华人民共和国土地管理法》第八十七条").warnings == []


# --------------------------------------------------------------------------- items, paragraphs


def test_an_item_beyond_the_list_is_warned_about() -> None:
    c = one("《政府信息公开条例》第二十条第（十六）项")
    assert c.warnings == ["第二十条第（十六）项 does not exist: 第二十条 of 《中华人民共和国政府信息公开条例》 "
                          "(2019, 国务院令第711号) lists 15 items"]
    assert c.numbering is None


def test_the_last_item_and_a_quoted_item_stay_silent() -> None:
    assert one("《政府信息公开条例》第二十条第（十五）项").warnings == []
    quoted = one("《中华人民共和国政府信息公开条例》第二十条“（五）办理行政许可和其他对外管理服务事项的依据、"
                 "条件、程序以及办理结果”")
    assert quoted.provisions[0].item == 5 and quoted.warnings == []


def test_an_item_of_an_article_that_lists_none() -> None:
    c = one("《中华人民共和国政府信息公开条例》第十九条“（三）行政许可”")
    assert c.warnings == ["第十九条第（三）项 does not exist: 第十九条 of 《中华人民共和国政府信息公开条例》 "
                          "(2019, 国务院令第711号) lists no items"]


def test_items_are_counted_in_the_paragraph_cited() -> None:
    assert one("《政府信息公开条例》第二十九条第二款第（三）项").warnings == []
    assert one("《政府信息公开条例》第二十九条第一款第（一）项").warnings == [
        "第二十九条第一款第（一）项 does not exist: 第一款 of 第二十九条 of 《中华人民共和国政府信息公开条例》 "
        "(2019, 国务院令第711号) lists no items"]


def test_a_paragraph_beyond_the_article_is_warned_about() -> None:
    assert one("《政府信息公开条例》第三条第四款").warnings == []
    assert one("《政府信息公开条例》第三条第五款").warnings == [
        "第三条第五款 does not exist: 第三条 of 《中华人民共和国政府信息公开条例》 (2019, 国务院令第711号) "
        "has 4 paragraphs"]
    # the sample's own form: 第二十条第一款第（五）项 (one paragraph, its items in it)
    assert one("《政府信息公开条例》第二十条第一款第（五）项").warnings == []


def test_an_article_cited_in_another_chapter() -> None:
    assert one("《重大行政决策程序暂行条例》第二章第十条").warnings == []
    assert one("《重大行政决策程序暂行条例》第三章第十条").warnings == [
        "第三章第十条 does not exist: 第十条 of 《重大行政决策程序暂行条例》 (2019, 国务院令第713号) is in 第二章"]


# --------------------------------------------------------------------------- the 2007 numbering


def test_an_item_that_only_the_2007_article_lists_reads_as_the_2007_numbering() -> None:
    c = one("《政府信息公开条例》第十条第（五）项")
    assert c.numbering == "zfxxgk-2007"
    assert c.warnings == [
        "第十条第（五）项 reads as the 2007 numbering (国务院令第492号): 第十条 of "
        "《中华人民共和国政府信息公开条例》 (2019, 国务院令第711号) lists no items, while 2007 第十条 lists "
        "11 items; it is now 第二十条第（八）项 of 《中华人民共和国政府信息公开条例》 (2019, 国务院令第711号)"]
    assert one("《政府信息公开条例》第九条第（二）项").numbering == "zfxxgk-2007"


def test_an_item_the_2007_article_does_not_list_either_is_only_beyond_the_list() -> None:
    c = one("《政府信息公开条例》第九条第（五）项")  # 2007 第九条 lists 4 items
    assert c.numbering is None
    assert c.warnings == ["第九条第（五）项 does not exist: 第九条 of 《中华人民共和国政府信息公开条例》 "
                          "(2019, 国务院令第711号) lists no items"]


def test_recalled_facts_are_not_used() -> None:
    # the item count of 2007 第十二条 (乡镇, 8 items) is recalled, not sourced: no 2007 reading
    c = one("《政府信息公开条例》第十二条第（三）项")
    assert c.numbering is None
    assert "2007" not in " ".join(c.warnings)


def test_naming_the_2007_decree_says_where_the_article_is_now() -> None:
    c = one("《中华人民共和国政府信息公开条例》（国务院令第492号）第九条")
    assert c.regulation == "guowuyuanling-492" and c.numbering == "zfxxgk-2007"
    assert "第九条 is in the 2007 numbering (国务院令第492号): it is now 第十九条 of " \
           "《中华人民共和国政府信息公开条例》 (2019, 国务院令第711号)" in c.warnings


def test_the_2007_text_has_38_articles() -> None:
    c = one("《政府信息公开条例》（国务院令第492号）第三十九条")
    assert "第三十九条 does not exist: 《中华人民共和国政府信息公开条例》 (2007, 国务院令第492号) " \
           "has 38 articles" in c.warnings


def test_an_article_only_the_current_text_has_makes_the_old_decree_the_likely_slip() -> None:
    c = one("《政府信息公开条例》（国务院令第492号）第四十九条")
    assert c.numbering is None
    assert c.warnings[1:] == [
        "第四十九条 does not exist: 《中华人民共和国政府信息公开条例》 (2007, 国务院令第492号) has 38 articles",
        "第四十九条 is in 《中华人民共和国政府信息公开条例》 (2019, 国务院令第711号): the decree 国务院令第492号 "
        "may be the slip"]


def test_an_item_beyond_the_old_list_but_in_the_current_one_makes_the_decree_the_slip() -> None:
    c = one("《政府信息公开条例》（国务院令第492号）第二十条第（四）项")  # 2007 第二十条 lists 3 items
    assert c.warnings[1:] == [
        "第二十条第（四）项 does not exist: 第二十条 of 《中华人民共和国政府信息公开条例》 (2007, 国务院令第492号) "
        "lists 3 items",
        "第二十条第（四）项 is in 《中华人民共和国政府信息公开条例》 (2019, 国务院令第711号): the decree "
        "国务院令第492号 may be the slip"]


def test_an_item_the_renumbering_maps_is_named_with_its_new_number() -> None:
    c = one("《政府信息公开条例》（国务院令第492号）第十条第（七）项")
    assert "it is now 第二十条第（五）项 of" in c.warnings[-1]  # 2007 （七） 行政许可 → 2019 （五）


def test_an_item_the_renumbering_does_not_map_names_only_the_article() -> None:
    c = one("《政府信息公开条例》（国务院令第492号）第九条第（二）项")
    assert "第九条第（二）项 is in the 2007 numbering (国务院令第492号): its 第九条 is now 第十九条 of" \
        in c.warnings[-1]


def test_the_current_decree_with_a_correct_article_stays_silent() -> None:
    c = one("《中华人民共和国政府信息公开条例》（国务院令第711号）第二十条第（二）项")
    assert c.warnings == [] and c.numbering is None
    assert "numbering" not in c.to_dict()


# --------------------------------------------------------------------------- law texts

# An invented regulation, written for these tests (not a real law), in LawRefBook's layout.
EXAMPLE_2020 = """# 示例管理条例

2020年1月2日示例令第1号公布

<!-- INFO END -->

## 第一章 总则

第一条 为了测试，制定本条例。

第二条 本条例所称示例，是指：

（一）第一种示例；

（二）第二种示例。

第二条之一 插入的一条。

## 第二章 附则

第三条
本条例自公布之日起施行。
"""

EXAMPLE_2023 = EXAMPLE_2020.replace("为了测试", "为了再次测试").replace("2020年1月2日", "2023年3月4日")


def test_a_law_text_is_read_article_by_article() -> None:
    title, articles = parse_law_text(EXAMPLE_2020)
    assert title == "示例管理条例"
    assert articles == {1: "为了测试，制定本条例。",
                        2: "本条例所称示例，是指：\n（一）第一种示例；\n（二）第二种示例。",
                        3: "本条例自公布之日起施行。"}


@pytest.fixture
def laws(tmp_path: Path) -> Path:
    folder = tmp_path / "laws" / "行政法规"
    folder.mkdir(parents=True)
    (folder / "示例管理条例(2020-01-02).md").write_text(EXAMPLE_2020, encoding="utf-8")
    (folder / "示例管理条例(2023-03-04).md").write_text(EXAMPLE_2023, encoding="utf-8")
    (folder / "政府信息公开条例(2019-04-03).md").write_text(
        "# 中华人民共和国政府信息公开条例\n\n<!-- INFO END -->\n\n## 第三章 主动公开\n\n"
        "第二十条 为测试写的第二十条。\n\n（一）第一项；\n\n（二）第二项。\n", encoding="utf-8")
    return tmp_path / "laws"


def test_cite_attaches_the_latest_text_of_an_article(laws: Path) -> None:
    texts = LawTexts(laws)
    assert len(texts) == 3
    [c] = cite("《示例管理条例》第一条", laws=texts)
    assert c.provisions[0].text == "为了再次测试，制定本条例。"
    assert c.to_dict()["provisions"][0]["text"] == "为了再次测试，制定本条例。"


def test_a_version_the_data_knows_takes_the_file_of_its_dates(laws: Path) -> None:
    texts = LawTexts(laws)
    [now] = cite("《政府信息公开条例》第二十条第（二）项", laws=texts)
    assert now.provisions[0].text == "为测试写的第二十条。\n（一）第一项；\n（二）第二项。"
    # read in the 2007 numbering: the folder has no 2007 text, so no text rather than a wrong one
    [old] = cite("《政府信息公开条例》第十条第（五）项", laws=texts)
    assert old.numbering == "zfxxgk-2007" and old.provisions[0].text is None
    assert "text" not in old.to_dict()["provisions"][0]


def test_laws_must_be_a_folder(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="--laws needs a folder"):
        LawTexts(tmp_path / "missing")
    result = CliRunner().invoke(main, ["cite", "--laws", str(tmp_path / "missing"), "x"])
    assert result.exit_code == 2 and "--laws needs a folder" in result.stderr


def test_cite_command_with_laws(laws: Path) -> None:
    result = CliRunner().invoke(main, ["cite", "--laws", str(laws), "《示例管理条例》第二条"])
    assert result.exit_code == 0, result.output
    [c] = json.loads(result.stdout)
    assert c["provisions"][0]["text"].startswith("本条例所称示例")


# --------------------------------------------------------------------------- the graph

CATALOG = "某县交通运输局主动公开事项目录\n\n" + HEADER + (
    "1\t政府信息公开指南\t\t\t指南\t《中华人民共和国政府信息公开条例》（国务院令第492号）第九条\t"
    "20个工作日内\t县交通运输局\t■政府网站\t✓\t\t✓\n"
    "5\t政府信息公开年报\t\t\t年报\t《政府信息公开条例》（国务院令第492号）第四十九条\t"
    "20个工作日内\t县交通运输局\t■政府网站\t✓\t\t✓\n"
    "2\t法定主动公开内容\t行政收费\t收费\t收费项目\t《政府信息公开条例》第十条第（五）项\t"
    "20个工作日内\t县交通运输局\t■政府网站\t✓\t\t✓\n"
    "3\t法定主动公开内容\t行政许可\t许可\t许可事项\t《政府信息公开条例》第二十条第（十六）项\t"
    "20个工作日内\t县交通运输局\t■政府网站\t✓\t\t✓\n"
    "4\t法定主动公开内容\t行政许可\t许可依据\t许可依据\t《政府信息公开条例》第二十条第（五）项\t"
    "20个工作日内\t县交通运输局\t■政府网站\t✓\t\t✓\n"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("catalogs")
    (root / "county.txt").write_text(CATALOG, encoding="utf-8")
    laws = tmp_path_factory.mktemp("laws")
    (laws / "政府信息公开条例(2019-04-03).md").write_text(
        "# 中华人民共和国政府信息公开条例\n\n<!-- INFO END -->\n\n第二十条 为测试写的第二十条。\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    build([root], out, workers=1, laws=laws)
    return out


def _select(out: Path, sparql: str) -> list[list[str]]:
    store = open_store(out)
    prefixes = ("PREFIX cg: <https://w3id.org/catalog-graph/ontology#> "
                "PREFIX eli: <http://data.europa.eu/eli/ontology#> "
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
    return sorted([str(t.value) if t is not None else "" for t in row]
                  for row in run_query(store, prefixes + sparql))


def test_provisions_carry_their_version_chapter_and_text(built: Path) -> None:
    rows = _select(built, """SELECT ?label ?version ?chapter ?text WHERE {
        ?p cg:article 20 ; cg:item 5 ; rdfs:label ?label ; cg:inVersion/cg:versionLabel ?version ;
           cg:inChapter/<http://purl.org/dc/terms/title> ?chapter ; cg:articleText ?text }""")
    assert rows == [["第二十条第（五）项", "2019", "主动公开", "为测试写的第二十条。"]]
    old = _select(built, """SELECT ?label ?version WHERE {
        ?p cg:article 9 ; rdfs:label ?label ; cg:inVersion/cg:versionLabel ?version }""")
    assert old == [["第九条", "2007"]]


def test_the_example_queries_find_the_missing_article_and_the_old_numbering(built: Path) -> None:
    queries = examples()
    missing = _select(built, queries["articles-that-do-not-exist"].sparql)
    assert sorted(row[5] for row in missing) == ["第二十条第（十六）项", "第四十九条"]
    old = _select(built, queries["catalogs-citing-old-numbering"].sparql)
    assert [(row[1], row[2]) for row in old] == [("中华人民共和国政府信息公开条例（2007）", "2")]


def test_validate_lists_both_findings(built: Path) -> None:
    report = validate(built, shacl_check=True)
    assert report.conforms, report.to_dict()
    found = {f.name: f for f in report.findings}
    assert sorted(r[5] for r in found["articles-that-do-not-exist"].rows) == [
        "第二十条第（十六）项", "第四十九条"]
    assert sorted(r[4] for r in found["old-numbering"].rows) == [
        "《中华人民共和国政府信息公开条例》（国务院令第492号）第九条", "《政府信息公开条例》第十条第（五）项"]


def test_build_without_laws_has_no_article_text(tmp_path: Path) -> None:
    (tmp_path / "county.txt").write_text(CATALOG, encoding="utf-8")
    out = tmp_path / "out"
    build([tmp_path / "county.txt"], out, workers=1)
    assert _select(out, "SELECT ?t WHERE { ?p cg:articleText ?t }") == []
    shutil.rmtree(out)


def test_graphml_provisions_carry_version_chapter_and_text(built: Path) -> None:
    import networkx

    graph = networkx.read_graphml(built / "graph.graphml")
    [node] = [d for _, d in graph.nodes(data=True)
              if d.get("kind") == "provision" and d.get("label") == "第二十条第（五）项"]
    assert (node["version"], node["in_chapter"], node["chapter_title"]) == ("zfxxgk-2019", 3, "主动公开")
    assert (node["article_items"], node["article_paragraphs"]) == (15, 1)
    assert node["article_text"] == "为测试写的第二十条。"
