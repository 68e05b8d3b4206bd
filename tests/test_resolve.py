"""Resolution: one regulation per node whatever the spelling, checks against the authority,
stable ids, users' own authority lists."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from catalog_graph.citations.docnumbers import issuer_codes, normalize_doc_number
from catalog_graph.errors import CatalogError
from catalog_graph.models import Citation
from catalog_graph.resolve import Resolver, cite, default_resolver
from catalog_graph.resolve.authority import AUTHORITY_ENV, Authority, builtin_authority_paths

ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@pytest.fixture
def resolver() -> Resolver:
    return Resolver(use_env=False)


def ids(text: str, resolver: Resolver) -> list[str | None]:
    return [c.regulation for c in cite(text, resolver)]


# --------------------------------------------------------------------------- one node


@pytest.mark.parametrize("text", [
    "《政府信息公开条例》",
    "《中华人民共和国政府信息公开条例》",
    "《中华人民共和国政府信息公开条例》（国务院令第711号）",
    "《政府信息公开条例》（中华人民共和国国务院令第七百一十一号）",
    "依照中华人民共和国政府信息公开条例第二十条",
    "〈政府信息公开条例〉第十九条",
    "国令第711号",
])
def test_every_spelling_of_the_regulation_is_one_node(text: str, resolver: Resolver) -> None:
    assert ids(text, resolver) == ["guowuyuanling-711"]
    [reg] = resolver.regulations()
    assert reg.title == "中华人民共和国政府信息公开条例"
    assert reg.doc_number == "国务院令第711号"
    assert reg.in_force is True and reg.in_authority is True


def test_short_title_after_a_full_mention_is_that_document(resolver: Resolver) -> None:
    [full, short] = cite("《重大行政决策程序暂行条例》（国务院令第713号）第六条；《条例》第十三条", resolver)
    assert short.regulation == full.regulation == "guowuyuanling-713"
    assert short.warnings == []


def test_short_title_refers_to_the_nearest_document_of_its_kind(resolver: Resolver) -> None:
    citations = cite("《重大行政决策程序暂行条例》；《国务院办公厅关于推进政务新媒体健康有序发展的意见》"
                     "（国办发〔2018〕123号）；《条例》第三条；《意见》", resolver)
    assert [c.regulation for c in citations] == ["guowuyuanling-713", "guobanfa-2018-123",
                                                 "guowuyuanling-713", "guobanfa-2018-123"]


def test_short_title_does_not_reach_into_another_cell(resolver: Resolver) -> None:
    cite("《中华人民共和国政府信息公开条例》", resolver)
    [c] = cite("《条例》第二十条", resolver)
    assert c.regulation is None
    assert c.warnings == ["《条例》 refers to no document named earlier in the text"]


def test_a_title_that_is_only_a_kind_is_resolved_by_its_number(resolver: Resolver) -> None:
    citations = cite("《国务院办公厅关于进一步做好高校毕业生等青年就业创业工作的通知》（国办发〔2022〕13号）；"
                     "《通知》（国办发〔2023〕5号）", resolver)
    assert [c.regulation for c in citations] == ["guobanfa-2022-13", "guobanfa-2023-5"]
    assert citations[1].warnings == []
    assert [r.id for r in resolver.regulations()] == ["guobanfa-2022-13", "guobanfa-2023-5"]


def test_two_notices_unknown_to_the_authority_stay_two_nodes(resolver: Resolver) -> None:
    citations = cite("《长治市人民政府办公室关于做好政务公开工作的通知》（长政办发〔2021〕3号）；"
                     "《通知》（长政办发〔2021〕12号）", resolver)
    assert [c.regulation for c in citations] == ["changzhengbanfa-2021-3",
                                                 "changzhengbanfa-2021-12"]
    second = resolver.regulation("changzhengbanfa-2021-12")
    assert second.title == "长政办发〔2021〕12号"  # 通知 is no title: the number names it
    assert second.aliases == []


@pytest.mark.parametrize("title", ["通知", "的通知", "关于的通知", "该通知", "规划的通知"])
def test_a_kind_with_a_number_never_borrows_an_earlier_document(title: str,
                                                                resolver: Resolver) -> None:
    earlier = Citation(text="x", start=0, end=1, title="长治市人民政府办公室关于做好政务公开工作的通知",
                       doc_number="长政办发〔2021〕3号")
    later = Citation(text="y", start=2, end=3, title=title, doc_number="长政办发〔2021〕12号")
    resolver.resolve([earlier, later])
    assert (earlier.regulation, later.regulation) == ("changzhengbanfa-2021-3",
                                                      "changzhengbanfa-2021-12")


def test_a_kind_without_a_number_still_refers_back(resolver: Resolver) -> None:
    earlier = Citation(text="x", start=0, end=1, title="长治市人民政府办公室关于做好政务公开工作的通知",
                       doc_number="长政办发〔2021〕3号")
    later = Citation(text="y", start=2, end=3, title="该通知")
    resolver.resolve([earlier, later])
    assert later.regulation == earlier.regulation == "changzhengbanfa-2021-3"


def test_a_title_cited_with_two_numbers_lends_neither(resolver: Resolver) -> None:
    citations = cite("《长治市教育局政务公开工作制度》（长教发〔2020〕3号）；"
                     "《长治市教育局政务公开工作制度》（长教发〔2020〕4号）；"
                     "《长治市教育局政务公开工作制度》第五条", resolver)
    first, second, third = (c.regulation for c in citations)
    assert len({first, second, third}) == 3
    assert third.startswith("t-")
    assert citations[2].warnings == [
        "title is cited in this text with 2 doc numbers (长教发〔2020〕3号, 长教发〔2020〕4号); "
        "this mention, without one, is none of them"]


def test_a_kind_the_authority_knows_as_a_title_is_that_document(resolver: Resolver) -> None:
    [short, full] = cite("《宪法》第二条；《中华人民共和国宪法》第三条", resolver)
    assert short.regulation == full.regulation
    assert short.warnings == []


def test_truncated_title_with_the_same_number_is_the_same_document(resolver: Resolver) -> None:
    [cut] = cite("《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度》（国办发〔2018〕118号）", resolver)
    [full] = cite("《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》",
                  resolver)
    assert cut.regulation == full.regulation == "guobanfa-2018-118"
    assert cut.warnings and cut.warnings[0].startswith("title is incomplete")
    assert full.warnings == []


def test_documents_unknown_to_the_authority_are_one_node_per_number(resolver: Resolver) -> None:
    texts = ["《关于做好部门预算公开工作的通知》（财预〔2020〕8号）",
             "《财政部关于做好部门预算公开工作的通知》（财预[2020]8号）",
             "依据财预〔2020〕8号"]
    assert {r for t in texts for r in ids(t, resolver)} == {"caiyu-2020-8"}
    [reg] = resolver.regulations()
    assert reg.title == "财政部关于做好部门预算公开工作的通知"  # the most complete spelling
    assert reg.aliases == ["关于做好部门预算公开工作的通知"]
    assert reg.issuer == ["财政部"] and reg.in_authority is False


def test_canonical_title_does_not_depend_on_the_order_seen() -> None:
    texts = ["《关于做好部门预算公开工作的通知》（财预〔2020〕8号）",
             "《财政部关于做好部门预算公开工作的通知》（财预〔2020〕8号）"]
    one, two = Resolver(use_env=False), Resolver(use_env=False)
    for t in texts:
        cite(t, one)
    for t in reversed(texts):
        cite(t, two)
    assert [r.to_dict() for r in one.regulations()] == [r.to_dict() for r in two.regulations()]


def test_a_title_cited_twice_in_one_text_borrows_the_number(resolver: Resolver) -> None:
    citations = cite("《长治市教育局政务公开工作制度》第五条；《长治市教育局政务公开工作制度》（长教发〔2020〕3号）",
                     resolver)
    assert citations[0].regulation == citations[1].regulation
    assert citations[0].regulation.startswith("doc-")
    [title_only] = cite("《长治市教育局政务公开工作制度》", resolver)
    assert title_only.regulation.startswith("t-")  # alone, nothing says which number it has


# --------------------------------------------------------------------------- checks


def test_wrong_decree_number_is_reported_and_resolved_by_title(resolver: Resolver) -> None:
    [c] = cite("《重大行政决策程序暂行条例》（国务院令第七十三号）", resolver)
    assert c.doc_number == "国务院令第73号"  # as written, normalized
    assert c.regulation == "guowuyuanling-713"
    assert c.warnings == ["doc number 国务院令第73号 does not match 《重大行政决策程序暂行条例》, "
                          "which is 国务院令第713号"]


def test_repealed_version_is_its_own_node_and_is_reported(resolver: Resolver) -> None:
    [old] = cite("《中华人民共和国政府信息公开条例》（国务院令第492号）", resolver)
    [new] = cite("《中华人民共和国政府信息公开条例》", resolver)
    assert (old.regulation, new.regulation) == ("guowuyuanling-492", "guowuyuanling-711")
    assert old.warnings == ["not in force: 《中华人民共和国政府信息公开条例》 (国务院令第492号), "
                            "replaced by 国务院令第711号"]
    assert new.warnings == []
    assert resolver.regulation("guowuyuanling-492").in_force is False


def test_title_that_disagrees_with_its_number_keeps_the_number(resolver: Resolver) -> None:
    [c] = cite("《国务院办公厅关于推进社会公益事业发展领域政府信息公开的意见》（国办发〔2018〕10号）", resolver)
    assert c.regulation == "guobanfa-2018-10"
    assert c.warnings == ["title does not match 国办发〔2018〕10号, which is "
                          "《国务院办公厅关于推进社会公益事业建设领域政府信息公开的意见》"]
    assert c.title == "国务院办公厅关于推进社会公益事业发展领域政府信息公开的意见"  # as written


def test_warnings_are_deterministic() -> None:
    text = "1.《重大行政决策程序暂行条例》（国务院令第七十三号）；2.《条例》"
    runs = [[c.to_dict() for c in cite(text, Resolver(use_env=False))] for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]


# --------------------------------------------------------------------------- ids and nodes


def test_ids_are_ascii_unique_and_stable_for_the_whole_authority() -> None:
    authority = Authority(builtin_authority_paths())
    all_ids = [e.id for e in authority.entries]
    assert all(ID.fullmatch(i) for i in all_ids)
    assert len(set(all_ids)) == len(all_ids)
    code = ("from catalog_graph.resolve.authority import Authority, builtin_authority_paths\n"
            "print(' '.join(e.id for e in Authority(builtin_authority_paths()).entries))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={"PYTHONHASHSEED": "12345", "PATH": ""})
    assert other.stdout.split() == all_ids  # another process, another hash seed: same ids


def test_regulations_are_the_ones_seen_sorted(resolver: Resolver) -> None:
    assert resolver.regulations() == []
    cite("《国务院关于加强数字政府建设的指导意见》（国发〔2022〕14号）；《政府信息公开条例》", resolver)
    assert [r.id for r in resolver.regulations()] == ["guofa-2022-14", "guowuyuanling-711"]
    assert resolver.regulation("guobanfa-2017-47").title == "国务院办公厅关于印发政府网站发展指引的通知"
    with pytest.raises(KeyError):
        resolver.regulation("no-such-id")


def test_cite_without_resolver_uses_one_default() -> None:
    assert default_resolver() is default_resolver()
    [c] = cite("《政府信息公开条例》")
    assert c.regulation == "guowuyuanling-711"


# --------------------------------------------------------------------------- users' authority

USER_CSV = """title,doc_number,issuer,doc_type,date,in_force,replaced_by,aliases,url,note
长治市教育局政务公开工作制度,长教发〔2020〕3号,长治市教育局,制度,2020-03-01,true,,教育局公开制度,,
国务院办公厅关于印发政府网站发展指引的通知,国办发〔2017〕47号,国务院办公厅,通知,2017-05-15,false,,,,marked repealed for the test
"""


def test_users_add_their_own_list(tmp_path: Path) -> None:
    path = tmp_path / "local.csv"
    path.write_text(USER_CSV, encoding="utf-8")
    resolver = Resolver([path], use_env=False)
    [by_title] = cite("《教育局公开制度》第五条", resolver)
    [by_number] = cite("依据长教发〔2020〕3号", resolver)
    assert by_title.regulation == by_number.regulation
    reg = resolver.regulation(by_title.regulation)
    assert (reg.title, reg.in_authority, reg.date) == ("长治市教育局政务公开工作制度", True, "2020-03-01")
    assert by_number.issuer == ["长治市教育局"] and by_number.doc_type == "制度"
    [overridden] = cite("《国务院办公厅关于印发政府网站发展指引的通知》（国办发〔2017〕47号）", resolver)
    assert overridden.warnings and overridden.warnings[0].startswith("not in force")


def test_users_list_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "local.csv").write_text(USER_CSV, encoding="utf-8")
    monkeypatch.setenv(AUTHORITY_ENV, str(tmp_path / "lists"))
    [c] = cite("《长治市教育局政务公开工作制度》", Resolver())
    assert c.regulation.startswith("doc-") and c.warnings == []  # keyed by its number
    assert Resolver().regulation(c.regulation).in_authority
    [ignored] = cite("《长治市教育局政务公开工作制度》", Resolver(use_env=False))
    assert ignored.regulation.startswith("t-")


@pytest.mark.parametrize("content, message", [
    ("name,number\nx,y\n", "needs a header row with a title column"),
    ("title,doc_number\n某文件,不是文号\n", "line 2: 不是文号 is not a 发文字号"),
    ("title,in_force\n某文件,maybe\n", "line 2: in_force must be true, false or empty"),
    ("title,date\n某文件,2020/1/1\n", "line 2: date must be YYYY-MM-DD"),
])
def test_a_bad_user_list_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        Resolver([path], use_env=False)
    assert str(info.value).startswith(str(path)) and message in str(info.value)


# --------------------------------------------------------------------------- the data files


def test_authority_facts_recorded_from_the_reference() -> None:
    authority = Authority(builtin_authority_paths())
    assert len(authority) >= 300
    gxtl = authority.by_doc_number("国务院令第711号")
    assert (gxtl.title, gxtl.in_force, gxtl.date) == ("中华人民共和国政府信息公开条例", True, "2019-04-03")
    old = authority.by_doc_number("国务院令第492号")
    assert (old.in_force, old.replaced_by, old.date) == (False, "国务院令第711号", "2007-04-05")
    zdjc = authority.by_doc_number("国务院令第713号")
    assert (zdjc.title, zdjc.date, zdjc.in_force) == ("重大行政决策程序暂行条例", "2019-04-20", True)
    assert authority.by_doc_number("国办发〔2017〕47号").title == "国务院办公厅关于印发政府网站发展指引的通知"
    for year, number in [(2016, "国办发〔2016〕19号"), (2017, "国办发〔2017〕24号"),
                         (2018, "国办发〔2018〕23号"), (2019, "国办发〔2019〕14号"),
                         (2020, "国办发〔2020〕17号"), (2021, "国办发〔2021〕12号"),
                         (2022, "国办发〔2022〕8号")]:
        assert authority.by_doc_number(number).title == f"国务院办公厅关于印发{year}年政务公开工作要点的通知"
    for entry in authority.entries:
        if entry.doc_number:
            assert normalize_doc_number(entry.doc_number) == entry.doc_number
        assert entry.date is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry.date)


def test_misparsed_numbers_of_the_reference_list_are_not_recorded() -> None:
    """The reference list gives 国办发〔2017〕47号 to four quarterly 通报 as well: only the
    指引 keeps it; the 通报 are recorded without a number."""
    authority = Authority(builtin_authority_paths())
    notices = [e for e in authority.entries if "全国政府网站抽查情况" in e.title]
    assert len(notices) >= 5
    assert all(e.doc_number != "国办发〔2017〕47号" for e in notices)


def test_issuer_code_table() -> None:
    table = issuer_codes()
    slugs = [r.slug for r in table.exact.values() if r.canonical == r.code]
    assert len(slugs) == len(set(slugs))
    assert all(ID.fullmatch(r.slug) for r in [*table.exact.values(), *table.wildcards])
    provinces = {r.issuer for r in table.exact.values() if r.issuer.endswith("人民政府")}
    assert len([p for p in provinces if p != "长治市人民政府"]) == 31
    assert table.lookup("国办发").issuer == "国务院办公厅"
    assert table.lookup("晋政办函").issuer == "山西省人民政府办公厅"


def test_workers_merged_in_any_order_agree_with_one_resolver() -> None:
    from catalog_graph.resolve.resolver import merge_regulations

    cells = ["《关于做好部门预算公开工作的通知》（财预〔2020〕8号）",
             "《财政部 审计署关于做好部门预算公开工作的通知》（财预〔2020〕8号）第三条",
             "《财政部关于做好部门预算公开工作的通知》（财预[2020]8号）",
             "依据财预〔2020〕8号"]
    whole = Resolver(use_env=False)
    for cell in cells:
        cite(cell, whole)
    expected = [r.to_dict() for r in whole.regulations()]
    assert expected[0]["issuer"] == ["财政部", "审计署"]  # the fullest list
    assert expected[0]["title"] == "财政部 审计署关于做好部门预算公开工作的通知"
    workers = []
    for part in (cells[:1], cells[1:3], cells[3:]):
        worker = Resolver(use_env=False)
        for cell in part:
            cite(cell, worker)
        workers.append(worker.regulations())
    for order in ((0, 1, 2), (2, 1, 0), (1, 0, 2)):
        merged = merge_regulations(*(workers[k] for k in order))
        assert [r.to_dict() for r in merged] == expected
