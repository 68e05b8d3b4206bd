"""``catalog-graph build``: the files it writes, byte-identical whatever the run or the workers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from catalog_graph.batch.assemble import OUTPUTS
from catalog_graph.batch.build import build
from catalog_graph.batch.inputs import collect_inputs
from catalog_graph.cli import main
from catalog_graph.graph.iris import Iris
from tests.support import COUNTY, HEADER, SAMPLE


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two catalogs in two folders: the Changzhi sample and a small county catalog."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "a").mkdir()
    (root / "b").mkdir()
    shutil.copy(SAMPLE, root / "a" / "changzhi.txt")
    (root / "b" / "county.txt").write_text(COUNTY, encoding="utf-8")
    (root / "b" / "notes.md").write_text("not a catalog", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The corpus built three times: once with one worker, twice with two."""
    outs = {}
    for name, workers in (("one", 1), ("two", 2), ("again", 2)):
        out = tmp_path_factory.mktemp(name)
        build([corpus / "b", corpus / "a"], out, workers=workers)
        outs[name] = out
    return outs


def test_build_writes_every_output_and_no_temporary_file(built: dict[str, Path]) -> None:
    out = built["one"]
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([*OUTPUTS, "store", ".cache"])
    assert (out / "store" / "CURRENT").is_file()
    assert sorted(p.name for p in (out / ".cache").iterdir()) == ["entries", "lock"]
    assert not [p for p in (out / ".cache" / "entries").iterdir() if p.name.startswith(".")]


def test_outputs_are_byte_identical_across_runs_and_worker_counts(built: dict[str, Path]) -> None:
    for name in OUTPUTS:
        one = (built["one"] / name).read_bytes()
        assert one == (built["two"] / name).read_bytes(), name
        assert one == (built["again"] / name).read_bytes(), name


def test_items_jsonl_has_every_item_in_contract_key_order(built: dict[str, Path]) -> None:
    lines = (built["one"] / "items.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    assert len(items) == 28 + 2
    assert [i["catalog"] for i in items[:1]] == ["长治市教育局主动公开事项目录"]  # a/ before b/
    assert items[-1]["path"] == ["法定主动公开内容", "行政权力", "权责清单"]
    keys = list(items[0])
    contract = ["catalog", "id", "number", "path", "content", "basis", "time_limit", "subject",
                "channels", "audience", "method", "source", "citations", "warnings"]
    assert [k for k in keys if k in contract] == contract
    assert "长治市教育局" in lines[0]  # not \\u-escaped
    assert [i["source"]["row"] for i in items[:28]] == list(range(1, 29))


def test_report_has_one_entry_per_input(built: dict[str, Path], corpus: Path) -> None:
    report = json.loads((built["one"] / "report.json").read_text(encoding="utf-8"))
    assert [(r["path"], r["status"], r["items"], r["citations"], r["error"]) for r in report] == [
        (f"{corpus.as_posix()}/a/changzhi.txt", "ok", 28, 58, None),
        (f"{corpus.as_posix()}/b/county.txt", "ok", 2, 2, None),
    ]
    assert any("does not match" in w for w in report[0]["warnings"])
    assert any("not in force" in w for w in report[1]["warnings"])


def test_graph_files_parse_and_hold_one_graph_per_catalog(built: dict[str, Path], corpus: Path) -> None:
    out = built["one"]
    quads = list(ox.parse(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads}
    iris = Iris()
    assert graphs == {iris.catalog(f"{corpus.as_posix()}/a/changzhi.txt"),
                      iris.catalog(f"{corpus.as_posix()}/b/county.txt"),
                      iris.regulations_graph, iris.vocabulary_graph}
    triples = list(ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE))
    assert {str(ox.Triple(q.subject, q.predicate, q.object)) for q in quads} == {str(t) for t in triples}
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert sum(r["triples"] for r in report) < len(quads)  # the shared graphs come on top


def test_one_node_per_regulation_across_catalogs(built: dict[str, Path]) -> None:
    store = ox.Store.read_only(str(built["one"] / "store"))
    rows = list(store.query(
        "SELECT ?r (COUNT(DISTINCT ?g) AS ?catalogs) WHERE { "
        "?r a <http://data.europa.eu/eli/ontology#LegalResource> . "
        "GRAPH ?g { ?i <https://w3id.org/catalog-graph/ontology#legalBasis> ?r } } GROUP BY ?r",
        use_default_graph_as_union=True))
    regulations = {row["r"].value: int(row["catalogs"].value) for row in rows}
    assert len(regulations) == 20  # the sample's 19 and the repealed 2007 text
    assert regulations[Iris().regulation("guowuyuanling-711")] == 2
    labels = list(store.query(
        "SELECT ?r (COUNT(?l) AS ?n) WHERE { ?r a <http://data.europa.eu/eli/ontology#LegalResource> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l } GROUP BY ?r HAVING (COUNT(?l) > 1)",
        use_default_graph_as_union=True))
    assert labels == []


def test_graphml_and_gexf_hold_the_same_graph(built: dict[str, Path]) -> None:
    graphml = nx.read_graphml(built["one"] / "graph.graphml", force_multigraph=True)
    gexf = nx.read_gexf(built["one"] / "graph.gexf")
    assert sorted(graphml.nodes) == sorted(gexf.nodes)
    assert graphml.number_of_edges() == gexf.number_of_edges()
    kinds = sorted({d["kind"] for _, d in graphml.nodes(data=True)})
    assert kinds == ["catalog", "issuer", "item", "provision", "regulation"]
    assert sum(1 for _, d in graphml.nodes(data=True) if d["kind"] == "item") == 30
    assert sum(1 for _, d in graphml.nodes(data=True) if d["kind"] == "regulation") == 20


def test_n_triples_and_json_ld_hold_the_quads_of_graph_nq(built: dict[str, Path]) -> None:
    out = built["one"]
    quads = {str(q) for q in ox.parse(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)}
    triples = list(ox.parse(path=str(out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == len(set(map(str, triples)))
    assert {str(t) for t in triples} == {
        str(ox.Triple(q.subject, q.predicate, q.object))
        for q in ox.parse(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)}
    jsonld = list(ox.parse(path=str(out / "graph.jsonld"), format=ox.RdfFormat.JSON_LD))
    assert {str(q) for q in jsonld} == quads
    # a second, independent JSON-LD processor reads the same named graphs
    import rdflib

    dataset = rdflib.Dataset()
    dataset.parse(str(out / "graph.jsonld"), format="json-ld")
    assert len(list(dataset.quads())) == len(quads)
    assert len({str(g) for _, _, _, g in dataset.quads()}) == 4  # two catalogs, regulations, vocabulary


def test_node_link_json_holds_the_graph_of_graphml(built: dict[str, Path]) -> None:
    out = built["one"]
    data = json.loads((out / "graph.nodelink.json").read_text(encoding="utf-8"))
    linked = nx.node_link_graph(data, edges="edges")
    graphml = nx.read_graphml(out / "graph.graphml", force_multigraph=True)
    assert linked.is_directed() and linked.is_multigraph()
    assert dict(linked.nodes(data=True)) == dict(graphml.nodes(data=True))
    assert sorted((u, v, k, sorted(d.items())) for u, v, k, d in linked.edges(keys=True, data=True)) \
        == sorted((u, v, k, sorted(d.items())) for u, v, k, d in graphml.edges(keys=True, data=True))


def test_iris_do_not_change_between_builds(built: dict[str, Path]) -> None:
    def subjects(out: Path) -> set[str]:
        return {q.subject.value for q in ox.parse(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)}

    assert subjects(built["one"]) == subjects(built["again"])


def test_folders_are_searched_for_catalog_files_only(corpus: Path, tmp_path: Path) -> None:
    (corpus / "b" / ".hidden.txt").write_text("x", encoding="utf-8")
    try:
        found = [display for display, _ in collect_inputs([corpus, corpus / "a" / "changzhi.txt"])]
    finally:
        (corpus / "b" / ".hidden.txt").unlink()
    assert found == [f"{corpus.as_posix()}/a/changzhi.txt", f"{corpus.as_posix()}/b/county.txt"]


def test_a_failing_input_exits_1_and_the_others_are_still_built(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf \x00\x01")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(SAMPLE), str(tmp_path / "broken.pdf"),
                                       str(tmp_path / "missing.txt"), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 1, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    # entries come in path order, so where the sample sorts depends on where the checkout is
    status = {Path(r["path"]).name: (r["status"], r["error"]) for r in report}
    assert [r["path"] for r in report] == sorted(r["path"] for r in report)
    assert {name: s for name, (s, _) in status.items()} == {
        "broken.pdf": "failed", "missing.txt": "failed", "changzhi_education_catalog.txt": "ok"}
    assert status["broken.pdf"][1] and status["missing.txt"][1]
    assert status["changzhi_education_catalog.txt"][1] is None
    assert len((out / "items.jsonl").read_text(encoding="utf-8").splitlines()) == 28
    assert (out / "store" / "CURRENT").is_file()
    errors = [line for line in result.stderr.splitlines() if line.startswith("catalog-graph: error:")]
    assert len(errors) == 2 and "Traceback" not in result.stderr


def test_a_rebuild_replaces_every_file(tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "out"
    build([corpus / "a"], out, workers=1)
    build([corpus / "b"], out, workers=1)
    assert len((out / "items.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    store = ox.Store.read_only(str(out / "store"))
    assert len(list(store.query("SELECT ?i WHERE { ?i a <https://w3id.org/catalog-graph/ontology#DisclosureItem> }",
                                use_default_graph_as_union=True))) == 2
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUTS, "store", ".cache"])


@pytest.mark.parametrize("args,message", [
    (["build", "{empty}"], "no catalog files found"),
    (["build", "{sample}", "--base", "not an iri"], "IRI base"),
    (["build", "{sample}", "--workers", "0"], "0"),
])
def test_bad_usage_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "empty").mkdir()
    args = [a.format(empty=tmp_path / "empty", sample=SAMPLE) for a in args]
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "items.jsonl").exists()


def test_hostile_text_in_a_catalog_survives_every_output(tmp_path: Path) -> None:
    import rdflib

    hostile = 'a b <>"{}|\\^` 😀 \u2028 ' + "长" * 100_000
    text = "某县<b>\"{}|\\^`😀</b>局主动公开事项目录\n\n" + HEADER + (
        f"1\t{hostile}\t\t\t内容 <script>alert(1)</script> \\n 😀\t《中华人民共和国政府信息公开条例》第二十条"
        f"“{hostile[:50]}”\t实时更新\t县<局>\t■政府网站 ■{hostile[:30]}\t✓\t\t✓\n")
    (tmp_path / "hostile.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    build([tmp_path / "hostile.txt"], out, workers=1)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report[0]["status"] == "ok", report
    [name] = json.loads((out / "items.jsonl").read_text(encoding="utf-8"))["path"]
    assert name.startswith('a b <>"{}|\\^` 😀') and name.endswith("长" * 100_000)  # as the reader cleans it
    quads = list(ox.parse(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS))
    assert any(q.object.value == name for q in quads)  # the item's name, kept whole
    dataset = rdflib.Dataset()
    dataset.parse(str(out / "graph.nq"), format="nquads")
    assert len(list(dataset.quads())) == len(quads)
    assert len(rdflib.Graph().parse(str(out / "graph.ttl"), format="turtle")) == len(
        {(q.subject, q.predicate, q.object) for q in quads})
    graphml = nx.read_graphml(out / "graph.graphml", force_multigraph=True)
    assert name in {d.get("label") for _, d in graphml.nodes(data=True)}
    assert name in {d.get("label") for _, d in nx.read_gexf(out / "graph.gexf").nodes(data=True)}
