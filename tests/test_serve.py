"""``catalog-graph serve``: the SPARQL 1.1 Protocol endpoint, driven over HTTP on loopback.

A real server on a free port, queried with SPARQLWrapper and urllib, as researchers' tools do.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog_graph.serve.answer import negotiate
from catalog_graph.serve.http import CatalogServer, make_server
from catalog_graph.store.db import is_update
from tests.web_support import CATALOG, HOSTILE, build_sample, items_citing

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIMEOUT = 3.0  # the test server's time limit
MAX_ROWS = 50  # the test server's result cap
HTTP_TIMEOUT = 30  # seconds any one request of a test may take


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="module")
def server(built_dir: Path) -> Iterator[CatalogServer]:
    srv = make_server(built_dir, "127.0.0.1", 0, timeout=TIMEOUT, max_rows=MAX_ROWS, workers=2,
                      quiet=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=10)


def endpoint(srv: CatalogServer) -> str:
    return srv.url + "sparql"


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request; (status, headers, body) whatever the status."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def post_query(srv: CatalogServer, query: str, accept: str | None = None,
               **params: str) -> tuple[int, dict[str, str], bytes]:
    body = urllib.parse.urlencode({"query": query, **params}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if accept:
        headers["Accept"] = accept
    return http(endpoint(srv), body, headers)


def wrapper(srv: CatalogServer, query: str, fmt: str):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(endpoint(srv))
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setTimeout(HTTP_TIMEOUT)
    return client


TITLES = ("PREFIX cg: <https://w3id.org/catalog-graph/ontology#>\n"
          "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
          "SELECT ?catalog ?title WHERE { ?catalog a cg:Catalog ; dcterms:title ?title } "
          "ORDER BY ?title")
CITED = ("PREFIX cg: <https://w3id.org/catalog-graph/ontology#>\n"
         "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
         "SELECT ?regulation (COUNT(DISTINCT ?item) AS ?items) WHERE {\n"
         "  ?item cg:legalBasis ?r . ?r dcterms:identifier ?regulation }\n"
         "GROUP BY ?regulation ORDER BY DESC(?items) ?regulation")


def regulation_titles(directory: Path) -> dict[str, str]:
    """Regulation IRI → title, from graph.graphml (the build's other graph)."""
    import networkx

    graph = networkx.read_graphml(directory / "graph.graphml", force_multigraph=True)
    return {n: d["title"] for n, d in graph.nodes(data=True) if d["kind"] == "regulation"}


# --------------------------------------------------------------------------- SPARQLWrapper


def test_select_as_json_through_sparqlwrapper(server: CatalogServer) -> None:
    from SPARQLWrapper import JSON

    result = wrapper(server, TITLES, JSON).query().convert()
    assert result["head"]["vars"] == ["catalog", "title"]
    titles = [b["title"]["value"] for b in result["results"]["bindings"]]
    assert titles == sorted([CATALOG, HOSTILE])
    assert result["results"]["bindings"][0]["title"]["xml:lang"] == "zh"
    assert result["results"]["bindings"][0]["catalog"]["type"] == "uri"


def test_select_as_xml_through_sparqlwrapper(server: CatalogServer, built_dir: Path) -> None:
    from SPARQLWrapper import XML

    document = wrapper(server, CITED, XML).query().convert()
    counts = {}
    for result in document.getElementsByTagName("result"):
        values = {b.getAttribute("name"): b.getElementsByTagName("literal")[0].firstChild.data
                  for b in result.getElementsByTagName("binding")}
        counts[values["regulation"]] = int(values["items"])
    assert counts == items_citing(built_dir)


def test_select_as_csv_through_sparqlwrapper(server: CatalogServer, built_dir: Path) -> None:
    from SPARQLWrapper import CSV

    data = wrapper(server, CITED, CSV).query().convert()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    expected = items_citing(built_dir)
    assert rows[0] == ["regulation", "items"]
    assert {r: int(n) for r, n in rows[1:]} == expected
    assert int(rows[1][1]) == max(expected.values())


def test_ask_through_sparqlwrapper(server: CatalogServer) -> None:
    from SPARQLWrapper import JSON

    query = ("PREFIX cg: <https://w3id.org/catalog-graph/ontology#>\n"
             "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
             f"ASK {{ ?c a cg:Catalog ; dcterms:title \"{CATALOG}\"@zh }}")
    assert wrapper(server, query, JSON).query().convert() == {"head": {}, "boolean": True}
    missing = query.replace("教育局", "卫健委")
    assert wrapper(server, missing, JSON).query().convert()["boolean"] is False


def test_construct_as_turtle_through_sparqlwrapper(server: CatalogServer, built_dir: Path) -> None:
    import rdflib
    from SPARQLWrapper import TURTLE

    query = ("PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
             "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             "CONSTRUCT { ?r rdfs:label ?l } WHERE { ?r a eli:LegalResource ; rdfs:label ?l }")
    data = wrapper(server, query, TURTLE).query().convert()
    graph = rdflib.Graph().parse(data=data, format="turtle")
    assert {str(s): str(o) for s, o in graph.subject_objects()} == regulation_titles(built_dir)


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_construct_as_rdfxml_through_sparqlwrapper(server: CatalogServer, built_dir: Path) -> None:
    import rdflib
    from SPARQLWrapper import XML

    query = ("PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
             "CONSTRUCT WHERE { ?r a eli:LegalResource }")
    graph = wrapper(server, query, XML).query().convert()  # an rdflib graph, read from RDF/XML
    assert {str(s) for s in graph.subjects(rdflib.RDF.type, None)} == set(regulation_titles(built_dir))


def test_describe_gives_the_triples_of_a_regulation(server: CatalogServer, built_dir: Path) -> None:
    import rdflib

    iri, title = sorted(regulation_titles(built_dir).items())[0]
    status, headers, body = post_query(server, f"DESCRIBE <{iri}>", "application/n-triples")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    graph = rdflib.Graph().parse(data=body.decode("utf-8"), format="nt")
    assert (rdflib.URIRef(iri), rdflib.RDFS.label, rdflib.Literal(title, lang="zh")) in graph


# --------------------------------------------------------------------------- the protocol


def test_get_with_format_parameter_gives_tsv(server: CatalogServer, built_dir: Path) -> None:
    url = endpoint(server) + "?" + urllib.parse.urlencode({"query": CITED, "format": "tsv"})
    status, headers, body = http(url)
    assert status == 200
    assert headers["Content-Type"].startswith("text/tab-separated-values")
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == "?regulation\t?items"
    assert len(lines) == 1 + len(items_citing(built_dir))


def test_post_of_a_direct_sparql_query(server: CatalogServer, built_dir: Path) -> None:
    status, headers, body = http(endpoint(server), CITED.encode("utf-8"),
                                 {"Content-Type": "application/sparql-query; charset=utf-8",
                                  "Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))[1:]
    assert {r: int(n) for r, n in rows} == items_citing(built_dir)


def test_default_graph_uri_limits_the_query_to_one_catalog(server: CatalogServer) -> None:
    status, _, body = post_query(server, TITLES, "application/sparql-results+json")
    catalogs = {b["title"]["value"]: b["catalog"]["value"]
                for b in json.loads(body)["results"]["bindings"]}
    count = ("PREFIX cg: <https://w3id.org/catalog-graph/ontology#>\n"
             "SELECT (COUNT(?i) AS ?n) WHERE { ?i a cg:DisclosureItem }")
    status, _, body = post_query(server, count, "text/csv",
                                 **{"default-graph-uri": catalogs[HOSTILE]})
    assert status == 200
    assert body.decode().splitlines()[1] == "2"


def test_query_results_are_capped_and_say_so(server: CatalogServer) -> None:
    status, headers, body = post_query(server, "SELECT * WHERE { ?s ?p ?o }",
                                       "application/sparql-results+json")
    assert status == 200
    assert headers["X-Result-Truncated"] == "true"
    assert headers["X-Result-Count"] == str(MAX_ROWS)
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    status, headers, _ = post_query(server, CITED)
    assert headers["X-Result-Truncated"] == "false"
    assert headers["X-Result-Count"] == str(len(items_citing(server.directory)))


def test_construct_results_are_capped_too(server: CatalogServer) -> None:
    status, headers, body = post_query(server, "CONSTRUCT WHERE { ?s ?p ?o }",
                                       "application/n-triples")
    assert status == 200 and headers["X-Result-Truncated"] == "true"
    assert len(body.decode("utf-8").splitlines()) == MAX_ROWS


def test_a_bad_query_gets_400_with_the_parser_message(server: CatalogServer) -> None:
    status, headers, body = post_query(server, "SELECT ?x WHERE { ?x ")
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain")
    assert body.decode().startswith("query syntax error:")


def test_an_unknown_format_gets_406(server: CatalogServer) -> None:
    status, _, body = post_query(server, CITED, format="pdf")
    assert status == 406 and b"json, xml, csv, tsv" in body


def test_an_accept_header_naming_nothing_acceptable_gets_406(server: CatalogServer) -> None:
    status, headers, body = post_query(server, CITED, accept="image/png")
    assert status == 406
    assert headers["Content-Type"].startswith("text/plain")
    assert b"image/png" in body and b"json, xml, csv, tsv" in body


def test_get_without_a_query_describes_the_service(server: CatalogServer) -> None:
    import rdflib

    status, headers, body = http(endpoint(server), headers={"Accept": "text/turtle"})
    assert status == 200
    graph = rdflib.Graph().parse(data=body.decode(), format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.endpoint, rdflib.URIRef(endpoint(server))) in graph


# --------------------------------------------------------------------------- read-only


def _triple_count(srv: CatalogServer) -> str:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    return post_query(srv, query, "text/csv")[2].decode().splitlines()[1]


def test_updates_are_refused_in_every_form(server: CatalogServer) -> None:
    update = "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> \"c\" } }"
    before = _triple_count(server)
    answers = [
        http(endpoint(server), urllib.parse.urlencode({"update": update}).encode(),
             {"Content-Type": "application/x-www-form-urlencoded"}),
        http(endpoint(server), update.encode(), {"Content-Type": "application/sparql-update"}),
        post_query(server, "PREFIX x: <urn:x#>\n# a comment\n" + update),
        post_query(server, "DELETE WHERE { ?s ?p ?o }"),
        post_query(server, "LOAD <http://example.org/data.ttl>"),
        post_query(server, "clear all"),
        http(endpoint(server) + "?" + urllib.parse.urlencode({"update": update})),
    ]
    for status, _, body in answers:
        assert (status, body.decode().strip()) == (
            403, "this endpoint is read-only: SPARQL Update is not allowed")
    assert _triple_count(server) == before


def test_sparqlwrapper_update_is_refused(server: CatalogServer) -> None:
    from SPARQLWrapper import POST, SPARQLWrapper

    client = SPARQLWrapper(endpoint(server), updateEndpoint=endpoint(server))
    client.setMethod(POST)
    client.setTimeout(HTTP_TIMEOUT)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(urllib.error.HTTPError) as error:
        client.query()
    assert error.value.code == 403


def test_update_detection_reads_past_the_prologue_only() -> None:
    assert is_update("PREFIX cg: <https://w3id.org/catalog-graph/ontology#>\nINSERT DATA {}")
    assert is_update("  # note\nBASE <http://x/>\nwith <urn:g> DELETE { ?s ?p ?o } WHERE {}")
    assert not is_update('SELECT * WHERE { ?s ?p "INSERT DATA" }')
    assert not is_update("# INSERT\nSELECT ?delete WHERE { ?delete ?p ?o }")


# --------------------------------------------------------------------------- the time limit


def test_a_runaway_query_is_stopped_while_others_are_answered(server: CatalogServer) -> None:
    runaway: list[tuple[int, dict[str, str], bytes]] = []
    thread = threading.Thread(target=lambda: runaway.append(post_query(server, RUNAWAY)))
    thread.start()
    try:
        answered_meanwhile = []
        for _ in range(3):  # queries answered while the runaway one is still out
            status, _, body = post_query(server, CITED, "text/csv")
            answered_meanwhile.append((status, thread.is_alive()))
    finally:
        thread.join(timeout=HTTP_TIMEOUT)
    assert answered_meanwhile[0] == (200, True)
    assert not thread.is_alive()
    status, headers, body = runaway[0]
    assert status == 503
    assert "time limit" in body.decode()
    assert headers["Access-Control-Allow-Origin"] == "*"
    # the worker that ran it was replaced: every worker answers again
    for _ in range(4):
        assert post_query(server, CITED, "text/csv")[0] == 200


# --------------------------------------------------------------------------- CORS


def test_answers_allow_any_origin(server: CatalogServer) -> None:
    _, headers, _ = post_query(server, CITED)
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Result-Truncated" in headers["Access-Control-Expose-Headers"]


def test_preflight_allows_post_with_a_content_type(server: CatalogServer) -> None:
    status, headers, body = http(endpoint(server), method="OPTIONS", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept"})
    assert status == 204 and body == b""
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


# --------------------------------------------------------------------------- the page's files


def test_the_page_and_its_assets_are_served_locally(server: CatalogServer) -> None:
    import re

    status, headers, page = http(server.url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    references = re.findall(rb'(?:src|href)="([^"]*)"', page)
    assert references and all(not r.startswith((b"http:", b"https:", b"//")) for r in references)
    for ref in references:
        if ref.startswith(b"/static/"):
            assert http(server.url + ref.decode()[1:])[0] == 200
    status, headers, _ = http(server.url + "describe?iri=urn%3Ax")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert http(server.url + "static/../serve.py")[0] == 404


def test_examples_are_listed_with_their_titles(server: CatalogServer) -> None:
    from catalog_graph.store.query import examples

    status, _, body = http(server.url + "examples.json")
    listed = json.loads(body)
    assert status == 200
    assert [e["name"] for e in listed] == list(examples())
    assert all(e["title"] and e["query"].lstrip().startswith("#") for e in listed)


# --------------------------------------------------------------------------- negotiation


@pytest.mark.parametrize(("kind", "accept", "fmt", "expected"), [
    ("results", None, None, "JSON"),
    ("results", "*/*", None, "JSON"),
    ("results", "text/html,application/xhtml+xml,*/*;q=0.8", None, "JSON"),
    ("results", "text/csv;q=0.5, application/sparql-results+xml", None, "XML"),
    ("results", "text/*", None, "CSV"),
    ("results", "application/sparql-results+json;q=0, text/tab-separated-values", None, "TSV"),
    ("results", "text/csv", "json", "JSON"),
    ("results", None, "application/sparql-results+xml", "XML"),
    ("results", None, "ttl", None),
    ("graph", None, None, "TURTLE"),
    ("graph", "application/sparql-results+json, application/n-triples;q=0.9", None, "N_TRIPLES"),
    ("graph", "application/rdf+xml", None, "RDF_XML"),
    ("graph", None, "xml", "RDF_XML"),
    ("graph", None, "json", "JSON_LD"),
    ("graph", None, "csv", None),
    ("results", "image/png", None, None),  # nothing acceptable: 406
    ("graph", "text/csv", None, None),  # a results type is no graph type
    ("results", "", None, "JSON"),  # an empty Accept states no preference
])
def test_negotiation(kind: str, accept: str | None, fmt: str | None, expected: str | None) -> None:
    assert negotiate(kind, accept, fmt) == expected


# --------------------------------------------------------------------------- the command


def _cli() -> list[str]:
    return [sys.executable, "-m", "catalog_graph.cli"]


def test_serve_command_listens_on_loopback_and_stops_cleanly(built_dir: Path) -> None:
    process = subprocess.Popen(
        [*_cli(), "serve", str(built_dir), "--port", "0", "--quiet", "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()  # the server prints its URL once it listens
        assert line.startswith(f"Serving {built_dir} at http://127.0.0.1:"), line
        url = line.split(" at ", 1)[1].split(" ", 1)[0]
        srv_endpoint = url + "sparql?" + urllib.parse.urlencode({"query": CITED, "format": "csv"})
        status, _, body = http(srv_endpoint)
        assert status == 200 and body.decode().startswith("regulation,items\r\n")
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=HTTP_TIMEOUT)
    assert process.returncode == 0, err


def test_serve_without_a_build_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run([*_cli(), "serve", str(tmp_path), "--port", "0"], capture_output=True,
                          text=True, timeout=HTTP_TIMEOUT)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("catalog-graph: error: ") and "build" in done.stderr
    assert done.stdout == ""


def test_serve_on_a_taken_port_is_one_line_and_exit_2(server: CatalogServer, built_dir: Path) -> None:
    done = subprocess.run([*_cli(), "serve", str(built_dir), "--port", str(server.port)],
                          capture_output=True, text=True, timeout=HTTP_TIMEOUT,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "cannot listen" in done.stderr
