"""Generate a corpus of realistic disclosure catalogs for benchmarks.

Catalogs are assembled from real parts: real titles and document numbers (the project's
authority files in ontology/authority), real item names and contents (the Changzhi education
catalog in raw/ and items common to county and city catalogs), the time limits and citation forms
catalogs use (numbered lists, 《》 or none, doc-number bracket variants and stray spaces,
Chinese numerals, articles and quoted items, short titles, a wrong 国务院令 number), merged cells
(continuation rows with an empty 序号), and the sample's two-row header.

By default each catalog is written as tab-separated text, like the sample, into OUT_DIR. With
``--mix`` catalogs come in the formats offices publish, in shares given as weights, laid out
as a crawl would leave them (OUT_DIR/<city>/<county or 市直>/catalog_NNNNN.ext):

- ``txt``: tab-separated text; ``xlsx``: a workbook with merged cells (openpyxl);
  ``docx``: a Word table with horizontal and vertical merges (python-docx); ``html``: the table
  inside a government web page (rowspan/colspan; a fifth in GB18030); ``pdf``: the workbook
  printed by LibreOffice (slow: keep its share small) — all made with tools/make_fixtures.py;
- ``--broken F``: a share of the catalogs replaced by the broken files real crawls hold (a
  truncated workbook, a truncated Word file, a garbled PDF, an empty file, a notice without a
  table, a legacy .xls, an error page saved as .pdf), each still named like a catalog;
- and the litter a build must skip: Office lock files (``~$catalog_NNNNN.xlsx``) and
  ``.DS_Store`` in some folders.

    python bench/gen_corpus.py OUT_DIR --catalogs 700 --seed 1
    python bench/gen_corpus.py OUT_DIR --catalogs 1000 --mix txt=45,xlsx=25,html=19.5,docx=10,pdf=0.5 --broken 0.005

The same arguments give the same files (a catalog's content does not depend on its format).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MIX = "txt=45,xlsx=25,html=19.5,docx=10,pdf=0.5"

HEADER = (
    "序号\t公开事项\t\t\t公开内容（要素）\t公开依据\t公开时限\t公开主体\t公开渠道和载体\t公开对象\t\t公开方式\n"
    "\t一级事项\t二级事项\t三级事项\t\t\t\t\t\t全社会\t特定群众\t\n"
)

COUNTIES = {  # prefecture-level cities of Shanxi and some of their districts and counties
    "太原市": ["小店区", "迎泽区", "杏花岭区", "清徐县", "阳曲县", "娄烦县", "古交市"],
    "大同市": ["平城区", "云冈区", "阳高县", "天镇县", "广灵县", "灵丘县"],
    "阳泉市": ["城区", "矿区", "郊区", "平定县", "盂县"],
    "长治市": ["潞州区", "上党区", "屯留区", "潞城区", "襄垣县", "平顺县", "黎城县", "壶关县",
             "长子县", "武乡县", "沁县", "沁源县"],
    "晋城市": ["城区", "高平市", "阳城县", "陵川县", "泽州县", "沁水县"],
    "朔州市": ["朔城区", "平鲁区", "山阴县", "应县", "右玉县", "怀仁市"],
    "晋中市": ["榆次区", "太谷区", "祁县", "平遥县", "介休市", "灵石县", "寿阳县", "昔阳县",
             "和顺县", "左权县"],
    "运城市": ["盐湖区", "永济市", "河津市", "临猗县", "万荣县", "闻喜县", "稷山县", "新绛县",
             "绛县", "垣曲县", "夏县", "平陆县", "芮城县"],
    "忻州市": ["忻府区", "原平市", "定襄县", "五台县", "代县", "繁峙县"],
    "临汾市": ["尧都区", "侯马市", "霍州市", "曲沃县", "翼城县", "襄汾县", "洪洞县"],
    "吕梁市": ["离石区", "孝义市", "汾阳市", "文水县", "交城县", "兴县", "临县", "柳林县"],
}
DEPARTMENTS = ["教育局", "交通运输局", "卫生健康委员会", "民政局", "人力资源和社会保障局", "自然资源局",
               "生态环境局", "住房和城乡建设局", "农业农村局", "水利局", "商务局", "文化和旅游局",
               "应急管理局", "市场监督管理局", "统计局", "医疗保障局", "财政局", "审计局", "司法局",
               "发展和改革委员会", "工业和信息化局", "退役军人事务局", "行政审批服务管理局", "人民政府办公室"]
TITLE_FORMS = ["{body}主动公开事项目录", "{body}政务公开事项标准目录", "{body}政府信息主动公开基本目录",
               "{body}2023年主动公开事项目录"]

# (一级事项, [(二级事项, [三级事项 …]) …]): names seen in real catalogs
ITEMS: list[tuple[str, list[tuple[str, list[str]]]]] = [
    ("政府信息公开指南", [("", [])]),
    ("政府信息公开制度", [("国家制度", []), ("省级制度", []), ("市级制度", [])]),
    ("机构职能", [("领导信息", []), ("工作部门", []), ("直属事业单位", []), ("内设机构", []),
                  ("机构职能", [])]),
    ("法定主动公开内容", [
        ("履职依据", ["部门规范性文件", "政策文件库", "法律法规", "政策解读"]),
        ("工作动态", ["通知公告", "日常工作动态", "新闻发布"]),
        ("计划规划", ["年度工作计划和工作总结", "发展规划", "专项规划"]),
        ("行政权力", ["权责清单", "运行流程图", "廉政风险防控图"]),
        ("依法行政", ["制度建设", "行政执法", "法制信息"]),
        ("双随机、一公开", ["随机抽查事项清单", "抽查计划", "抽查结果"]),
        ("建议提案办理", ["人大代表建议办理结果", "政协委员提案办理结果"]),
        ("重大决策预公开", ["决策草案", "意见征集", "意见采纳情况"]),
        ("重大行政决策项目目录", []),
        ("网站年度报表", []),
        ("财政信息", ["部门预算", "部门决算", "三公经费"]),
        ("人事信息", ["公务员招考", "事业单位招聘", "人事任免"]),
        ("行政许可", ["许可事项", "办事指南", "许可结果"]),
        ("行政处罚", ["处罚依据", "处罚结果"]),
        ("招标采购", ["采购公告", "中标结果"]),
    ]),
    ("重点领域信息", [
        ("社会公益事业", ["社会救助和社会福利领域", "教育领域", "医疗卫生领域", "环境保护领域"]),
        ("公共资源配置", ["保障性住房", "国有土地使用权出让", "矿业权出让"]),
        ("重大建设项目", ["批准服务信息", "招标投标信息", "竣工验收信息"]),
        ("义务教育", ["招生入学", "学校名录", "学生资助"]),
        ("安全生产", ["事故调查处理", "隐患排查"]),
    ]),
    ("政府信息公开年报", [("部门信息公开年报", [])]),
    ("统计信息", [("统计数据", []), ("统计公报", [])]),
    ("应急管理", [("应急预案", []), ("预警信息", []), ("应对情况", [])]),
]

CONTENTS = [
    "政府信息公开指南包括政府信息的分类、编排体系、获取方式和政府信息公开工作机构的名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式等内容",
    "国家、省、市出台政务公开相关制度规定",
    "各级各部门机关职能、机构设置、内设机构及下属单位设置、职能、办公地址、办公时间、联系方式、负责人信息等",
    "以部门名义印发的行政规范性文件",
    "完善政务公开信息化平台，建设分类分级、集中统一、共享共用、动态更新的政策文件库。",
    "重点公开相关政策、发展规划、经费投入和使用、困难学生资助实施情况等信息。",
    "对重大事件当众正式公布或者公开宣告、宣布的社会公众广泛知晓的信息内容",
    "社会公众广泛知晓的信息",
    "年度工作计划和工作总结",
    "政府工作部门行使的各项行政职权及其依据、行使主体、运行流程、对应的责任等（行政职权和责任事项）",
    "法治政府建设信息",
    "公开行政执法职责、执法依据、执法程序、监督途径和执法结果等信息。",
    "监管过程中随机抽取检查对象、随机选派执法检查人员信息，抽查情况及查处结果信息",
    "公开全国人大代表建议、全国政协委员提案办理结果",
    "政策意见征集的情况，包括及时、规范、集中公开文件征求意见稿、对征求意见稿的解读，以及意见征集结果的情况",
    "年度信息发布总数和各栏目发布数、用户访问量、服务事项数和受理量、网民留言办理情况",
    "行政机关主动公开政府信息的情况；行政机关收到和处理政府信息公开申请的情况",
    "部门预算、决算及报表，“三公”经费预算、决算情况说明",
    "招考公告、报名情况、笔试面试成绩、拟录用人员名单",
    "行政许可的事项、依据、条件、数量、程序、期限以及申请行政许可需要提交的全部材料目录",
    "行政处罚的依据、条件、程序以及处罚结果",
    "招生范围、招生条件、招生计划、录取结果",
    "应急预案、预警信息及应对情况",
]

TIME_LIMITS = [
    "自该信息形成或者变更之日起20个工作日内", "自该信息形成或者变更之日起20个工作日内",
    "自该信息形成或者变更之日起20个工作日内", "实时更新", "实时更新", "每年1月31日前",
    "检查及查处结果作出之日起的7个工作日内", "信息形成之日起15个工作日内", "长期公开",
    "每年3月底前", "7日内", "十五个工作日内", "作出决定之日起7个工作日内", "即时公开",
]
CHANNELS = ["■政府网站 ■政务新媒体", "■政府网站", "■政府网站 ■政务新媒体 ■纸质媒体", "■政府网站 ■两微一端",
            "■政府网站 ■政务新媒体 ■公示栏", "政府网站、政务服务中心", "■政府网站 □政务新媒体 ■新闻发布会",
            "政府网站、村公示栏", "■政府网站 ■广播电视"]
BRACKETS = [("〔", "〕"), ("〔", "〕"), ("〔", "〕"), ("〔", "〕"), ("[", "]"), ("［", "］"),
            ("【", "】"), ("(", ")"), ("（", "）"), ("﹝", "﹞")]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
CN = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 49 → 四十九 (n < 100)."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else CN[tens]) + "十" if tens else "") + (CN[ones] if ones or not tens else "")


@dataclass(frozen=True)
class Document:
    """A real document: title, doc number (or None), whether it is written in articles."""

    title: str
    doc_number: str | None
    articles: bool


def load_documents() -> list[Document]:
    """The authority's documents (real titles and numbers)."""
    docs = []
    for path in sorted((ROOT / "ontology" / "authority").glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["in_force"] == "false":
                    continue
                docs.append(Document(row["title"], row["doc_number"] or None,
                                     row["doc_type"] in ("法", "条例", "办法", "规定", "宪法")))
    return docs


def write_number(number: str, rng: random.Random) -> str:
    """A doc number as a clerk may type it: bracket variants, stray space, full-width digits."""
    if "〔" in number:
        left, right = rng.choice(BRACKETS)
        number = number.replace("〔", left).replace("〕", right)
    if rng.random() < 0.05:
        number = number.replace("号", " 号")
    if rng.random() < 0.03:
        number = number.translate(FULLWIDTH)
    if number.startswith("国务院令第") and rng.random() < 0.2:
        serial = int(number[5:-1])
        number = f"国务院令第{chinese(serial % 100)}号"  # a wrong number in Chinese numerals
    return number


def citation(doc: Document, rng: random.Random) -> str:
    """One citation of a document, in one of the forms catalogs use."""
    title = doc.title
    if "《" in title and rng.random() < 0.5:
        title = title.replace("《", "〈").replace("》", "〉")
    form = rng.random()
    if doc.articles and form < 0.5:
        article = rng.randint(1, 40)
        text = f"《{title}》第{chinese(article)}条"
        if rng.random() < 0.3:
            text += f"第{chinese(rng.randint(1, 3))}款"
        if rng.random() < 0.4:
            text += f"“（{chinese(rng.randint(1, 9))}）{rng.choice(CONTENTS)[:18]}”"
        return text
    if doc.doc_number is None:
        return f"《{title}》"
    number = write_number(doc.doc_number, rng)
    if form < 0.8:
        return f"《{title}》（{number}）"
    if form < 0.9:
        return f"{title}（{number}）"
    return f"《{title}》"


GIOR_ARTICLES = [19, 20, 20, 20, 20, 21, 21, 12, 13, 23, 49, 50]  # the articles catalogs cite most


def disclosure_regulation_citation(rng: random.Random) -> str:
    """The most cited law of all: 《（中华人民共和国）政府信息公开条例》 and one of its articles."""
    title = rng.choice(["中华人民共和国政府信息公开条例", "中华人民共和国政府信息公开条例", "政府信息公开条例"])
    text = f"《{title}》"
    if rng.random() < 0.05:  # an outdated catalog citing the 2007 text, repealed in 2019
        text += "（国务院令第492号）"
    text += f"第{chinese(rng.choice(GIOR_ARTICLES))}条"
    if rng.random() < 0.5:
        text += f"“（{chinese(rng.randint(1, 15))}）{rng.choice(CONTENTS)[:16]}”"
    return text


def basis(docs: list[Document], rng: random.Random) -> str:
    """A 公开依据 cell: nothing, one citation, or a numbered list."""
    n = rng.choices([0, 1, 2, 3, 4], weights=[2, 5, 3, 2, 1])[0]
    cited = [disclosure_regulation_citation(rng) if rng.random() < 0.3 else citation(rng.choice(docs), rng)
             for _ in range(n)]
    if n <= 1:
        return "".join(cited)
    sep = rng.choice(["；", "", "、"])
    return sep.join(f"{k}.{c}" for k, c in enumerate(cited, 1))


@dataclass
class GeneratedCatalog:
    """One generated catalog: where it is from, its title, its data rows (cells)."""

    city: str
    county: str
    title: str
    rows: list[list[str]]


def catalog_table(index: int, docs: list[Document], rng: random.Random) -> GeneratedCatalog:
    """A catalog's title and rows, drawn from ``rng``."""
    city = rng.choice(sorted(COUNTIES))
    county = rng.choice(COUNTIES[city]) if rng.random() < 0.6 else ""
    place = city + county
    department = rng.choice(DEPARTMENTS)
    body = place + department
    title = rng.choice(TITLE_FORMS).format(body=body)
    short = ("县" if place.endswith("县") else "区" if place.endswith("区") else "市") + department
    rows: list[list[str]] = []
    number = 0
    target = rng.randint(18, 45)
    while len(rows) < target:
        top, seconds = rng.choice(ITEMS)
        second, thirds = rng.choice(seconds)
        names = [[top, second, t] for t in thirds] if thirds else [[top, second, ""]]
        names = names[: rng.randint(1, len(names))]
        number += 1
        cell_basis = basis(docs, rng)
        limit = rng.choice(TIME_LIMITS)
        subject = short if rng.random() < 0.95 else ""
        channels = rng.choice(CHANNELS)
        marks = ("✓", "", "✓") if rng.random() < 0.9 else ("", "✓", "✓")
        for k, (a, b, c) in enumerate(names):
            content = rng.choice(CONTENTS)
            if k == 0:
                cells = [str(number), a, b, c, content, cell_basis, limit, subject, channels, *marks]
            else:  # a continuation row: merged cells left empty
                cells = ["", "", "" if rng.random() < 0.8 else b, c, content, "", "", "", "", "", "", ""]
            rows.append(cells)
    return GeneratedCatalog(city, county, title, rows)


def catalog_text(index: int, docs: list[Document], rng: random.Random) -> str:
    """A catalog as tab-separated text, like the sample."""
    table = catalog_table(index, docs, rng)
    return f"\n\n{table.title}\n\n" + HEADER + "\n".join("\t".join(r) for r in table.rows)


# --------------------------------------------------------------------------- other formats

WIDTHS = [5, 12, 12, 14, 30, 36, 13, 8, 12, 5, 5, 5]
CENTERED = {0, 7, 9, 10, 11}
BROKEN_KINDS = ("truncated.xlsx", "truncated.docx", "garbled.pdf", "empty.txt", "notice.txt",
                "legacy.xls", "errorpage.pdf")


def _fixtures():
    """tools/make_fixtures.py, whose writers make the office formats."""
    sys.path.insert(0, str(ROOT / "tools"))
    import make_fixtures

    return make_fixtures


def _spec(table: GeneratedCatalog):
    mf = _fixtures()
    header = [row.split("\t") for row in HEADER.rstrip("\n").split("\n")]
    return mf.Spec(name="catalog", title=table.title, header=header, rows=table.rows,
                   widths=WIDTHS, centered=CENTERED)


def parse_mix(text: str) -> list[tuple[str, float]]:
    """``txt=45,xlsx=25`` → [("txt", 45.0), ("xlsx", 25.0)]."""
    mix = []
    for part in text.split(","):
        name, _, weight = part.partition("=")
        if name.strip() not in ("txt", "xlsx", "docx", "html", "pdf"):
            raise SystemExit(f"gen_corpus: unknown format {name!r} in --mix")
        mix.append((name.strip(), float(weight or 1)))
    return mix


def plan(index: int, seed: int, mix: list[tuple[str, float]], broken: float) -> tuple[str, str | None]:
    """(format, broken kind or None) of catalog ``index``: drawn apart from its content."""
    rng = random.Random(f"{seed}-{index}-format")
    fmt = rng.choices([m for m, _ in mix], weights=[w for _, w in mix])[0]
    kind = rng.choice(BROKEN_KINDS) if rng.random() < broken else None
    return fmt, kind


def folder_of(out: Path, table: GeneratedCatalog) -> Path:
    return out / table.city / (table.county or "市直")


def write_broken(kind: str, table: GeneratedCatalog, folder: Path, index: int) -> Path:
    """A broken file named like a catalog (see BROKEN_KINDS)."""
    mf = _fixtures()
    name, ext = kind.split(".")
    path = folder / f"catalog_{index:05d}.{ext}"
    if name == "truncated":
        full = folder / f".whole_{index:05d}.{ext}"
        (mf.write_xlsx if ext == "xlsx" else mf.write_docx)(_spec(table), full)
        data = full.read_bytes()
        full.unlink()
        path.write_bytes(data[: int(len(data) * 0.6)])
    elif name == "garbled":
        path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    elif name == "empty":
        path.write_bytes(b"")
    elif name == "notice":
        path.write_text(f"{table.title}\n\n现将本单位主动公开事项目录公布如下，目录表格另行印发。\n"
                        "联系电话：0355-1234567\n", encoding="utf-8")
    elif name == "legacy":  # an Excel 97-2003 workbook's compound-file header
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    else:  # a crawler saved the server's error page under the catalog's name
        path.write_bytes("<html><head><title>404</title></head><body><h1>404 页面不存在</h1>"
                         "</body></html>\n".encode())
    return path


def write_catalog(index: int, seed: int, docs: list[Document], out: Path,
                  mix: list[tuple[str, float]] | None, broken: float) -> tuple[str, Path]:
    """Write catalog ``index``; returns its format (or ``broken:KIND``) and path.

    PDFs are written as .xlsx first, for :func:`print_pdfs` to print in one LibreOffice run.
    """
    rng = random.Random(f"{seed}-{index}")
    if mix is None:
        path = out / f"catalog_{index:05d}.txt"
        path.write_text(catalog_text(index, docs, rng), encoding="utf-8")
        return "txt", path
    table = catalog_table(index, docs, rng)
    fmt, kind = plan(index, seed, mix, broken)
    folder = folder_of(out, table)
    folder.mkdir(parents=True, exist_ok=True)
    if kind is not None:
        return f"broken:{kind}", write_broken(kind, table, folder, index)
    mf = _fixtures()
    path = folder / f"catalog_{index:05d}.{fmt}"
    if fmt == "txt":
        path.write_text(f"\n\n{table.title}\n\n" + HEADER
                        + "\n".join("\t".join(r) for r in table.rows), encoding="utf-8")
    elif fmt == "xlsx":
        mf.write_xlsx(_spec(table), path)
    elif fmt == "docx":
        mf.write_docx(_spec(table), path)
    elif fmt == "html":
        encoding = "gb18030" if random.Random(f"{seed}-{index}-html").random() < 0.2 else "utf-8"
        mf.write_html(_spec(table), path, encoding=encoding)
    else:
        path = folder / f".topdf_{index:05d}.xlsx"
        mf.write_xlsx(_spec(table), path)
    if index % 50 == 7:  # litter a build must skip
        (folder / f"~$catalog_{index:05d}.xlsx").write_bytes(b"\x0cuser" + bytes(150))
        (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + bytes(64))
    return fmt, path


def print_pdfs(sources: list[Path]) -> None:
    """Print workbooks to PDF with LibreOffice (one run for all), fixing the PDFs' dates and
    ids so that the same arguments give the same bytes; each ``.topdf_N.xlsx`` becomes
    ``catalog_N.pdf`` beside it."""
    if not sources:
        return
    mf = _fixtures()
    with tempfile.TemporaryDirectory() as tmp:
        profile, outdir = Path(tmp) / "profile", Path(tmp) / "out"
        for start in range(0, len(sources), 200):
            batch = sources[start:start + 200]
            subprocess.run([mf.soffice(), f"-env:UserInstallation=file://{profile}", "--headless",
                            "--norestore", "--convert-to", "pdf", "--outdir", str(outdir),
                            *map(str, batch)], check=True, capture_output=True, timeout=3600)
            for source in batch:
                made = outdir / (source.stem + ".pdf")
                data = mf._fixed_pdf_stamps(made.read_bytes(), source.read_bytes())
                target = source.with_name(source.stem.replace(".topdf_", "catalog_") + ".pdf")
                target.write_bytes(data)
                made.unlink()
                source.unlink()


def _write_one(args: tuple[int, int, Path, list[tuple[str, float]] | None, float]) -> tuple[str, str]:
    index, seed, out, mix, broken = args
    fmt, path = write_catalog(index, seed, _documents(), out, mix, broken)
    return fmt, str(path)


_DOCS: list[Document] = []


def _documents() -> list[Document]:
    if not _DOCS:
        _DOCS.extend(load_documents())
    return _DOCS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write catalogs in")
    parser.add_argument("--catalogs", type=int, default=700, help="how many catalogs (default 700)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--mix", nargs="?", const=DEFAULT_MIX, default=None,
                        help=f"formats and their weights (bare --mix: {DEFAULT_MIX}); "
                             "default: text only, in OUT_DIR itself")
    parser.add_argument("--broken", type=float, default=0.0,
                        help="share of catalogs replaced by broken files (with --mix)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes writing files (default: the cores)")
    args = parser.parse_args()
    mix = parse_mix(args.mix) if args.mix else None
    args.out.mkdir(parents=True, exist_ok=True)
    tasks = [(index, args.seed, args.out, mix, args.broken) for index in range(args.catalogs)]
    if args.jobs > 1 and mix is not None:
        from multiprocessing import Pool

        with Pool(args.jobs) as pool:
            written = pool.map(_write_one, tasks, chunksize=16)
    else:
        written = [_write_one(task) for task in tasks]
    print_pdfs([Path(p) for fmt, p in written if fmt == "pdf"])
    counts: dict[str, int] = {}
    for fmt, _ in written:
        counts[fmt] = counts.get(fmt, 0) + 1
    shown = ", ".join(f"{n} {fmt}" for fmt, n in sorted(counts.items()))
    print(f"wrote {args.catalogs} catalogs to {args.out} ({shown})")


if __name__ == "__main__":
    main()
