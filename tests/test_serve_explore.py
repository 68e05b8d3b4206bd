"""The browsing pages of ``catalog-graph serve`` (/items, /item/ID, /regulation/ID, /schema) over
HTTP, on the real server and its workers.

The build is the Changzhi sample (28 items), the two-item county catalog citing the repealed
2007 政府信息公开条例 (国务院令第492号), and a catalog whose cells hold ``<script>``. Expected values
are read off those catalogs (raw/changzhi_education_catalog.txt, tests/test_build.py's COUNTY).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from catalog_graph.batch.build import build
from catalog_graph.serve.http import CatalogServer, make_server
from tests.support import COUNTY, SAMPLE
from tests.web_support import HOSTILE, HOSTILE_CATALOG, SCRIPT_ITEM

CHANGZHI = "长治市教育局主动公开事项目录"
COUNTY_TITLE = "某县教育局主动公开事项目录"
GIOR = "中华人民共和国政府信息公开条例"
# Changzhi's items resting on article 20 of the disclosure regulation (序号 3, 4, 8, 9, 10)
ARTICLE_20 = ["领导信息", "工作部门", "直属事业单位", "部门规范性文件", "权责清单", "运行流程图",
              "廉政风险防控图", "制度建设", "行政执法", "法制信息", "随机抽查事项清单", "抽查计划",
              "抽查结果"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("explore-catalogs")
    shutil.copy(SAMPLE, root / "changzhi.txt")
    (root / "county.txt").write_text(COUNTY, encoding="utf-8")
    (root / "hostile.txt").write_text(HOSTILE_CATALOG, encoding="utf-8")
    out = tmp_path_factory.mktemp("explore-out")
    build([root], out, workers=1)
    return out


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[CatalogServer]:
    srv = make_server(built, "127.0.0.1", 0, timeout=20, workers=2, quiet=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=10)


def get(server: CatalogServer, path: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(server.url.rstrip("/") + path, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


def get_json(server: CatalogServer, path: str) -> dict:
    status, headers, body = get(server, path)
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/json")
    return json.loads(body)


def facet(document: dict, name: str) -> dict[str, int]:
    return {value["label"]: value["count"] for value in document["facets"][name]}


def names(document: dict) -> list[str]:
    return [item["path"][-1] for item in document["items"]]


class Links(HTMLParser):
    """The links of a page: (href, text), and the text of elements by id."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text)))
            self._href = None


def links(html: str) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(html)
    return parser.links


def regulation_id(server: CatalogServer, doc_number: str) -> str:
    """The id of the regulation with ``doc_number``, as the item browser's facet names it."""
    document = get_json(server, "/items.json?_size=1")
    for value in document["facets"]["regulation"]:
        if get_json(server, f"/regulation/{quote(value['key'])}.json")["doc_number"] == doc_number:
            return value["key"]
    raise AssertionError(f"no regulation {doc_number}")


# ---------------------------------------------------------------------------- /items


def test_the_item_browser_counts_items_by_catalog(server: CatalogServer) -> None:
    document = get_json(server, "/items.json")
    counts = facet(document, "catalog")
    assert counts[CHANGZHI] == 28
    assert counts[COUNTY_TITLE] == 2
    assert document["total"] == sum(counts.values())


def test_choosing_a_catalog_counts_its_top_level_categories(server: CatalogServer) -> None:
    document = get_json(server, "/items.json?" + urlencode({"catalog": CHANGZHI}))
    assert document["total"] == 28
    assert facet(document, "category") == {"法定主动公开内容": 18, "政府信息公开制度": 3, "机构职能": 3,
                                           "重点领域信息": 2, "政府信息公开年报": 1, "政府信息公开指南": 1}
    assert [v["selected"] for v in document["facets"]["catalog"]] == [True]


def test_an_article_facet_lists_the_items_resting_on_it(server: CatalogServer) -> None:
    reg = regulation_id(server, "国务院令第711号")
    document = get_json(server, "/items.json?" + urlencode({"catalog": CHANGZHI, "_size": 100}))
    assert facet(document, "article")[f"《{GIOR}》第20条（国务院令第711号）"] == len(ARTICLE_20)
    chosen = get_json(server, "/items.json?" + urlencode(
        {"catalog": CHANGZHI, "article": f"{reg}/20", "_size": 100}))
    assert names(chosen) == ARTICLE_20


def test_items_without_a_legal_basis_have_no_regulation_and_a_warning(server: CatalogServer) -> None:
    document = get_json(server, "/items.json?" + urlencode(
        {"catalog": CHANGZHI, "category": "政府信息公开制度"}))
    assert names(document) == ["国家制度", "省级制度", "市级制度"]
    assert all(item["regulations"] == [] for item in document["items"])
    assert facet(document, "regulation") == {}


def test_time_limit_kinds_are_counted_by_their_names(server: CatalogServer) -> None:
    document = get_json(server, "/items.json?" + urlencode({"catalog": CHANGZHI}))
    kinds = facet(document, "time_limit")
    # the five items whose limit is 实时更新, and the two due by a day of the year
    assert kinds["实时 real time"] == 5
    assert kinds["每年截止日 yearly deadline"] == 2


def test_search_finds_words_in_names_content_and_basis(server: CatalogServer) -> None:
    document = get_json(server, "/items.json?" + urlencode({"q": "抽查", "_size": 100}))
    assert {"随机抽查事项清单", "抽查计划", "抽查结果"} <= set(names(document))
    by_basis = get_json(server, "/items.json?" + urlencode({"q": "国务院令第492号"}))
    assert names(by_basis) == ["政府信息公开指南"]
    assert by_basis["items"][0]["catalog"] == COUNTY_TITLE
    nothing = get_json(server, "/items.json?q=%E6%97%A0%E6%AD%A4%E8%AF%8D%E8%AF%AD")
    assert nothing["total"] == 0 and nothing["items"] == []


def test_pages_and_sorting(server: CatalogServer) -> None:
    first = get_json(server, "/items.json?" + urlencode({"catalog": CHANGZHI, "_size": 10}))
    assert first["pages"] == 3 and len(first["items"]) == 10
    third = get_json(server, first["next"].replace("_page=2", "_page=3"))
    assert len(third["items"]) == 8
    by_name = get_json(server, "/items.json?" + urlencode(
        {"catalog": CHANGZHI, "_sort": "name", "_size": 100}))
    assert names(by_name) == sorted(names(by_name))
    descending = get_json(server, "/items.json?" + urlencode(
        {"catalog": CHANGZHI, "_sort": "-number", "_size": 100}))
    assert descending["items"][0]["number"] == "15"  # the last 序号 of the catalog


def test_the_view_as_csv_holds_every_matching_item(server: CatalogServer) -> None:
    status, headers, body = get(server, "/items.csv?" + urlencode(
        {"catalog": CHANGZHI, "category": "机构职能"}))
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["name"] for r in rows] == ["领导信息", "工作部门", "直属事业单位"]
    assert {r["number"] for r in rows} == {"3"}
    assert all(r["basis"] == f"《{GIOR}》第二十条" for r in rows)
    assert all(r["source_file"].endswith("changzhi.txt") for r in rows)


def test_the_item_browser_page_links_facets_items_and_exports(server: CatalogServer) -> None:
    status, headers, html = get(server, "/items?" + urlencode({"catalog": CHANGZHI}))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    hrefs = dict(links(html))
    assert any(h.startswith("/items.csv?") for h in hrefs)
    assert any(h.startswith("/items.json?") for h in hrefs)
    assert [t for h, t in links(html) if h.startswith("/item/")][:2] == ["政府信息公开指南", "国家制度"]
    assert re.search(r'<strong id="total">28</strong>', html)


def test_catalog_text_is_escaped_on_every_page(server: CatalogServer) -> None:
    _, _, html = get(server, "/items?" + urlencode({"catalog": HOSTILE}))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<img src=x' not in html
    item = get_json(server, "/items.json?" + urlencode({"catalog": HOSTILE}))["items"][0]
    _, _, page = get(server, item["url"])
    assert "<script>" not in page and SCRIPT_ITEM.replace("<", "&lt;").replace(">", "&gt;") in page


# ---------------------------------------------------------------------------- /item/ID


def test_an_item_shows_its_basis_with_the_citation_linked(server: CatalogServer) -> None:
    document = get_json(server, "/items.json?" + urlencode(
        {"catalog": CHANGZHI, "category": "机构职能"}))
    leaders = document["items"][0]
    status, _, html = get(server, leaders["url"])
    assert status == 200
    basis = re.search(r'<td id="basis" class="basis">(.*?)</td>', html).group(1)
    cited = links(basis)
    reg = regulation_id(server, "国务院令第711号")
    assert cited == [(f"/regulation/{reg}", f"《{GIOR}》第二十条")]
    assert "changzhi.txt, row 5" in html  # data rows 1-4 are 指南 and the three 制度
    group = [t for h, t in links(html.split('class="group"')[1]) if h.startswith("/item/")]
    assert group == ["工作部门", "直属事业单位"]  # the other items of 序号 3


def test_an_item_as_json_is_its_line_of_items_jsonl(server: CatalogServer, built: Path) -> None:
    lines = [json.loads(line) for line in (built / "items.jsonl").read_text("utf-8").splitlines()]
    item = next(it for it in lines if it["path"][-1] == "部门规范性文件")
    document = get_json(server, f"/item/{item['id']}.json")
    assert {k: document[k] for k in item} == item
    assert document["iri"].endswith(f"/item/{item['id']}")


def test_an_unknown_item_or_regulation_is_404(server: CatalogServer) -> None:
    assert get(server, "/item/no-such-item")[0] == 404
    assert get(server, "/regulation/no-such-regulation")[0] == 404


# ---------------------------------------------------------------------------- /regulation/ID


def test_a_regulation_shows_its_facts_articles_and_citing_catalogs(server: CatalogServer) -> None:
    reg = regulation_id(server, "国务院令第711号")
    document = get_json(server, f"/regulation/{reg}.json")
    assert document["title"] == GIOR
    assert document["issuers"] == ["国务院"]
    assert document["in_force"].endswith("in force") and "no longer" not in document["in_force"]
    articles = {a["article"]: a["items"] for a in document["articles"]}
    # and the county's 《政府信息公开条例》第二十条第一款第（五）项, and the <script> catalog's item 1
    assert articles[20] == len(ARTICLE_20) + 2
    catalogs = {c["catalog"]: c["items"] for c in document["catalogs"]}
    assert catalogs[CHANGZHI] == 16
    status, _, html = get(server, f"/regulation/{reg}")
    assert status == 200 and "国务院令第711号" in html


def test_a_repealed_regulation_names_what_replaced_it(server: CatalogServer) -> None:
    old = regulation_id(server, "国务院令第492号")
    new = regulation_id(server, "国务院令第711号")
    document = get_json(server, f"/regulation/{old}.json")
    assert "no longer in force" in document["in_force"]
    assert document["replaced_by_id"] == new
    assert [c["catalog"] for c in document["catalogs"]] == [COUNTY_TITLE]
    _, _, html = get(server, f"/regulation/{old}")
    assert (f"/regulation/{new}", f"{GIOR}（国务院令第711号）") in links(html)


# ---------------------------------------------------------------------------- /schema


def test_the_schema_counts_classes_and_properties_with_their_labels(server: CatalogServer) -> None:
    schema = get_json(server, "/schema.json")
    classes = {c["name"]: c for c in schema["classes"]}
    assert classes["cg:Catalog"]["count"] == 3
    assert classes["cg:DisclosureItem"]["count"] == 28 + 2 + 2
    assert classes["cg:Catalog"]["label"] == "政务公开事项目录"
    properties = {p["name"]: p for p in schema["properties"]}
    assert properties["cg:timeLimitKind"]["label"] == "时限种类"
    _, _, html = get(server, "/schema")
    term_links = [h for h, t in links(html) if t == "cg:timeLimitKind"]
    assert term_links and term_links[0].startswith("/?query=")


def test_a_schema_example_query_runs(server: CatalogServer) -> None:
    schema = get_json(server, "/schema.json")
    query = next(p["query"] for p in schema["properties"] if p["name"] == "cg:timeLimitKind")
    status, _, body = get(server, "/sparql?" + urlencode({"query": query}))
    assert status == 200
    rows = json.loads(body)["results"]["bindings"]
    assert rows and all(r["o"]["value"].startswith("https://") for r in rows)


def test_pages_refuse_post(server: CatalogServer) -> None:
    request = urllib.request.Request(server.url + "items", data=b"x=1", method="POST")
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=10)
    assert raised.value.code == 405


# ---------------------------------------------------------------------------- /graph


def test_the_graph_page_is_the_viz_picture_with_its_own_policy(server: CatalogServer) -> None:
    status, headers, html = get(server, "/graph")
    assert status == 200
    assert "Content-Security-Policy" not in headers  # the page's own, by hash, in its <meta>
    assert re.search(r'<meta http-equiv="Content-Security-Policy" content="default-src [^"]*'
                     r'script-src [^"]*sha256-', html)
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>',
                                html, re.S).group(1))
    assert {c["label"] for c in data["catalogs"]} == {CHANGZHI, COUNTY_TITLE, HOSTILE}
    assert "<script>window.pwned" not in html


def test_the_graph_page_focuses_on_a_regulation_by_its_doc_number(server: CatalogServer) -> None:
    status, _, html = get(server, "/graph?" + urlencode({"focus": "国务院令第492号"}))
    assert status == 200
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>',
                                html, re.S).group(1))
    assert data["focus"]["kind"] == "regulation"
    assert [c["label"] for c in data["catalogs"]] == [COUNTY_TITLE]
