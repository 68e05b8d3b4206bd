"""networkx: the graph of the model, and GraphML, GEXF and node-link JSON that read back equal."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from catalog_graph.graph.iris import Iris
from catalog_graph.graph.nx import (
    build_graph,
    gexf_bytes,
    node_link,
    sorted_graph,
    write_gexf,
    write_graphml,
)
from catalog_graph.models import Catalog, Citation, Provision
from tests.support import (
    FILE,
    GIOR,
    catalog,
    guide_item,
    hostile_catalog,
    hostile_regulation,
    yearly_report_item,
)


def sample_graph() -> nx.MultiDiGraph:
    report = yearly_report_item()
    text = "1.《中华人民共和国政府信息公开条例》第二十条“（五）办理行政许可”"
    report.basis = text
    report.citations = [Citation("《中华人民共和国政府信息公开条例》第二十条", 2, 25,
                                 title="中华人民共和国政府信息公开条例",
                                 provisions=[Provision(article=20, item=5)], regulation=GIOR.id)]
    return build_graph([catalog(guide_item(), report)], [GIOR])


def test_nodes_are_typed_and_edges_named_by_kind() -> None:
    g = sample_graph()
    kinds = sorted(data["kind"] for _, data in g.nodes(data=True))
    assert kinds == ["catalog", "issuer", "item", "item", "provision", "provision", "regulation"]
    reg = Iris().regulation(GIOR.id)
    assert g.nodes[reg]["label"] == "中华人民共和国政府信息公开条例"
    assert g.nodes[reg]["doc_number"] == "国务院令第711号"
    assert g.nodes[reg]["in_force"] is True
    edge_kinds = sorted(k for _, _, k in g.edges(keys=True))
    assert edge_kinds == ["in_catalog", "in_catalog", "legal_basis", "legal_basis",
                          "legal_provision", "legal_provision", "part_of", "part_of", "passed_by"]
    item = Iris().item(Iris().catalog(FILE), "9cb5bd774292b234")
    assert json.loads(g.edges[item, reg, "legal_basis"]["citations"]) == [
        "《中华人民共和国政府信息公开条例》第十二条"]


def test_one_node_per_regulation_across_catalogs() -> None:
    g = build_graph([catalog(guide_item(), file="a.txt"), catalog(guide_item(), file="b.txt")],
                    [GIOR, GIOR])
    assert [n for n, d in g.nodes(data=True) if d["kind"] == "regulation"] == [Iris().regulation(GIOR.id)]
    assert g.in_degree(Iris().regulation(GIOR.id)) == 3  # two items and one provision


def test_attributes_are_flat_and_never_none() -> None:
    g = build_graph([hostile_catalog()], [hostile_regulation()])
    values = [v for _, d in g.nodes(data=True) for v in d.values()]
    values += [v for _, _, d in g.edges(data=True) for v in d.values()]
    assert values and all(isinstance(v, str | int | bool) for v in values)
    assert all("id" not in d for _, d in g.nodes(data=True))


def same_graph(written: nx.MultiDiGraph, read: nx.Graph) -> None:
    assert sorted(read.nodes) == sorted(written.nodes)
    for node in written.nodes:
        assert dict(read.nodes[node]) == dict(written.nodes[node])
    edges_written = sorted((u, v, json.dumps(d, sort_keys=True)) for u, v, d in written.edges(data=True))
    edges_read = sorted((u, v, json.dumps({k: x for k, x in d.items() if k != "id"}, sort_keys=True))
                        for u, v, d in read.edges(data=True))
    assert edges_read == edges_written


@pytest.mark.parametrize("make", [sample_graph, lambda: build_graph([hostile_catalog()],
                                                                   [hostile_regulation()])])
def test_graphml_reads_back_equal(tmp_path: Path, make) -> None:
    g = make()
    write_graphml(g, tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    same_graph(g, back)
    assert sorted(back.edges(keys=True)) == sorted(g.edges(keys=True))


@pytest.mark.parametrize("make", [sample_graph, lambda: build_graph([hostile_catalog()],
                                                                   [hostile_regulation()])])
def test_gexf_reads_back_equal(tmp_path: Path, make) -> None:
    g = make()
    write_gexf(g, tmp_path / "g.gexf")
    same_graph(g, nx.read_gexf(tmp_path / "g.gexf"))


def test_node_link_json_reads_back_equal() -> None:
    g = sample_graph()
    data = json.loads(json.dumps(node_link(g), ensure_ascii=False))
    back = nx.node_link_graph(data, edges="edges")
    same_graph(g, back)


def test_files_are_byte_identical_whatever_the_order_things_were_added(tmp_path: Path) -> None:
    a = build_graph([catalog(guide_item(), yearly_report_item())], [GIOR])
    b = build_graph([catalog(yearly_report_item(), guide_item())], [GIOR])
    assert gexf_bytes(a) == gexf_bytes(b)
    assert b"lastmodifieddate" not in gexf_bytes(a)
    write_graphml(a, tmp_path / "a.graphml")
    write_graphml(b, tmp_path / "b.graphml")
    assert (tmp_path / "a.graphml").read_bytes() == (tmp_path / "b.graphml").read_bytes()


def test_an_empty_catalog_list_is_an_empty_graph() -> None:
    assert sorted_graph(build_graph([])).number_of_nodes() == 0
    assert build_graph([Catalog("t", None, "f", [])]).number_of_nodes() == 1
