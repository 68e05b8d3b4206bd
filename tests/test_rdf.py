"""RDF: IRIs, the quads of items and regulations, serializations that survive any text."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib

from catalog_graph.graph.iris import DEFAULT_BASE, Iris, check_base, segment
from catalog_graph.graph.namespaces import CG, ELI, TIME, XSD
from catalog_graph.graph.rdf import (
    catalog_quads,
    graph_quads,
    nquads,
    serialize,
    to_rdflib,
)
from catalog_graph.models import (
    Provision,
    Regulation,
)
from catalog_graph.numerals import chinese_numeral
from tests.support import (
    FILE,
    GIOR,
    GUIDE_BASIS,
    HOSTILE,
    catalog,
    guide_item,
    hostile_catalog,
    hostile_regulation,
    yearly_report_item,
)


def triples(quads) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}


def iri(value: str) -> str:
    return f"<{value}>"


# ----------------------------------------------------------------------------------- IRIs


@pytest.mark.parametrize("text", HOSTILE)
def test_a_segment_of_any_text_is_an_ascii_iri_segment(text: str) -> None:
    seg = segment(text)
    assert seg.isascii() and "/" not in seg and "#" not in seg and len(seg) <= 120
    node = ox.NamedNode(DEFAULT_BASE + "agent/" + seg)  # raises on an invalid IRI
    assert rdflib.URIRef(node.value).n3().startswith("<")


def test_segments_keep_texts_apart() -> None:
    texts = [t for t in HOSTILE if "\ud800" not in t] + ["国务院", "国务院办公厅", "!", "%21", "x" * 99_999]
    assert len({segment(t) for t in texts}) == len(texts)


def test_long_and_empty_texts_are_hashed_and_short_ones_readable() -> None:
    assert segment("国务院") == "%E5%9B%BD%E5%8A%A1%E9%99%A2"
    assert segment("gov-711") == "gov-711"
    assert segment("").startswith("!") and segment("x" * 100_000).startswith("!")
    assert segment("x" * 100_000) == segment("x" * 100_000)


@pytest.mark.parametrize("base", ["not an iri", "https://example.org/id", "https://例子.org/",
                                  "https://example.org/a b/", "file:relative/"])
def test_a_base_that_cannot_prefix_iris_is_refused(base: str) -> None:
    with pytest.raises(ValueError):
        check_base(base)


def test_a_regulation_has_the_same_iri_from_every_catalog() -> None:
    a = catalog_quads(catalog(guide_item(), file="a.txt"))
    b = catalog_quads(catalog(guide_item(), file="b/c.pdf"))
    reg = iri(Iris().regulation(GIOR.id))
    basis = iri(f"{CG}legalBasis")
    assert {o for s, p, o in triples(a.quads) if p == basis} == {reg}
    assert {o for s, p, o in triples(b.quads) if p == basis} == {reg}
    assert a.graph != b.graph


def test_the_same_item_gets_the_same_iris_on_every_run() -> None:
    first = nquads(catalog_quads(catalog(guide_item(), yearly_report_item())).quads)
    second = nquads(catalog_quads(catalog(guide_item(), yearly_report_item())).quads)
    assert first == second
    assert Iris().item(Iris().catalog(FILE), "9cb5bd774292b234") == (
        "https://w3id.org/catalog-graph/id/catalog/" + Iris().catalog(FILE).rsplit("/", 1)[1]
        + "/item/9cb5bd774292b234")


def test_a_configured_base_prefixes_every_minted_iri() -> None:
    base = "https://example.org/cg/"
    quads = graph_quads([catalog(guide_item())], [GIOR], Iris(base))
    minted = {q.subject.value for q in quads} - {q.subject.value for q in quads
                                                  if q.subject.value.startswith(CG)}
    assert minted and all(s.startswith(base) for s in minted)


# ---------------------------------------------------------------------------------- items


def test_an_item_is_described_by_the_contract_terms() -> None:
    part = catalog_quads(catalog(guide_item()))
    t = triples(part.quads)
    item = iri(Iris().item(part.graph, "9cb5bd774292b234"))
    assert (item, iri(f"{CG}inCatalog"), iri(part.graph)) in t
    assert (item, iri(f"{CG}number"), '"1"') in t
    assert (item, iri("http://www.w3.org/2004/02/skos/core#prefLabel"), '"政府信息公开指南"@zh') in t
    assert (item, iri(f"{CG}subject"), '"市教育局"@zh') in t
    assert (item, iri(f"{CG}channel"), iri(f"{CG}channel-government-website")) in t
    assert (item, iri(f"{CG}channel"), iri(f"{CG}channel-new-media")) in t
    assert (item, iri(f"{CG}audience"), iri(f"{CG}audience-public")) in t
    assert (item, iri(f"{CG}disclosureMethod"), iri(f"{CG}method-proactive")) in t
    assert (item, iri(f"{CG}legalBasis"), iri(Iris().regulation(GIOR.id))) in t
    assert (item, iri(f"{CG}legalProvision"),
            iri(Iris().regulation(GIOR.id) + "/art_12")) in t
    assert all(q.graph_name.value == part.graph for q in part.quads)


def time_limit_of(part, item_id: str) -> str:
    item = iri(Iris().item(part.graph, item_id))
    [limit] = [o for s, p, o in triples(part.quads) if s == item and p == iri(f"{CG}timeLimit")]
    return limit


def test_within_n_working_days_is_an_owl_time_duration() -> None:
    part = catalog_quads(catalog(guide_item()))
    limit = time_limit_of(part, "9cb5bd774292b234")
    quads = graph_quads([catalog(guide_item())])
    t = triples(quads)
    duration = f"{limit[:-1]}#duration>"
    assert (limit, iri(f"{CG}duration"), duration) in t
    assert (duration, iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), iri(f"{TIME}Duration")) in t
    assert (duration, iri(f"{TIME}numericDuration"), f'"20"^^<{XSD}decimal>') in t
    assert (duration, iri(f"{TIME}unitType"), iri(f"{TIME}unitDay")) in t
    assert (duration, iri(f"{CG}workingDays"), f'"true"^^<{XSD}boolean>') in t
    assert (limit, iri(f"{CG}timeLimitKind"), iri(f"{CG}time-limit-within-days")) in t
    assert (limit, iri(f"{CG}text"), '"自该信息形成或者变更之日起20个工作日内"@zh') in t
    assert {q.graph_name.value for q in quads if q.subject.value.startswith(limit[1:-1])} == {
        Iris().vocabulary_graph}


def test_a_yearly_deadline_is_a_month_and_day() -> None:
    part = catalog_quads(catalog(yearly_report_item()))
    limit = time_limit_of(part, "4f0c")
    quads = graph_quads([catalog(yearly_report_item())])
    assert (limit, iri(f"{CG}deadline"), f'"--01-31"^^<{XSD}gMonthDay>') in triples(quads)
    assert not any(q.subject.value.endswith("#duration") for q in quads)


def test_items_giving_the_same_time_limit_share_its_node_across_catalogs() -> None:
    a = catalog_quads(catalog(guide_item(), guide_item(id="other"), yearly_report_item()))
    b = catalog_quads(catalog(guide_item(), file="b.txt"))
    assert time_limit_of(a, "9cb5bd774292b234") == time_limit_of(a, "other") == time_limit_of(
        b, "9cb5bd774292b234")
    assert time_limit_of(a, "4f0c") != time_limit_of(a, "other")
    quads = graph_quads([catalog(guide_item(), guide_item(id="other"), yearly_report_item()),
                         catalog(guide_item(), file="b.txt")])
    assert len({q.subject.value for q in quads if q.object.value == f"{CG}TimeLimit"}) == 2


def test_item_levels_become_a_category_tree_in_the_catalog() -> None:
    item = guide_item(path=["法定主动公开内容", "履职依据", "政策文件库"], id="p")
    part = catalog_quads(catalog(item))
    t = triples(part.quads)
    top = iri(Iris().category(part.graph, ["法定主动公开内容"]))
    mid = iri(Iris().category(part.graph, ["法定主动公开内容", "履职依据"]))
    node = iri(Iris().item(part.graph, "p"))
    assert (node, iri(f"{CG}category"), mid) in t
    assert (mid, iri("http://www.w3.org/2004/02/skos/core#broader"), top) in t
    assert (top, iri(f"{CG}depth"), f'"1"^^<{XSD}integer>') in t
    assert (node, iri(f"{CG}depth"), f'"3"^^<{XSD}integer>') in t
    assert (node, iri(f"{CG}topCategory"), top) in t


def test_a_top_level_item_falls_under_the_category_of_its_own_name() -> None:
    part = catalog_quads(catalog(guide_item()))
    t = triples(part.quads)
    node = iri(Iris().item(part.graph, "9cb5bd774292b234"))
    top = iri(Iris().category(part.graph, ["政府信息公开指南"]))
    assert (node, iri(f"{CG}topCategory"), top) in t
    assert not any(s == node and p == iri(f"{CG}category") for s, p, _ in t)


def test_a_channel_no_vocabulary_lists_becomes_a_concept_of_its_own() -> None:
    part = catalog_quads(catalog(yearly_report_item()))
    assert part.concepts == {("channel", "乡镇大喇叭")}
    quads = graph_quads([catalog(yearly_report_item())])
    concept = iri(Iris().concept("channel", "乡镇大喇叭"))
    t = triples(quads)
    assert (concept, iri("http://www.w3.org/2004/02/skos/core#inScheme"), iri(f"{CG}ChannelList")) in t
    assert (concept, iri("http://www.w3.org/2004/02/skos/core#prefLabel"), '"乡镇大喇叭"@zh') in t
    notice = iri(f"{CG}channel-notice-board")  # 村公示栏 is an altLabel of 公示栏
    assert any(o == notice for _, p, o in t if p == iri(f"{CG}channel"))


def test_source_and_citation_keep_where_and_what_was_written() -> None:
    part = catalog_quads(catalog(yearly_report_item(), guide_item()))
    t = triples(part.quads)
    guide = Iris().item(part.graph, "9cb5bd774292b234")
    report = Iris().item(part.graph, "4f0c")
    assert (iri(f"{guide}#citation-1"), iri(f"{CG}text"), f'"{GUIDE_BASIS}"@zh') in t
    assert (iri(f"{guide}#citation-1"), iri(f"{CG}end"), f'"{len(GUIDE_BASIS)}"^^<{XSD}integer>') in t
    assert (iri(f"{report}#source"), iri(f"{CG}page"), f'"3"^^<{XSD}integer>') in t
    assert (iri(f"{report}#source"), iri(f"{CG}row"), f'"27"^^<{XSD}integer>') in t
    assert not any(s == iri(f"{guide}#source") and p == iri(f"{CG}page") for s, p, _ in t)


# ---------------------------------------------------------------------------- regulations


def test_a_regulation_carries_title_number_issuer_kind_date_and_force() -> None:
    t = triples(graph_quads([catalog(guide_item())], [GIOR]))
    reg = iri(Iris().regulation(GIOR.id))
    assert (reg, iri("http://www.w3.org/2000/01/rdf-schema#label"), '"中华人民共和国政府信息公开条例"@zh') in t
    assert (reg, iri(f"{ELI}id_local"), '"国务院令第711号"') in t
    assert (reg, iri(f"{ELI}passed_by"), iri(Iris().agent("国务院"))) in t
    assert (reg, iri(f"{ELI}type_document"), iri(f"{CG}document-kind-regulation")) in t
    assert (reg, iri(f"{ELI}date_document"), f'"2019-04-03"^^<{XSD}date>') in t
    assert (reg, iri(f"{ELI}in_force"), iri(f"{ELI}InForce-inForce")) in t
    article = iri(Iris().regulation(GIOR.id) + "/art_12")
    assert (article, iri(f"{ELI}is_part_of"), reg) in t
    assert (article, iri("http://www.w3.org/2000/01/rdf-schema#label"), '"第十二条"@zh') in t


def test_one_node_per_regulation_however_many_catalogs_and_spellings_cite_it() -> None:
    short = Regulation(id=GIOR.id, title=GIOR.title, doc_number=GIOR.doc_number, issuer=["国务院"],
                       doc_type="条例", date=GIOR.date, in_force=True,
                       aliases=["政府信息公开条例", "条例"], in_authority=True)
    quads = graph_quads([catalog(guide_item(), file="a.txt"), catalog(guide_item(), file="b.txt")],
                        [GIOR, short])
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    regs = {q.subject.value for q in quads if q.object.value == f"{ELI}LegalResource"}
    assert regs == {Iris().regulation(GIOR.id)}
    assert [q.object.value for q in quads
            if q.subject.value == Iris().regulation(GIOR.id) and q.predicate.value == label] == [GIOR.title]


@pytest.mark.parametrize("number,expected", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"),
                                             (49, "四十九"), (101, "一百零一"), (110, "一百一十"),
                                             (1000, "一千"), (1010, "一千零一十")])
def test_articles_are_labelled_in_chinese_numerals(number: int, expected: str) -> None:
    assert chinese_numeral(number) == expected


def test_a_provision_label_reads_as_written_in_a_citation() -> None:
    assert Provision(article=20, paragraph=1, item=5).label() == "第二十条第一款第（五）项"
    assert Provision(chapter=3).label() == "第三章"


# ------------------------------------------------------------------------- serializations


@pytest.mark.parametrize("fmt,rdflib_format", [("turtle", "turtle"), ("nt", "nt"),
                                                ("nquads", "nquads"), ("trig", "trig"),
                                                ("json-ld", "json-ld")])
def test_hostile_text_survives_every_serialization(fmt: str, rdflib_format: str) -> None:
    quads = graph_quads([hostile_catalog()], [hostile_regulation()])
    data = serialize(quads, fmt)
    expected = {(q.subject.value, q.predicate.value, q.object.value) for q in quads}
    back = rdflib.Dataset()
    back.parse(data=data.decode("utf-8"), format=rdflib_format)
    assert {(str(s), str(p), str(o)) for s, p, o, _ in back.quads()} == expected
    ox_format = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                 "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
                 "json-ld": ox.RdfFormat.JSON_LD}[fmt]
    parsed = list(ox.parse(data, format=ox_format))
    assert {(q.subject.value, q.predicate.value, q.object.value) for q in parsed} == expected


def test_hostile_text_is_kept_exactly_except_lone_surrogates() -> None:
    quads = graph_quads([hostile_catalog()], [hostile_regulation()])
    contents = [q.object.value for q in quads if q.predicate.value == f"{CG}content"]
    text = "".join(t for t in HOSTILE[:-1]).replace("\ud800", "\ufffd")
    assert contents == [text]


def test_serializations_are_byte_stable_and_sorted() -> None:
    one = serialize(graph_quads([catalog(guide_item(), yearly_report_item())], [GIOR]), "nquads")
    two = serialize(graph_quads([catalog(yearly_report_item(), guide_item())], [GIOR]), "nquads")
    assert one == two
    lines = one.splitlines()
    assert lines == sorted(set(lines))


def test_json_ld_names_the_catalog_graph() -> None:
    data = json.loads(serialize(graph_quads([catalog(guide_item())], [GIOR]), "json-ld"))
    assert Iris().catalog(FILE) in {g["@id"] for g in data if "@graph" in g}


def test_the_rdflib_view_has_every_quad_and_a_union_default_graph() -> None:
    quads = graph_quads([catalog(guide_item())], [GIOR])
    dataset = to_rdflib(quads)
    assert len(list(dataset.quads())) == len(set(nquads(quads)))
    rows = list(dataset.query(
        "SELECT ?t WHERE { ?i <https://w3id.org/catalog-graph/ontology#legalBasis> ?r . "
        "?r <http://www.w3.org/2000/01/rdf-schema#label> ?t }"))
    assert [str(r[0]) for r in rows] == [GIOR.title]
