"""The store and ``catalog-graph query``: every example query gives the answer read off the catalogs.

The graph is the Changzhi sample (28 items) and a two-item county catalog that cites the repealed
2007 政府信息公开条例 (国务院令第492号) and 《政府信息公开条例》第二十条第一款第（五）项.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalog_graph.batch.build import build
from catalog_graph.cli import main
from catalog_graph.store.query import examples, query_text, run
from tests.support import COUNTY, SAMPLE

CHANGZHI = "长治市教育局主动公开事项目录"
COUNTY_TITLE = "某县教育局主动公开事项目录"
GIOR = "中华人民共和国政府信息公开条例"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("catalogs")
    shutil.copy(SAMPLE, root / "changzhi.txt")
    (root / "county.txt").write_text(COUNTY, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    build([root], out, workers=1)
    return out


def rows(out: Path, name: str) -> list[tuple[str, ...]]:
    """An example's answer as tuples of plain values (CSV, unbound as ''), without the IRI
    columns the examples give next to their labels (``?x`` beside ``?xLabel``)."""
    result = CliRunner().invoke(main, ["query", str(out), "--example", name, "--format", "csv"])
    assert result.exit_code == 0, result.output
    header, *table = list(csv.reader(io.StringIO(result.stdout)))
    keep = [i for i, var in enumerate(header) if f"{var}Label" not in header]
    for row in table:
        for i, var in enumerate(header):
            if f"{var}Label" in header:
                assert row[i].startswith("https://w3id.org/catalog-graph/id/"), (var, row[i])
    return [tuple(row[i] for i in keep) for row in table]


def test_there_are_at_least_ten_examples_each_with_a_description() -> None:
    found = examples()
    assert len(found) >= 10
    assert all(e.description and e.description.endswith((".", ")")) for e in found.values())


def test_most_cited_regulations(out: Path) -> None:
    answer = rows(out, "most-cited-regulations")
    assert answer[:2] == [
        (GIOR, "国务院令第711号", "17", "2"),
        ("中共中央办公厅 国务院办公厅关于印发《关于全面推进政务公开工作的意见》的通知", "中办发〔2016〕8号", "7", "1"),
    ]
    assert (GIOR, "国务院令第492号", "1", "1") in answer
    assert len(answer) == 20


def test_items_resting_on_article_20_of_the_disclosure_regulation(out: Path) -> None:
    answer = rows(out, "items-on-article")
    assert [(r[0], r[1], r[2]) for r in answer] == [
        (COUNTY_TITLE, "2", "权责清单"),
        (CHANGZHI, "3", "领导信息"), (CHANGZHI, "3", "工作部门"), (CHANGZHI, "3", "直属事业单位"),
        (CHANGZHI, "4", "部门规范性文件"),
        (CHANGZHI, "8", "权责清单"), (CHANGZHI, "8", "运行流程图"), (CHANGZHI, "8", "廉政风险防控图"),
        (CHANGZHI, "9", "制度建设"), (CHANGZHI, "9", "行政执法"), (CHANGZHI, "9", "法制信息"),
        (CHANGZHI, "10", "随机抽查事项清单"), (CHANGZHI, "10", "抽查计划"), (CHANGZHI, "10", "抽查结果"),
    ]
    assert answer[0][3] == "第二十条第一款第（五）项"
    assert {r[3] for r in answer[1:5]} == {"第二十条"}


def test_items_with_no_legal_basis(out: Path) -> None:
    assert rows(out, "items-without-basis") == [
        (CHANGZHI, "2", "国家制度", ""), (CHANGZHI, "2", "省级制度", ""), (CHANGZHI, "2", "市级制度", "")]


def test_catalogs_citing_a_document_no_longer_in_force(out: Path) -> None:
    assert rows(out, "catalogs-citing-repealed") == [(COUNTY_TITLE, GIOR, "国务院令第492号", "1")]


def test_time_limits_by_kind(out: Path) -> None:
    assert rows(out, "time-limits-by-kind") == [
        ("within_days", "20", "true", "19"), ("realtime", "", "", "6"),
        ("within_days", "7", "true", "3"), ("annual_deadline", "", "", "2"),
    ]


def test_issuers_of_the_cited_documents(out: Path) -> None:
    # bases: item→document links; 中办发〔2016〕8号 (7 items) counts for both its issuers
    assert rows(out, "issuers") == [
        ("国务院办公厅", "12", "31"), ("国务院", "5", "22"), ("中共中央办公厅", "2", "10"),
        ("中央纪委", "1", "3"), ("山西省人民政府办公厅", "1", "2"), ("长治市人民政府办公厅", "1", "2"),
    ]


def test_items_per_catalog_by_top_level(out: Path) -> None:
    assert rows(out, "items-per-top-level") == [
        (COUNTY_TITLE, "政府信息公开指南", "1"), (COUNTY_TITLE, "法定主动公开内容", "1"),
        (CHANGZHI, "法定主动公开内容", "18"), (CHANGZHI, "政府信息公开制度", "3"),
        (CHANGZHI, "机构职能", "3"), (CHANGZHI, "重点领域信息", "2"),
        (CHANGZHI, "政府信息公开年报", "1"), (CHANGZHI, "政府信息公开指南", "1"),
    ]


def test_regulations_cited_with_a_wrong_doc_number(out: Path) -> None:
    assert rows(out, "wrong-doc-numbers") == [
        (CHANGZHI, "重大决策预公开", "国务院令第73号", "国务院令第713号", "重大行政决策程序暂行条例"),
        (CHANGZHI, "重大行政决策项目目录", "国务院令第73号", "国务院令第713号", "重大行政决策程序暂行条例"),
    ]


def test_provisions_most_cited(out: Path) -> None:
    answer = rows(out, "provisions-most-cited")
    assert answer[:2] == [(GIOR, "国务院令第711号", "第二十条第（五）项", "9"),
                          (GIOR, "国务院令第711号", "第二十条", "4")]
    assert (GIOR, "国务院令第711号", "第二十条第一款第（五）项", "1") in answer
    assert (GIOR, "国务院令第492号", "第九条", "1") in answer
    assert len(answer) == 12  # fewer than 20 provisions: all of them


def test_channels_used(out: Path) -> None:
    assert rows(out, "channels") == [
        ("政府网站", "government website", "30", "2"), ("政务新媒体", "government new media", "12", "1"),
        ("两微一端", "Weibo, WeChat and app", "3", "1"), ("纸质媒体", "print media", "2", "1"),
        ("公示栏", "notice board", "1", "1"),
    ]


def test_document_kinds(out: Path) -> None:
    assert rows(out, "document-kinds") == [
        ("通知", "notice", "10", "26"), ("条例", "regulation", "3", "20"),
        ("意见", "opinion", "6", "12"), ("方案", "plan", "1", "2"),
    ]


def test_documents_the_authority_does_not_know(out: Path) -> None:
    assert rows(out, "not-in-authority") == [
        ("国务院关于加强国民经济和社会发展规划编制工作的若干意见", "国发〔2005〕33号", "1")]


def test_catalog_summary(out: Path) -> None:
    assert rows(out, "catalog-summary") == [(COUNTY_TITLE, "2", "2", "2", "0"),
                                            (CHANGZHI, "28", "58", "19", "3")]


def test_every_example_runs_in_rdflib_too_with_the_same_rows(out: Path) -> None:
    """The examples are plain SPARQL 1.1 (their own PREFIXes), not tied to pyoxigraph."""
    import rdflib

    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(str(out / "graph.nq"), format="nquads")
    for name, example in examples().items():
        expected = len(list(run(out, example.sparql)))
        assert len(list(dataset.query(example.sparql))) == expected, name


# ------------------------------------------------------------------------------ command line


def test_list_names_every_example_with_its_description() -> None:
    result = CliRunner().invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(examples())
    assert any(line.startswith("most-cited-regulations") and "most-cited" in line.lower() for line in lines)


def test_table_format_aligns_chinese_columns(out: Path) -> None:
    import re

    from rich.cells import cell_len

    result = CliRunner().invoke(main, ["query", str(out), "--example", "issuers"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["issuer", "documents", "bases"]
    column = cell_len(lines[0][: lines[0].index("documents")])
    body = lines[1:-1]
    assert [line.split()[0] for line in body] == ["国务院办公厅", "国务院", "中共中央办公厅", "中央纪委",
                                                  "山西省人民政府办公厅", "长治市人民政府办公厅"]
    for line in body:  # the second column starts at the same display column on every line
        start = re.search(r"\s{2,}(\S)", line).start(1)
        assert cell_len(line[:start]) == column, line
    assert lines[-1] == "6 rows"


def test_inline_sparql_with_predeclared_prefixes_and_json(out: Path) -> None:
    sparql = "SELECT (COUNT(?i) AS ?n) WHERE { ?i a cg:DisclosureItem }"
    result = CliRunner().invoke(main, ["query", str(out), sparql, "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["results"]["bindings"][0]["n"]["value"] == "30"


def test_query_from_a_file_and_sparql_tsv(out: Path, tmp_path: Path) -> None:
    (tmp_path / "q.rq").write_text("SELECT ?t WHERE { ?c a cg:Catalog ; dcterms:title ?t } ORDER BY ?t",
                                   encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(out), "--file", str(tmp_path / "q.rq"),
                                       "--format", "sparql-tsv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["?t", f'"{COUNTY_TITLE}"@zh', f'"{CHANGZHI}"@zh']


def test_tsv_holds_plain_values_a_spreadsheet_reads(out: Path) -> None:
    sparql = ('SELECT ?t ?c ?note WHERE { ?c a cg:Catalog ; dcterms:title ?t . '
              'BIND("a\\tb\\nc" AS ?note) } ORDER BY ?t')
    result = CliRunner().invoke(main, ["query", str(out), sparql, "--format", "tsv"])
    assert result.exit_code == 0
    lines = result.stdout.split("\n")
    assert lines[0] == "t\tc\tnote"
    title, iri, note = lines[1].split("\t")
    assert title == COUNTY_TITLE  # no quotes, no @zh
    assert iri.startswith("https://w3id.org/catalog-graph/id/catalog/")  # in full, no <>
    assert note == "a\\tb\\nc"  # a tab or line break inside a value is escaped
    assert lines[-1] == "" and len(lines) == 4


def test_every_format_ends_with_a_line_break(out: Path) -> None:
    sparql = "SELECT ?t WHERE { ?c a cg:Catalog ; dcterms:title ?t }"
    for fmt in ("table", "csv", "tsv", "sparql-tsv", "json"):
        result = CliRunner().invoke(main, ["query", str(out), sparql, "--format", fmt])
        assert result.exit_code == 0
        assert result.stdout.endswith("\n"), fmt


def test_the_query_may_come_before_the_folder(out: Path) -> None:
    sparql = "SELECT (COUNT(?i) AS ?n) WHERE { ?i a cg:DisclosureItem }"
    result = CliRunner().invoke(main, ["query", sparql, str(out), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "30"]


def test_an_update_is_refused_as_the_store_is_read_only(out: Path) -> None:
    result = CliRunner().invoke(main, ["query", str(out), "INSERT DATA { <urn:a> <urn:b> <urn:c> }"])
    assert result.exit_code == 2
    assert "read-only" in result.stderr and "expected CONSTRUCT" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_prefix_is_named_with_the_known_ones(out: Path) -> None:
    sparql = 'SELECT ?s WHERE { ?s ex:kind "a:b" ; <urn:x:y> ?o ; cg:number ?n } # foo:bar'
    result = CliRunner().invoke(main, ["query", str(out), sparql])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "unknown prefix ex:" in line
    assert "foo:" not in line.split("unknown prefix")[1].split("(")[0]  # a comment is not code
    assert "cg eli dcterms skos prov" in line
    assert "\\u{" not in line and len(line.splitlines()) == 1


def test_ask_and_construct(out: Path) -> None:
    ask = CliRunner().invoke(main, ["query", str(out), "ASK { ?r eli:id_local \"国务院令第711号\" }"])
    assert ask.stdout == "true\n"
    construct = CliRunner().invoke(main, ["query", str(out), "--format", "csv",
                                          "CONSTRUCT { ?r rdfs:label ?t } WHERE { ?r eli:id_local \"国务院令第713号\" ; rdfs:label ?t }"])
    assert construct.exit_code == 0
    assert construct.stdout.count("\n") == 1 and "重大行政决策程序暂行条例" in construct.stdout


@pytest.mark.parametrize("args,message", [
    (["{out}", "SELECT ?x WHERE { ?x ?y }"], "bad SPARQL"),
    (["{out}", "--example", "no-such-example"], "no example named"),
    (["{missing}", "--example", "issuers"], "no such folder"),
    (["{empty}", "--example", "issuers"], "no store/"),
    (["{out}"], "no query given"),
    (["{out}", "SELECT * {}", "--example", "issuers"], "too many arguments"),
    (["{out}", "--file", "{missing}"], "cannot read the query"),
])
def test_errors_are_one_line_and_exit_2(out: Path, tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "empty").mkdir()
    places = {"{out}": out, "{missing}": tmp_path / "missing", "{empty}": tmp_path / "empty"}
    args = [str(places.get(a, a)) for a in args]
    result = CliRunner().invoke(main, ["query", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


CHAIN = 10_000  # terms; 7,000 already killed `catalog-graph query` on the 8 MiB main stack


def test_a_query_that_is_a_long_flat_chain_is_answered_not_a_crash(out: Path, tmp_path: Path) -> None:
    sparql = tmp_path / "chain.rq"
    sparql.write_text("SELECT ((" + "+".join(["1"] * CHAIN) + ") AS ?n) WHERE {}", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "catalog_graph.cli", "query", str(out),
                             "--file", str(sparql), "--format", "csv"],
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, (result.returncode, result.stderr[-500:])
    assert result.stdout.splitlines() == ["n", str(CHAIN)]


def test_timeout_stops_a_query_still_running_with_one_line_and_nothing_written(out: Path,
                                                                              tmp_path: Path) -> None:
    # a 10,000-term || chain over every triple runs for about a minute and a half
    sparql = tmp_path / "slow.rq"
    sparql.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER("
                      + " || ".join(f"?o = {i}" for i in range(CHAIN)) + ") }", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "catalog_graph.cli", "query", str(out),
                             "--file", str(sparql), "--timeout", "1"],
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "catalog-graph: error: query: still running after 1 s, stopped (--timeout)"]
    # a query that ends in time is answered as without a limit
    ran = [subprocess.run([sys.executable, "-m", "catalog_graph.cli", "query", str(out),
                           "--example", "issuers", "--format", "csv", *extra],
                          capture_output=True, text=True, timeout=240)
           for extra in ([], ["--timeout", "120"])]
    assert [r.returncode for r in ran] == [0, 0]
    assert ran[0].stdout == ran[1].stdout and ran[0].stdout.count("\n") > 1


def test_query_text_needs_exactly_one_source() -> None:
    from catalog_graph.store.query import QueryError

    with pytest.raises(QueryError):
        query_text()
    with pytest.raises(QueryError):
        query_text("SELECT * {}", example="issuers")
