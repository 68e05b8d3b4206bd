"""Catalogs and regulations → a networkx MultiDiGraph, and GraphML, GEXF, node-link JSON.

Built from the same model as the RDF (never a second reading of the source), with the same
IRIs as node keys. Nodes have a ``kind``:

- ``catalog``: title, body, file, format
- ``item``: item_id, number, name, path, content, basis, time limit, subject, channels, audience,
  method, level, source file/page/row, warnings
- ``regulation``: regulation_id, title, doc_number, issuer, doc_type, date, in_force, aliases, in_authority
- ``provision``: regulation, chapter, article, paragraph, item; for regulations whose structure
  ``ontology/structure`` records, ``version`` (the version key, ``zfxxgk-2019``), ``in_chapter``
  and ``chapter_title`` (the chapter the article is in), ``article_paragraphs``,
  ``article_items``; with the user's law texts (``--laws``), ``article_text``
- ``issuer``: name

and a ``label`` each. Edges (key = kind): item ``in_catalog`` catalog, item ``legal_basis``
regulation (with the citations as written), item ``legal_provision`` provision, provision
``part_of`` regulation, regulation ``passed_by`` issuer.

Attributes are flat so that GraphML and GEXF readers (networkx, Gephi) give them back as they
were: no None (the attribute is left out), lists JSON-encoded, text free of the characters XML
cannot hold (they become U+FFFD), no attribute named ``id`` (GEXF takes it for the node's id).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from catalog_graph.graph.iris import Iris, clean_text
from catalog_graph.models import Catalog, DisclosureItem, Provision, Regulation

if TYPE_CHECKING:  # pragma: no cover
    import networkx

    from catalog_graph.resolve.lawtexts import LawTexts

_LASTMODIFIED = re.compile(r' lastmodifieddate="[^"]*"')
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: forbidden control characters and lone surrogates → U+FFFD."""
    return _XML_INVALID.sub("\ufffd", text)


def _json(values: Iterable[Any]) -> str:
    return xml_text(json.dumps(list(values), ensure_ascii=False))


def _attrs(**values: Any) -> dict[str, Any]:
    """Attributes without None; strings made XML-safe."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        out[key] = xml_text(clean_text(value)) if isinstance(value, str) else value
    return out


class GraphBuilder:
    """Adds catalogs one at a time, then the regulations they cite."""

    def __init__(self, iris: Iris | None = None) -> None:
        import networkx as nx

        self.iris = iris or Iris()
        self.graph: networkx.MultiDiGraph = nx.MultiDiGraph()
        self.cited: set[str] = set()
        self.provisions: set[tuple[str, tuple[int | None, ...]]] = set()

    def add_catalog(self, catalog: Catalog) -> None:
        """The catalog, its items and their edges to regulations and provisions."""
        g, iris = self.graph, self.iris
        cat = iris.catalog(catalog.file)
        g.add_node(cat, **_attrs(kind="catalog", label=catalog.title, title=catalog.title,
                                 body=catalog.body, file=catalog.file, format=catalog.format,
                                 warnings=_json(catalog.warnings)))
        for item in catalog.items:
            self._add_item(item, cat)

    def _add_item(self, item: DisclosureItem, cat: str) -> None:
        g, iris = self.graph, self.iris
        node = iris.item(cat, item.id)
        tl = item.time_limit
        g.add_node(node, **_attrs(
            kind="item", label=item.name or item.id, item_id=item.id, catalog=item.catalog,
            number=item.number, name=item.name, path=_json(item.path), content=item.content,
            basis=item.basis, time_limit=tl.text if tl else None, time_limit_kind=tl.kind if tl else None,
            time_limit_days=tl.days if tl else None,
            time_limit_working_days=tl.working_days if tl else None,
            time_limit_deadline=tl.deadline if tl else None, subject=item.subject,
            channels=_json(item.channels), audience=_json(item.audience), method=_json(item.method),
            level=_json(item.level), source_file=item.source.file, source_page=item.source.page,
            source_row=item.source.row, warnings=_json(item.warnings),
        ))
        g.add_edge(node, cat, key="in_catalog", kind="in_catalog")
        cited: dict[str, list[str]] = {}
        provisions: dict[str, str] = {}
        for citation in item.citations:
            if citation.regulation is None:
                continue
            cited.setdefault(citation.regulation, []).append(citation.text)
            for provision in citation.provisions:
                p_iri = iris.provision(citation.regulation, provision)
                if p_iri is not None:
                    provisions[p_iri] = citation.regulation
                    self.provisions.add((citation.regulation, provision.key()))
        for reg_id, texts in cited.items():
            self.cited.add(reg_id)
            g.add_edge(node, iris.regulation(reg_id), key="legal_basis", kind="legal_basis",
                       citations=_json(texts))
        for p_iri in provisions:
            g.add_edge(node, p_iri, key="legal_provision", kind="legal_provision")

    def add_regulations(self, regulations: Mapping[str, Regulation],
                        laws: LawTexts | None = None) -> None:
        """The cited regulations (merged records by id), their provisions and issuers; with
        ``laws``, the text of each cited article."""
        from catalog_graph.resolve.lawtexts import provision_text
        from catalog_graph.resolve.structure import structures

        data = structures()
        g, iris = self.graph, self.iris
        for reg_id in sorted(self.cited):
            reg = regulations.get(reg_id) or Regulation(id=reg_id, title=reg_id)
            node = iris.regulation(reg_id)
            g.add_node(node, **_attrs(
                kind="regulation", label=reg.title, regulation_id=reg.id, title=reg.title,
                doc_number=reg.doc_number, issuer=_json(reg.issuer), doc_type=reg.doc_type,
                date=reg.date, in_force=reg.in_force, aliases=_json(reg.aliases),
                in_authority=bool(reg.in_authority),
            ))
            for name in reg.issuer:
                issuer = iris.agent(name)
                g.add_node(issuer, **_attrs(kind="issuer", label=name, name=name))
                g.add_edge(node, issuer, key="passed_by", kind="passed_by")
        for reg_id, key in sorted(self.provisions, key=lambda p: (p[0], str(p[1]))):
            provision = Provision.from_key(key)
            node = iris.provision(reg_id, provision)
            version = data.version_for(reg_id)
            article = (version.articles.get(provision.article)
                       if version is not None and provision.article else None)
            chapter = (version.chapter_of(article.number)
                       if version is not None and article is not None and article.chapter else None)
            text = None
            if laws is not None and provision.article is not None:
                reg = regulations.get(reg_id) or Regulation(id=reg_id, title=reg_id)
                text = provision_text(laws, data, reg_id, [reg.title, *reg.aliases],
                                      provision.article)
            g.add_node(node, **_attrs(
                kind="provision", label=provision.label(), regulation=reg_id,
                chapter=provision.chapter, article=provision.article,
                paragraph=provision.paragraph, item=provision.item,
                version=version.key if version is not None else None,
                in_chapter=chapter.number if chapter is not None else None,
                chapter_title=chapter.title if chapter is not None else None,
                article_paragraphs=article.paragraphs if article is not None else None,
                article_items=article.items if article is not None else None,
                article_text=text,
            ))
            g.add_edge(node, iris.regulation(reg_id), key="part_of", kind="part_of")


def build_graph(catalogs: Iterable[Catalog], regulations: Iterable[Regulation] = (),
                iris: Iris | None = None, laws: LawTexts | None = None) -> networkx.MultiDiGraph:
    """The MultiDiGraph of some catalogs and the regulations they cite (with ``laws``, the
    cited articles' texts)."""
    from catalog_graph.resolve.resolver import merge_regulations

    builder = GraphBuilder(iris)
    for catalog in catalogs:
        builder.add_catalog(catalog)
    merged = merge_regulations(r for r in regulations if r.id in builder.cited)
    builder.add_regulations({r.id: r for r in merged}, laws)
    return builder.graph


def sorted_graph(graph: networkx.MultiDiGraph) -> networkx.MultiDiGraph:
    """The same graph with nodes and edges in sorted order (for byte-stable files)."""
    import networkx as nx

    out = nx.MultiDiGraph()
    out.graph.update(graph.graph)
    for node in sorted(graph.nodes):
        out.add_node(node, **dict(sorted(graph.nodes[node].items())))
    for u, v, k, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        out.add_edge(u, v, key=k, **dict(sorted(data.items())))
    return out


def write_graphml(graph: networkx.MultiDiGraph, path: Path | str) -> None:
    """GraphML, nodes and edges sorted."""
    import networkx as nx

    nx.write_graphml(sorted_graph(graph), str(path), encoding="utf-8", prettyprint=True)


def gexf_bytes(graph: networkx.MultiDiGraph) -> bytes:
    """GEXF 1.2, nodes and edges sorted, without the day-of-writing stamp (so bytes are stable)."""
    import networkx as nx

    lines = nx.generate_gexf(sorted_graph(graph), encoding="utf-8", prettyprint=True)
    text = "\n".join(_LASTMODIFIED.sub("", line, count=1) if "<meta" in line else line
                     for line in lines)
    return ("<?xml version='1.0' encoding='utf-8'?>\n" + text + "\n").encode("utf-8")


def write_gexf(graph: networkx.MultiDiGraph, path: Path | str) -> None:
    """GEXF 1.2 to a file."""
    Path(path).write_bytes(gexf_bytes(graph))


def node_link(graph: networkx.MultiDiGraph) -> dict[str, Any]:
    """The graph as node-link data (``nodes`` and ``edges``), sorted."""
    import networkx as nx

    return nx.node_link_data(sorted_graph(graph), edges="edges")


def write_node_link(graph: networkx.MultiDiGraph, path: Path | str) -> None:
    """Node-link JSON."""
    Path(path).write_text(json.dumps(node_link(graph), ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
