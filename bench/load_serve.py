"""The SPARQL endpoint under load, on loopback: many clients at once, a runaway query among
them, and requests that must be refused.

1. **load**: ``--clients`` threads (default 50), started together, each sending the bundled
   example queries (``catalog-graph query --list``) round after round, ``--rounds`` rounds
   (a bounded count), every request with a timeout, the whole phase with a deadline. Every answer
   must be 200 with a body that parses as SPARQL results; anything else is an error.
2. **runaway**: while the clients run, one query that would run for hours; it must come back
   503 (stopped by the server's ``--timeout``) while the others keep being answered.
3. **refusals**: malformed SPARQL (400), an update (403), a query nested thousands deep (400),
   an unknown result format (406), a body over 1 MiB (413), a URL over 64 KiB (414), too many
   headers (431), a body of the wrong media type (415), a chunked body (411), a request line
   that is not HTTP (400); each must get its status, and the server must answer normally after.

Prints the latency percentiles (p50/p90/p99, max) of the load, the throughput, the runaway's
outcome and what each refusal got, and exits 1 if there was any error or wrong refusal.

    python bench/load_serve.py                      # builds a 40-catalog corpus in a temp dir
    python bench/load_serve.py --dir out            # an existing build
    python bench/load_serve.py --clients 50 --rounds 4 --workers 4 --timeout 5

The functions are used by tests/test_load_serve.py with fewer rounds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
REQUEST_TIMEOUT = 60.0  # seconds any one request may take before it counts as an error


# --------------------------------------------------------------------------- the server


@dataclass
class Server:
    """A ``catalog-graph serve`` process on loopback and where it listens."""

    process: subprocess.Popen[str]
    host: str
    port: int

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(directory: Path, workers: int, timeout: float) -> Server:
    """``catalog-graph serve DIR --port 0`` on 127.0.0.1; returns once it listens."""
    process = subprocess.Popen(
        [sys.executable, "-m", "catalog_graph.cli", "serve", str(directory), "--host", "127.0.0.1",
         "--port", "0", "--workers", str(workers), "--timeout", str(timeout), "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()  # "Serving DIR at http://127.0.0.1:PORT/ …"
    if "http://" not in line:
        process.kill()
        raise RuntimeError(f"the server did not start: {line}{process.stderr.read() if process.stderr else ''}")
    url = urllib.parse.urlsplit(line.split(" at ", 1)[1].split()[0])
    return Server(process, url.hostname or "127.0.0.1", url.port or 80)


def build_corpus(root: Path, catalogs: int) -> Path:
    """A corpus of ``catalogs`` generated catalogs (bench/gen_corpus.py) built into root/out."""
    subprocess.run([sys.executable, str(REPO / "bench" / "gen_corpus.py"), str(root / "in"),
                    "--catalogs", str(catalogs), "--seed", "1"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "catalog_graph.cli", "build", str(root / "in"), "-o",
                    str(root / "out")], check=True, stdout=subprocess.DEVNULL)
    return root / "out"


def example_queries() -> list[tuple[str, str]]:
    """The bundled example queries: (name, SPARQL)."""
    from catalog_graph.store.query import examples

    return [(e.name, e.sparql) for e in examples().values()]


# --------------------------------------------------------------------------- requests


@dataclass
class Reply:
    status: int
    body: bytes
    seconds: float
    error: str | None = None  # no HTTP answer at all (refused, reset, timed out)


def request(server: Server, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = REQUEST_TIMEOUT) -> Reply:
    """One HTTP request on a new connection; never raises."""
    started = time.monotonic()
    conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return Reply(response.status, data, time.monotonic() - started)
    except (OSError, http.client.HTTPException) as exc:
        return Reply(0, b"", time.monotonic() - started, f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()


def post_query(server: Server, sparql: str, timeout: float = REQUEST_TIMEOUT) -> Reply:
    body = urllib.parse.urlencode({"query": sparql}).encode()
    return request(server, "POST", "/sparql", body,
                   {"Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json"}, timeout)


def is_results(body: bytes) -> bool:
    try:
        document = json.loads(body)
    except ValueError:
        return False
    return "boolean" in document or ("head" in document and "results" in document)


# --------------------------------------------------------------------------- load


@dataclass
class Load:
    """What the load phase saw."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    runaway: Reply | None = None
    answered_during_runaway: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def run_load(server: Server, queries: list[tuple[str, str]], clients: int, rounds: int,
             deadline: float, runaway: bool = True) -> Load:
    """``clients`` threads, started together, each sending every query ``rounds`` times (each
    client starting at another query); with ``runaway``, one more thread sends RUNAWAY meanwhile.
    Stops sending at ``deadline`` seconds."""
    load = Load()
    lock = threading.Lock()
    start = threading.Barrier(clients + (1 if runaway else 0))
    stop_at = time.monotonic() + deadline
    runaway_running = threading.Event()

    def client(k: int) -> None:
        start.wait()
        for _ in range(rounds):
            for q in range(len(queries)):
                if time.monotonic() > stop_at:
                    with lock:
                        load.errors.append(f"client {k}: deadline reached before the end")
                    return
                name, sparql = queries[(k + q) % len(queries)]
                reply = post_query(server, sparql)
                with lock:
                    if reply.status == 200 and is_results(reply.body):
                        load.latencies.append(reply.seconds)
                        if runaway_running.is_set():
                            load.answered_during_runaway += 1
                    else:
                        load.errors.append(f"{name}: {reply.status or reply.error} "
                                           f"{reply.body[:120]!r}")

    def slow() -> None:
        start.wait()
        runaway_running.set()
        try:
            load.runaway = post_query(server, RUNAWAY)
        finally:
            runaway_running.clear()

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    if runaway:
        threads.append(threading.Thread(target=slow, daemon=True))
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1.0, stop_at - time.monotonic()) + REQUEST_TIMEOUT)
    load.seconds = time.monotonic() - began
    if any(t.is_alive() for t in threads):
        load.errors.append("some clients never finished")
    return load


# --------------------------------------------------------------------------- refusals


def raw_exchange(server: Server, data: bytes, timeout: float = 30.0) -> int:
    """Send raw bytes on a new connection; the status of the answer (0 when none came)."""
    with socket.create_connection((server.host, server.port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
        except OSError:
            pass  # the server may answer and close before reading everything
        answer = b""
        try:
            while b"\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass
    parts = answer.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def _form(query: str) -> tuple[bytes, dict[str, str]]:
    return (urllib.parse.urlencode({"query": query}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"})


def refusals(server: Server) -> list[tuple[str, int, int]]:
    """Each bad request: (what, expected status, status got)."""
    big_body = b"query=" + b"x" * (1024 * 1024 + 10)
    cases: list[tuple[str, int, Callable[[], int]]] = [
        ("malformed SPARQL", 400, lambda: post_query(server, "SELECT WHERE {").status),
        ("an update", 403, lambda: post_query(server, "INSERT DATA { <urn:a> <urn:b> <urn:c> }").status),
        ("a query nested 5,000 deep", 400,
         lambda: post_query(server, "SELECT * WHERE " + "{" * 5000 + "}" * 5000).status),
        ("an unknown result format", 406,
         lambda: request(server, "GET", "/sparql?" + urllib.parse.urlencode(
             {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "format": "pdf"})).status),
        ("a body over 1 MiB", 413,
         lambda: raw_exchange(server, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: "
                              b"application/x-www-form-urlencoded\r\nContent-Length: "
                              + str(len(big_body)).encode() + b"\r\n\r\n" + big_body)),
        ("a URL over 64 KiB", 414,
         lambda: raw_exchange(server, b"GET /sparql?query=" + b"x" * 70_000 + b" HTTP/1.1\r\n"
                              b"Host: x\r\n\r\n")),
        ("200 headers", 431,
         lambda: raw_exchange(server, b"GET / HTTP/1.1\r\n" + b"".join(
             b"X-H%d: v\r\n" % i for i in range(200)) + b"\r\n")),
        ("a body of the wrong media type", 415,
         lambda: request(server, "POST", "/sparql", b"<x/>", {"Content-Type": "text/xml"}).status),
        ("a chunked body", 411,
         lambda: raw_exchange(server, b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                              b"chunked\r\nContent-Type: application/sparql-query\r\n\r\n"
                              b"5\r\nSELEC\r\n0\r\n\r\n")),
        ("a request line that is not HTTP", 400,
         lambda: raw_exchange(server, b"\x16\x03\x01\x02\x00garbage\r\n\r\n")),
        ("a bad Content-Length", 400,
         lambda: raw_exchange(server, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n"
                              b"Content-Type: application/sparql-query\r\n\r\n")),
        ("a form that is not UTF-8", 400,
         lambda: request(server, "POST", "/sparql", b"query=%FF%FE",
                         {"Content-Type": "application/x-www-form-urlencoded"}).status),
    ]
    return [(what, expected, get()) for what, expected, get in cases]


# --------------------------------------------------------------------------- main


def report(load: Load, refused: list[tuple[str, int, int]], clients: int, timeout: float) -> bool:
    """Print what happened; True when all went as it must."""
    ms = 1000.0
    print(f"load: {clients} clients, {load.requests} requests in {load.seconds:.1f} s "
          f"({load.requests / load.seconds if load.seconds else 0:.0f}/s), {len(load.errors)} errors")
    print(f"latency: p50 {load.percentile(50) * ms:.0f} ms, p90 {load.percentile(90) * ms:.0f} ms, "
          f"p99 {load.percentile(99) * ms:.0f} ms, max {max(load.latencies, default=0) * ms:.0f} ms")
    for error in load.errors[:10]:
        print(f"  error: {error}")
    ok = not load.errors
    if load.runaway is not None:
        r = load.runaway
        stopped = r.status == 503 and b"time limit" in r.body
        print(f"runaway query: {r.status or r.error} after {r.seconds:.1f} s (time limit {timeout:g} s)"
              f"; {load.answered_during_runaway} other queries answered meanwhile")
        ok = ok and stopped and load.answered_during_runaway > 0
    print("refusals:")
    for what, expected, got in refused:
        mark = "ok" if got == expected else "WRONG"
        print(f"  {what}: {got} (expected {expected}) {mark}")
        ok = ok and got == expected
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="a built DIR (default: build a corpus)")
    parser.add_argument("--catalogs", type=int, default=40, help="catalogs in the built corpus")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="times each client sends every query")
    parser.add_argument("--workers", type=int, default=None, help="server query processes")
    parser.add_argument("--timeout", type=float, default=5.0, help="server time limit per query")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds for the load phase")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        directory = args.dir or build_corpus(Path(tmp), args.catalogs)
        workers = args.workers or 2
        server = start_server(directory, workers, args.timeout)
        try:
            queries = example_queries()
            print(f"serving {directory} on {server.host}:{server.port} with {workers} workers; "
                  f"{len(queries)} example queries")
            for name, sparql in queries:  # warm up, and check each answers at all
                reply = post_query(server, sparql)
                if reply.status != 200:
                    print(f"  {name}: {reply.status} {reply.body[:200]!r}")
            load = run_load(server, queries, args.clients, args.rounds, args.deadline)
            refused = refusals(server)
            after = post_query(server, queries[0][1])
            ok = report(load, refused, args.clients, args.timeout)
            print(f"after all that: {queries[0][0]} answered {after.status}")
            ok = ok and after.status == 200
        finally:
            server.stop()
    print("all as it must be" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
