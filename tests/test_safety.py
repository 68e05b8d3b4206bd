"""Safety of everything written from catalog text: IRIs and every serialization hold any title or
number; HTML output escapes everything; a CSV cell never starts a formula; output file names
never leave DIR whatever the input files are called; error lines stay one line."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_graph.batch.assemble import OUTPUTS
from catalog_graph.graph.iris import Iris
from catalog_graph.layout.table import build_catalog
from catalog_graph.models import Cell, RawTable
from catalog_graph.output import render_items
from catalog_graph.pipeline import attach_citations
from tests.support import SAMPLE

EXAMPLES = int(os.environ.get("CATALOG_GRAPH_FUZZ_EXAMPLES", "25"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Pieces that break naive serializers: markup, quotes, escapes, IRI delimiters, line and
# paragraph separators, control characters, a lone surrogate, template placeholders, CDATA ends,
# formulas, long runs (hashed IRI segments), emoji and CJK beyond the BMP.
NASTY = ["<script>alert(1)</script>", "</script>", "<!--", "-->", "]]>", '"', "'", "`", "\\",
         "\\u0000", "&amp;", "&#x3c;", "{{DATA}}", "{{TITLE}}", "<>", "{}", "|", "^", "%00", "%",
         "#", "?", "/", "../", "\n", "\r", "\t", "\x00", "\x0b", "\x1b[31m", "\u2028", "\u2029",
         "\u202e", "\ufeff", "\ud800", "\uffff", "😀", "𠀀", "=HYPERLINK(\"http://x\")", "@SUM(A1)",
         "+cmd|' /C calc'!A0", "x" * 300, "《国务院办公厅关于印发2022年政务公开工作要点的通知》（国办发〔2022〕8号）",
         "第二十条", "市教育局", " ", "　"]
TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=5)), min_size=1, max_size=8)
    .map("".join),
)


def catalog_of(title: str, number: str, level: str, content: str, basis: str, subject: str,
               channel: str, file: str):
    """A catalog whose title, cells and file name are the given texts (laid out and cited the
    way every command does it)."""
    header = ["序号", "公开事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道"]
    row = [number or "1", level or "事项", content, basis, "20个工作日内", subject, channel]
    rows = [[Cell(t) for t in header], [Cell(t) for t in row]]
    catalog = build_catalog(RawTable(file=file, rows=rows, pages=[None] * 2, title=title))
    attach_citations(catalog)
    return catalog


# --------------------------------------------------------------------------- RDF and graphs


@SETTINGS
@given(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT)
def test_any_title_number_or_cell_gives_valid_iris_in_every_serialization(
        title, number, level, content, basis, subject, channel, file) -> None:
    import pyoxigraph as ox
    import rdflib

    from catalog_graph.graph.rdf import catalog_quads, nquads, prefix_header, turtle_body

    catalog = catalog_of(title, number, level, content, basis, subject, channel, file)
    quads = catalog_quads(catalog, Iris()).quads
    expected = {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}

    lines = b"".join(nquads(quads))
    back = list(ox.parse(lines, format=ox.RdfFormat.N_QUADS))  # strict: IRIs are checked
    assert {(str(q.subject), str(q.predicate), str(q.object)) for q in back} == expected
    for q in back:
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode):
                assert term.value.isascii() and not re.search(r'[\s<>"{}|^`\\]', term.value)
    dataset = rdflib.Dataset()
    dataset.parse(data=lines.decode("utf-8"), format="nquads")
    assert len(list(dataset.quads())) == len(set(lines.splitlines()))

    turtle = prefix_header() + turtle_body(quads)
    triples = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    assert {(str(t.subject), str(t.predicate), str(t.object)) for t in triples} == expected


@SETTINGS
@given(TEXT, TEXT, TEXT, TEXT)
def test_any_title_or_cell_survives_graphml_and_gexf(title, level, basis, file) -> None:
    import networkx

    from catalog_graph.graph.nx import GraphBuilder, write_gexf, write_graphml

    catalog = catalog_of(title, "1", level, "内容", basis, "县局", "政府网站", file)
    builder = GraphBuilder(Iris())
    builder.add_catalog(catalog)
    with tempfile.TemporaryDirectory() as tmp:
        write_graphml(builder.graph, Path(tmp) / "g.graphml")
        write_gexf(builder.graph, Path(tmp) / "g.gexf")
        graphml = networkx.read_graphml(Path(tmp) / "g.graphml", force_multigraph=True)
        gexf = networkx.read_gexf(Path(tmp) / "g.gexf")
    assert graphml.number_of_nodes() == builder.graph.number_of_nodes() == gexf.number_of_nodes()
    assert graphml.number_of_edges() == builder.graph.number_of_edges()


# --------------------------------------------------------------------------- HTML


@SETTINGS
@given(TEXT, st.lists(TEXT, max_size=6))
def test_the_picture_page_keeps_its_structure_whatever_the_text(title, labels) -> None:
    import html

    from catalog_graph.viz import page_html

    data = {"catalogs": [{"label": t, "id": t} for t in labels], "title": title}
    page = page_html(data, title)
    assert len(re.findall(r"<script\b", page, re.I)) == 3
    assert len(re.findall(r"</script", page, re.I)) == 3
    assert page.count("<title>") == 1 and page.count("</title>") == 1
    shown = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in shown and html.unescape(shown) == title
    embedded = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page,
                         re.S).group(1)
    assert json.loads(embedded) == json.loads(json.dumps(data))
    assert "{{DATA}}" not in page.replace(embedded, "").replace(shown, "")


# --------------------------------------------------------------------------- CSV


@SETTINGS
@given(TEXT, TEXT, TEXT)
def test_a_csv_cell_never_starts_a_formula_and_reads_back(content, basis, subject) -> None:
    catalog = catalog_of("某局主动公开事项目录", "1", "事项", content, basis, subject, "政府网站",
                         "c.txt")
    text = render_items(catalog.items, "csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(catalog.items)
    header = rows[0]
    for row, item in zip(rows[1:], catalog.items, strict=True):
        assert len(row) == len(header)
        for cell in row:
            assert not (len(cell) > 1 and cell[0] in "=+-@\t\r"), cell
        for name, value in (("content", item.content), ("basis", item.basis)):
            value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
            assert row[header.index(name)] in (value, "'" + value)


# --------------------------------------------------------------------------- file names

HOSTILE_NAMES = [
    "new\nline.txt", "tab\there.txt", "-o.txt", "--help.txt", "\u202egnp.txt", "空 格 名.txt",
    "items.jsonl.txt", "report.json.txt", "graph.nq.txt", "a" * 200 + ".txt", "star*?.txt",
    "back\\slash.txt", "quote\"'.txt", "semi;colon$(x).txt", "😀.txt",
]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "catalog_graph.cli", *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_build_writes_only_its_outputs_in_dir_whatever_the_inputs_are_called(tmp_path) -> None:
    work = tmp_path / "work"
    inputs = work / "in" / "deep"
    inputs.mkdir(parents=True)
    sample = SAMPLE.read_bytes()
    for name in HOSTILE_NAMES:
        (inputs / name).write_bytes(sample)
    (inputs / "store").mkdir()  # a folder named like an output
    (inputs / "store" / "report.json.txt").write_bytes(sample)
    (inputs / "broken\nname.xlsx").write_bytes(b"")  # fails: its error must stay one line
    (work / "x.txt").write_bytes(sample)
    before = tree(work)
    # the same file reached through ../.., and an input given as -- path
    run = cli("build", "in/deep", "in/deep/../../x.txt", "-o", "out", "--workers", "1", cwd=work)
    assert run.returncode == 1, run.stderr
    after = tree(work)
    assert {p for p in after - before if not p.startswith("out")} == set()
    assert after >= before
    out = work / "out"
    written = {p.name for p in out.iterdir()}
    assert written >= {*OUTPUTS, "store"}
    assert all(name.startswith(".") for name in written - {*OUTPUTS, "store"})  # caches
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))

    report = json.loads((out / "report.json").read_text("utf-8"))
    paths = {r["path"] for r in report}
    # one spelling however it was typed: in/deep/../../x.txt is x.txt
    assert "../../x.txt" not in paths and "x.txt" in paths
    assert "in/deep/new\nline.txt" in paths and "in/deep/store/report.json.txt" in paths
    failed = [r for r in report if r["status"] == "failed"]
    assert [r["path"] for r in failed] == ["in/deep/broken\nname.xlsx"]
    assert "\n" not in failed[0]["error"]
    errors = [line for line in run.stderr.splitlines() if line.startswith("catalog-graph: error:")]
    assert len(errors) == 1 and "broken name.xlsx" in errors[0]
    assert len(run.stderr.splitlines()) == 1  # the error line and nothing else on stderr

    items = [json.loads(line) for line in (out / "items.jsonl").read_text("utf-8").splitlines()]
    assert {i["source"]["file"] for i in items} == paths - {"in/deep/broken\nname.xlsx"}


@pytest.mark.parametrize("name", ["new\nline.txt", "\u202egnp.txt", "-o.txt", "a\x1b[2Jb.txt"])
def test_parse_errors_name_a_hostile_file_on_one_line(tmp_path, name) -> None:
    (tmp_path / name).write_bytes(b"")
    run = cli("parse", "--", name, cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].endswith("is empty")
    assert "\x1b" not in run.stderr and "\u202e" not in run.stderr


def test_a_file_name_that_is_not_utf8_is_read_as_gb18030_in_the_items(tmp_path) -> None:
    name = "中文目录.txt".encode("gb18030")  # as a zip made on Chinese Windows unpacks
    with open(os.path.join(os.fsencode(tmp_path), name), "wb") as fh:
        fh.write(SAMPLE.read_bytes())
    run = subprocess.run([sys.executable, "-m", "catalog_graph.cli", "parse", name],
                         capture_output=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    items = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    assert items and {i["source"]["file"] for i in items} == {"中文目录.txt"}


def test_a_batch_with_a_gbk_file_name_builds_it_under_its_chinese_name(tmp_path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    with open(os.path.join(os.fsencode(inputs), "中文目录.txt".encode("gb18030")), "wb") as fh:
        fh.write(SAMPLE.read_bytes())
    (inputs / "other.txt").write_bytes(SAMPLE.read_bytes())
    run = cli("build", "in", "-o", "out", "--workers", "1", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert sorted(r["path"] for r in report) == ["in/other.txt", "in/中文目录.txt"]
    assert all(r["status"] == "ok" for r in report)
