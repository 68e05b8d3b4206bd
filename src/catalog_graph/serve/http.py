"""``catalog-graph serve``: a read-only SPARQL 1.1 Protocol endpoint and a query page, over HTTP.

Routes::

    /sparql            the SPARQL 1.1 Protocol (query operation): GET ?query=…, POST form-encoded
                       (query=…) or POST application/sparql-query; default-graph-uri and
                       named-graph-uri as the protocol says. Without them the default graph is
                       the union of all graphs. GET without a query gives a service description.
    /                  the query page (editor, example queries, results table)
    /describe?iri=…    the query page showing every triple with that IRI as subject or object
    /examples.json     the bundled example queries: [{"name", "title", "query"}]
    /namespaces.json   the prefixes the page shortens IRIs with: {"prefix": "namespace IRI"}
    /items, /item/ID, /regulation/ID, /schema (and their .json, /items.csv twins), /graph
                       the browsing pages (:mod:`catalog_graph.serve.pages`), computed by the
                       query workers under the same deadline
    /static/NAME       the page's assets, all served from the package (no internet needed)

Each request runs on its own thread; queries are answered by a pool of worker processes
(:mod:`catalog_graph.serve.pool`), each as :mod:`catalog_graph.serve.answer` says.

Safety: the store is opened read-only and SPARQL Update is refused (403); a query past the
deadline gets 503. The server binds to 127.0.0.1 unless told otherwise, and allows cross-origin
requests from browsers (CORS) to ``/sparql``.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from catalog_graph.errors import CatalogError
from catalog_graph.graph.iris import DEFAULT_BASE
from catalog_graph.graph.namespaces import PREFIXES
from catalog_graph.serve.answer import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    READ_ONLY,
    Limits,
    service_description,
    text_answer,
)
from catalog_graph.serve.pool import Workers
from catalog_graph.store.db import is_update
from catalog_graph.store.query import examples

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MAX_BODY = 1024 * 1024  # largest request body accepted

WEB_DIR = Path(__file__).resolve().parent / "web"
PAGE_ASSETS = ("index.html", "app.js", "app.css", "explore.css", "cm-editor.bundle.js")

_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')

STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# The query page's editor (CodeMirror) positions its cursor, gutters and tooltips with inline
# style attributes; scripts stay 'self' only, and every value from the data is set as text.
EDITOR_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Result-Count, X-Result-Truncated, Content-Type",
}
# the prefixes the page shortens IRIs with, tried in order: ``id`` for the graph's own IRIs
# (under the default base), then the graph's namespaces
PAGE_NAMESPACES = {"id": DEFAULT_BASE, **PREFIXES}


def example_queries() -> list[dict[str, str]]:
    """The bundled example queries (:func:`catalog_graph.store.query.examples`) as the page
    lists them: name, title, query; by name."""
    return [{"name": e.name, "title": e.description or e.name, "query": e.sparql}
            for e in examples().values()]


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
        answer = text_answer(status, message)
        self._send(status, answer.content_type, answer.body, headers)

    def _json(self, document: Any) -> None:
        body = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        self._send(200, "application/json; charset=utf-8", body, CORS_HEADERS)

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
            self._json(self.server.examples)
        elif path == "/namespaces.json":
            self._json(PAGE_NAMESPACES)
        elif _is_page(path):
            self._page(path, params)
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

    def _page(self, path: str, params: dict[str, list[str]]) -> None:
        started = time.monotonic()
        answer = self.server.workers.run({"page": path, "params": params})
        headers = {"Cache-Control": "no-cache", "X-Page-Time": f"{time.monotonic() - started:.3f}",
                   **answer.headers}
        if path == "/graph" and answer.status == 200:
            # viz's page: its own content-security policy (its two inline scripts, by hash)
            headers["Referrer-Policy"] = "no-referrer"
        elif answer.content_type.startswith("text/html"):
            headers["Content-Security-Policy"] = CSP
            headers["Referrer-Policy"] = "no-referrer"
        else:
            headers.update(CORS_HEADERS)
        self._send(answer.status, answer.content_type, answer.body, headers)

    def _asset(self, name: str) -> None:
        if name not in self.server.assets:
            self._text(404, f"no asset {name}")
            return
        path = WEB_DIR / name
        headers = {"Cache-Control": "no-cache"}
        if name.endswith(".html"):
            headers["Content-Security-Policy"] = EDITOR_CSP if name == "index.html" else CSP
            headers["Referrer-Policy"] = "no-referrer"
        self._send(200, STATIC_TYPES[path.suffix], path.read_bytes(), headers)


def _is_page(path: str) -> bool:
    """Whether ``path`` is one of the browsing pages (:mod:`catalog_graph.serve.pages`)."""
    return (path in ("/items", "/items.json", "/items.csv", "/schema", "/schema.json", "/graph")
            or (path.startswith(("/item/", "/regulation/")) and path.count("/") == 2
                and len(path.split("/")[2]) > 0))


class CatalogServer(ThreadingHTTPServer):
    """The HTTP server: a thread per request, queries answered by a :class:`Workers` pool."""

    daemon_threads = True
    allow_reuse_address = True
    # Connections waiting to be accepted: socketserver's default of 5 made 50 clients connecting
    # at once get connections reset (bench/load_serve.py).
    request_queue_size = 128

    def __init__(self, directory: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 limits: Limits = DEFAULT_LIMITS, workers: int | None = None, quiet: bool = False,
                 laws: Any = None) -> None:
        self.directory = Path(directory)
        self.laws = laws  # the user's law texts (serve --laws; resolve.lawtexts.LawTexts), or None
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
                quiet: bool = False, laws: Any = None) -> CatalogServer:
    """A server for the build in ``directory``, listening but not yet serving.

    ``port`` 0 picks a free port (see ``server.port``). Call ``serve_forever()`` to serve, and
    ``shutdown()`` then ``server_close()`` to stop (which also stops the query workers).
    ``laws``: the user's law texts (``serve --laws``), kept as ``server.laws`` for the pages
    (a graph built with ``build --laws`` already holds the cited articles' texts).
    """
    return CatalogServer(directory, host, port, Limits(timeout, max_rows, max_bytes), workers,
                         quiet, laws)


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

