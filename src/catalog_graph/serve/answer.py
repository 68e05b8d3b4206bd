"""Answering one SPARQL request against the store: which format to answer in (content
negotiation), refusing SPARQL Update, running the query within the result caps, and the service
description of the endpoint.

Results by content negotiation (``Accept``, or ``format=`` / ``output=`` for convenience):
SELECT and ASK as SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle
(default), N-Triples, RDF/XML or JSON-LD. Results are capped at ``max_rows`` rows (or triples)
and about ``max_bytes`` bytes; a capped answer carries ``X-Result-Truncated: true``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from catalog_graph.graph.namespaces import PREFIXES, XSD
from catalog_graph.store.db import check_query, is_update, run_query

DEFAULT_TIMEOUT = 30.0  # seconds a query may run
DEFAULT_MAX_ROWS = 100_000  # rows of a SELECT, triples of a CONSTRUCT/DESCRIBE
DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # about this many bytes of values per answer

XSD_STRING = XSD + "string"
SD = "http://www.w3.org/ns/sparql-service-description#"

# media type → pyoxigraph QueryResultsFormat name, for SELECT and ASK; first is the default
RESULT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "text/javascript": "JSON",
    "application/javascript": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
# media type → pyoxigraph RdfFormat name, for CONSTRUCT and DESCRIBE; first is the default
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "TURTLE",
    "application/turtle": "TURTLE",
    "application/x-turtle": "TURTLE",
    "text/n3": "TURTLE",  # Turtle is N3
    "text/rdf+n3": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/xml": "RDF_XML",
    "text/xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
    "application/json": "JSON_LD",
}
# the media types a wildcard (text/*) may stand for, by preference
CANONICAL_TYPES = {
    "results": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"),
    "graph": ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"),
}
# the short names accepted in format= / output= / results=
RESULT_NAMES = {"json": "JSON", "srj": "JSON", "xml": "XML", "srx": "XML", "csv": "CSV",
                "tsv": "TSV"}
GRAPH_NAMES = {"turtle": "TURTLE", "ttl": "TURTLE", "n3": "TURTLE", "nt": "N_TRIPLES",
               "ntriples": "N_TRIPLES", "n-triples": "N_TRIPLES", "xml": "RDF_XML",
               "rdfxml": "RDF_XML", "rdf": "RDF_XML", "rdf+xml": "RDF_XML", "json": "JSON_LD",
               "jsonld": "JSON_LD", "json-ld": "JSON_LD"}
# the Content-Type each format is answered with
CONTENT_TYPES = {
    "JSON": "application/sparql-results+json; charset=utf-8",
    "XML": "application/sparql-results+xml; charset=utf-8",
    "CSV": "text/csv; charset=utf-8",
    "TSV": "text/tab-separated-values; charset=utf-8",
    "TURTLE": "text/turtle; charset=utf-8",
    "N_TRIPLES": "application/n-triples; charset=utf-8",
    "RDF_XML": "application/rdf+xml; charset=utf-8",
    "JSON_LD": "application/ld+json; charset=utf-8",
}


READ_ONLY = "this endpoint is read-only: SPARQL Update is not allowed"


# --------------------------------------------------------------------------- negotiation


def _media_ranges(accept: str | None) -> list[tuple[str, float]]:
    """The media ranges of an Accept header, best first (by q, then specificity, then order)."""
    ranges: list[tuple[float, int, int, str]] = []
    for index, part in enumerate((accept or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((-q, -specificity, index, media))
    return [(media, -neg_q) for neg_q, _, _, media in sorted(ranges)]


def negotiate(kind: str, accept: str | None = None, fmt: str | None = None) -> str | None:
    """The format to answer a query of ``kind`` (``results`` or ``graph``) in.

    ``fmt`` (a short name such as ``csv``, or a media type) wins over ``accept``. With no
    preference (no Accept header, or one naming no media range) the default is SPARQL JSON for
    results and Turtle for graphs. Returns a format name (``JSON``, ``XML``, ``CSV``, ``TSV``,
    ``TURTLE``, ``N_TRIPLES``, ``RDF_XML``, ``JSON_LD``), or None when ``fmt`` names a format
    this kind cannot be given in, or ``accept`` accepts none of them (``image/png``): 406.
    """
    types = RESULT_TYPES if kind == "results" else GRAPH_TYPES
    names = RESULT_NAMES if kind == "results" else GRAPH_NAMES
    default = next(iter(types.values()))
    if fmt:
        fmt = fmt.strip().lower()
        return names.get(fmt) or types.get(fmt.split(";")[0].strip())
    ranges = _media_ranges(accept)
    for media, _ in ranges:
        if media in types:
            return types[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            prefix = media[:-1]
            for candidate in CANONICAL_TYPES[kind]:
                if candidate.startswith(prefix):
                    return types[candidate]
    return None if ranges else default


def _not_acceptable(fmt: str | None, accept: str | None, kind: str, names: str) -> str:
    if fmt:
        return f"format {fmt!r} is not one for {kind} ({names})"
    return f"nothing in Accept: {accept} is a format for {kind} ({names})"


# --------------------------------------------------------------------------- answering


@dataclass
class Answer:
    """An HTTP answer from a query worker."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def text_answer(status: int, message: str) -> Answer:
    """A plain-text answer: ``message`` on one line (or more), ending with a newline."""
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


@dataclass(frozen=True)
class Limits:
    """How long a query may run and how much of its answer is sent."""

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    max_bytes: int = DEFAULT_MAX_BYTES


DEFAULT_LIMITS = Limits()


def _term_json(term: Any) -> dict[str, Any]:
    """One RDF term as a SPARQL 1.1 JSON results binding."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                            "predicate": _term_json(term.predicate),
                                            "object": _term_json(term.object)}}
    return {"type": "literal", "value": str(term)}


def _term_size(term: Any) -> int:
    return len(str(term)) + 16


def answer_query(store: Any, query: str, accept: str | None = None, fmt: str | None = None,
                 default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                 limits: Limits = DEFAULT_LIMITS) -> Answer:
    """Run one SPARQL query on ``store`` and serialize its results as negotiated.

    Runs to completion: callers that need a deadline run it in a worker
    (:class:`catalog_graph.serve.pool.Workers`).
    """
    import pyoxigraph as ox

    if is_update(query):
        return text_answer(403, READ_ONLY)
    try:
        check_query(query)
        if default_graphs or named_graphs:
            options: dict[str, Any] = {"prefixes": PREFIXES}
            if default_graphs:
                options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            else:
                options["use_default_graph_as_union"] = True
            if named_graphs:
                options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
            results = store.query(query, **options)
        else:
            results = run_query(store, query)
    except SyntaxError as exc:
        return text_answer(400, f"query syntax error: {exc}")
    except ValueError as exc:
        return text_answer(400, f"bad request: {exc}")
    headers: dict[str, str] = {}
    try:
        if isinstance(results, ox.QueryBoolean):
            name = negotiate("results", accept, fmt)
            if name is None:
                return text_answer(406, _not_acceptable(fmt, accept, "ASK results",
                                                         "json, xml, csv, tsv"))
            body = results.serialize(format=getattr(ox.QueryResultsFormat, name))
            return Answer(200, CONTENT_TYPES[name], body, headers)
        if isinstance(results, ox.QuerySolutions):
            name = negotiate("results", accept, fmt)
            if name is None:
                return text_answer(406, _not_acceptable(fmt, accept, "SELECT results",
                                                         "json, xml, csv, tsv"))
            variables = [v.value for v in results.variables]
            bindings: list[dict[str, Any]] = []
            size = 0
            truncated = False
            for solution in results:
                if len(bindings) >= limits.max_rows or size > limits.max_bytes:
                    truncated = True
                    break
                row = {}
                for var in variables:
                    term = solution[var]
                    if term is not None:
                        row[var] = _term_json(term)
                        size += _term_size(term)
                bindings.append(row)
            document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
            body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            if name != "JSON":
                parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
                body = parsed.serialize(format=getattr(ox.QueryResultsFormat, name))
            headers["X-Result-Count"] = str(len(bindings))
            headers["X-Result-Truncated"] = "true" if truncated else "false"
            return Answer(200, CONTENT_TYPES[name], body, headers)
        # CONSTRUCT / DESCRIBE
        name = negotiate("graph", accept, fmt)
        if name is None:
            return text_answer(406, _not_acceptable(fmt, accept, "graphs",
                                                     "turtle, nt, xml, jsonld"))
        triples = []
        size = 0
        truncated = False
        for triple in results:
            if len(triples) >= limits.max_rows or size > limits.max_bytes:
                truncated = True
                break
            triples.append(triple)
            size += _term_size(triple)
        rdf_format = getattr(ox.RdfFormat, name)
        if name == "TURTLE":
            body = ox.serialize(triples, format=rdf_format, prefixes=PREFIXES)
        else:
            body = ox.serialize(triples, format=rdf_format)
        headers["X-Result-Count"] = str(len(triples))
        headers["X-Result-Truncated"] = "true" if truncated else "false"
        return Answer(200, CONTENT_TYPES[name], body or b"", headers)
    except (OSError, SyntaxError, ValueError) as exc:
        return text_answer(500, f"query failed: {exc}")


# --------------------------------------------------------------------------- service description


def service_description(endpoint: str) -> bytes:
    """A SPARQL 1.1 Service Description of the endpoint, Turtle."""
    formats = " ,\n        ".join(
        f"<http://www.w3.org/ns/formats/{name}>" for name in (
            "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
            "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD"))
    return (f"@prefix sd: <{SD}> .\n\n"
            f"[] a sd:Service ;\n"
            f"    sd:endpoint <{endpoint}> ;\n"
            f"    sd:supportedLanguage sd:SPARQL11Query ;\n"
            f"    sd:feature sd:UnionDefaultGraph ;\n"
            f"    sd:resultFormat {formats} .\n").encode()
