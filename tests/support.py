"""What several test modules share: the sample and a county catalog, a crawl-like corpus and
output snapshots for batch builds, hand-made catalogs and regulations for the graph tests.

Test modules import these from here (no test module imports another); pytest fixtures live in
conftest.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox

from catalog_graph.batch.assemble import OUTPUTS
from catalog_graph.models import (
    Catalog,
    Citation,
    DisclosureItem,
    Provision,
    Regulation,
    Source,
    TimeLimit,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = ROOT / "raw" / "changzhi_education_catalog.txt"


# --------------------------------------------------------------------------- from test_build

HEADER = (
    "序号\t公开事项\t\t\t公开内容（要素）\t公开依据\t公开时限\t公开主体\t公开渠道和载体\t公开对象\t\t公开方式\n"
    "\t一级事项\t二级事项\t三级事项\t\t\t\t\t\t全社会\t特定群众\t\n"
)


COUNTY = "某县教育局主动公开事项目录\n\n" + HEADER + (
    "1\t政府信息公开指南\t\t\t政府信息公开指南和目录\t《中华人民共和国政府信息公开条例》（国务院令第492号）第九条\t"
    "自该信息形成或者变更之日起20个工作日内\t县教育局\t■政府网站\t✓\t\t✓\n"
    "2\t法定主动公开内容\t行政权力\t权责清单\t政府工作部门行使的各项行政职权及其依据\t"
    "《政府信息公开条例》第二十条第一款第（五）项\t实时更新\t县教育局\t■政府网站 ■村公示栏\t✓\t\t✓\n"
)


# --------------------------------------------------------------------------- from test_batch

GOOD = ["a/changzhi.txt", "a/sample.xlsx", "a/sub/sample.docx", "b/county.txt",
        "b/levels.xlsx", "b/preamble.html", "b/web_export", "b/sample.pdf"]


BAD = ["bad/catalog.pdf", "bad/catalog.xlsx", "bad/empty.txt"]


def make_corpus(root: Path) -> Path:
    """A crawl's folder: every format, a page saved without an extension, broken files named
    like catalogs, and litter (lock files, hidden files, notes, partial downloads)."""
    for folder in ("a/sub", "a/.hidden", "b", "bad"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE, root / "a" / "changzhi.txt")
    shutil.copy(FIXTURES / "sample.xlsx", root / "a" / "sample.xlsx")
    shutil.copy(FIXTURES / "sample.docx", root / "a" / "sub" / "sample.docx")
    (root / "b" / "county.txt").write_text(COUNTY, encoding="utf-8")
    shutil.copy(FIXTURES / "levels.xlsx", root / "b" / "levels.xlsx")
    shutil.copy(FIXTURES / "preamble.html", root / "b" / "preamble.html")
    shutil.copy(FIXTURES / "sample.html", root / "b" / "web_export")
    shutil.copy(FIXTURES / "sample.pdf", root / "b" / "sample.pdf")
    shutil.copy(FIXTURES / "broken" / "garbled.pdf", root / "bad" / "catalog.pdf")
    shutil.copy(FIXTURES / "broken" / "truncated.xlsx", root / "bad" / "catalog.xlsx")
    (root / "bad" / "empty.txt").write_bytes(b"")
    # litter
    (root / "a" / "~$sample.xlsx").write_bytes(b"\x0cuser" + bytes(100))
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + bytes(32))
    (root / "a" / ".hidden" / "old.txt").write_text(COUNTY, encoding="utf-8")
    (root / "a" / "sample.xlsx~").write_bytes((FIXTURES / "sample.xlsx").read_bytes())
    (root / "b" / "notes.md").write_text("# 说明\n目录来自各单位网站。\n", encoding="utf-8")
    (root / "b" / "county.txt.part").write_text(COUNTY[:50], encoding="utf-8")
    return root


def snapshot(out: Path) -> dict[str, bytes]:
    """Everything a build leaves in DIR: each output's bytes, the store's quads (sorted: its
    database files differ from run to run), and the names of every file and folder."""
    files = {name: (out / name).read_bytes() for name in OUTPUTS}
    store = ox.Store.read_only(str(out / "store"))
    files["store quads"] = b"".join(sorted(store.dump(format=ox.RdfFormat.N_QUADS)
                                           .splitlines(keepends=True)))
    del store
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                   if p.relative_to(out).parts[0] != "store")
    files["listing"] = "\n".join(names).encode()
    return files


def assert_same(left: dict[str, bytes], right: dict[str, bytes]) -> None:
    assert left.keys() == right.keys()
    for name in left:
        assert left[name] == right[name], f"{name} differs"


LOCAL_RULES = "《长治市教育局政务公开工作规定》（长教发〔2023〕5号）"


LOCAL_AUTHORITY = ("title,doc_number,issuer,doc_type,date,in_force\n"
                   "长治市教育局政务公开工作规定,长教发〔2023〕5号,长治市教育局,规定,2023-03-01,true\n")


def in_authority(out: Path, title: str) -> list[str]:
    store = ox.Store.read_only(str(out / "store"))
    rows = store.query(f'SELECT ?known WHERE {{ ?r <http://www.w3.org/2000/01/rdf-schema#label> '
                       f'"{title}"@zh ; <https://w3id.org/catalog-graph/ontology#inAuthority> '
                       f'?known }}', use_default_graph_as_union=True)
    return [row["known"].value for row in rows]


# --------------------------------------------------------------------------- from test_rdf

TITLE = "长治市教育局主动公开事项目录"
GUIDE_BASIS = "《中华人民共和国政府信息公开条例》第十二条"
HOSTILE = [
    "a b", '<>"{}|\\^`', "line\nbreak\r\n", "tab\tand\x00nul\x01\x1b\x7f", "emoji 😀🇨🇳",
    "\u2028\u2029\ufeff\ufffe", "国发〔2022〕14号", "lone \ud800 surrogate", "#fragment?query=1&x",
    "%41 already encoded", "!" * 3, "", "x" * 100_000,
]


FILE = "raw/changzhi_education_catalog.txt"


GIOR = Regulation(id="guowuyuanling-711", title="中华人民共和国政府信息公开条例",
                  doc_number="国务院令第711号", issuer=["国务院"], doc_type="条例",
                  date="2019-04-03", in_force=True, aliases=["政府信息公开条例"], in_authority=True)


def guide_item(**changes) -> DisclosureItem:
    """Item 1 of the sample (政府信息公开指南), as the layout and citation stages give it."""
    item = DisclosureItem(
        catalog=TITLE, id="9cb5bd774292b234", number="1", path=["政府信息公开指南"],
        content="政府信息公开指南包括政府信息的分类、编排体系、获取方式和政府信息公开工作机构的名称、办公地址",
        basis=GUIDE_BASIS,
        time_limit=TimeLimit("自该信息形成或者变更之日起20个工作日内", "within_days", 20, True),
        subject="市教育局", channels=["政府网站", "政务新媒体"], audience=["全社会"], method=["主动"],
        source=Source(FILE, None, 1),
        citations=[Citation(GUIDE_BASIS, 0, len(GUIDE_BASIS), title="中华人民共和国政府信息公开条例",
                            provisions=[Provision(article=12)], issuer=["国务院"], doc_type="条例",
                            regulation=GIOR.id)],
    )
    for key, value in changes.items():
        setattr(item, key, value)
    return item


def yearly_report_item() -> DisclosureItem:
    """Item 14 of the sample: a yearly deadline, three item levels deep in a made-up path."""
    return DisclosureItem(
        catalog=TITLE, id="4f0c", number="14", path=["法定主动公开内容", "网站年度报表"],
        content="年度信息发布总数和各栏目发布数", basis="《国务院办公厅关于印发政府网站发展指引的通知》（国办发〔2017〕47号）",
        time_limit=TimeLimit("每年1月31日前", "annual_deadline", deadline="01-31"),
        subject="市教育局", channels=["政府网站", "村公示栏", "乡镇大喇叭"], audience=["全社会"],
        method=["主动"], source=Source(FILE, 3, 27),
    )


def catalog(*items: DisclosureItem, file: str = FILE) -> Catalog:
    return Catalog(title=TITLE, body="长治市教育局", file=file, items=list(items))


def hostile_catalog() -> Catalog:
    text = "".join(t for t in HOSTILE[:-1])
    item = guide_item(id=text, number=text, path=[text, "x" * 100_000 + "😀", text], content=text,
                      basis=text, subject=text, channels=[text], audience=[text], method=[text],
                      level=[text], warnings=[text], source=Source(text, 1, 1),
                      time_limit=TimeLimit(text, text, deadline=text))
    item.citations = [Citation(text, 0, 5, title=text, doc_number=text, issuer=[text],
                               regulation="hostile", warnings=[text])]
    return Catalog(title=text, body=text, file=text, items=[item], warnings=[text], format="text")


def hostile_regulation() -> Regulation:
    text = "".join(t for t in HOSTILE[:-1])
    return Regulation(id="hostile", title=text + "x" * 100_000, doc_number=text, issuer=[text, "国务院"],
                      doc_type=text, date=text, aliases=[text], in_authority=False)

