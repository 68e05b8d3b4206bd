"""``catalog-graph serve``: a read-only SPARQL 1.1 Protocol endpoint and a query page.

Routes::

    /sparql            the SPARQL 1.1 Protocol (query operation): GET ?query=…, POST form-encoded
                       (query=…) or POST application/sparql-query; default-graph-uri and
                       named-graph-uri as the protocol says. Without them the default graph is
                       the union of all graphs. GET without a query gives a service description.
    /                  the query page (editor, example queries, results table)
    /describe?iri=…    the query page showing every triple with that IRI as subject or object
    /examples.json     the bundled example queries: [{"name", "title", "query"}]
    /static/NAME       the page's assets, all served from the package (no internet needed)

Results by content negotiation (``Accept``, or ``format=`` / ``output=`` for convenience):
SELECT and ASK as SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle
(default), N-Triples, RDF/XML or JSON-LD.

Safety: the store is opened read-only and SPARQL Update is refused (403). Each query runs in
a worker process with a deadline; a query still running at the deadline gets 503 and its worker
is killed and replaced, so it cannot hold up other queries or keep a core busy. Results are
capped at ``max_rows`` rows (or triples) and about ``max_bytes`` bytes; a capped answer carries
``X-Result-Truncated: true``. The server binds to 127.0.0.1 unless told otherwise, and allows
cross-origin requests from browsers (CORS) to ``/sparql``.
"""

from __future__ import annotations

import json
import os
import queue
import re
import socket
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from catalog_graph.errors import CatalogError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_TIMEOUT = 30.0  # seconds a query may run
DEFAULT_MAX_ROWS = 100_000  # rows of a SELECT, triples of a CONSTRUCT/DESCRIBE
DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # about this many bytes of values per answer
MAX_BODY = 1024 * 1024  # largest request body accepted
MAX_WAITING = 64  # requests that may wait for a free worker at once

WEB_DIR = Path(__file__).resolve().parent / "web"
PAGE_ASSETS = ("index.html", "app.js", "app.css")

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
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

_PROLOGUE = r"(?:\s|#[^\n]*(?:\n|$))*(?:(?:PREFIX\s*[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)(?:\s|#[^\n]*(?:\n|$))*)*"
_UPDATE = re.compile(_PROLOGUE + r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
                     re.IGNORECASE)
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')

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

    ``fmt`` (a short name such as ``csv``, or a media type) wins over ``accept``. With no usable
    preference the default is SPARQL JSON for results and Turtle for graphs. Returns a format
    name (``JSON``, ``XML``, ``CSV``, ``TSV``, ``TURTLE``, ``N_TRIPLES``, ``RDF_XML``,
    ``JSON_LD``), or None when ``fmt`` names a format this kind cannot be given in.
    """
    types = RESULT_TYPES if kind == "results" else GRAPH_TYPES
    names = RESULT_NAMES if kind == "results" else GRAPH_NAMES
    default = next(iter(types.values()))
    if fmt:
        fmt = fmt.strip().lower()
        return names.get(fmt) or types.get(fmt.split(";")[0].strip())
    for media, _ in _media_ranges(accept):
        if media in types:
            return types[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            prefix = media[:-1]
            for candidate in CANONICAL_TYPES[kind]:
                if candidate.startswith(prefix):
                    return types[candidate]
    return default


def is_update(text: str) -> bool:
    """Whether a request text is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR …)."""
    return bool(_UPDATE.match(text))


# --------------------------------------------------------------------------- examples


def example_queries() -> list[dict[str, str]]:
    """The bundled example queries (``ontology/queries/*.rq``): name, title, query; by name."""
    from catalog_graph.store.query import examples

    return [{"name": e.name, "title": e.description or e.name, "query": e.sparql}
            for e in examples().values()]


# --------------------------------------------------------------------------- answering


@dataclass
class Answer:
    """An HTTP answer from a query worker."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _text_answer(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


@dataclass(frozen=True)
class Limits:
    """How long a query may run and how much of its answer is sent."""

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    max_bytes: int = DEFAULT_MAX_BYTES


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
                 limits: Limits = Limits()) -> Answer:
    """Run one SPARQL query on ``store`` and serialize its results as negotiated.

    Runs to completion: callers that need a deadline run it in a worker (see :class:`Workers`).
    """
    import pyoxigraph as ox

    from catalog_graph.graph.namespaces import PREFIXES
    from catalog_graph.store.db import check_query, run_query

    if is_update(query):
        return _text_answer(403, READ_ONLY)
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
        return _text_answer(400, f"query syntax error: {exc}")
    except ValueError as exc:
        return _text_answer(400, f"bad request: {exc}")
    headers: dict[str, str] = {}
    try:
        if isinstance(results, ox.QueryBoolean):
            name = negotiate("results", accept, fmt)
            if name is None:
                return _text_answer(406, f"format {fmt!r} is not one for ASK results "
                                         "(json, xml, csv, tsv)")
            body = results.serialize(format=getattr(ox.QueryResultsFormat, name))
            return Answer(200, CONTENT_TYPES[name], body, headers)
        if isinstance(results, ox.QuerySolutions):
            name = negotiate("results", accept, fmt)
            if name is None:
                return _text_answer(406, f"format {fmt!r} is not one for SELECT results "
                                         "(json, xml, csv, tsv)")
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
            return _text_answer(406, f"format {fmt!r} is not one for graphs "
                                     "(turtle, nt, xml, jsonld)")
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
        return _text_answer(500, f"query failed: {exc}")


# --------------------------------------------------------------------------- workers


def _worker_main(requests: Any, answers: Any, directory: str, limits: Limits) -> None:
    """A query worker: opens the store read-only, then answers requests until the pipe closes.

    Each query gets a CPU-time allowance a little above the deadline, so that a runaway query
    ends even if the server that started it is gone.
    """
    import signal

    from catalog_graph.store.db import open_store

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the server's to handle
    try:
        store = open_store(Path(directory))
    except CatalogError as exc:
        answers.send(("error", (exc.file, exc.message, exc.kind)))
        return
    except Exception as exc:  # noqa: BLE001 - reported to the server as one line
        answers.send(("error", (directory, f"cannot open the store ({exc})", "unreadable")))
        return
    answers.send(("ready", None))
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Linux
        resource = None
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):
            return
        if resource is not None:
            used = resource.getrusage(resource.RUSAGE_SELF)
            spent = used.ru_utime + used.ru_stime
            _, hard = resource.getrlimit(resource.RLIMIT_CPU)
            soft = int(spent + limits.timeout * 2 + 10)
            if hard == resource.RLIM_INFINITY or soft <= hard:
                resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
        answer = _on_big_stack(store, limits, request)
        try:
            answers.send(answer)
        except (OSError, ValueError):
            return


def _on_big_stack(store: Any, limits: Limits, request: Mapping[str, Any]) -> Answer:
    """The answer to one request, computed on a big stack (:func:`store.on_big_stack`), where a
    query that is a long flat chain of terms is merely slow, and the deadline stops it."""
    from catalog_graph.store.db import on_big_stack

    try:
        return on_big_stack(answer_query, store, limits=limits, **request)
    except Exception as exc:  # noqa: BLE001 - a worker answers, it does not die
        return _text_answer(500, f"query failed: {type(exc).__name__}: {exc}")


def worker_process(argv: Sequence[str]) -> None:
    """The entry of a worker process: ``READ_FD WRITE_FD DIR LIMITS_JSON``."""
    from multiprocessing.connection import Connection

    read_fd, write_fd, directory, limits = argv
    requests = Connection(int(read_fd), writable=False)
    answers = Connection(int(write_fd), readable=False)
    _worker_main(requests, answers, directory, Limits(**json.loads(limits)))


class _Worker:
    """A worker process and the two ends of its pipes."""

    def __init__(self, process: Any, requests: Any, answers: Any) -> None:
        self.process = process
        self.requests = requests
        self.answers = answers

    def stop(self) -> None:
        for conn in (self.requests, self.answers):
            try:
                conn.close()
            except OSError:
                pass
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except Exception:  # noqa: BLE001 - a process that will not die is left to the OS
            pass


class Workers:
    """A pool of query worker processes, each with the store open read-only.

    :meth:`run` hands a query to an idle worker and waits for its answer until the deadline;
    past it the worker is killed (the query with it) and replaced in the background. Workers
    are started as ``python -m catalog_graph.serve.http --worker``, so the program using this class
    needs no ``if __name__ == "__main__"`` guard.
    """

    def __init__(self, directory: Path, size: int = 2, limits: Limits = Limits(),
                 start_timeout: float = 60.0) -> None:
        self.directory = str(directory)
        self.limits = limits
        self.size = max(1, size)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._waiting = threading.BoundedSemaphore(MAX_WAITING)
        self._start_timeout = start_timeout
        try:
            for _ in range(self.size):
                self._idle.put(self._spawn())
        except BaseException:
            self.close()
            raise

    def _spawn(self) -> _Worker:
        import subprocess
        from dataclasses import asdict
        from multiprocessing.connection import Connection

        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "catalog_graph.serve.http", "--worker", str(to_child_r),
                 str(from_child_w), self.directory, json.dumps(asdict(self.limits))],
                pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL)
        except OSError as exc:
            for fd in (to_child_r, to_child_w, from_child_r, from_child_w):
                os.close(fd)
            raise CatalogError(self.directory, f"cannot start a query worker ({exc})",
                               "unavailable") from None
        os.close(to_child_r)
        os.close(from_child_w)
        worker = _Worker(process, Connection(to_child_w, readable=False),
                         Connection(from_child_r, writable=False))
        with self._lock:
            self._all.add(worker)
        try:
            if worker.answers.poll(self._start_timeout):
                status, problem = worker.answers.recv()
            else:
                status, problem = "error", (self.directory, "the query worker did not start", "")
        except (EOFError, OSError):
            status, problem = "error", (self.directory, "the query worker died starting", "")
        if status != "ready":
            self._discard(worker)
            raise CatalogError(*problem)
        return worker

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        if self._closed:
            return
        try:
            fresh = self._spawn()
        except CatalogError as exc:
            print(f"catalog-graph: warning: {exc}", file=sys.stderr)
            return
        if self._closed:
            self._discard(fresh)
        else:
            self._idle.put(fresh)

    def run(self, request: Mapping[str, Any], timeout: float | None = None) -> Answer:
        """The answer to one request (``query``, ``accept``, ``fmt``, graphs) within the deadline."""
        timeout = self.limits.timeout if timeout is None else timeout
        if not self._waiting.acquire(blocking=False):
            return _busy("too many queries waiting")
        try:
            try:
                worker = self._idle.get(timeout=timeout)
            except queue.Empty:
                return _busy("all query workers stayed busy")
        finally:
            self._waiting.release()
        try:
            worker.requests.send(dict(request))
            if worker.answers.poll(timeout):
                answer = worker.answers.recv()
            else:
                threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
                return _text_answer(503, f"query stopped: still running after the time limit "
                                         f"of {timeout:g} s (serve --timeout sets it)")
        except (EOFError, OSError):
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            return _text_answer(500, "the query worker died (out of memory?); try a smaller query")
        self._idle.put(worker)
        return answer

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._discard(worker)


def _busy(reason: str) -> Answer:
    answer = _text_answer(503, f"server busy: {reason}; try again")
    answer.headers["Retry-After"] = "5"
    return answer


# --------------------------------------------------------------------------- HTTP


STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Result-Count, X-Result-Truncated, Content-Type",
}


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


class Handler(BaseHTTPRequestHandler):
    """Routes requests to the endpoint, the page and its assets."""

    server: CatalogServer
    server_version = "catalog-graph"
    timeout = 60  # seconds a client may take to send its request
    # A request line that is not HTTP gets an HTTP/1.0 error with its status line, not the
    # bare HTML body http.server sends by its HTTP/0.9 default.
    default_request_version = "HTTP/1.0"

    # ---- plumbing

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base signature
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def _send(self, status: int, content_type: str, body: bytes,
              headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        answer = _text_answer(status, message)
        self._send(status, answer.content_type, answer.body, headers)

    def _split(self) -> tuple[str, dict[str, list[str]]]:
        parts = urlsplit(self.path)
        return parts.path, parse_qs(parts.query, keep_blank_values=True)

    # ---- methods

    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
        requested = self.headers.get("Access-Control-Request-Headers", "")
        allowed = "Accept, Content-Type, Authorization, X-Requested-With"
        if requested and re.fullmatch(r"[A-Za-z0-9\-, ]{1,500}", requested):
            allowed = requested
        self._send(204, "text/plain", b"", {
            **CORS_HEADERS,
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": allowed,
            "Access-Control-Max-Age": "86400",
            "Allow": "GET, POST, OPTIONS",
        })

    def do_GET(self) -> None:  # noqa: N802
        path, params = self._split()
        if path == "/sparql":
            self._sparql(params)
        elif path in ("/", "/index.html", "/describe"):
            self._asset("index.html")
        elif path.startswith("/static/"):
            self._asset(path[len("/static/"):])
        elif path == "/examples.json":
            body = json.dumps(self.server.examples, ensure_ascii=False, indent=1).encode("utf-8")
            self._send(200, "application/json; charset=utf-8", body, CORS_HEADERS)
        elif path == "/favicon.ico":
            self._send(204, "image/x-icon", b"")
        else:
            self._text(404, f"no page {path}; try / or /sparql")

    def do_HEAD(self) -> None:  # noqa: N802
        path, _ = self._split()
        if path == "/sparql":
            self._send(200, "text/turtle; charset=utf-8", b"", CORS_HEADERS)
        else:
            self.do_GET()

    def do_POST(self) -> None:  # noqa: N802
        path, params = self._split()
        if path != "/sparql":
            self._text(405, "POST only to /sparql", {"Allow": "GET"})
            return
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self._text(411, "send the request with a Content-Length", CORS_HEADERS)
            self.close_connection = True
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self._text(400, "bad Content-Length", CORS_HEADERS)
            return
        if length > MAX_BODY:
            self._text(413, f"request body over {MAX_BODY} bytes", CORS_HEADERS)
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        charset = "utf-8"
        if media == "application/sparql-update":
            self._text(403, READ_ONLY, CORS_HEADERS)
            return
        if media == "application/sparql-query":
            try:
                params["query"] = [body.decode(charset)]
            except UnicodeDecodeError:
                self._text(400, "the query is not UTF-8", CORS_HEADERS)
                return
        elif media == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, encoding="utf-8",
                                errors="strict")
            except UnicodeDecodeError:
                self._text(400, "the form is not URL-encoded UTF-8", CORS_HEADERS)
                return
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        else:
            self._text(415, "POST a query as application/x-www-form-urlencoded (query=…) or as "
                            "application/sparql-query", CORS_HEADERS)
            return
        self._sparql(params)

    # ---- routes

    def _sparql(self, params: dict[str, list[str]]) -> None:
        if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
            self._text(403, READ_ONLY, CORS_HEADERS)
            return
        queries = params.get("query", [])
        if not queries:
            accept = self.headers.get("Accept") or ""
            if self.command == "GET" and "text/html" in accept:
                self._send(303, "text/plain", b"", {"Location": "/"})
                return
            if self.command == "GET":
                host = self.headers.get("Host") or f"{self.server.host}:{self.server.port}"
                self._send(200, "text/turtle; charset=utf-8",
                           service_description(f"http://{host}/sparql"), CORS_HEADERS)
                return
            self._text(400, "no query: send query=…", CORS_HEADERS)
            return
        if len(queries) > 1:
            self._text(400, "more than one query", CORS_HEADERS)
            return
        query = queries[0]
        if is_update(query):
            self._text(403, READ_ONLY, CORS_HEADERS)
            return
        graphs = [g for key in ("default-graph-uri", "named-graph-uri") for g in params.get(key, [])]
        bad = [g for g in graphs if not g or _BAD_IRI.search(g)]
        if bad:
            self._text(400, f"not an IRI: {bad[0]!r}", CORS_HEADERS)
            return
        fmt = next((params[k][0] for k in ("format", "output", "results") if params.get(k)), None)
        request = {"query": query, "accept": self.headers.get("Accept"), "fmt": fmt,
                   "default_graphs": params.get("default-graph-uri", []),
                   "named_graphs": params.get("named-graph-uri", [])}
        started = time.monotonic()
        answer = self.server.workers.run(request)
        headers = {**CORS_HEADERS, "Vary": "Accept", "Cache-Control": "no-store",
                   "X-Query-Time": f"{time.monotonic() - started:.3f}", **answer.headers}
        self._send(answer.status, answer.content_type, answer.body, headers)

    def _asset(self, name: str) -> None:
        if name not in self.server.assets:
            self._text(404, f"no asset {name}")
            return
        path = WEB_DIR / name
        headers = {"Cache-Control": "no-cache"}
        if name.endswith(".html"):
            headers["Content-Security-Policy"] = CSP
            headers["Referrer-Policy"] = "no-referrer"
        self._send(200, STATIC_TYPES[path.suffix], path.read_bytes(), headers)


class CatalogServer(ThreadingHTTPServer):
    """The HTTP server: a thread per request, queries answered by a :class:`Workers` pool."""

    daemon_threads = True
    allow_reuse_address = True
    # Connections waiting to be accepted: socketserver's default of 5 made 50 clients connecting
    # at once get connections reset (bench/load_serve.py).
    request_queue_size = 128

    def __init__(self, directory: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 limits: Limits = Limits(), workers: int | None = None, quiet: bool = False) -> None:
        self.directory = Path(directory)
        self.limits = limits
        self.quiet = quiet
        self.examples = example_queries()
        self.assets = {p.name for p in WEB_DIR.iterdir()
                       if p.is_file() and p.suffix in STATIC_TYPES and p.name in PAGE_ASSETS}
        if ":" in host:  # an IPv6 address such as ::1
            self.address_family = socket.AF_INET6
        try:
            super().__init__((host, port), Handler)
        except OSError as exc:
            raise CatalogError(f"{host}:{port}", f"cannot listen here ({exc.strerror or exc})",
                               "unavailable") from None
        try:
            size = workers if workers else min(4, max(2, os.cpu_count() or 2))
            self.workers = Workers(self.directory, size, limits)
        except BaseException:
            self.server_close()
            raise

    @property
    def host(self) -> str:
        return str(self.server_address[0])

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self.port}/"

    def server_close(self) -> None:
        super().server_close()
        workers = getattr(self, "workers", None)
        if workers is not None:
            workers.close()


def make_server(directory: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
                max_bytes: int = DEFAULT_MAX_BYTES, workers: int | None = None,
                quiet: bool = False) -> CatalogServer:
    """A server for the build in ``directory``, listening but not yet serving.

    ``port`` 0 picks a free port (see ``server.port``). Call ``serve_forever()`` to serve, and
    ``shutdown()`` then ``server_close()`` to stop (which also stops the query workers).
    """
    return CatalogServer(directory, host, port, Limits(timeout, max_rows, max_bytes), workers,
                         quiet)


def serve_until_stopped(server: CatalogServer) -> None:
    """Serve until Ctrl+C or SIGTERM, then stop the server and its query workers."""
    import signal

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        server.server_close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        # run the importable copy of this module, so that answers unpickle in the server
        from catalog_graph.serve.http import worker_process

        worker_process(sys.argv[2:])
