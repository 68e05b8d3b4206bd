"""Catalogs and regulations → RDF quads (pyoxigraph terms), and their serializations.

One named graph per catalog (named by the catalog's IRI) holds the catalog, its items, item
categories, citations and source rows. Regulations, their provisions and issuers —
shared by every catalog that cites them, one node each — go in ``…/graph/regulations``; the
concept schemes of ``ontology/vocabularies`` and the concepts minted for values they do not list
go in ``…/graph/vocabulary``, with the time limits items link to (values shared by all catalogs:
one node per distinct limit). See ``ontology/catalog-graph.ttl`` for the terms.

The per-catalog part (:func:`catalog_quads`) needs nothing but the catalog, so it can run in a
worker process; the shared parts (:func:`regulation_quads`, :func:`vocabulary_quads`) are made
once from what all catalogs cited. :func:`nquads` gives sorted, de-duplicated N-Quads lines: the
same input always gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from catalog_graph.graph.iris import Iris, clean_text
from catalog_graph.graph.namespaces import (
    CG,
    DCTERMS,
    ELI,
    LANGUAGE,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SKOS,
    TIME,
    XSD,
)
from catalog_graph.models import Catalog, Citation, DisclosureItem, Provision, Regulation, TimeLimit

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox
    import rdflib

    from catalog_graph.resolve.lawtexts import LawTexts

# vocabulary name → (concept scheme, concept class)
SCHEMES: dict[str, tuple[str, str]] = {
    "channel": (f"{CG}ChannelList", f"{CG}Channel"),
    "audience": (f"{CG}AudienceList", f"{CG}Audience"),
    "method": (f"{CG}DisclosureMethodList", f"{CG}DisclosureMethod"),
    "time-limit-kind": (f"{CG}TimeLimitKindList", f"{CG}TimeLimitKind"),
    "document-kind": (f"{CG}DocumentKindList", f"{CG}DocumentKind"),
}

IN_FORCE = {True: f"{ELI}InForce-inForce", False: f"{ELI}InForce-notInForce"}


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Vocabulary:
    """The concept schemes of ``ontology/vocabularies``: their triples and a label lookup."""

    triples: tuple[Any, ...]
    lookup: Mapping[str, Mapping[str, str]]  # vocabulary name → label or notation → concept IRI

    def concept(self, name: str, label: str) -> str | None:
        """The concept a value names in vocabulary ``name``, or None when it lists none."""
        return self.lookup.get(name, {}).get(label)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """Load the concept schemes once per process."""
    import pyoxigraph as ox

    from catalog_graph.paths import ontology_dir

    triples: list[ox.Triple] = []
    for path in sorted((ontology_dir() / "vocabularies").glob("*.ttl")):
        triples.extend(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    by_scheme = {scheme: name for name, (scheme, _) in SCHEMES.items()}
    scheme_of: dict[str, str] = {}
    for t in triples:
        if t.predicate.value == f"{SKOS}inScheme" and t.object.value in by_scheme:
            scheme_of[t.subject.value] = by_scheme[t.object.value]
    lookup: dict[str, dict[str, str]] = {name: {} for name in SCHEMES}
    # prefLabel and notation win over altLabel
    for predicates in ((f"{SKOS}prefLabel", f"{SKOS}notation"), (f"{SKOS}altLabel",)):
        for t in triples:
            name = scheme_of.get(t.subject.value)
            if name and t.predicate.value in predicates:
                lookup[name].setdefault(t.object.value, t.subject.value)
    return Vocabulary(tuple(triples), lookup)


# --------------------------------------------------------------------------- terms


class _Terms:
    """Term constructors bound to one pyoxigraph import (kept out of module import time)."""

    def __init__(self) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.NamedNode = ox.NamedNode
        self.Literal = ox.Literal
        self.Quad = ox.Quad
        self.type = ox.NamedNode(f"{RDF}type")
        self.p: dict[str, ox.NamedNode] = {}
        self.xsd_decimal = ox.NamedNode(f"{XSD}decimal")
        self.xsd_date = ox.NamedNode(f"{XSD}date")
        self.xsd_gmonthday = ox.NamedNode(f"{XSD}gMonthDay")
        self.xsd_gyearmonth = ox.NamedNode(f"{XSD}gYearMonth")
        self.xsd_gyear = ox.NamedNode(f"{XSD}gYear")

    def n(self, iri: str) -> ox.NamedNode:
        """A named node, cached for the fixed vocabulary IRIs."""
        node = self.p.get(iri)
        if node is None:
            node = self.NamedNode(iri)
            if iri.startswith((CG, ELI, DCTERMS, SKOS, PROV, TIME, RDF, RDFS, XSD, OWL)):
                self.p[iri] = node
        return node

    def zh(self, text: str) -> ox.Literal:
        """A literal in the catalog's language."""
        return self.Literal(clean_text(text), language=LANGUAGE)

    def s(self, text: str) -> ox.Literal:
        """A plain string literal (identifiers, paths, warnings)."""
        return self.Literal(clean_text(text))


@lru_cache(maxsize=1)
def _terms() -> _Terms:
    return _Terms()


# --------------------------------------------------------------------------- catalogs


@dataclass
class CatalogQuads:
    """What one catalog contributes to the graph."""

    graph: str  # the catalog's IRI, which names its graph
    quads: list[Any]
    regulations: set[str] = field(default_factory=set)  # ids of the regulations it cites
    provisions: set[tuple[str, tuple[int | None, ...]]] = field(default_factory=set)
    concepts: set[tuple[str, str]] = field(default_factory=set)  # minted (vocabulary, label)
    time_limits: set[tuple[Any, ...]] = field(default_factory=set)  # time_limit_key() of each


def time_limit_key(tl: TimeLimit) -> tuple[Any, ...]:
    """What makes two time limits the same: the text and how it was read."""
    return (clean_text(tl.text), tl.kind, tl.days, tl.working_days, tl.deadline)


def key_text(key: tuple[Any, ...]) -> str:
    return "\x1f".join("" if k is None else str(k) for k in key)


def catalog_quads(catalog: Catalog, iris: Iris | None = None) -> CatalogQuads:
    """The quads of one catalog's named graph, and what it cites from the shared graphs."""
    return _CatalogGraph(catalog, iris or Iris()).quads()


class _CatalogGraph:
    """Writes one catalog's named graph.

    Nodes shared within the catalog are written once: the source files and the item categories
    (every level above an item). Time limits are values shared by all catalogs: items link to
    them here, and :func:`vocabulary_quads` describes them once.
    """

    def __init__(self, catalog: Catalog, iris: Iris) -> None:
        self.catalog = catalog
        self.iris = iris
        self.t = _terms()
        self.cat_iri = iris.catalog(catalog.file)
        self.cat = self.t.n(self.cat_iri)
        self.out = CatalogQuads(self.cat_iri, [])
        self.vocab = vocabulary()
        self.files: dict[str, Any] = {}
        self.readings: dict[str, Any] = {}
        self.categories: set[tuple[str, ...]] = set()

    def add(self, s: Any, p: str, o: Any) -> None:
        self.out.quads.append(self.t.Quad(s, self.t.n(p), o, self.cat))

    def quads(self) -> CatalogQuads:
        t, add, cat, catalog = self.t, self.add, self.cat, self.catalog
        add(cat, RDF + "type", t.n(f"{CG}Catalog"))
        add(cat, f"{DCTERMS}title", t.zh(catalog.title))
        if catalog.body:
            add(cat, f"{CG}body", t.zh(catalog.body))
        add(cat, f"{PROV}wasDerivedFrom", self.file_node(catalog.file))
        for warning in catalog.warnings:
            add(cat, f"{CG}warning", t.s(warning))
        for item in catalog.items:
            self.item(item)
        for path in sorted(self.categories):
            node = t.n(self.iris.category(self.cat_iri, path))
            add(node, RDF + "type", t.n(f"{CG}ItemCategory"))
            add(node, f"{SKOS}prefLabel", t.zh(path[-1]))
            add(node, f"{CG}depth", t.Literal(len(path)))
            add(node, f"{CG}inCatalog", cat)
            if len(path) > 1:
                add(node, f"{SKOS}broader", t.n(self.iris.category(self.cat_iri, path[:-1])))
        return self.out

    def file_node(self, path: str) -> Any:
        node = self.files.get(path)
        if node is None:
            t = self.t
            node = self.files[path] = t.n(self.iris.source_file(self.cat_iri, path))
            self.add(node, RDF + "type", t.n(f"{CG}SourceFile"))
            self.add(node, f"{CG}filePath", t.s(path))
            self.add(node, f"{DCTERMS}format", t.s(self.catalog.format))
        return node

    def ocr_reading(self, path: str, engine: str) -> Any:
        """The OCR reading (a prov:Activity) of a scanned source file, written once."""
        node = self.readings.get(path)
        if node is None:
            t = self.t
            file = self.file_node(path)
            node = self.readings[path] = t.n(f"{file.value}/ocr")
            self.add(node, RDF + "type", t.n(f"{CG}OcrReading"))
            self.add(node, f"{PROV}used", file)
            self.add(node, f"{CG}ocrEngine", t.s(engine))
        return node

    def concept(self, name: str, label: str) -> Any:
        iri = self.vocab.concept(name, label)
        if iri is None:
            iri = self.iris.concept(name, clean_text(label))
            self.out.concepts.add((name, clean_text(label)))
        return self.t.n(iri)

    def category(self, path: tuple[str, ...]) -> Any:
        for depth in range(1, len(path) + 1):
            self.categories.add(path[:depth])
        return self.t.n(self.iris.category(self.cat_iri, path))

    def time_limit(self, tl: TimeLimit) -> Any:
        key = time_limit_key(tl)
        self.out.time_limits.add(key)
        return self.t.n(self.iris.time_limit(key_text(key)))

    def item(self, item: DisclosureItem) -> None:
        t, add = self.t, self.add
        n, zh, s, L = t.n, t.zh, t.s, t.Literal
        iri = self.iris.item(self.cat_iri, item.id)
        node = n(iri)
        add(node, RDF + "type", n(f"{CG}DisclosureItem"))
        add(node, f"{CG}inCatalog", self.cat)
        add(node, f"{DCTERMS}identifier", s(item.id))
        if item.number is not None:
            add(node, f"{CG}number", s(item.number))
        if item.path:
            add(node, f"{SKOS}prefLabel", zh(item.path[-1]))
            add(node, f"{CG}depth", L(len(item.path)))
            add(node, f"{CG}topCategory", self.category(tuple(item.path[:1])))
            if len(item.path) > 1:
                add(node, f"{CG}category", self.category(tuple(item.path[:-1])))
        if item.content:
            add(node, f"{CG}content", zh(item.content))
        if item.basis:
            add(node, f"{CG}basisText", zh(item.basis))
        if item.subject:
            add(node, f"{CG}subject", zh(item.subject))
        for name, values, prop in (("channel", item.channels, "channel"),
                                   ("audience", item.audience, "audience"),
                                   ("method", item.method, "disclosureMethod")):
            for value in values:
                add(node, f"{CG}{prop}", self.concept(name, value))
        for value in item.level:
            add(node, f"{CG}level", zh(value))
        for warning in item.warnings:
            add(node, f"{CG}warning", s(warning))

        source = n(f"{iri}#source")
        add(node, f"{PROV}wasDerivedFrom", source)
        add(source, RDF + "type", n(f"{CG}SourceRow"))
        add(source, f"{DCTERMS}isPartOf", self.file_node(item.source.file))
        add(source, f"{CG}row", L(item.source.row))
        if item.source.page is not None:
            add(source, f"{CG}page", L(item.source.page))
        if item.source.ocr is not None:  # read from a scan: by which reading, how surely
            add(source, f"{PROV}wasGeneratedBy", self.ocr_reading(item.source.file,
                                                                 item.source.ocr.engine))
            add(source, f"{CG}ocrConfidence", L(f"{item.source.ocr.confidence:.2f}",
                                                 datatype=t.xsd_decimal))
        if item.time_limit is not None:
            add(node, f"{CG}timeLimit", self.time_limit(item.time_limit))
        for index, citation in enumerate(item.citations, 1):
            self.citation(citation, node, f"{iri}#citation-{index}")

    def citation(self, citation: Citation, item: Any, iri: str) -> None:
        t, add, out = self.t, self.add, self.out
        n, L = t.n, t.Literal
        node = n(iri)
        add(item, f"{CG}citation", node)
        add(node, RDF + "type", n(f"{CG}Citation"))
        add(node, f"{CG}text", t.zh(citation.text))
        add(node, f"{CG}start", L(citation.start))
        add(node, f"{CG}end", L(citation.end))
        if citation.title:
            add(node, f"{CG}citedTitle", t.zh(citation.title))
        if citation.doc_number:
            add(node, f"{CG}citedDocNumber", t.s(citation.doc_number))
        for warning in citation.warnings:
            add(node, f"{CG}warning", t.s(warning))
        if citation.numbering is not None:
            add(node, f"{CG}readInVersion", n(self.iris.version(citation.numbering)))
        if citation.regulation is None:
            return
        regulation = n(self.iris.regulation(citation.regulation))
        out.regulations.add(citation.regulation)
        add(node, f"{CG}cites", regulation)
        add(item, f"{CG}legalBasis", regulation)
        for provision in citation.provisions:
            p_iri = self.iris.provision(citation.regulation, provision)
            if p_iri is None:
                continue
            out.provisions.add((citation.regulation, provision.key()))
            add(node, f"{CG}citesProvision", n(p_iri))
            add(item, f"{CG}legalProvision", n(p_iri))


# --------------------------------------------------------------------------- regulations


def _date_literal(t: _Terms, date: str) -> Any | None:
    if re.fullmatch(r"\d{4}-\d\d-\d\d", date):
        return t.Literal(date, datatype=t.xsd_date)
    if re.fullmatch(r"\d{4}-\d\d", date):
        return t.Literal(date, datatype=t.xsd_gyearmonth)
    if re.fullmatch(r"\d{4}", date):
        return t.Literal(date, datatype=t.xsd_gyear)
    return None


def regulation_quads(regulations: Mapping[str, Regulation],
                     provisions: Iterable[tuple[str, tuple[int | None, ...]]] = (),
                     iris: Iris | None = None,
                     laws: LawTexts | None = None) -> tuple[list[Any], set[tuple[str, str]]]:
    """The regulations graph: regulations, the provisions cited, issuers; for regulations
    whose structure ``ontology/structure`` records, their versions, and each provision's
    version and chapter (see :func:`_structure_quads`); with ``laws`` (the user's law texts),
    each cited article's text (``cg:articleText``).

    Returns the quads and the (vocabulary, label) document kinds no vocabulary lists.
    """
    iris = iris or Iris()
    t = _terms()
    n, Q = t.n, t.Quad
    g = n(iris.regulations_graph)
    vocab = vocabulary()
    quads: list[Any] = []
    minted: set[tuple[str, str]] = set()

    def add(s: Any, p: str, o: Any) -> None:
        quads.append(Q(s, n(p), o, g))

    issuers: set[str] = set()
    for reg in sorted(regulations.values(), key=lambda r: r.id):
        node = n(iris.regulation(reg.id))
        add(node, RDF + "type", n(f"{ELI}LegalResource"))
        add(node, f"{RDFS}label", t.zh(reg.title))
        add(node, f"{DCTERMS}identifier", t.s(reg.id))
        for alias in reg.aliases:
            if alias != reg.title:
                add(node, f"{SKOS}altLabel", t.zh(alias))
        if reg.doc_number:
            add(node, f"{ELI}id_local", t.s(reg.doc_number))
        for issuer in reg.issuer:
            issuers.add(issuer)
            add(node, f"{ELI}passed_by", n(iris.agent(issuer)))
        if reg.doc_type:
            kind = vocab.concept("document-kind", reg.doc_type)
            if kind is None:
                kind = iris.concept("document-kind", clean_text(reg.doc_type))
                minted.add(("document-kind", clean_text(reg.doc_type)))
            add(node, f"{ELI}type_document", n(kind))
        if reg.date:
            literal = _date_literal(t, reg.date)
            if literal is not None:
                add(node, f"{ELI}date_document", literal)
        if reg.in_force is not None:
            add(node, f"{ELI}in_force", n(IN_FORCE[bool(reg.in_force)]))
        add(node, f"{CG}inAuthority", t.Literal(bool(reg.in_authority)))
    for issuer in sorted(issuers):
        node = n(iris.agent(issuer))
        add(node, RDF + "type", n(f"{CG}Issuer"))
        add(node, f"{RDFS}label", t.zh(issuer))
    for reg_id, key in sorted(provisions, key=lambda p: (p[0], [-1 if v is None else v for v in p[1]])):
        if reg_id not in regulations:
            continue
        provision = Provision.from_key(key)
        iri = iris.provision(reg_id, provision)
        if iri is None:
            continue
        node = n(iri)
        add(node, RDF + "type", n(f"{ELI}LegalResourceSubdivision"))
        add(node, f"{ELI}is_part_of", n(iris.regulation(reg_id)))
        add(node, f"{RDFS}label", t.zh(provision.label()))
        for prop, value in (("chapter", provision.chapter), ("article", provision.article),
                            ("paragraph", provision.paragraph), ("item", provision.item)):
            if value is not None:
                add(node, f"{CG}{prop}", t.Literal(int(value)))
        if laws is not None and provision.article is not None:
            from catalog_graph.resolve.lawtexts import provision_text
            from catalog_graph.resolve.structure import structures

            reg = regulations[reg_id]
            text = provision_text(laws, structures(), reg_id, [reg.title, *reg.aliases],
                                  provision.article)
            if text:
                add(node, f"{CG}articleText", t.zh(text))
    _structure_quads(regulations, provisions, iris, add)
    return quads, minted


def _structure_quads(regulations: Mapping[str, Regulation],
                     provisions: Iterable[tuple[str, tuple[int | None, ...]]], iris: Iris,
                     add: Any) -> None:
    """Versions, chapters and counts from ``ontology/structure`` (its facts not recalled):

    - every version of a cited regulation the data knows: ``cg:RegulationVersion``, with
      ``cg:versionOf`` the regulation node (when cited), ``cg:versionLabel``, dates, decree
      (``cg:decree``: ``eli:id_local`` stays the regulation node's alone), ``cg:articleCount``,
      ``cg:isCurrentVersion``, ``cg:nextVersion``;
    - each cited provision: ``cg:inVersion`` its version, and when its article exists,
      ``cg:inChapter`` its chapter (a subdivision with ``dcterms:title``, ``cg:firstArticle``,
      ``cg:lastArticle``) and the article's ``cg:articleParagraphs`` / ``cg:articleItems``.
    """
    from catalog_graph.resolve.structure import structures

    data = structures()
    t = _terms()
    n, L = t.n, t.Literal
    by_id = data.ids()
    families = sorted({by_id[r].family for r in regulations if r in by_id})
    cited_as: dict[str, list[str]] = {}  # version key → the cited regulation ids reading in it
    for rid in sorted(regulations):
        if rid in by_id:
            cited_as.setdefault(by_id[rid].key, []).append(rid)
    for family in families:
        versions = data.versions[family]
        for k, v in enumerate(versions):
            node = n(iris.version(v.key))
            add(node, RDF + "type", n(f"{CG}RegulationVersion"))
            add(node, f"{RDFS}label", t.zh(f"{v.title}（{v.version}）"))
            add(node, f"{CG}versionLabel", t.s(v.version))
            # a version with a decree of its own is its own node (国务院令第492号); a law's
            # versions share the law's node
            owners = cited_as.get(v.key) or ([] if v.decree else cited_as.get(versions[-1].key, []))
            for rid in owners:
                add(node, f"{CG}versionOf", n(iris.regulation(rid)))
            if v.promulgated:
                add(node, f"{ELI}date_document", L(v.promulgated, datatype=t.xsd_date))
            if v.effective and not v.confidence.startswith("recalled"):
                add(node, f"{ELI}first_date_entry_in_force", L(v.effective, datatype=t.xsd_date))
            if v.decree:
                add(node, f"{CG}decree", t.s(v.decree))
            if v.article_count is not None:
                add(node, f"{CG}articleCount", L(v.article_count))
            add(node, f"{CG}isCurrentVersion", L(v is versions[-1]))
            if k + 1 < len(versions):
                add(node, f"{CG}nextVersion", n(iris.version(versions[k + 1].key)))
    for reg_id, key in sorted(provisions, key=lambda p: (p[0], [-1 if v is None else v for v in p[1]])):
        version = by_id.get(reg_id)
        if reg_id not in regulations or version is None:
            continue
        provision = Provision.from_key(key)
        iri = iris.provision(reg_id, provision)
        if iri is None:
            continue
        node = n(iri)
        add(node, f"{CG}inVersion", n(iris.version(version.key)))
        article = version.articles.get(provision.article) if provision.article else None
        if article is None:
            continue
        if article.paragraphs is not None:
            add(node, f"{CG}articleParagraphs", L(article.paragraphs))
        if article.items is not None:
            add(node, f"{CG}articleItems", L(article.items))
        chapter = version.chapter_of(article.number) if article.chapter is not None else None
        if chapter is None:
            continue
        chapter_iri = iris.provision(reg_id, Provision(chapter=chapter.number))
        assert chapter_iri is not None
        ch = n(chapter_iri)
        add(node, f"{CG}inChapter", ch)
        add(ch, RDF + "type", n(f"{ELI}LegalResourceSubdivision"))
        add(ch, f"{ELI}is_part_of", n(iris.regulation(reg_id)))
        add(ch, f"{RDFS}label", t.zh(Provision(chapter=chapter.number).label()))
        add(ch, f"{CG}chapter", L(chapter.number))
        add(ch, f"{DCTERMS}title", t.zh(chapter.title))
        add(ch, f"{CG}inVersion", n(iris.version(version.key)))
        add(ch, f"{CG}firstArticle", L(chapter.first))
        add(ch, f"{CG}lastArticle", L(chapter.last))


def vocabulary_quads(minted: Iterable[tuple[str, str]], iris: Iris | None = None,
                     time_limits: Iterable[tuple[Any, ...]] = ()) -> list[Any]:
    """The vocabulary graph: the concept schemes, a concept for each value they do not list,
    and the time limits items link to (one node per distinct limit, with its OWL-Time duration)."""
    iris = iris or Iris()
    t = _terms()
    n, Q, L = t.n, t.Quad, t.Literal
    g = n(iris.vocabulary_graph)
    vocab = vocabulary()
    minted = set(minted)
    quads = [Q(tr.subject, tr.predicate, tr.object, g) for tr in vocab.triples]

    def add(s: Any, p: str, o: Any) -> None:
        quads.append(Q(s, n(p), o, g))

    for key in sorted(set(time_limits), key=key_text):
        text, kind, days, working_days, deadline = key
        iri = iris.time_limit(key_text(key))
        node = n(iri)
        kind_iri = vocab.concept("time-limit-kind", kind)
        if kind_iri is None:
            kind_iri = iris.concept("time-limit-kind", clean_text(kind))
            minted.add(("time-limit-kind", clean_text(kind)))
        add(node, RDF + "type", n(f"{CG}TimeLimit"))
        add(node, f"{CG}text", t.zh(text))
        add(node, f"{CG}timeLimitKind", n(kind_iri))
        if kind == "within_days" and days is not None:
            duration = n(f"{iri}#duration")
            add(node, f"{CG}duration", duration)
            add(duration, RDF + "type", n(f"{TIME}Duration"))
            add(duration, f"{TIME}numericDuration", L(str(int(days)), datatype=t.xsd_decimal))
            add(duration, f"{TIME}unitType", n(f"{TIME}unitDay"))
            if working_days is not None:
                add(duration, f"{CG}workingDays", L(bool(working_days)))
        if deadline and re.fullmatch(r"\d\d-\d\d", deadline):
            add(node, f"{CG}deadline", L(f"--{deadline}", datatype=t.xsd_gmonthday))
    for name, label in sorted(minted):
        scheme, cls = SCHEMES[name]
        node = n(iris.concept(name, label))
        quads.append(Q(node, t.type, n(f"{SKOS}Concept"), g))
        quads.append(Q(node, t.type, n(cls), g))
        quads.append(Q(node, n(f"{SKOS}prefLabel"), t.zh(label), g))
        quads.append(Q(node, n(f"{SKOS}inScheme"), n(scheme), g))
    return quads


# --------------------------------------------------------------------------- whole graphs


def graph_quads(catalogs: Iterable[Catalog], regulations: Iterable[Regulation] = (),
                iris: Iris | None = None) -> list[Any]:
    """Every quad of a (small) graph of catalogs: their graphs, regulations, vocabulary.

    ``regulations`` are the records of the regulations the catalogs cite (those not cited are
    left out). For a corpus, ``catalog_graph.batch.build`` streams the same quads catalog by catalog.
    """
    iris = iris or Iris()
    quads: list[Any] = []
    cited: set[str] = set()
    provisions: set[tuple[str, tuple[int | None, ...]]] = set()
    minted: set[tuple[str, str]] = set()
    limits: set[tuple[Any, ...]] = set()
    for catalog in catalogs:
        part = catalog_quads(catalog, iris)
        quads.extend(part.quads)
        cited |= part.regulations
        provisions |= part.provisions
        minted |= part.concepts
        limits |= part.time_limits
    from catalog_graph.resolve.resolver import merge_regulations

    merged = {r.id: r for r in merge_regulations(r for r in regulations if r.id in cited)}
    reg_quads, kinds = regulation_quads(merged, provisions, iris)
    quads.extend(reg_quads)
    quads.extend(vocabulary_quads(minted | kinds, iris, limits))
    return quads


def nquads(quads: Iterable[Any]) -> list[bytes]:
    """Sorted, de-duplicated N-Quads lines (each ending in a newline)."""
    import pyoxigraph as ox

    data = ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS)
    return sorted(set(data.splitlines(keepends=True)))


def prefix_header() -> bytes:
    """The ``@prefix`` lines of every Turtle file written, in a fixed order."""
    return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items()).encode("utf-8")


def turtle_body(quads: Iterable[Any]) -> bytes:
    """The triples of some quads as Turtle without its ``@prefix`` lines (see :func:`prefix_header`).

    Triples are sorted (subject, predicate, object), so the same quads give the same bytes, and
    bodies of graphs with disjoint subjects can be concatenated after one header.
    """
    import pyoxigraph as ox

    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads},
                     key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if not triples:
        return b""
    return _strip_prefixes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))


def jsonld_graphs(quads: Iterable[Any]) -> bytes:
    """Quads as expanded JSON-LD named graphs (``{"@id": graph, "@graph": [nodes]}``, comma
    separated) without the enclosing array: the parts of catalogs with distinct graphs join
    (with commas, inside ``[`` and ``]``) into one document. Sorted, so the same quads give the
    same bytes."""
    import pyoxigraph as ox

    ordered = sorted(set(quads), key=lambda q: (str(q.graph_name), str(q.subject),
                                                str(q.predicate), str(q.object)))
    if not ordered:
        return b""
    data = ox.serialize(ordered, format=ox.RdfFormat.JSON_LD).strip()
    assert data[:1] == b"[" and data[-1:] == b"]", data[:20]
    return data[1:-1]


@dataclass
class GraphText:
    """One named graph's quads in the build's serializations."""

    nquads: bytes  # sorted, de-duplicated N-Quads lines (:func:`nquads`)
    triples: int  # how many lines
    turtle: bytes  # :func:`turtle_body` of the quads
    jsonld: bytes  # :func:`jsonld_graphs` of the quads


def graph_text(quads: Iterable[Any]) -> GraphText:
    """The N-Quads, Turtle and JSON-LD of quads of ONE named graph, byte for byte those of
    :func:`nquads`, :func:`turtle_body` and :func:`jsonld_graphs`, made faster: the quads are
    serialized once, and put in the order of their sorted lines, which for one graph is the
    order (subject, predicate, object) the other two sort by (each term's text is its sort key,
    and no term is followed by a character below the space that ends it); no term object is
    turned into a string in Python. Quads of several graphs take the slower path."""
    import pyoxigraph as ox

    quads = list(quads)
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    lines = data.splitlines(keepends=True)
    if len(lines) != len(quads) or len({q.graph_name for q in quads}) > 1:
        text = b"".join(nquads(quads))
        return GraphText(text, text.count(b"\n"), turtle_body(quads), jsonld_graphs(quads))
    ordered: list[Any] = []
    kept: list[bytes] = []
    previous = None
    for index in sorted(range(len(lines)), key=lines.__getitem__):
        line = lines[index]
        if line != previous:
            kept.append(line)
            ordered.append(quads[index])
            previous = line
    if not ordered:
        return GraphText(b"", 0, b"", b"")
    turtle = _strip_prefixes(ox.serialize([q.triple for q in ordered],
                                          format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
    jsonld = ox.serialize(ordered, format=ox.RdfFormat.JSON_LD).strip()
    assert jsonld[:1] == b"[" and jsonld[-1:] == b"]", jsonld[:20]
    return GraphText(b"".join(kept), len(kept), turtle, jsonld[1:-1])


def _strip_prefixes(data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].startswith(b"@prefix "):
        start += 1
    return b"".join(lines[start:])


def turtle_from_lines(lines: bytes) -> bytes:
    """:func:`turtle_body` of the quads whose sorted, de-duplicated N-Quads lines (of one graph,
    as :func:`nquads` gives them) are ``lines``: the same bytes, without sorting term objects in
    Python. Lines of one graph sort as :func:`turtle_body` sorts its triples (by subject,
    predicate, object): each term's text is its sort key, and a term is never followed by a
    character below the space that separates it from the next one."""
    import pyoxigraph as ox

    if not lines:
        return b""
    one = _one_graph_triples(lines)
    if one is None:  # several graphs: sorted otherwise
        return turtle_body(ox.parse(input=lines, format=ox.RdfFormat.N_QUADS))
    triples = ox.parse(input=one, format=ox.RdfFormat.N_TRIPLES)
    return _strip_prefixes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))


def jsonld_from_lines(lines: bytes) -> bytes:
    """:func:`jsonld_graphs` of the quads whose sorted N-Quads lines of one graph are ``lines``
    (see :func:`turtle_from_lines`)."""
    import pyoxigraph as ox

    if not lines:
        return b""
    if _one_graph_triples(lines) is None:  # several graphs: sorted otherwise
        return jsonld_graphs(ox.parse(input=lines, format=ox.RdfFormat.N_QUADS))
    data = ox.serialize(ox.parse(input=lines, format=ox.RdfFormat.N_QUADS),
                        format=ox.RdfFormat.JSON_LD).strip()
    assert data[:1] == b"[" and data[-1:] == b"]", data[:20]
    return data[1:-1]


def _one_graph_triples(lines: bytes) -> bytes | None:
    """The N-Triples lines of N-Quads ``lines`` when every line names the same graph (its
    `` <graph> .`` ending replaced in one pass: a line break never occurs inside a line, so
    that ending only ever matches at a line's end); None when they name several."""
    first = lines.find(b"\n")
    cut = lines.rfind(b" <", 0, first)
    ending = lines[cut:first + 1]
    out = lines.replace(ending, b" .\n")
    if len(lines) - len(out) == (len(ending) - 3) * lines.count(b"\n"):
        return out
    return None


def triple_lines(lines: bytes) -> bytes:
    """N-Quads lines → the N-Triples lines of their triples (:func:`triple_line` of each), at
    C speed when every line names the same graph, as a catalog's part and each shared graph
    do."""
    if not lines:
        return b""
    out = _one_graph_triples(lines)
    if out is not None:
        return out
    return b"".join(triple_line(line) for line in lines.splitlines(keepends=True))


def triple_line(quad_line: bytes) -> bytes:
    """An N-Quads line of a named graph → the N-Triples line of its triple. The graph name is
    the line's last term, an IRI, which holds neither a space nor ``<``."""
    cut = quad_line.rfind(b" <")
    return quad_line[:cut] + b" .\n"


FORMATS = ("turtle", "nt", "nquads", "trig", "json-ld")


def serialize(quads: Iterable[Any], fmt: str = "turtle") -> bytes:
    """Quads in one format: ``turtle`` and ``nt`` (graphs merged), ``nquads``, ``trig``, ``json-ld``.

    Output is sorted, so the same quads give the same bytes.
    """
    import pyoxigraph as ox

    quads = list(quads)
    if fmt == "nquads":
        return b"".join(nquads(quads))
    if fmt == "turtle":
        return prefix_header() + turtle_body(quads)
    if fmt == "nt":
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
        return b"".join(sorted(set(ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
                                   .splitlines(keepends=True))))
    if fmt in ("trig", "json-ld"):
        ordered = sorted(set(quads), key=lambda q: (str(q.graph_name), str(q.subject),
                                                    str(q.predicate), str(q.object)))
        if fmt == "json-ld":
            return ox.serialize(ordered, format=ox.RdfFormat.JSON_LD)
        data = ox.serialize(ordered, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
        body = b"".join(line for line in data.splitlines(keepends=True)
                        if not line.startswith(b"@prefix "))
        return prefix_header() + body
    raise ValueError(f"unknown RDF format {fmt!r}; one of {', '.join(FORMATS)}")


def to_rdflib(quads: Iterable[Any]) -> rdflib.Dataset:
    """The quads as an rdflib Dataset (via N-Quads), default graph the union of all graphs."""
    import rdflib

    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=b"".join(nquads(quads)).decode("utf-8"), format="nquads")
    return dataset
