"""``catalog-graph validate``: SHACL conformance and data-quality findings for a built folder.

SHACL (pyshacl, ``ontology/shapes.ttl`` with ``ontology/catalog-graph.ttl`` as ontology) runs
graph by graph to keep memory bounded: each catalog's named graph together with the shared nodes
it reaches (regulations, their provisions and issuers, concepts), then the vocabulary graph.

Data-quality findings come from SPARQL over the store: items with no legal basis, citation
warnings, cited document numbers that differ from the regulation's, documents no longer in force,
items whose 公开主体 was filled in from the catalog's body, other item warnings; cited articles,
paragraphs or items that do not exist in the version cited, and citations in an old version's
article numbering (both from ``ontology/structure``).

SHACL violations fail the check (exit 1); findings are reported, and fail it only when strict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog_graph.graph.namespaces import PREFIXES
from catalog_graph.layout.repairs import REPAIRS
from catalog_graph.models import item_reference

SHAPES_FILE = "shapes.ttl"
ONTOLOGY_FILE = "catalog-graph.ttl"


@dataclass
class Violation:
    """One SHACL result."""

    graph: str
    focus: str
    path: str | None
    message: str
    severity: str
    value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"graph": self.graph, "focus": self.focus, "path": self.path,
                "message": self.message, "severity": self.severity, "value": self.value}


@dataclass
class Finding:
    """One kind of data-quality problem and where it occurs."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "count": len(self.rows),
                "rows": [dict(zip(self.columns, row, strict=True)) for row in self.rows]}


@dataclass
class Report:
    """What validate found."""

    graphs: int = 0
    triples: int = 0
    violations: list[Violation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)

    def to_dict(self) -> dict[str, Any]:
        return {"conforms": self.conforms, "graphs": self.graphs, "triples": self.triples,
                "violations": [v.to_dict() for v in self.violations],
                "findings": [f.to_dict() for f in self.findings]}


# --------------------------------------------------------------------------- SHACL


SHARED_GRAPHS = ("/graph/regulations", "/graph/vocabulary")


def graphs_to_check(store: Any) -> list[str]:
    """The graphs SHACL checks one at a time: every catalog's, then the vocabulary graph."""
    names = sorted(g.value for g in store.named_graphs())
    return ([n for n in names if not n.endswith(SHARED_GRAPHS)]
            + [n for n in names if n.endswith("/graph/vocabulary")])


def _graph_triples(store: Any, name: str) -> list[Any]:
    """A catalog's triples with the shared nodes they reach; the vocabulary graph as it is."""
    import pyoxigraph as ox

    graph = ox.NamedNode(name)
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None, graph)]
    if name.endswith(SHARED_GRAPHS):
        return triples
    shared = [g for g in store.named_graphs() if g.value.endswith(SHARED_GRAPHS)]
    return triples + _reached(store, triples, shared)


def _reached(store: Any, triples: list[Any], shared: list[Any]) -> list[Any]:
    """The triples of the shared graphs about the nodes a catalog's triples reach, transitively."""
    import pyoxigraph as ox

    seen: set[Any] = set()
    frontier = {t.object for t in triples if isinstance(t.object, ox.NamedNode)}
    out: list[Any] = []
    while frontier:
        node = frontier.pop()
        if node in seen:
            continue
        seen.add(node)
        for graph in shared:
            for q in store.quads_for_pattern(node, None, None, graph):
                out.append(ox.Triple(q.subject, q.predicate, q.object))
                if isinstance(q.object, ox.NamedNode) and q.object not in seen:
                    frontier.add(q.object)
    return out


def _to_rdflib(triples: Iterable[Any]) -> Any:
    import pyoxigraph as ox
    import rdflib

    graph = rdflib.Graph()
    data = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def shacl(directory: Path, workers: int = 1, ontology_dir: Path | None = None) -> Report:
    """Validate every graph of a built folder against the shapes, in ``workers`` processes."""
    from catalog_graph.store.db import open_store

    names = graphs_to_check(open_store(directory))
    if ontology_dir is None:
        from catalog_graph.paths import ontology_dir as default_dir

        ontology_dir = default_dir()
    report = Report()
    chunks = [(str(directory), names[k::workers * 4], str(ontology_dir))
              for k in range(workers * 4)] if workers > 1 else [(str(directory), names, str(ontology_dir))]
    chunks = [c for c in chunks if c[1]]
    if workers > 1 and len(chunks) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context) as pool:
            parts = list(pool.map(shacl_graphs, chunks))
    else:
        parts = [shacl_graphs(chunk) for chunk in chunks]
    for part in parts:
        report.graphs += part.graphs
        report.triples += part.triples
        report.violations.extend(part.violations)
    report.violations.sort(key=lambda v: (v.graph, v.focus, v.path or "", v.message, v.value or ""))
    return report


def shacl_graphs(task: tuple[str, list[str], str]) -> Report:
    """Validate some graphs of a built folder: ``(folder, graph names, ontology folder)``."""
    import pyshacl
    import rdflib

    from catalog_graph.store.db import open_store

    directory, names, ontology_dir = task
    store = open_store(Path(directory))
    shapes = rdflib.Graph().parse(str(Path(ontology_dir) / SHAPES_FILE), format="turtle")
    ontology = rdflib.Graph().parse(str(Path(ontology_dir) / ONTOLOGY_FILE), format="turtle")
    report = Report()
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    for name in names:
        data = _to_rdflib(_graph_triples(store, name))
        report.graphs += 1
        report.triples += len(data)
        conforms, results, _ = pyshacl.validate(
            data, shacl_graph=shapes, ont_graph=ontology, inference="none",
            allow_warnings=True, meta_shacl=False, advanced=False,
        )
        if conforms:
            continue
        for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
            path = results.value(result, SH.resultPath)
            value = results.value(result, SH.value)
            severity = results.value(result, SH.resultSeverity)
            report.violations.append(Violation(
                graph=name,
                focus=str(results.value(result, SH.focusNode)),
                path=_short(path) if isinstance(path, rdflib.URIRef) else None,
                message=str(results.value(result, SH.resultMessage) or "does not conform"),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                value=str(value) if value is not None else None,
            ))
    return report


def _short(iri: Any) -> str:
    text = str(iri)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text


# --------------------------------------------------------------------------- data quality

# Each lists (catalog, row, number, item, …) rows: the item by its 序号 and name as well as its
# data row; written to scan first and look details up last.
SUBJECT_REPAIRS = ("SUBJECT_FILLED", "SUBJECT_UNKNOWN")  # an empty 公开主体, filled or not


def _said(var: str, codes: tuple[str, ...]) -> str:
    """A SPARQL test that the warning in ``var`` was written by one of the layout repairs
    ``codes`` (layout/repairs.py): an item's warnings are strings, each repair's begins with
    its template's fixed opening."""
    return " || ".join(f'STRSTARTS({var}, "{REPAIRS[code].opening}")' for code in codes)


_WHERE = """
  GRAPH ?g { ?i a cg:DisclosureItem }
  ?g dcterms:title ?catalog .
  ?i prov:wasDerivedFrom/cg:row ?row ; skos:prefLabel ?item .
  OPTIONAL { ?i cg:number ?n }
  BIND(COALESCE(?n, "") AS ?number)"""

FINDINGS: list[tuple[str, str, str]] = [
    ("items-without-basis", "items with no legal basis", f"""
        SELECT ?catalog ?row ?number ?item ?basis WHERE {{
          {{ SELECT ?i WHERE {{ {{ ?i a cg:DisclosureItem }} MINUS {{ ?i cg:legalBasis ?r }} }} }}
          {_WHERE}
          OPTIONAL {{ ?i cg:basisText ?b }}
          BIND(COALESCE(?b, "(公开依据 empty)") AS ?basis)
        }} ORDER BY ?catalog ?row ?item"""),
    ("citation-warnings", "citation warnings", f"""
        SELECT ?catalog ?row ?number ?item ?citation ?warning WHERE {{
          {{ SELECT ?c ?warning WHERE {{ ?c cg:warning ?warning ; a cg:Citation }} }}
          ?i cg:citation ?c .
          ?c cg:text ?citation .
          {_WHERE}
        }} ORDER BY ?catalog ?row ?citation ?warning"""),
    ("wrong-doc-numbers", "cited document numbers that differ from the regulation's", f"""
        SELECT ?catalog ?row ?number ?item ?cited ?docNumber ?title WHERE {{
          {{ SELECT ?c ?cited ?docNumber ?title WHERE {{
               ?r eli:id_local ?docNumber ; rdfs:label ?title .
               ?c cg:cites ?r ; cg:citedDocNumber ?cited .
               FILTER(?cited != ?docNumber) }} }}
          ?i cg:citation ?c .
          {_WHERE}
        }} ORDER BY ?catalog ?row ?cited"""),
    ("not-in-force", "cited documents no longer in force", f"""
        SELECT ?catalog ?row ?number ?item ?title WHERE {{
          {{ SELECT ?r ?title WHERE {{ ?r eli:in_force eli:InForce-notInForce ; rdfs:label ?title }} }}
          ?i cg:legalBasis ?r .
          {_WHERE}
        }} ORDER BY ?catalog ?row ?title"""),
    ("articles-that-do-not-exist", "cited articles, paragraphs or items that do not exist",
     f"""
        SELECT ?catalog ?row ?number ?item ?citation ?provision ?version ?problem WHERE {{
          {{ SELECT ?p ?problem WHERE {{
               ?p cg:inVersion ?v .
               {{ ?p cg:article ?a . ?v cg:articleCount ?n . FILTER(?a > ?n)
                  BIND(CONCAT("the version has ", STR(?n), " articles") AS ?problem) }}
               UNION {{ ?p cg:item ?k ; cg:articleItems ?m . FILTER(?k > ?m)
                  BIND(CONCAT("the article lists ", STR(?m), " items") AS ?problem) }}
               UNION {{ ?p cg:paragraph ?k ; cg:articleParagraphs ?m . FILTER(?k > ?m)
                  BIND(CONCAT("the article has ", STR(?m), " paragraphs") AS ?problem) }} }} }}
          ?p rdfs:label ?provision ; cg:inVersion/rdfs:label ?version .
          ?c cg:citesProvision ?p ; cg:text ?citation .
          FILTER NOT EXISTS {{ ?c cg:readInVersion ?older }}
          ?i cg:citation ?c .
          {_WHERE}
        }} ORDER BY ?catalog ?row ?citation ?provision"""),
    ("old-numbering", "citations in an old version's article numbering", f"""
        SELECT ?catalog ?row ?number ?item ?citation ?version WHERE {{
          {{ SELECT DISTINCT ?c ?version WHERE {{
               ?v cg:isCurrentVersion false ; rdfs:label ?version .
               ?c cg:readInVersion ?v }} }}
          ?c cg:text ?citation .
          ?i cg:citation ?c .
          {_WHERE}
        }} ORDER BY ?catalog ?row ?citation"""),
    ("subject-filled-in", "items whose 公开主体 was filled in", f"""
        SELECT ?catalog ?row ?number ?item ?subject WHERE {{
          {{ SELECT ?i WHERE {{ ?i cg:warning ?w ; a cg:DisclosureItem .
                               FILTER({_said("?w", SUBJECT_REPAIRS)}) }} }}
          {_WHERE}
          OPTIONAL {{ ?i cg:subject ?s }}
          BIND(COALESCE(?s, "(none)") AS ?subject)
        }} ORDER BY ?catalog ?row"""),
    ("item-warnings", "other item warnings", f"""
        SELECT ?catalog ?row ?number ?item ?warning WHERE {{
          {{ SELECT ?i ?warning WHERE {{ ?i cg:warning ?warning ; a cg:DisclosureItem .
                                        FILTER(!({_said("?warning", SUBJECT_REPAIRS)})) }} }}
          {_WHERE}
        }} ORDER BY ?catalog ?row ?warning"""),
]


def data_quality(store: Any) -> list[Finding]:
    """The data-quality findings of a store, one Finding per kind (possibly without rows)."""
    from catalog_graph.store.db import run_query
    from catalog_graph.store.query import show_term

    findings = []
    for name, title, sparql in FINDINGS:
        result = run_query(store, sparql)
        columns = [v.value for v in result.variables]
        rows = [[show_term(solution[c]) for c in columns] for solution in result]
        findings.append(Finding(name, title, columns, rows))
    return findings


def validate(directory: Path, shacl_check: bool = True, workers: int = 1) -> Report:
    """SHACL conformance and data-quality findings of a built folder."""
    from catalog_graph.store.db import open_store

    store = open_store(directory)
    report = shacl(directory, workers) if shacl_check else Report()
    report.findings = data_quality(store)
    return report


# --------------------------------------------------------------------------- output


def _clip(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(report: Report, limit: int = 20) -> str:
    """The report as text for people: SHACL first, then each finding with up to ``limit`` rows."""
    lines: list[str] = []
    violations = [v for v in report.violations if v.severity == "Violation"]
    others = [v for v in report.violations if v.severity != "Violation"]
    if report.graphs:
        verdict = "conforms" if report.conforms else f"{len(violations)} violation(s)"
        lines.append(f"SHACL: {verdict} ({report.graphs} graphs, {report.triples} triples checked)")
        for v in (violations + others)[:limit]:
            where = f" {v.path}" if v.path else ""
            value = f" (value: {v.value})" if v.value is not None else ""
            lines.append(f"  {v.severity}: {v.focus}{where}: {v.message}{value}")
        if len(violations) + len(others) > limit:
            lines.append(f"  … and {len(violations) + len(others) - limit} more")
    lines.append("Data quality:")
    for finding in report.findings:
        lines.append(f"  {finding.title}: {len(finding.rows)}")
        for row in finding.rows[:limit]:
            catalog, row_no, number, item, *rest = row
            lines.append(f"    {catalog} {item_reference(number, item, row_no)}: "
                         + " · ".join(_clip(x) for x in rest if x))
        if len(finding.rows) > limit:
            lines.append(f"    … and {len(finding.rows) - limit} more")
    return "\n".join(lines) + "\n"
